// SPDX-License-Identifier: MIT
/* I2C_RDWR: decode and check a combined transfer in the kernel's order
 * (i2c-dev-abi.md section 2.7). */
#include <errno.h>
#include <stdlib.h>

#include "i2cdev/i2cdev_priv.h"
#include "core/hot.h"

/* The 32-bit caller's layouts (section 0.3). */
struct rdwr32 {
    uint32_t msgs;
    uint32_t nmsgs;
};
struct msg32 {
    uint16_t addr, flags, len;
    uint32_t buf;
};
_Static_assert(sizeof(struct rdwr32) == 8, "compat i2c_rdwr_ioctl_data");
_Static_assert(sizeof(struct msg32) == 12, "compat i2c_msg");

/* A message as the client laid it out; `buf` is a client address. */
struct umsg {
    uint16_t addr, flags, len;
    uint64_t buf;
};

static int read_msgs(struct i2cdev_ctx *c, uint64_t addr, unsigned n,
                     struct umsg *m)
{
    int r;

    if (c->req->compat) {
        struct msg32 raw[I2C_RDWR_IOCTL_MAX_MSGS];

        if ((r = i2cdev_uread(c, addr, raw, n * sizeof raw[0])))
            return r;
        for (unsigned i = 0; i < n; i++)
            m[i] = (struct umsg){ raw[i].addr, raw[i].flags, raw[i].len,
                                  raw[i].buf };
    } else {
        struct i2c_msg raw[I2C_RDWR_IOCTL_MAX_MSGS];

        if ((r = i2cdev_uread(c, addr, raw, n * sizeof raw[0])))
            return r;
        for (unsigned i = 0; i < n; i++)
            m[i] = (struct umsg){ raw[i].addr, raw[i].flags, raw[i].len,
                                  (uintptr_t)raw[i].buf };
    }
    return 0;
}

/* Message i's buffer is missing (req->need): ask for the next messages'
 * buffers too, as far as the kernel copies them with nothing in between
 * that can fail but by EFAULT. Each copy is followed by the RECV_LEN check
 * of its message, which looks at the bytes, and the next message's length
 * check: stop after a RECV_LEN message, and before an over-long one. */
static void need_next(struct i2cdev_ctx *c, unsigned i)
{
    const struct i2cdev_rdwr *d = &c->p->rdwr;
    const struct i2c_msg *m = c->p->msgs;

    if (m[i].flags & I2C_M_RECV_LEN)
        return;
    for (unsigned j = i + 1; j < d->n && m[j].len <= I2CDEV_MSG_MAX; j++) {
        i2cdev_add_need(c, d->ubuf[j], m[j].len);
        if (m[j].flags & I2C_M_RECV_LEN)
            break;
    }
}

/* 1 to 3: the argument block. */
I2CEMU_HOT
static int decode_arg(struct i2cdev_ctx *c)
{
    struct i2cdev_rdwr *d = &c->p->rdwr;
    int r;

    if (c->req->compat) {
        struct rdwr32 a;

        r = i2cdev_uread(c, c->req->arg, &a, sizeof a);
        d->umsgs = a.msgs;
        d->n = a.nmsgs;
    } else {
        struct i2c_rdwr_ioctl_data a;

        r = i2cdev_uread(c, c->req->arg, &a, sizeof a);
        d->umsgs = (uintptr_t)a.msgs;
        d->n = a.nmsgs;
    }
    if (r)
        return r;
    if (!d->umsgs || d->n == 0 || d->n > I2C_RDWR_IOCTL_MAX_MSGS)
        return -EINVAL;
    return 0;
}

/* 4: the message array, into p->msgs (their buffers in one block of ours)
 * and d->ubuf (the client's); 7: the output regions. */
I2CEMU_HOT
static int decode_msgs(struct i2cdev_ctx *c)
{
    struct i2cemu_i2cdev_priv *p = c->p;
    struct i2cdev_rdwr *d = &p->rdwr;
    struct umsg um[I2C_RDWR_IOCTL_MAX_MSGS];
    size_t total = 0, offs[I2C_RDWR_IOCTL_MAX_MSGS];
    unsigned ncopy;
    int r;

    if ((r = read_msgs(c, d->umsgs, d->n, um)))
        return r;
    /* One block holds the buffers of every message that will be copied:
     * those before the first over-long one. */
    for (ncopy = 0; ncopy < d->n && um[ncopy].len <= I2CDEV_MSG_MAX;
         ncopy++) {
        offs[ncopy] = total;
        total += um[ncopy].len;
    }
    if (i2cdev_bytes(p, total))
        return -ENOMEM;
    for (unsigned i = 0; i < d->n; i++) {
        p->msgs[i] = (struct i2c_msg){
            .addr = um[i].addr, .flags = um[i].flags, .len = um[i].len,
            .buf = i < ncopy ? p->bytes + offs[i] : NULL };
        d->ubuf[i] = um[i].buf;
    }

    /* 7. Read buffers go back whole: bytes past the post-transfer length
     * are the client's own, copied in below, so the result is the
     * kernel's, and the regions are known before the transfer. The kernel
     * copies them back last message first and stops at the first fault:
     * the frontend writes out[] in order and stops there too, so list them
     * in the kernel's order. Listed now, before the buffers are fetched,
     * so that a frontend can declare them while it fetches (i2cdev.h). */
    for (unsigned i = ncopy; i-- > 0;)
        if (um[i].flags & I2C_M_RD)
            i2cdev_add_out(c, um[i].buf, um[i].len, p->bytes + offs[i]);
    return 0;
}

/* 5. Per message, in order from d->next, so that an earlier message's
 * error wins. */
static int copy_bufs(struct i2cdev_ctx *c)
{
    struct i2cdev_rdwr *d = &c->p->rdwr;
    int r;

    for (; d->next < d->n; d->next++) {
        struct i2c_msg *m = &c->p->msgs[d->next];

        if (m->len > I2CDEV_MSG_MAX)
            return -EINVAL;
        /* Read buffers are copied in too. */
        if ((r = i2cdev_uread(c, d->ubuf[d->next], m->buf, m->len))) {
            if (r == -EAGAIN)
                need_next(c, d->next);
            return r;
        }
        if (m->flags & I2C_M_RECV_LEN) {
            if (!(m->flags & I2C_M_RD) || m->len < 1 || m->buf[0] < 1 ||
                m->len < m->buf[0] + I2C_SMBUS_BLOCK_MAX)
                return -EINVAL;
            /* buf[0] bytes come before the data: the count (and PEC). */
            m->len = m->buf[0];
        }
    }
    return 0;
}

/* Resumable: after NEED, the next prepare continues at the stage that
 * stopped (i2cdev.c), so each region is copied and checked once per
 * request, whatever the number of passes. */
I2CEMU_HOT
enum i2cemu_i2cdev_status i2cdev_prep_rdwr(struct i2cdev_ctx *c)
{
    struct i2cemu_i2cdev_priv *p = c->p;
    struct i2cdev_rdwr *d = &p->rdwr;
    int r = 0;

    if (!p->resumable) {
        p->resumable = true;
        d->stage = RDWR_ARG;
    }
    switch (d->stage) {
    case RDWR_ARG:
        if ((r = decode_arg(c)))
            break;
        d->stage = RDWR_MSGS;
        /* fall through */
    case RDWR_MSGS:
        if ((r = decode_msgs(c)))
            break;
        d->stage = RDWR_BUFS;
        d->next = 0;
        /* fall through */
    case RDWR_BUFS:
        r = copy_bufs(c);
        break;
    }
    if (r != -EAGAIN)
        p->resumable = false; /* decided: a new pass starts over */
    if (r)
        return i2cdev_fail(c, r);

    /* 6. An SMBus-only adapter has no I2C transfer method. */
    if (!i2cdev_has_i2c(c->f))
        return i2cdev_fail(c, -EOPNOTSUPP);
    p->t.msgs = p->msgs;
    p->t.nmsgs = d->n;
    p->ok_result = (int)d->n;
    return I2CEMU_I2CDEV_SUBMIT;
}
