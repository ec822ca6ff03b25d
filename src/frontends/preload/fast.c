// SPDX-License-Identifier: MIT
/*
 * The fast path (docs/fastpath.md): I2C_SMBUS, I2C_RDWR, read() and
 * write() run inside this process against the daemon's shared arena,
 * when the daemon has lent the bus. The request is decoded here (its
 * copy-ins through the EFAULT cache): I2C_SMBUS by smbus() below, the
 * rest by the i2c-dev layer; it runs under the bus's lock, and its
 * outputs are copied out after; a bus not lent, or anything unusual, and
 * the request goes to the daemon as always, with the same result and
 * errno.
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
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/futex.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>

#include <i2cemu/device.h>
#include <i2cemu/i2cemu.h>

#include "core/share.h"
#include "frontends/preload/efault.h"
#include "frontends/preload/shim.h"
#include "i2cdev/smbus_abi.h"

static struct share_client *client;
static dev_t client_dev;
static ino_t client_ino;
/*
 * Serialises this process's threads on its client board (its address
 * tables, its loop's time); held for one transfer or an attach, never
 * across a call. A lock on a futex (Drepper, "Futexes are tricky",
 * mutex2): free, taking and releasing it is one atomic instruction each,
 * where glibc's mutex costs some 60 instructions, 5 % of a byte read.
 * 0: free, 1: taken, 2: taken, and a thread may be waiting.
 */
static int board_word;
/* This thread is inside a transfer: a signal handler's request on an
 * emulated fd must not wait for the daemon, which waits for this bus. */
static __thread bool inside __attribute__((tls_model("initial-exec")));

static void board_lock(void)
{
    int c = 0;

    if (__atomic_compare_exchange_n(&board_word, &c, 1, false,
                                    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return;
    if (c != 2)
        c = __atomic_exchange_n(&board_word, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
        syscall(SYS_futex, &board_word, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
        c = __atomic_exchange_n(&board_word, 2, __ATOMIC_ACQUIRE);
    }
}

static void board_unlock(void)
{
    if (__atomic_exchange_n(&board_word, 0, __ATOMIC_RELEASE) == 2)
        syscall(SYS_futex, &board_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* `inside` is set first: a handler that interrupts its thread on the way
 * in, or while it holds the lock, must not wait for it. */
static void enter_board(void)
{
    inside = true;
    board_lock();
}

static void leave_board(void)
{
    board_unlock();
    inside = false;
}

/* A thread that held it in the parent does not exist in the child. */
static void reinit_in_child(void)
{
    board_word = 0;
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

        enter_board();
        if (!client && (c = share_client_attach(memfd, &i2cemu_default_types))) {
            client_dev = st.st_dev;
            client_ino = st.st_ino;
            __atomic_store_n(&client, c, __ATOMIC_RELEASE);
        }
        /* One board per process: a connection to another daemon's is
         * served through its socket. */
        same = client && st.st_dev == client_dev && st.st_ino == client_ino;
        leave_board();
    }
    REAL(close)(memfd);
    return same;
}

void fast_open(struct efile *f, int number, int flags, bool attached)
{
    f->fast = false;
    if (!attached)
        return;
    enter_board();
    f->fast = i2cemu_i2cdev_open(&f->lf, share_client_board(client), number,
                                 flags) == 0;
    leave_board();
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
        enter_board();
        ran = share_client_run(c, &f->lf, req);
        leave_board();
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

/* ---- I2C_SMBUS straight ---- */

/*
 * I2C_SMBUS without the request cycle: steps 1 to 6 of i2c-dev-abi.md
 * 2.8 here, in the kernel's order, the copies through the EFAULT cache;
 * then the in-process entry (i2cemu_smbus_access, the same checks and
 * transaction as the request path) on the union copied in, under the
 * bus's lock; then step 9's copy-out. Like run(), but for one shape.
 */
static bool smbus(struct efile *f, uint64_t arg, long *result)
{
    struct share_client *c = __atomic_load_n(&client, __ATOMIC_ACQUIRE);
    struct i2c_smbus_ioctl_data a;
    union i2c_smbus_data d;
    union i2c_smbus_data *data = NULL;
    bool in = false, out = false, stalled;
    size_t n = 0;
    int r;

    if (!c)
        return false;
    if (inside) {
        *result = -EAGAIN; /* as in run() */
        return true;
    }
    if (!efault_copy_in(&a, arg, sizeof a)) {
        *result = -EFAULT;
        return true;
    }
    if (!i2cdev_smbus_args_ok(a.read_write, a.size)) {
        *result = -EINVAL;
        return true;
    }
    if (i2cdev_smbus_uses_data(a.read_write, a.size)) {
        if (!a.data) {
            *result = -EINVAL;
            return true;
        }
        in = i2cdev_smbus_data_in(a.read_write, a.size);
        out = i2cdev_smbus_data_out(a.read_write, a.size);
        n = i2cdev_smbus_data_size(a.size);
        if (in && !efault_copy_in(&d, (uintptr_t)a.data, n)) {
            *result = -EFAULT;
            return true;
        }
        data = &d;
    }
    enter_board();
    if (!share_client_enter(c, f->lf.bus)) {
        leave_board();
        return false;
    }
    /* On success it has set the n bytes copied out. */
    r = i2cemu_smbus_access(&f->lf, (char)a.read_write, a.command,
                            (int)a.size, data);
    stalled = preload_loop_stalled(i2cemu_board_loop(share_client_board(c)));
    share_client_leave(c, f->lf.bus, stalled);
    leave_board();
    if (r >= 0 && out && !efault_copy_out((uintptr_t)a.data, &d, n))
        r = -EFAULT;
    *result = r < 0 ? r : 0;
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
    if (cmd == I2C_SMBUS) {
        if (!smbus(f, arg, &r))
            return false;
        *result = ret(r);
        return true;
    }
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
