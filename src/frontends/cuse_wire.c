// SPDX-License-Identifier: MIT
/*
 * The FUSE messages a node's reader answers itself (docs/cuse.md): READ,
 * WRITE and IOCTL, which carry every round of a client's request, and
 * INTERRUPT. For each of them libfuse would allocate, clear and free a
 * request record and go several calls deep before ours; under a TCG guest
 * each call to code not run since the last context switch costs more than
 * its instructions (docs/benchmarks.md, "The reader answers the rounds
 * itself"). Everything else (CUSE_INIT, OPEN, RELEASE, ...) and any
 * message whose lengths do not add up goes to libfuse, whose replies and
 * checks these follow (fuse_lowlevel.c).
 */
#include "frontends/cuse_priv.h"
#include "core/hot.h"

#include <errno.h>
#include <linux/fuse.h>
#include <sys/uio.h>

/* Ask for in[] and declare out[]: at most every region of one request. */
#define WIRE_MAX_IOV (CUSE_MAX_REGIONS + I2CEMU_I2CDEV_MAX_OUT)

/* iov[0] is the header's. A failed write means the caller has gone
 * (ENOENT: interrupted and answered by the kernel) or the session has. */
I2CEMU_HOT
static void send_iov(struct cuse_node *n, uint64_t unique, int error,
                     struct iovec *iov, int count)
{
    struct fuse_out_header out = { .error = error, .unique = unique };

    iov[0] = (struct iovec){ &out, sizeof(out) };
    for (int i = 0; i < count; i++)
        out.len += (uint32_t)iov[i].iov_len;
    if (writev(n->fd, iov, count) < 0) {
        /* Nobody to tell: libfuse only prints it. */
    }
}

I2CEMU_HOT
void cuse_wire_err(struct cuse_node *n, uint64_t unique, int err)
{
    struct iovec iov[1];

    send_iov(n, unique, -err, iov, 1);
}

void cuse_wire_data(struct cuse_node *n, uint64_t unique, const void *data,
                    size_t len)
{
    struct iovec iov[2] = { [1] = { (void *)data, len } };

    send_iov(n, unique, 0, iov, len ? 2 : 1);
}

void cuse_wire_written(struct cuse_node *n, uint64_t unique, size_t count)
{
    struct fuse_write_out w = { .size = (uint32_t)count };
    struct iovec iov[2] = { [1] = { &w, sizeof(w) } };

    send_iov(n, unique, 0, iov, 2);
}

I2CEMU_HOT
void cuse_wire_ioctl(struct cuse_node *n, uint64_t unique, int result,
                     const struct i2cemu_i2cdev_out *out, unsigned nout)
{
    struct fuse_ioctl_out o = { .result = result };
    struct iovec iov[2 + I2CEMU_I2CDEV_MAX_OUT] = { [1] = { &o, sizeof(o) } };

    for (unsigned i = 0; i < nout; i++)
        iov[2 + i] = (struct iovec){ (void *)out[i].data, out[i].len };
    send_iov(n, unique, 0, iov, 2 + (int)nout);
}

I2CEMU_HOT
void cuse_wire_retry(struct cuse_node *n, uint64_t unique,
                     const struct iovec *in, unsigned nin,
                     const struct i2cemu_i2cdev_out *out, unsigned nout)
{
    struct fuse_ioctl_out o = { .flags = FUSE_IOCTL_RETRY, .in_iovs = nin,
                                .out_iovs = nout };
    struct fuse_ioctl_iovec v[WIRE_MAX_IOV];
    struct iovec iov[3] = { [1] = { &o, sizeof(o) } };

    if (nin + nout > WIRE_MAX_IOV) { /* callers stay within their arrays */
        cuse_wire_err(n, unique, EIO);
        return;
    }
    for (unsigned i = 0; i < nin; i++)
        v[i] = (struct fuse_ioctl_iovec){ (uintptr_t)in[i].iov_base,
                                          in[i].iov_len };
    for (unsigned i = 0; i < nout; i++)
        v[nin + i] = (struct fuse_ioctl_iovec){ out[i].addr, out[i].len };
    iov[2] = (struct iovec){ v, (nin + nout) * sizeof(v[0]) };
    send_iov(n, unique, 0, iov, nin + nout ? 3 : 2);
}

/* The message's argument of `size` bytes and what follows it, or NULL
 * when the message is too short to hold them. */
static const void *arg_of(const struct fuse_in_header *h, size_t size)
{
    return h->len >= sizeof(*h) + size ? h + 1 : NULL;
}

I2CEMU_HOT
bool cuse_wire_serve(struct cuse_node *n, const struct fuse_buf *buf)
{
    const struct fuse_in_header *h = buf->mem;
    struct cuse_in in;

    if ((buf->flags & FUSE_BUF_IS_FD) || buf->size < sizeof(*h) ||
        h->len != buf->size)
        return false;
    in = (struct cuse_in){ .unique = h->unique, .tid = (pid_t)h->pid };
    switch (h->opcode) {
    case FUSE_IOCTL: {
        const struct fuse_ioctl_in *a = arg_of(h, sizeof(*a));

        /* No FUSE_IOCTL_DIR on a character device; libfuse answers it. */
        if (!a || (a->flags & FUSE_IOCTL_DIR) ||
            a->in_size > h->len - sizeof(*h) - sizeof(*a))
            return false;
        in.fh = a->fh;
        /* A 64-bit caller's addresses do not fit a 32-bit daemon's
         * iovecs (libfuse refuses such a caller's retries). */
        if (sizeof(void *) < sizeof(uint64_t) &&
            !(a->flags & FUSE_IOCTL_32BIT)) {
            cuse_wire_err(n, in.unique, EINVAL);
            return true;
        }
        cuse_ioctl(n, &in, a->cmd, a->arg, a->flags, a + 1, a->in_size,
                   a->out_size);
        return true;
    }
    case FUSE_READ: {
        const struct fuse_read_in *a = arg_of(h, sizeof(*a));

        if (!a)
            return false;
        in.fh = a->fh;
        cuse_rw(n, &in, I2CEMU_I2CDEV_OP_READ, a->size, NULL);
        return true;
    }
    case FUSE_WRITE: {
        const struct fuse_write_in *a = arg_of(h, sizeof(*a));

        if (!a || a->size > h->len - sizeof(*h) - sizeof(*a))
            return false;
        in.fh = a->fh;
        cuse_rw(n, &in, I2CEMU_I2CDEV_OP_WRITE, a->size,
                (const uint8_t *)(a + 1));
        return true;
    }
    case FUSE_INTERRUPT: {
        const struct fuse_interrupt_in *a = arg_of(h, sizeof(*a));

        /* It needs no reply. One reader reads the session, so the message
         * interrupted came before this one: if no call of it is running,
         * it has been answered, and the kernel drops the interrupt. */
        if (!a)
            return false;
        cuse_interrupt(n, a->unique);
        return true;
    }
    default:
        return false;
    }
}
