// SPDX-License-Identifier: MIT
/* Synchronous requests for in-process callers, whose memory is our own:
 * the frontend that runs the loop until the request completes. */
#include <errno.h>
#include <string.h>

#include <i2cemu/i2cdev.h>

/* Client pointers are ours. NULL faults, as it does in the kernel; any
 * other pointer is trusted, as a C caller's pointers are. */
static int self_read(struct i2cemu_umem *m, uint64_t addr, void *dst,
                     size_t len)
{
    (void)m;
    if (!addr)
        return -EFAULT;
    memcpy(dst, (const void *)(uintptr_t)addr, len);
    return 0;
}

static void sync_done(struct i2cemu_i2cdev_req *req)
{
    *(bool *)req->opaque = true;
}

static long run(struct i2cemu_i2cdev_file *f, struct i2cemu_i2cdev_req *req)
{
    struct i2cemu_umem umem = { self_read };
    long r;

    if (i2cemu_i2cdev_prepare(f, req, &umem) == I2CEMU_I2CDEV_SUBMIT) {
        struct i2cemu_loop *loop = i2cemu_board_loop(f->board);
        bool finished = false;

        req->opaque = &finished;
        i2cemu_i2cdev_submit(f, req, sync_done);
        /* On a VIRTUAL clock only the caller moves time: a transfer that
         * waits for it (a stretch, a held bus) would wait here forever, so
         * it is cancelled instead. */
        while (!finished)
            if (!i2cemu_loop_run_once(loop, true) && !finished)
                i2cemu_i2cdev_cancel(req);
    }
    r = req->result;
    for (unsigned i = 0; i < req->nout && r >= 0; i++) {
        if (!req->out[i].addr)
            r = -EFAULT; /* and, as in the kernel, nothing more is copied */
        else
            memcpy((void *)(uintptr_t)req->out[i].addr, req->out[i].data,
                   req->out[i].len);
    }
    i2cemu_i2cdev_req_release(req);
    if (r < 0) {
        errno = (int)-r;
        return -1;
    }
    return r;
}

long i2cemu_i2cdev_ioctl_sync(struct i2cemu_i2cdev_file *f, unsigned long cmd, void *arg)
{
    struct i2cemu_i2cdev_req req;

    i2cemu_i2cdev_req_init(&req, I2CEMU_I2CDEV_OP_IOCTL);
    req.cmd = cmd;
    req.arg = (uintptr_t)arg;
    return run(f, &req);
}

long i2cemu_i2cdev_read_sync(struct i2cemu_i2cdev_file *f, void *buf, size_t count)
{
    struct i2cemu_i2cdev_req req;

    i2cemu_i2cdev_req_init(&req, I2CEMU_I2CDEV_OP_READ);
    req.count = count;
    req.arg = (uintptr_t)buf;
    return run(f, &req);
}

long i2cemu_i2cdev_write_sync(struct i2cemu_i2cdev_file *f, const void *buf, size_t count)
{
    struct i2cemu_i2cdev_req req;

    i2cemu_i2cdev_req_init(&req, I2CEMU_I2CDEV_OP_WRITE);
    req.count = count;
    req.arg = (uintptr_t)buf;
    return run(f, &req);
}
