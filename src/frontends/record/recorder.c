/* SPDX-License-Identifier: MIT */
/*
 * libi2cemu-record.so: `i2cemu record`'s preload library. It passes every
 * call on /dev/i2c-N to whatever is underneath (the next definition:
 * libc and the kernel, or the emulation shim when stacked in front of
 * it) and appends each transfer, with its result, to $I2CEMU_RECORD in
 * the format of docs/record-replay.md. It changes nothing a program sees.
 *
 * Transfers are I2C_RDWR, I2C_SMBUS, and read()/write() on the device;
 * the address, ten-bit and PEC settings they use come from I2C_SLAVE,
 * I2C_SLAVE_FORCE, I2C_TENBIT and I2C_PEC, followed per descriptor
 * (open, dup, close). libc only: it is loaded into any program.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/i2c-dev.h>
#include <linux/i2c.h>

#include "frontends/record/record_format.h"

#define EXPORT __attribute__((visibility("default")))
#define MAX_FDS 4096 /* descriptors past this are not recorded */

/* The next definition of fn: REAL(ioctl)(fd, req, arg). */
#define REAL(fn)                                                              \
    ({                                                                        \
        static __typeof__(fn) *next_;                                         \
        if (!next_)                                                           \
            next_ = (__typeof__(fn) *)dlsym(RTLD_NEXT, #fn);                  \
        next_;                                                                \
    })

struct dev_fd {
    int bus; /* N of /dev/i2c-N; -1: not a bus */
    uint16_t addr;
    bool tenbit, pec;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct dev_fd fds[MAX_FDS];
static bool fds_ready;
/* The recording, opened at the first transfer, and which file it is: a
 * program that closes every descriptor (a daemon) may get the number
 * back for another file, which must never receive our lines. */
static int out = -1;
static dev_t out_dev;
static ino_t out_ino;

static struct dev_fd *dev(int fd)
{
    if (!fds_ready) {
        for (int i = 0; i < MAX_FDS; i++)
            fds[i].bus = -1;
        fds_ready = true;
    }
    return fd >= 0 && fd < MAX_FDS ? &fds[fd] : NULL;
}

/* /dev/i2c-N or /dev/i2c/N: N, else -1. */
static int bus_of(const char *path)
{
    const char *p = NULL;
    char *end;
    long n;

    if (!path)
        return -1;
    if (strncmp(path, "/dev/i2c-", 9) == 0)
        p = path + 9;
    else if (strncmp(path, "/dev/i2c/", 9) == 0)
        p = path + 9;
    if (!p || *p < '0' || *p > '9')
        return -1;
    n = strtol(p, &end, 10);
    return *end || n > 0xFFFFF ? -1 : (int)n;
}

static int opened(int fd, const char *path)
{
    int bus = bus_of(path);
    int e = errno;

    pthread_mutex_lock(&lock);
    struct dev_fd *d = fd >= 0 ? dev(fd) : NULL;
    if (d)
        *d = (struct dev_fd){ .bus = bus };
    pthread_mutex_unlock(&lock);
    errno = e;
    return fd;
}

static void copied(int from, int to)
{
    int e = errno;

    pthread_mutex_lock(&lock);
    struct dev_fd *a = dev(from), *b = to >= 0 ? dev(to) : NULL;
    if (b)
        *b = a ? *a : (struct dev_fd){ .bus = -1 };
    pthread_mutex_unlock(&lock);
    errno = e;
}

/* Append one line; a recording that cannot be written is said once. */
static void put_line(const char *line, size_t len)
{
    static bool warned;
    const char *path = getenv("I2CEMU_RECORD");

    struct stat st;

    pthread_mutex_lock(&lock);
    if (out >= 0 && (fstat(out, &st) < 0 || st.st_dev != out_dev ||
                     st.st_ino != out_ino))
        out = -1;
    if (out < 0 && path && *path &&
        (out = REAL(open)(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
                          0644)) >= 0 && fstat(out, &st) == 0) {
        out_dev = st.st_dev;
        out_ino = st.st_ino;
    }
    /* O_APPEND: the lines of several processes never interleave. */
    if ((out < 0 || REAL(write)(out, line, len) != (ssize_t)len) &&
        !warned) {
        warned = true;
        fprintf(stderr, "i2cemu record: cannot write the recording %s\n",
                path ? path : "($I2CEMU_RECORD is not set)");
    }
    pthread_mutex_unlock(&lock);
}

static void record(const struct rec_call *c)
{
    char *line = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&line, &len);

    if (!f)
        return;
    rec_format(f, c);
    if (fclose(f) == 0)
        put_line(line, len);
    free(line);
}

/* ---- open, dup, close ------------------------------------------------ */

EXPORT int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = va_arg(ap, mode_t);
    va_end(ap);
    return opened(REAL(open)(path, flags, mode), path);
}

EXPORT int open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = va_arg(ap, mode_t);
    va_end(ap);
    return opened(REAL(open64)(path, flags, mode), path);
}

EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = va_arg(ap, mode_t);
    va_end(ap);
    return opened(REAL(openat)(dirfd, path, flags, mode), path);
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = va_arg(ap, mode_t);
    va_end(ap);
    return opened(REAL(openat64)(dirfd, path, flags, mode), path);
}

/* What _FORTIFY_SOURCE turns open() into. */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);

EXPORT int __open_2(const char *path, int flags)
{
    return opened(REAL(__open_2)(path, flags), path);
}

EXPORT int __open64_2(const char *path, int flags)
{
    return opened(REAL(__open64_2)(path, flags), path);
}

EXPORT int close(int fd)
{
    copied(-1, fd);
    return REAL(close)(fd);
}

EXPORT int dup(int fd)
{
    int r = REAL(dup)(fd);
    copied(fd, r);
    return r;
}

EXPORT int dup2(int fd, int to)
{
    int r = REAL(dup2)(fd, to);
    if (r >= 0 && fd != to)
        copied(fd, r);
    return r;
}

EXPORT int dup3(int fd, int to, int flags)
{
    int r = REAL(dup3)(fd, to, flags);
    if (r >= 0)
        copied(fd, r);
    return r;
}

/* ---- the transfers --------------------------------------------------- */

/* The descriptor's settings, or false if it is no bus. */
static bool settings(int fd, struct dev_fd *d)
{
    pthread_mutex_lock(&lock);
    struct dev_fd *p = dev(fd);
    bool ours = p && p->bus >= 0;
    if (ours)
        *d = *p;
    pthread_mutex_unlock(&lock);
    return ours;
}

static void finish(struct rec_call *c, long r, int e)
{
    c->result = r;
    c->err = r < 0 ? e : 0;
    record(c);
    errno = e;
}

static ssize_t plain(int fd, bool wr, void *buf, size_t n, ssize_t r, int e)
{
    struct dev_fd d;

    if (settings(fd, &d)) {
        struct rec_call c = {
            .bus = d.bus, .kind = wr ? REC_WRITE : REC_READ,
            .nmsgs = 1,
            .msgs[0] = { .addr = d.addr, .flags = (d.tenbit ? I2C_M_TEN : 0) |
                                                  (wr ? 0 : I2C_M_RD),
                         .len = n > 8192 ? 8192 : (uint16_t)n, .buf = buf },
        };
        finish(&c, r, e);
    }
    errno = e;
    return r;
}

EXPORT ssize_t read(int fd, void *buf, size_t n)
{
    ssize_t r = REAL(read)(fd, buf, n);
    return plain(fd, false, buf, n, r, errno);
}

EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
    ssize_t r = REAL(write)(fd, buf, n);
    return plain(fd, true, (void *)buf, n, r, errno);
}

static void setting(int fd, unsigned long req, unsigned long arg)
{
    pthread_mutex_lock(&lock);
    struct dev_fd *d = dev(fd);
    if (req == I2C_SLAVE || req == I2C_SLAVE_FORCE)
        d->addr = (uint16_t)arg;
    else if (req == I2C_TENBIT)
        d->tenbit = arg != 0;
    else if (req == I2C_PEC)
        d->pec = arg != 0;
    pthread_mutex_unlock(&lock);
}

EXPORT int ioctl(int fd, unsigned long req, ...)
{
    va_list ap;
    va_start(ap, req);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    struct dev_fd d;
    struct rec_call c;
    union i2c_smbus_data sent;
    int r, e;

    bool ours = settings(fd, &d);

    if (!ours || (req != I2C_RDWR && req != I2C_SMBUS)) {
        r = REAL(ioctl)(fd, req, arg);
        if (ours && r >= 0)
            setting(fd, req, (unsigned long)arg);
        return r;
    }
    c = (struct rec_call){ .bus = d.bus };
    if (req == I2C_SMBUS) {
        struct i2c_smbus_ioctl_data *s = arg;
        /* What a process call sends is overwritten by what it reads. */
        if (s && s->data)
            memcpy(&sent, s->data, sizeof(sent));
        r = REAL(ioctl)(fd, req, arg);
        e = errno;
        if (!s) {
            errno = e;
            return r;
        }
        c.kind = REC_SMBUS;
        c.addr = d.addr;
        c.flags = (d.tenbit ? I2C_M_TEN : 0) | (d.pec ? REC_PEC : 0);
        c.read_write = s->read_write;
        c.command = s->command;
        c.size = s->size;
        c.has_data = s->data != NULL;
        if (s->data) {
            c.sent = sent;
            memcpy(&c.got, s->data, sizeof(c.got));
        }
    } else {
        struct i2c_rdwr_ioctl_data *rw = arg;
        r = REAL(ioctl)(fd, req, arg);
        e = errno;
        if (!rw || !rw->msgs || rw->nmsgs > REC_MAX_MSGS) {
            errno = e;
            return r;
        }
        c.kind = REC_RDWR;
        c.nmsgs = rw->nmsgs;
        for (unsigned i = 0; i < rw->nmsgs; i++)
            c.msgs[i] = rw->msgs[i];
    }
    finish(&c, r, e);
    return r;
}
