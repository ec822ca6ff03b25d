// SPDX-License-Identifier: MIT
/* SMBus on a plain I2C adapter: message layouts (i2c-dev-abi.md 4.2), PEC
 * (4.3) and post-processing (4.4). */
#include <errno.h>
#include <string.h>

#include "i2cdev/i2cdev_priv.h"
#include "i2cdev/pec.h"
#include "i2cdev/smbus_emul.h"
#include "core/hot.h"

/* Block lengths: the kernel rejects n > 32; the emulator also rejects
 * n == 0 (section 4.2, emulator decision). */
static bool block_len_ok(uint8_t n)
{
    return n >= 1 && n <= I2C_SMBUS_BLOCK_MAX;
}

I2CEMU_HOT
int i2cdev_smbus_emul_build(struct i2cdev_smbus_emul *e, uint16_t addr,
                            uint16_t flags, char read_write, uint8_t command,
                            int size, const union i2c_smbus_data *data)
{
    uint16_t mflags = flags & I2C_M_TEN;
    struct i2c_msg *w = &e->msg[0], *r = &e->msg[1];
    uint8_t n;

    e->read = read_write == I2C_SMBUS_READ;
    e->size = size;
    e->nmsgs = e->read ? 2 : 1;
    e->pec_part = 0;
    *w = (struct i2c_msg){ .addr = addr, .flags = mflags, .len = 1,
                           .buf = e->buf0 };
    *r = (struct i2c_msg){ .addr = addr, .flags = mflags | I2C_M_RD,
                           .len = 0, .buf = e->buf1 };
    e->buf0[0] = command;

    switch (size) {
    case I2C_SMBUS_QUICK:
        w->len = 0;
        w->flags |= e->read ? I2C_M_RD : 0;
        e->nmsgs = 1;
        break;
    case I2C_SMBUS_BYTE:
        /* Receive byte reads into buf0; send byte writes `command`. */
        w->flags |= e->read ? I2C_M_RD : 0;
        e->nmsgs = 1;
        break;
    case I2C_SMBUS_BYTE_DATA:
        if (e->read) {
            r->len = 1;
        } else {
            w->len = 2;
            e->buf0[1] = data->byte;
        }
        break;
    case I2C_SMBUS_WORD_DATA:
    case I2C_SMBUS_PROC_CALL:
        if (size == I2C_SMBUS_PROC_CALL) {
            e->read = true; /* whatever read_write says */
            e->nmsgs = 2;
        }
        if (e->read)
            r->len = 2;
        if (!e->read || size == I2C_SMBUS_PROC_CALL) {
            w->len = 3;
            e->buf0[1] = data->word & 0xFF;
            e->buf0[2] = data->word >> 8;
        }
        break;
    case I2C_SMBUS_BLOCK_DATA:
    case I2C_SMBUS_BLOCK_PROC_CALL:
        if (size == I2C_SMBUS_BLOCK_PROC_CALL) {
            e->read = true;
            e->nmsgs = 2;
        }
        if (e->read) {
            /* The adapter adds the count byte to len as it reads it. */
            r->flags |= I2C_M_RECV_LEN;
            r->len = 1;
        }
        if (!e->read || size == I2C_SMBUS_BLOCK_PROC_CALL) {
            n = data->block[0];
            if (!block_len_ok(n))
                return -EINVAL;
            w->len = (uint16_t)(n + 2);
            memcpy(&e->buf0[1], data->block, n + 1u);
        }
        break;
    case I2C_SMBUS_I2C_BLOCK_DATA:
        n = data->block[0];
        if (!block_len_ok(n))
            return -EINVAL;
        if (e->read) {
            r->len = n;
        } else {
            w->len = (uint16_t)(n + 1); /* no count byte on the wire */
            memcpy(&e->buf0[1], &data->block[1], n);
        }
        break;
    default:
        return -EOPNOTSUPP;
    }

    /* PEC for every size but QUICK and I2C block (section 4.3). */
    e->pec = (flags & I2CDEV_CLIENT_PEC) && size != I2C_SMBUS_QUICK &&
             size != I2C_SMBUS_I2C_BLOCK_DATA;
    if (e->pec) {
        struct i2c_msg *last = &e->msg[e->nmsgs - 1];

        if (!(w->flags & I2C_M_RD)) {
            uint8_t pec = i2cdev_pec_msg(0, w, w->len);

            if (e->nmsgs == 1)
                w->buf[w->len++] = pec; /* write only: append it */
            else
                e->pec_part = pec;      /* write+read: the read goes on */
        }
        if (last->flags & I2C_M_RD)
            last->len++;
    }
    return 0;
}

I2CEMU_HOT
int i2cdev_smbus_emul_finish(struct i2cdev_smbus_emul *e, int result,
                             union i2c_smbus_data *data)
{
    const struct i2c_msg *last = &e->msg[e->nmsgs - 1];
    uint8_t n;

    if (result < 0)
        return result;
    if ((unsigned)result != e->nmsgs)
        return -EIO;
    if (e->pec && (last->flags & I2C_M_RD)) {
        /* The last byte read is the PEC over everything before it. */
        size_t len = last->len - 1u;

        if (last->buf[len] != i2cdev_pec_msg(e->pec_part, last, len))
            return -EBADMSG;
    }
    if (!e->read)
        return 0;

    switch (e->size) {
    case I2C_SMBUS_BYTE:
        data->byte = e->buf0[0];
        break;
    case I2C_SMBUS_BYTE_DATA:
        data->byte = e->buf1[0];
        break;
    case I2C_SMBUS_WORD_DATA:
    case I2C_SMBUS_PROC_CALL:
        data->word = (uint16_t)(e->buf1[0] | e->buf1[1] << 8);
        break;
    case I2C_SMBUS_I2C_BLOCK_DATA:
        memcpy(&data->block[1], e->buf1, data->block[0]);
        break;
    case I2C_SMBUS_BLOCK_DATA:
    case I2C_SMBUS_BLOCK_PROC_CALL:
        n = e->buf1[0];
        if (!block_len_ok(n)) /* section 4.4: the count must be 1..32 */
            return -EPROTO;
        memcpy(data->block, e->buf1, n + 1u);
        break;
    }
    return 0;
}
