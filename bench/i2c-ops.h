/* SPDX-License-Identifier: MIT */
/* The requests bench/i2c-bench and bench/i2c-pair time: the common i2c-dev
 * shapes, through the plain syscalls every client uses. */
#ifndef I2C_OPS_H
#define I2C_OPS_H
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <stdint.h>
#include <sys/ioctl.h>

static int smbus(int fd, char rw, uint8_t cmd, int size,
                 union i2c_smbus_data *data)
{
    struct i2c_smbus_ioctl_data d = {
        .read_write = rw, .command = cmd, .size = size, .data = data,
    };
    return ioctl(fd, I2C_SMBUS, &d);
}

static int op_read_byte_data(int fd, uint16_t addr)
{
    union i2c_smbus_data data;

    (void)addr;
    return smbus(fd, I2C_SMBUS_READ, 0x10, I2C_SMBUS_BYTE_DATA, &data);
}

static int op_write_byte_data(int fd, uint16_t addr)
{
    union i2c_smbus_data data = { .byte = 0x5a };

    (void)addr;
    return smbus(fd, I2C_SMBUS_WRITE, 0x10, I2C_SMBUS_BYTE_DATA, &data);
}

static int op_i2c_block_read_32(int fd, uint16_t addr)
{
    union i2c_smbus_data data = { .block = { 32 } };

    (void)addr;
    return smbus(fd, I2C_SMBUS_READ, 0x00, I2C_SMBUS_I2C_BLOCK_DATA, &data);
}

static int op_rdwr_w1_r32(int fd, uint16_t addr)
{
    uint8_t reg = 0, buf[32];
    struct i2c_msg msgs[2] = {
        { .addr = addr, .len = 1, .buf = &reg },
        { .addr = addr, .flags = I2C_M_RD, .len = sizeof(buf), .buf = buf },
    };
    struct i2c_rdwr_ioctl_data d = { .msgs = msgs, .nmsgs = 2 };

    return ioctl(fd, I2C_RDWR, &d);
}

static const struct {
    const char *name;
    int (*run)(int fd, uint16_t addr);
} ops[] = {
    { "smbus_read_byte_data", op_read_byte_data },
    { "smbus_write_byte_data", op_write_byte_data },
    { "smbus_i2c_block_read_32", op_i2c_block_read_32 },
    { "i2c_rdwr_w1_r32", op_rdwr_w1_r32 },
};

#define NOPS (sizeof(ops) / sizeof(ops[0]))

#endif
