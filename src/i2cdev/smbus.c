// SPDX-License-Identifier: MIT
/* I2C_SMBUS: decode the request in the kernel's order and hand it to the
 * adapter: natively on the stub profile, emulated with I2C messages on the
 * i2c profile (i2c-dev-abi.md sections 2.8, 4.1). */
#include <errno.h>
#include <string.h>

#include "i2cdev/i2cdev_priv.h"
#include "i2cdev/smbus_abi.h"
#include "core/hot.h"

struct smbus32 {
    uint8_t read_write, command;
    uint32_t size;
    uint32_t data;
};
_Static_assert(sizeof(struct smbus32) == 12, "compat i2c_smbus_ioctl_data");

/* 1-6, 9: the argument block copied and checked, the data's output
 * declared; s->rw, command, size and udata set. 0 or -errno. */
I2CEMU_HOT
static int decode_arg(struct i2cdev_ctx *c, struct i2cdev_smbus *s)
{
    int r;

    if (c->req->compat) {
        struct smbus32 a;

        r = i2cdev_uread(c, c->req->arg, &a, sizeof a);
        s->rw = a.read_write;
        s->command = a.command;
        s->size = a.size;
        s->udata = a.data;
    } else {
        struct i2c_smbus_ioctl_data a;

        r = i2cdev_uread(c, c->req->arg, &a, sizeof a);
        s->rw = a.read_write;
        s->command = a.command;
        s->size = a.size;
        s->udata = (uintptr_t)a.data;
    }
    if (r)
        return r;
    if (!i2cdev_smbus_args_ok(s->rw, s->size))
        return -EINVAL;
    if (i2cdev_smbus_uses_data(s->rw, s->size)) {
        /* 5, 6. */
        if (!s->udata)
            return -EINVAL;
        /* 9. Listed before `data` is fetched, so that a frontend can
         * declare it meanwhile (i2cdev.h). */
        if (i2cdev_smbus_data_out(s->rw, s->size))
            i2cdev_add_out(c, s->udata, i2cdev_smbus_data_size(s->size),
                           &s->data);
    }
    return 0;
}

/* Resumable at the data (the only copy after the argument that can
 * NEED): after NEED, the next prepare continues there (i2cdev.c), so the
 * argument is copied and checked once per request, as in the kernel. */
I2CEMU_HOT
enum i2cemu_i2cdev_status i2cdev_prep_smbus(struct i2cdev_ctx *c)
{
    struct i2cemu_i2cdev_priv *p = c->p;
    struct i2cdev_smbus *s = &p->smbus;
    union i2c_smbus_data *data = NULL;
    int r;

    if (!p->resumable && (r = decode_arg(c, s)))
        return i2cdev_fail(c, r);
    p->resumable = false;
    if (i2cdev_smbus_uses_data(s->rw, s->size)) {
        data = &s->data;
        memset(data, 0, sizeof(*data));
        if (i2cdev_smbus_data_in(s->rw, s->size) &&
            (r = i2cdev_uread(c, s->udata, data,
                              i2cdev_smbus_data_size(s->size)))) {
            p->resumable = r == -EAGAIN;
            return i2cdev_fail(c, r);
        }
    }
    if ((r = i2cdev_smbus_build(s, &p->t, c->f, s->rw, s->command, s->size,
                                data)))
        return i2cdev_fail(c, r);
    p->ok_result = 0;
    return I2CEMU_I2CDEV_SUBMIT;
}

I2CEMU_HOT
int i2cdev_smbus_build(struct i2cdev_smbus *s, struct i2cemu_transfer *t,
                       const struct i2cemu_i2cdev_file *f, uint8_t rw,
                       uint8_t command, uint32_t size,
                       union i2c_smbus_data *data)
{
    uint16_t flags = f->flags & (I2C_M_TEN | I2CDEV_CLIENT_PEC);
    int r;

    /* 7. The legacy size is I2C block; its read is always 32 bytes. */
    if (size == I2C_SMBUS_I2C_BLOCK_BROKEN) {
        size = I2C_SMBUS_I2C_BLOCK_DATA;
        if (rw == I2C_SMBUS_READ)
            data->block[0] = I2C_SMBUS_BLOCK_MAX;
    }
    /* 8. The transaction. */
    if (!i2cdev_has_i2c(f)) {
        /* Native: the chip model answers, and decides about PEC. */
        s->op = (struct i2cemu_smbus_op){
            .addr = f->addr, .flags = flags, .read_write = (char)rw,
            .command = command, .size = (int)size, .data = data,
        };
        s->emul_on = false;
        t->msgs = NULL;
        t->nmsgs = 0;
        t->smbus = &s->op;
        return 0;
    }
    r = i2cdev_smbus_emul_build(&s->emul, f->addr, flags, (char)rw, command,
                                (int)size, data);
    if (r)
        return r;
    s->emul_on = true;
    t->msgs = s->emul.msg;
    t->nmsgs = s->emul.nmsgs;
    t->smbus = NULL;
    return 0;
}

static void sync_done(struct i2cemu_transfer *t)
{
    *(bool *)t->opaque = true;
}

/* Run `t` to its end: the transfer's result. As sync.c's run(): a
 * transfer waiting for a VIRTUAL clock only the caller moves would wait
 * forever, so it is cancelled. The loop runs only when the transfer did
 * not complete at once. */
static int transfer_sync(struct i2cemu_i2cdev_file *f,
                         struct i2cemu_transfer *t)
{
    bool finished = false;

    t->done = sync_done;
    t->opaque = &finished;
    t->pid = f->pid;
    i2cemu_transfer_submit(f->board, f->bus, t);
    while (!finished)
        if (!i2cemu_loop_run_once(i2cemu_board_loop(f->board), true) &&
            !finished)
            i2cemu_transfer_abort(t);
    return t->result;
}

/* Byte, byte data and word data on an I2C adapter, without PEC: what
 * smbus_emul.c's build and finish do for them (the same messages and
 * checks), with the messages built in place and the answer read straight
 * out of them. A 7-bit client's messages go to the master's synchronous
 * entry, which runs them at once when the bus is free and plain. */
static bool is_short(const struct i2cemu_i2cdev_file *f, uint32_t size)
{
    return (size == I2C_SMBUS_BYTE || size == I2C_SMBUS_BYTE_DATA ||
            size == I2C_SMBUS_WORD_DATA) &&
           !(f->flags & I2CDEV_CLIENT_PEC) && i2cdev_has_i2c(f);
}

static int smbus_sync_short(struct i2cemu_i2cdev_file *f, uint8_t rw,
                            uint8_t command, uint32_t size,
                            union i2c_smbus_data *data)
{
    uint16_t flags = f->flags & I2C_M_TEN;
    uint8_t wbuf[3], rbuf[2];
    struct i2c_msg m[2];
    struct i2cemu_transfer t; /* the submit sets what it reads */
    int r;

    /* Field by field: an initializer would clear the padding too. */
    wbuf[0] = command;
    m[0].addr = m[1].addr = f->addr;
    m[0].flags = flags;
    m[1].flags = flags | I2C_M_RD;
    m[0].len = 1;
    m[1].len = size == I2C_SMBUS_WORD_DATA ? 2 : 1;
    m[0].buf = wbuf;
    m[1].buf = rbuf;
    t.msgs = m;
    t.nmsgs = 2;
    t.pid = f->pid;

    if (rw == I2C_SMBUS_WRITE) {
        t.nmsgs = 1;
        if (size == I2C_SMBUS_BYTE_DATA) {
            wbuf[1] = data->byte;
            m[0].len = 2;
        } else if (size == I2C_SMBUS_WORD_DATA) {
            wbuf[1] = data->word & 0xFF;
            wbuf[2] = data->word >> 8;
            m[0].len = 3;
        }
    } else if (size == I2C_SMBUS_BYTE) {
        t.msgs = &m[1]; /* receive byte: the read alone */
        t.nmsgs = 1;
    }
    if (!flags && i2cemu_transfer_run_short(f->board, f->bus, &t)) {
        r = t.result;
    } else {
        t.smbus = NULL;
        r = transfer_sync(f, &t);
    }
    if (r < 0)
        return r;
    if ((unsigned)r != t.nmsgs)
        return -EIO;
    if (rw == I2C_SMBUS_READ && size == I2C_SMBUS_WORD_DATA)
        data->word = (uint16_t)(rbuf[0] | rbuf[1] << 8);
    else if (rw == I2C_SMBUS_READ)
        data->byte = rbuf[0];
    return 0;
}

int i2cdev_smbus_sync(struct i2cemu_i2cdev_file *f, uint8_t rw,
                      uint8_t command, uint32_t size,
                      union i2c_smbus_data *data)
{
    struct i2cdev_smbus s;
    struct i2cemu_transfer t;
    union i2c_smbus_data *kdata = NULL;
    size_t n = i2cdev_smbus_data_size(size);
    int r;

    /* 1. The argument block is the caller's values: nothing can fault. */
    if (!i2cdev_smbus_args_ok(rw, size))
        return -EINVAL;
    if (i2cdev_smbus_uses_data(rw, size) && !data) /* 5, 6 */
        return -EINVAL;
    if (is_short(f, size))
        return smbus_sync_short(f, rw, command, size, data);
    if (i2cdev_smbus_uses_data(rw, size)) {
        kdata = &s.data;
        memset(kdata, 0, sizeof(*kdata));
        if (i2cdev_smbus_data_in(rw, size))
            memcpy(kdata, data, n);
    }
    if ((r = i2cdev_smbus_build(&s, &t, f, rw, command, size, kdata)))
        return r;
    r = i2cdev_smbus_result(&s, transfer_sync(f, &t));
    if (r >= 0 && kdata && i2cdev_smbus_data_out(rw, size))
        memcpy(data, kdata, n);
    return r;
}
