/* SPDX-License-Identifier: MIT */
/*
 * cuse-floor: the cheapest possible CUSE /dev/i2c-N, to measure what CUSE
 * itself costs. It answers I2C_FUNCS, I2C_SLAVE, I2C_SMBUS and I2C_RDWR with
 * the fewest ioctl retry rounds each request shape allows and no bus behind
 * it: reads return zeros. Not an emulator: it checks nothing.
 *
 *   cuse-floor [--touch PAGES] [--work N] [--thread 1] NAME
 *
 * creates /dev/NAME (e.g. i2c-9) and runs until killed. For measuring
 * what a server's own work costs per ioctl round under TCG (benchmarks.md):
 * --touch reads one byte of each of PAGES more pages of memory, --work
 * runs N more iterations of a trivial loop (about 4 instructions each),
 * --thread 1 starts a second thread that sleeps in epoll_wait, as the
 * daemon's event loop does while a reader thread serves its node.
 */
#define FUSE_USE_VERSION 35
#include <cuse_lowlevel.h>
#include <fuse_lowlevel.h>

#include <errno.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_IOV 45 /* argument, message array, 43 buffers */

static const volatile uint8_t *touch_mem;
static size_t touch_pages, page_size;
static unsigned long work;

static void *idle_thread(void *opaque)
{
    struct epoll_event ev;
    int ep = epoll_create1(EPOLL_CLOEXEC);

    (void)opaque;
    while (ep >= 0)
        epoll_wait(ep, &ev, 1, -1);
    return NULL;
}

/* What --touch and --work add to each round. */
static void extra_work(void)
{
    volatile unsigned long sink = 0;

    for (size_t i = 0; i < touch_pages; i++)
        sink += touch_mem[i * page_size];
    for (unsigned long i = 0; i < work; i++)
        sink += i;
}

static void floor_open(fuse_req_t req, struct fuse_file_info *fi)
{
    fuse_reply_open(req, fi);
}

static void retry(fuse_req_t req, const struct iovec *in, size_t nin,
                  const struct iovec *out, size_t nout)
{
    fuse_reply_ioctl_retry(req, in, nin, out, nout);
}

static void reply_zeros(fuse_req_t req, int result, size_t size)
{
    static const uint8_t zeros[128 * 1024];

    fuse_reply_ioctl(req, result, zeros, size < sizeof(zeros) ? size : 0);
}

/* Round 1: the argument struct. Round 2: the argument and the union in,
 * the union out. Round 3: the reply. */
static void floor_smbus(fuse_req_t req, void *arg, const void *in,
                        size_t in_size)
{
    struct i2c_smbus_ioctl_data d;
    struct iovec iov[2] = { { arg, sizeof(d) } };

    if (in_size < sizeof(d)) {
        retry(req, iov, 1, NULL, 0);
        return;
    }
    if (in_size == sizeof(d)) {
        memcpy(&d, in, sizeof(d));
        iov[1] = (struct iovec){ d.data, sizeof(*d.data) };
        retry(req, iov, 2, &iov[1], 1);
        return;
    }
    reply_zeros(req, 0, sizeof(*d.data));
}

/* Round 1: the argument. Round 2: the message array. Round 3: every buffer
 * in, the read buffers out. Round 4: the reply. */
static void floor_rdwr(fuse_req_t req, void *arg, const void *in,
                       size_t in_size)
{
    struct i2c_rdwr_ioctl_data d;
    struct iovec iov[MAX_IOV] = { { arg, sizeof(d) } }, out[MAX_IOV];
    size_t nin = 1, nout = 0, out_size = 0;

    if (in_size < sizeof(d)) {
        retry(req, iov, 1, NULL, 0);
        return;
    }
    memcpy(&d, in, sizeof(d));
    if (d.nmsgs == 0 || d.nmsgs > I2C_RDWR_IOCTL_MAX_MSGS) {
        fuse_reply_err(req, EINVAL);
        return;
    }
    iov[nin++] = (struct iovec){ d.msgs, d.nmsgs * sizeof(*d.msgs) };
    if (in_size == sizeof(d)) {
        retry(req, iov, nin, NULL, 0);
        return;
    }
    const struct i2c_msg *msgs = (const void *)((const char *)in + sizeof(d));
    size_t want = sizeof(d) + d.nmsgs * sizeof(*d.msgs);
    for (unsigned i = 0; i < d.nmsgs; i++) {
        iov[nin++] = (struct iovec){ msgs[i].buf, msgs[i].len };
        want += msgs[i].len;
        if (msgs[i].flags & I2C_M_RD) {
            out[nout++] = iov[nin - 1];
            out_size += msgs[i].len;
        }
    }
    if (in_size < want)
        retry(req, iov, nin, out, nout);
    else
        reply_zeros(req, (int)d.nmsgs, out_size);
}

static void floor_ioctl(fuse_req_t req, int cmd, void *arg,
                        struct fuse_file_info *fi, unsigned flags,
                        const void *in, size_t in_size, size_t out_size)
{
    (void)fi;
    (void)flags;
    extra_work();
    switch (cmd) {
    case I2C_FUNCS: {
        unsigned long funcs = I2C_FUNC_I2C | I2C_FUNC_SMBUS_EMUL;
        struct iovec iov = { arg, sizeof(funcs) };

        if (out_size < sizeof(funcs))
            retry(req, NULL, 0, &iov, 1);
        else
            fuse_reply_ioctl(req, 0, &funcs, sizeof(funcs));
        return;
    }
    case I2C_SLAVE:
    case I2C_SLAVE_FORCE:
        fuse_reply_ioctl(req, 0, NULL, 0);
        return;
    case I2C_SMBUS:
        floor_smbus(req, arg, in, in_size);
        return;
    case I2C_RDWR:
        floor_rdwr(req, arg, in, in_size);
        return;
    default:
        fuse_reply_err(req, ENOTTY);
    }
}

int main(int argc, char **argv)
{
    static const struct cuse_lowlevel_ops ops = {
        .open = floor_open,
        .ioctl = floor_ioctl,
    };
    char devname[64];
    const char *info[] = { devname };
    struct cuse_info ci = {
        .dev_info_argc = 1,
        .dev_info_argv = info,
        .flags = CUSE_UNRESTRICTED_IOCTL,
    };
    char *args[] = { argv[0], "-f", "-s", NULL };
    int i = 1;

    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (!strcmp(argv[i], "--touch"))
            touch_pages = strtoul(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--work"))
            work = strtoul(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--thread") && strcmp(argv[i + 1], "0")) {
            pthread_t t;
            sigset_t all, old;
            int e;

            /* Signals (SIGTERM) go to the main thread, in its read(). */
            sigfillset(&all);
            pthread_sigmask(SIG_SETMASK, &all, &old);
            e = pthread_create(&t, NULL, idle_thread, NULL);
            pthread_sigmask(SIG_SETMASK, &old, NULL);
            if (e != 0) {
                perror("pthread_create");
                return 1;
            }
        } else
            break;
    }
    if (i + 1 != argc) {
        fprintf(stderr, "usage: %s [--touch PAGES] [--work N] "
                "[--thread 1] NAME\n", argv[0]);
        return 2;
    }
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    if (touch_pages) {
        /* Written once, so that each page is a page of its own. */
        uint8_t *m = mmap(NULL, touch_pages * page_size,
                          PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        if (m == MAP_FAILED) {
            perror("mmap");
            return 1;
        }
        for (size_t p = 0; p < touch_pages; p++)
            m[p * page_size] = (uint8_t)p;
        touch_mem = m;
    }
    snprintf(devname, sizeof(devname), "DEVNAME=%s", argv[i]);
    return cuse_lowlevel_main(3, args, &ci, &ops, NULL);
}
