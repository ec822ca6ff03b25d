// SPDX-License-Identifier: MIT
/* The regions of client memory a request may touch: regions.h. The rules
 * are the kernel's drivers/i2c/i2c-dev.c (i2c-dev-abi.md sections 2-4). */
#include "frontends/preload/regions.h"
#include "i2cdev/smbus_abi.h"

#include <linux/i2c-dev.h>
#include <string.h>

/* The most one message, read() or write() moves (i2c-dev's 8192). */
#define MSG_MAX 8192u

static struct shim_region *add(struct shim_req *q, uint64_t addr,
                               uint64_t len, unsigned dir)
{
    if (len == 0 || q->n == SHIM_MAX_REGIONS)
        return NULL;
    q->r[q->n] = (struct shim_region){ addr, (uint32_t)len, dir, NULL };
    return &q->r[q->n++];
}

/* Reads an input region that tells the next ones into `keep`: false if it
 * cannot be read. */
static bool add_read(struct shim_req *q, uint64_t addr, void *keep,
                     size_t len, shim_peek_fn *peek)
{
    struct shim_region *r = add(q, addr, len, SHIM_IN);

    if (!r || !peek(addr, keep, len))
        return false;
    r->data = keep;
    return true;
}

static void smbus(struct shim_req *q, uint64_t arg, shim_peek_fn *peek)
{
    struct i2c_smbus_ioctl_data a;

    _Static_assert(sizeof a <= sizeof q->arg, "arg");
    if (!add_read(q, arg, q->arg, sizeof a, peek))
        return;
    memcpy(&a, q->arg, sizeof a);
    if (!i2cdev_smbus_args_ok(a.read_write, a.size) || !a.data ||
        !i2cdev_smbus_uses_data(a.read_write, a.size))
        return;
    add(q, (uintptr_t)a.data, i2cdev_smbus_data_size(a.size),
        (i2cdev_smbus_data_in(a.read_write, a.size) ? SHIM_IN : 0) |
            (i2cdev_smbus_data_out(a.read_write, a.size) ? SHIM_OUT : 0));
}

static void rdwr(struct shim_req *q, uint64_t arg, shim_peek_fn *peek)
{
    struct i2c_rdwr_ioctl_data a;
    const struct i2c_msg *m = q->msgs;

    _Static_assert(sizeof a <= sizeof q->arg, "arg");
    if (!add_read(q, arg, q->arg, sizeof a, peek))
        return;
    memcpy(&a, q->arg, sizeof a);
    if (!a.msgs || a.nmsgs == 0 || a.nmsgs > I2C_RDWR_IOCTL_MAX_MSGS)
        return;
    q->max_result = a.nmsgs;
    if (!add_read(q, (uintptr_t)a.msgs, q->msgs, a.nmsgs * sizeof *m, peek))
        return;
    /* Every buffer is copied in (a read's first byte may be its count);
     * a read's goes back. Over-long messages are refused untouched. */
    for (unsigned i = 0; i < a.nmsgs; i++)
        if (m[i].len <= MSG_MAX)
            add(q, (uintptr_t)m[i].buf, m[i].len,
                SHIM_IN | (m[i].flags & I2C_M_RD ? SHIM_OUT : 0));
}

void shim_req_none(struct shim_req *q)
{
    q->max_result = 0;
    q->n = 0;
}

void shim_req_ioctl(struct shim_req *q, unsigned cmd, uint64_t arg,
                    shim_peek_fn *peek)
{
    shim_req_none(q);
    switch (cmd) {
    case I2C_FUNCS:
        add(q, arg, sizeof(unsigned long), SHIM_OUT);
        break;
    case I2C_SMBUS:
        smbus(q, arg, peek);
        break;
    case I2C_RDWR:
        rdwr(q, arg, peek);
        break;
    }
}

void shim_req_rw(struct shim_req *q, unsigned dir, uint64_t addr,
                 uint64_t count)
{
    shim_req_none(q);
    if (count > MSG_MAX)
        count = MSG_MAX;
    q->max_result = (int64_t)count;
    add(q, addr, count, dir);
}

bool shim_req_allows(const struct shim_req *q, unsigned dir, uint64_t addr,
                     uint32_t len)
{
    for (unsigned i = 0; len > 0 && i < q->n; i++) {
        const struct shim_region *r = &q->r[i];

        if ((r->dir & dir) && addr >= r->addr && len <= r->len &&
            addr - r->addr <= r->len - len)
            return true;
    }
    return false;
}

bool shim_req_result_ok(const struct shim_req *q, int64_t r)
{
    return r < 0 ? r >= -4095 : r <= q->max_result;
}
