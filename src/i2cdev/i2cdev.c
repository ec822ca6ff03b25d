// SPDX-License-Identifier: MIT
/*
 * The i2c-dev ABI layer: per-file state, the request life cycle, read(),
 * write() and the integer ioctls, as drivers/i2c/i2c-dev.c does them
 * (i2c-dev-abi.md sections 1 to 3). I2C_RDWR is in rdwr.c, I2C_SMBUS in
 * smbus.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "i2cdev/i2cdev_priv.h"
#include "core/hot.h"

int i2cemu_i2cdev_open(struct i2cemu_i2cdev_file *f, struct i2cemu_board *b, int number,
                int open_flags)
{
    int bus = i2cemu_bus_find(b, number);
    int mode = open_flags & O_ACCMODE;

    if (bus < 0)
        return -ENODEV;
    /* A fresh anonymous client: address 0, 7-bit, no PEC (section 1). */
    *f = (struct i2cemu_i2cdev_file){
        .board = b,
        .bus = (unsigned)bus,
        /* The VFS's FMODE_READ/WRITE: access mode 3 grants neither. */
        .readable = mode == O_RDONLY || mode == O_RDWR,
        .writable = mode == O_WRONLY || mode == O_RDWR,
    };
    return 0;
}

_Static_assert(sizeof(struct i2cemu_i2cdev_priv) <=
                   sizeof(((struct i2cemu_i2cdev_req *)0)->priv_storage),
               "struct i2cemu_i2cdev_req: priv_storage is too small");

I2CEMU_HOT
void i2cemu_i2cdev_req_init(struct i2cemu_i2cdev_req *req, enum i2cemu_i2cdev_op op)
{
    /* Field by field: out[] and priv_storage need no clearing, and this
     * runs once per request. */
    req->op = op;
    req->cmd = 0;
    req->arg = 0;
    req->compat = false;
    req->count = 0;
    req->wbuf = NULL;
    req->need = (struct i2cemu_uregion){ 0 };
    req->nneed = 0;
    req->result = 0;
    req->nout = 0;
    req->priv = NULL;
    req->done = NULL;
    req->opaque = NULL;
}

I2CEMU_HOT
void i2cemu_i2cdev_req_release(struct i2cemu_i2cdev_req *req)
{
    if (req->priv) {
        if (req->priv->bytes != req->priv->inline_bytes)
            free(req->priv->bytes);
        req->priv = NULL;
    }
    req->nout = 0;
}

int i2cdev_bytes(struct i2cemu_i2cdev_priv *p, size_t len)
{
    if (len <= sizeof p->inline_bytes)
        p->bytes = p->inline_bytes;
    else if (!(p->bytes = malloc(len)))
        return -ENOMEM;
    return 0;
}

I2CEMU_HOT
int i2cdev_uread(struct i2cdev_ctx *c, uint64_t addr, void *dst, size_t len)
{
    int r;

    if (len == 0) /* the kernel does not touch memory for 0 bytes */
        return 0;
    r = c->umem->read(c->umem, addr, dst, len);
    if (r == -EAGAIN) {
        c->req->nneed = 0;
        i2cdev_add_need(c, addr, len);
    }
    return r;
}

I2CEMU_HOT
enum i2cemu_i2cdev_status i2cdev_fail(struct i2cdev_ctx *c, int err)
{
    if (err == -EAGAIN)
        return I2CEMU_I2CDEV_NEED;
    c->req->result = err;
    c->req->nout = 0;
    return I2CEMU_I2CDEV_DONE;
}

void i2cdev_add_need(struct i2cdev_ctx *c, uint64_t addr, size_t len)
{
    struct i2cemu_i2cdev_req *req = c->req;

    if (len > 0 && req->nneed < I2CEMU_I2CDEV_MAX_NEED)
        req->needs[req->nneed++] =
            (struct i2cemu_uregion){ addr, (uint32_t)len };
}

I2CEMU_HOT
void i2cdev_add_out(struct i2cdev_ctx *c, uint64_t addr, uint32_t len,
                    const void *data)
{
    if (len > 0)
        c->req->out[c->req->nout++] = (struct i2cemu_i2cdev_out){ addr, len, data };
}

/* A request that succeeds without a transfer. */
static enum i2cemu_i2cdev_status ok(struct i2cdev_ctx *c)
{
    c->req->result = 0;
    return I2CEMU_I2CDEV_DONE;
}

/* One message at the file's address: read() and write() (section 3). */
static enum i2cemu_i2cdev_status submit_one(struct i2cdev_ctx *c, uint16_t rd,
                                     size_t count)
{
    struct i2cemu_i2cdev_priv *p = c->p;

    p->msgs[0] = (struct i2c_msg){
        .addr = c->f->addr,
        .flags = (uint16_t)((c->f->flags & I2C_M_TEN) | rd),
        .len = (uint16_t)count,
        .buf = p->bytes,
    };
    p->t.msgs = p->msgs;
    p->t.nmsgs = 1;
    p->ok_result = (int)count;
    return I2CEMU_I2CDEV_SUBMIT;
}

static enum i2cemu_i2cdev_status prep_read(struct i2cdev_ctx *c)
{
    size_t count = c->req->count;

    if (!c->f->readable)
        return i2cdev_fail(c, -EBADF); /* the VFS refuses first */
    if (count > I2CDEV_MSG_MAX)
        count = I2CDEV_MSG_MAX; /* a short read, no error */
    if (i2cdev_bytes(c->p, count))
        return i2cdev_fail(c, -ENOMEM);
    memset(c->p->bytes, 0, count); /* nothing of an earlier request */
    if (!i2cdev_has_i2c(c->f))
        return i2cdev_fail(c, -EOPNOTSUPP);
    /* The bytes read go to out[0]; the frontend knows where (req->arg, or
     * its own buffer). */
    i2cdev_add_out(c, c->req->arg, (uint32_t)count, c->p->bytes);
    return submit_one(c, I2C_M_RD, count);
}

static enum i2cemu_i2cdev_status prep_write(struct i2cdev_ctx *c)
{
    size_t count = c->req->count;
    int r;

    if (!c->f->writable)
        return i2cdev_fail(c, -EBADF);
    if (count > I2CDEV_MSG_MAX)
        count = I2CDEV_MSG_MAX; /* only the clamped bytes are ever read */
    if (i2cdev_bytes(c->p, count))
        return i2cdev_fail(c, -ENOMEM);
    /* The frontend passes the bytes, or leaves wbuf NULL and we copy them
     * from the client address req->arg like any other client memory. */
    if (c->req->wbuf) {
        memcpy(c->p->bytes, c->req->wbuf, count);
    } else if ((r = i2cdev_uread(c, c->req->arg, c->p->bytes, count))) {
        return i2cdev_fail(c, r);
    }
    if (!i2cdev_has_i2c(c->f))
        return i2cdev_fail(c, -EOPNOTSUPP);
    return submit_one(c, 0, count);
}

static enum i2cemu_i2cdev_status set_addr(struct i2cdev_ctx *c, bool force)
{
    uint64_t a = c->req->arg;

    /* Section 2.1: range, then the busy check (not for FORCE). A failure
     * keeps the previous address. */
    if (a > 0x3FF || (!(c->f->flags & I2C_M_TEN) && a > 0x7F))
        return i2cdev_fail(c, -EINVAL);
    if (!force && i2cemu_bus_addr_busy(c->f->board, c->f->bus, (uint16_t)a))
        return i2cdev_fail(c, -EBUSY);
    c->f->addr = (uint16_t)a;
    return ok(c);
}

static enum i2cemu_i2cdev_status set_flag(struct i2cdev_ctx *c, uint16_t flag)
{
    /* I2C_TENBIT and I2C_PEC never fail (sections 2.2, 2.3). */
    if (c->req->arg)
        c->f->flags |= flag;
    else
        c->f->flags &= (uint16_t)~flag;
    return ok(c);
}

static enum i2cemu_i2cdev_status get_funcs(struct i2cdev_ctx *c)
{
    unsigned long funcs = i2cemu_bus_funcs(c->f->board, c->f->bus);
    uint32_t funcs32 = (uint32_t)funcs;

    /* put_user of an unsigned long: 8 bytes, or 4 for a 32-bit caller
     * (section 2.4). */
    if (c->req->compat) {
        memcpy(c->p->funcs, &funcs32, sizeof funcs32);
        i2cdev_add_out(c, c->req->arg, sizeof funcs32, c->p->funcs);
    } else {
        memcpy(c->p->funcs, &funcs, sizeof funcs);
        i2cdev_add_out(c, c->req->arg, sizeof funcs, c->p->funcs);
    }
    return ok(c);
}

static enum i2cemu_i2cdev_status prep_ioctl(struct i2cdev_ctx *c)
{
    uint64_t arg = c->req->arg;

    /* The syscall takes the request as an unsigned int. */
    switch ((unsigned int)c->req->cmd) {
    case I2C_SLAVE:
        return set_addr(c, false);
    case I2C_SLAVE_FORCE:
        return set_addr(c, true);
    case I2C_TENBIT:
        return set_flag(c, I2C_M_TEN);
    case I2C_PEC:
        return set_flag(c, I2CDEV_CLIENT_PEC);
    case I2C_FUNCS:
        return get_funcs(c);
    case I2C_RDWR:
        return i2cdev_prep_rdwr(c);
    case I2C_SMBUS:
        return i2cdev_prep_smbus(c);
    case I2C_RETRIES:
        /* Adapter-wide, shared by every file (sections 2.5, 4.6). */
        if (arg > INT_MAX)
            return i2cdev_fail(c, -EINVAL);
        i2cemu_bus_set_retries(c->f->board, c->f->bus, (uint32_t)arg);
        return ok(c);
    case I2C_TIMEOUT:
        /* Units of 10 ms; the newest kernels' bound (section 2.6). */
        if (arg > INT_MAX / 10)
            return i2cdev_fail(c, -EINVAL);
        i2cemu_bus_set_timeout_ms(c->f->board, c->f->bus,
                                  (uint32_t)arg * 10);
        return ok(c);
    default:
        return i2cdev_fail(c, -ENOTTY);
    }
}

I2CEMU_HOT
enum i2cemu_i2cdev_status i2cemu_i2cdev_prepare(struct i2cemu_i2cdev_file *f, struct i2cemu_i2cdev_req *req,
                                  struct i2cemu_umem *umem)
{
    struct i2cdev_ctx c = { .f = f, .req = req, .umem = umem };
    /* After NEED, a decoder that kept its state continues where it
     * stopped (i2cdev.h); any other pass decodes from scratch and sees no
     * trace of the previous one. */
    bool resume = req->priv && req->nneed && req->priv->resumable;

    req->need = (struct i2cemu_uregion){ 0 };
    req->nneed = 0;
    req->result = 0;
    if (resume) {
        c.p = req->priv;
        return req->cmd == I2C_SMBUS ? i2cdev_prep_smbus(&c)
                                     : i2cdev_prep_rdwr(&c);
    }
    i2cemu_i2cdev_req_release(req);
    c.p = req->priv = (struct i2cemu_i2cdev_priv *)req->priv_storage;
    /* Only what decoding reads before it writes: each decoder fills in
     * whatever else it uses (i2cdev_priv.h). */
    c.p->t.msgs = NULL;
    c.p->t.smbus = NULL;
    c.p->submitted = false;
    c.p->smbus.emul_on = false;
    c.p->bytes = NULL;
    c.p->resumable = false;

    switch (req->op) {
    case I2CEMU_I2CDEV_OP_READ:
        return prep_read(&c);
    case I2CEMU_I2CDEV_OP_WRITE:
        return prep_write(&c);
    case I2CEMU_I2CDEV_OP_IOCTL:
        return prep_ioctl(&c);
    }
    return i2cdev_fail(&c, -EINVAL);
}

I2CEMU_HOT
static void transfer_done(struct i2cemu_transfer *t)
{
    struct i2cemu_i2cdev_req *req = t->opaque;
    struct i2cemu_i2cdev_priv *p = req->priv;
    int r = t->result;

    if (p->smbus.emul_on)
        r = i2cdev_smbus_result(&p->smbus, r);
    else if (r >= 0)
        r = p->ok_result;
    req->result = r;
    if (r < 0)
        req->nout = 0; /* nothing is copied back after a failure */
    req->done(req);
}

I2CEMU_HOT
void i2cemu_i2cdev_submit(struct i2cemu_i2cdev_file *f, struct i2cemu_i2cdev_req *req,
                   void (*done)(struct i2cemu_i2cdev_req *req))
{
    struct i2cemu_i2cdev_priv *p = req->priv;

    req->done = done;
    p->t.done = transfer_done;
    p->t.opaque = req;
    p->t.pid = f->pid;
    p->submitted = true;
    i2cemu_transfer_submit(f->board, f->bus, &p->t);
}

void i2cemu_i2cdev_cancel(struct i2cemu_i2cdev_req *req)
{
    if (req->priv && req->priv->submitted)
        i2cemu_transfer_abort(&req->priv->t);
}
