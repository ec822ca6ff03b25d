// SPDX-License-Identifier: MIT
/* I2C_SMBUS: decode the request in the kernel's order and hand it to the
 * adapter: natively on the stub profile, emulated with I2C messages on the
 * i2c profile (i2c-dev-abi.md sections 2.8, 4.1). */
#include <errno.h>
#include <string.h>

#include "i2cdev/i2cdev_priv.h"

struct smbus32 {
    uint8_t read_write, command;
    uint32_t size;
    uint32_t data;
};
_Static_assert(sizeof(struct smbus32) == 12, "compat i2c_smbus_ioctl_data");

/* How many bytes of the union move in and out for a size. */
static size_t data_size(uint32_t size)
{
    switch (size) {
    case I2C_SMBUS_BYTE:
    case I2C_SMBUS_BYTE_DATA:
        return sizeof(uint8_t);
    case I2C_SMBUS_WORD_DATA:
    case I2C_SMBUS_PROC_CALL:
        return sizeof(uint16_t);
    default:
        return sizeof(union i2c_smbus_data);
    }
}

static bool is_proc_call(uint32_t size)
{
    return size == I2C_SMBUS_PROC_CALL || size == I2C_SMBUS_BLOCK_PROC_CALL;
}

enum i2cemu_i2cdev_status i2cdev_prep_smbus(struct i2cdev_ctx *c)
{
    struct i2cemu_i2cdev_priv *p = c->p;
    uint16_t flags = c->f->flags & (I2C_M_TEN | I2CDEV_CLIENT_PEC);
    union i2c_smbus_data *data = NULL;
    uint8_t rw, command;
    uint32_t size;
    uint64_t udata;
    int r;

    /* 1. The argument block. */
    if (c->req->compat) {
        struct smbus32 a;

        r = i2cdev_uread(c, c->req->arg, &a, sizeof a);
        rw = a.read_write;
        command = a.command;
        size = a.size;
        udata = a.data;
    } else {
        struct i2c_smbus_ioctl_data a;

        r = i2cdev_uread(c, c->req->arg, &a, sizeof a);
        rw = a.read_write;
        command = a.command;
        size = a.size;
        udata = (uintptr_t)a.data;
    }
    if (r)
        return i2cdev_fail(c, r);
    /* 2, 3. Sizes 0..8 (6 included); the direction, for QUICK too. */
    if (size > I2C_SMBUS_I2C_BLOCK_DATA ||
        (rw != I2C_SMBUS_READ && rw != I2C_SMBUS_WRITE))
        return i2cdev_fail(c, -EINVAL);

    /* 4. QUICK and send byte never look at `data`. */
    if (size != I2C_SMBUS_QUICK &&
        !(size == I2C_SMBUS_BYTE && rw == I2C_SMBUS_WRITE)) {
        size_t n = data_size(size);

        /* 5, 6. */
        if (!udata)
            return i2cdev_fail(c, -EINVAL);
        data = &p->data;
        memset(data, 0, sizeof(*data));
        /* 9. Copied out on success only. Listed before `data` is fetched,
         * so that a frontend can declare it meanwhile (i2cdev.h). */
        if (is_proc_call(size) || rw == I2C_SMBUS_READ)
            i2cdev_add_out(c, udata, (uint32_t)n, data);
        if (is_proc_call(size) || size == I2C_SMBUS_I2C_BLOCK_DATA ||
            rw == I2C_SMBUS_WRITE) {
            if ((r = i2cdev_uread(c, udata, data, n)))
                return i2cdev_fail(c, r);
        }
        /* 7. The legacy size is I2C block; its read is always 32 bytes. */
        if (size == I2C_SMBUS_I2C_BLOCK_BROKEN) {
            size = I2C_SMBUS_I2C_BLOCK_DATA;
            if (rw == I2C_SMBUS_READ)
                data->block[0] = I2C_SMBUS_BLOCK_MAX;
        }
    }

    /* 8. The transaction. */
    if (!i2cdev_has_i2c(c->f)) {
        /* Native: the chip model answers, and decides about PEC. */
        p->op = (struct i2cemu_smbus_op){
            .addr = c->f->addr, .flags = flags, .read_write = (char)rw,
            .command = command, .size = (int)size, .data = data,
        };
        p->t.smbus = &p->op;
    } else {
        r = i2cdev_smbus_emul_build(&p->emul, c->f->addr, flags, (char)rw,
                                    command, (int)size, data);
        if (r)
            return i2cdev_fail(c, r);
        p->smbus_emul = true;
        p->t.msgs = p->emul.msg;
        p->t.nmsgs = p->emul.nmsgs;
    }
    p->ok_result = 0;
    return I2CEMU_I2CDEV_SUBMIT;
}
