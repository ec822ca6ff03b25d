// SPDX-License-Identifier: MIT
/* The in-process API of i2cemu.h: libi2c's i2c_smbus_* (lib/smbus.c,
 * i2c-dev-abi.md section 5.7), SMBus through the I2C_SMBUS decoder's
 * direct entry, the rest over the synchronous ioctl. */
#include <errno.h>
#include <string.h>

#include <linux/i2c-dev.h>

#include <i2cemu/i2cemu.h>

#include "i2cdev/i2cdev_priv.h"

static int ioctl_errno(long r)
{
    return r < 0 ? -errno : (int)r;
}

int i2cemu_smbus_set_addr(struct i2cemu_i2cdev_file *f, uint16_t addr)
{
    return ioctl_errno(i2cemu_i2cdev_ioctl_sync(f, I2C_SLAVE,
                                         (void *)(uintptr_t)addr));
}

int i2cemu_smbus_access(struct i2cemu_i2cdev_file *f, char read_write, uint8_t command,
                        int size, union i2c_smbus_data *data)
{
    /* The ioctl's own decoding, straight from these values (smbus.c):
     * the same result and errno as i2cemu_i2cdev_ioctl_sync(I2C_SMBUS). */
    int r = i2cdev_smbus_sync(f, (uint8_t)read_write, command,
                              (uint32_t)size, data);

    if (r < 0)
        errno = -r;
    return r;
}

int i2cemu_smbus_write_quick(struct i2cemu_i2cdev_file *f, uint8_t value)
{
    /* The value is the R/W bit. */
    return i2cemu_smbus_access(f, (char)value, 0, I2C_SMBUS_QUICK, NULL);
}

int i2cemu_smbus_read_byte(struct i2cemu_i2cdev_file *f)
{
    union i2c_smbus_data d;
    int r = i2cemu_smbus_access(f, I2C_SMBUS_READ, 0, I2C_SMBUS_BYTE, &d);

    return r < 0 ? r : d.byte;
}

int i2cemu_smbus_write_byte(struct i2cemu_i2cdev_file *f, uint8_t value)
{
    return i2cemu_smbus_access(f, I2C_SMBUS_WRITE, value, I2C_SMBUS_BYTE,
                               NULL);
}

int i2cemu_smbus_read_byte_data(struct i2cemu_i2cdev_file *f, uint8_t command)
{
    union i2c_smbus_data d;
    int r = i2cemu_smbus_access(f, I2C_SMBUS_READ, command,
                                I2C_SMBUS_BYTE_DATA, &d);

    return r < 0 ? r : d.byte;
}

int i2cemu_smbus_write_byte_data(struct i2cemu_i2cdev_file *f, uint8_t command,
                                 uint8_t value)
{
    union i2c_smbus_data d = { .byte = value };

    return i2cemu_smbus_access(f, I2C_SMBUS_WRITE, command,
                               I2C_SMBUS_BYTE_DATA, &d);
}

int i2cemu_smbus_read_word_data(struct i2cemu_i2cdev_file *f, uint8_t command)
{
    union i2c_smbus_data d;
    int r = i2cemu_smbus_access(f, I2C_SMBUS_READ, command,
                                I2C_SMBUS_WORD_DATA, &d);

    return r < 0 ? r : d.word;
}

int i2cemu_smbus_write_word_data(struct i2cemu_i2cdev_file *f, uint8_t command,
                                 uint16_t value)
{
    union i2c_smbus_data d = { .word = value };

    return i2cemu_smbus_access(f, I2C_SMBUS_WRITE, command,
                               I2C_SMBUS_WORD_DATA, &d);
}

int i2cemu_smbus_read_i2c_block_data(struct i2cemu_i2cdev_file *f, uint8_t command,
                                     uint8_t len, uint8_t *values)
{
    union i2c_smbus_data d;
    int r;

    if (len > I2C_SMBUS_BLOCK_MAX)
        len = I2C_SMBUS_BLOCK_MAX;
    d.block[0] = len;
    /* libi2c uses the legacy size for 32 bytes. */
    r = i2cemu_smbus_access(f, I2C_SMBUS_READ, command,
                            len == I2C_SMBUS_BLOCK_MAX ?
                                I2C_SMBUS_I2C_BLOCK_BROKEN :
                                I2C_SMBUS_I2C_BLOCK_DATA,
                            &d);
    if (r < 0)
        return r;
    memcpy(values, &d.block[1], d.block[0]);
    return d.block[0];
}

int i2cemu_smbus_write_i2c_block_data(struct i2cemu_i2cdev_file *f, uint8_t command,
                                      uint8_t len, const uint8_t *values)
{
    union i2c_smbus_data d;

    if (len > I2C_SMBUS_BLOCK_MAX)
        len = I2C_SMBUS_BLOCK_MAX;
    d.block[0] = len;
    memcpy(&d.block[1], values, len);
    /* libi2c always sends the legacy size here. */
    return i2cemu_smbus_access(f, I2C_SMBUS_WRITE, command,
                               I2C_SMBUS_I2C_BLOCK_BROKEN, &d);
}

int i2cemu_rdwr(struct i2cemu_i2cdev_file *f, struct i2c_msg *msgs, unsigned nmsgs)
{
    struct i2c_rdwr_ioctl_data a = { .msgs = msgs, .nmsgs = nmsgs };

    return ioctl_errno(i2cemu_i2cdev_ioctl_sync(f, I2C_RDWR, &a));
}
