// SPDX-License-Identifier: MIT
/* I2C_RDWR: decode and check a combined transfer in the kernel's order
 * (i2c-dev-abi.md section 2.7). */
#include <errno.h>
#include <stdlib.h>

#include "i2cdev/i2cdev_priv.h"

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
static void need_next(struct i2cdev_ctx *c, const struct umsg *um, unsigned i,
                      unsigned n)
{
    if (um[i].flags & I2C_M_RECV_LEN)
        return;
    for (unsigned j = i + 1; j < n && um[j].len <= I2CDEV_MSG_MAX; j++) {
        i2cdev_add_need(c, um[j].buf, um[j].len);
        if (um[j].flags & I2C_M_RECV_LEN)
            break;
    }
}

enum i2cemu_i2cdev_status i2cdev_prep_rdwr(struct i2cdev_ctx *c)
{
    struct i2cemu_i2cdev_priv *p = c->p;
    struct umsg um[I2C_RDWR_IOCTL_MAX_MSGS];
    uint64_t msgs;
    uint32_t n;
    unsigned ncopy;
    size_t total = 0, offs[I2C_RDWR_IOCTL_MAX_MSGS];
    int r;

    /* 1. The argument block. */
    if (c->req->compat) {
        struct rdwr32 a;

        r = i2cdev_uread(c, c->req->arg, &a, sizeof a);
        msgs = a.msgs;
        n = a.nmsgs;
    } else {
        struct i2c_rdwr_ioctl_data a;

        r = i2cdev_uread(c, c->req->arg, &a, sizeof a);
        msgs = (uintptr_t)a.msgs;
        n = a.nmsgs;
    }
    if (r)
        return i2cdev_fail(c, r);
    /* 2, 3. */
    if (!msgs || n == 0 || n > I2C_RDWR_IOCTL_MAX_MSGS)
        return i2cdev_fail(c, -EINVAL);
    /* 4. The message array. */
    if ((r = read_msgs(c, msgs, n, um)))
        return i2cdev_fail(c, r);

    /* One block holds the buffers of every message that will be copied:
     * those before the first over-long one. */
    for (ncopy = 0; ncopy < n && um[ncopy].len <= I2CDEV_MSG_MAX; ncopy++) {
        offs[ncopy] = total;
        total += um[ncopy].len;
    }
    p->bytes = malloc(total ? total : 1);
    if (!p->bytes)
        return i2cdev_fail(c, -ENOMEM);

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

    /* 5. Per message, in order, so that an earlier message's error wins. */
    for (unsigned i = 0; i < n; i++) {
        struct i2c_msg *m = &p->msgs[i];

        if (um[i].len > I2CDEV_MSG_MAX)
            return i2cdev_fail(c, -EINVAL);
        *m = (struct i2c_msg){ .addr = um[i].addr, .flags = um[i].flags,
                               .len = um[i].len, .buf = p->bytes + offs[i] };
        /* Read buffers are copied in too. */
        if ((r = i2cdev_uread(c, um[i].buf, m->buf, m->len))) {
            if (r == -EAGAIN)
                need_next(c, um, i, n);
            return i2cdev_fail(c, r);
        }
        if (m->flags & I2C_M_RECV_LEN) {
            if (!(m->flags & I2C_M_RD) || m->len < 1 || m->buf[0] < 1 ||
                m->len < m->buf[0] + I2C_SMBUS_BLOCK_MAX)
                return i2cdev_fail(c, -EINVAL);
            /* buf[0] bytes come before the data: the count (and PEC). */
            m->len = m->buf[0];
        }
    }

    /* 6. An SMBus-only adapter has no I2C transfer method. */
    if (!i2cdev_has_i2c(c->f))
        return i2cdev_fail(c, -EOPNOTSUPP);
    p->t.msgs = p->msgs;
    p->t.nmsgs = n;
    p->ok_result = (int)n;
    return I2CEMU_I2CDEV_SUBMIT;
}
