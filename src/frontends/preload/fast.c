// SPDX-License-Identifier: MIT
/*
 * The fast path (docs/fastpath.md): I2C_SMBUS, I2C_RDWR, read() and
 * write() run inside this process against the daemon's shared arena,
 * when the daemon has lent the bus. The request is decoded here by the
 * i2c-dev layer (its copy-ins through the EFAULT cache), run under the
 * bus's lock, and its outputs copied out after; a bus not lent, or
 * anything unusual, and the request goes to the daemon as always, with
 * the same result and errno.
 *
 * One attachment per process (the daemon serves one board); each open
 * file keeps a mirror of the daemon's file state (address, flags) in
 * efile.lf, updated when the daemon accepts an ioctl that changes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/i2c-dev.h>
#include <linux/i2c.h>

#include <i2cemu/device.h>

#include "core/share.h"
#include "frontends/preload/shim.h"

static struct share_client *client;
static dev_t client_dev;
static ino_t client_ino;
/* Serialises this process's threads on its client board (its address
 * tables, its loop's time); held for one transfer, never across a call. */
static pthread_mutex_t board_lock = PTHREAD_MUTEX_INITIALIZER;
/* This thread is inside a transfer: a signal handler's request on an
 * emulated fd must not wait for the daemon, which waits for this bus. */
static __thread bool inside __attribute__((tls_model("initial-exec")));

static void reinit_in_child(void)
{
    pthread_mutex_init(&board_lock, NULL);
}

__attribute__((constructor)) static void init(void)
{
    pthread_atfork(NULL, NULL, reinit_in_child);
}

static bool enabled(void)
{
    const char *e = getenv("I2CEMU_PRELOAD_FASTPATH");

    return !e || strcmp(e, "0") != 0;
}

bool fast_attach(int memfd)
{
    struct stat st;
    bool same = false;

    if (memfd < 0)
        return false;
    if (enabled() && fstat(memfd, &st) == 0) {
        struct share_client *c = NULL;

        pthread_mutex_lock(&board_lock);
        if (!client && (c = share_client_attach(memfd, &i2cemu_default_types))) {
            client_dev = st.st_dev;
            client_ino = st.st_ino;
            __atomic_store_n(&client, c, __ATOMIC_RELEASE);
        }
        /* One board per process: a connection to another daemon's is
         * served through its socket. */
        same = client && st.st_dev == client_dev && st.st_ino == client_ino;
        pthread_mutex_unlock(&board_lock);
    }
    REAL(close)(memfd);
    return same;
}

void fast_open(struct efile *f, int number, int flags, bool attached)
{
    f->fast = false;
    if (!attached)
        return;
    pthread_mutex_lock(&board_lock);
    f->fast = i2cemu_i2cdev_open(&f->lf, share_client_board(client), number,
                                 flags) == 0;
    pthread_mutex_unlock(&board_lock);
}

/* The daemon accepted an ioctl that changes the file's state: mirror it,
 * as i2cdev.c set it there. */
void fast_mirror(struct efile *f, unsigned cmd, unsigned long arg)
{
    uint16_t flag = cmd == I2C_TENBIT ? I2C_M_TEN : 0x0004; /* I2C_PEC */

    switch (cmd) {
    case I2C_SLAVE:
    case I2C_SLAVE_FORCE:
        f->lf.addr = (uint16_t)arg;
        break;
    case I2C_TENBIT:
    case I2C_PEC:
        if (arg)
            f->lf.flags |= flag;
        else
            f->lf.flags &= (uint16_t)~flag;
        break;
    }
}

static int umem_read(struct i2cemu_umem *m, uint64_t addr, void *dst,
                     size_t len)
{
    (void)m;
    return efault_copy_in(dst, addr, len) ? 0 : -EFAULT;
}

/* Run req: true with *result (the syscall's, or -errno) when it was
 * answered here, false to take the slow path. */
static bool run(struct efile *f, struct i2cemu_i2cdev_req *req, long *result)
{
    struct i2cemu_umem umem = { umem_read };
    struct share_client *c = __atomic_load_n(&client, __ATOMIC_ACQUIRE);
    bool ran;

    if (!c || !f->fast)
        return false;
    if (inside) {
        /* A signal handler interrupted this thread's transfer: as for an
         * exchange on the socket (client.c), EAGAIN. */
        *result = -EAGAIN;
        return true;
    }
    switch (i2cemu_i2cdev_prepare(&f->lf, req, &umem)) {
    case I2CEMU_I2CDEV_DONE:
        break; /* decided without the bus, as the daemon would */
    case I2CEMU_I2CDEV_NEED:
        i2cemu_i2cdev_req_release(req);
        return false; /* not with this reader; the daemon knows */
    case I2CEMU_I2CDEV_SUBMIT:
        pthread_mutex_lock(&board_lock);
        inside = true;
        ran = share_client_run(c, &f->lf, req);
        inside = false;
        pthread_mutex_unlock(&board_lock);
        if (!ran) {
            i2cemu_i2cdev_req_release(req);
            return false;
        }
        break;
    }
    *result = req->result;
    /* Like the kernel, the copy stops at the first fault, and the call
     * fails with EFAULT: the transfer has happened all the same. */
    for (unsigned i = 0; i < req->nout && *result >= 0; i++)
        if (!efault_copy_out(req->out[i].addr, req->out[i].data,
                             req->out[i].len))
            *result = -EFAULT;
    i2cemu_i2cdev_req_release(req);
    return true;
}

static long ret(long r)
{
    if (r >= 0)
        return r;
    errno = (int)-r;
    return -1;
}

bool fast_ioctl(struct efile *f, unsigned cmd, unsigned long arg,
                long *result)
{
    struct i2cemu_i2cdev_req req;
    long r;

    if ((cmd != I2C_SMBUS && cmd != I2C_RDWR) || !f->fast)
        return false;
    i2cemu_i2cdev_req_init(&req, I2CEMU_I2CDEV_OP_IOCTL);
    req.cmd = cmd;
    req.arg = arg;
    if (!run(f, &req, &r))
        return false;
    *result = ret(r);
    return true;
}

bool fast_rw(struct efile *f, bool wr, void *buf, size_t count,
             long *result)
{
    struct i2cemu_i2cdev_req req;
    long r;

    if (!f->fast)
        return false;
    i2cemu_i2cdev_req_init(&req, wr ? I2CEMU_I2CDEV_OP_WRITE
                                    : I2CEMU_I2CDEV_OP_READ);
    req.count = count;
    req.arg = (uintptr_t)buf;
    if (!run(f, &req, &r))
        return false;
    *result = ret(r);
    return true;
}
