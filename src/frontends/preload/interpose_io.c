// SPDX-License-Identifier: MIT
/*
 * ioctl(), read() and write() on an emulated fd, and what i2c-dev makes of
 * their variants: pread() and pwrite() ignore the offset, and readv() and
 * friends call read() or write() once per segment (i2c-dev-abi.md
 * section 1). Each is run here on the fast path (fast.c) or becomes one
 * request to the daemon (client.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/i2c-dev.h>

#include "frontends/preload/shim.h"

EXPORT int ioctl(int fd, unsigned long request, ...);
EXPORT ssize_t read(int fd, void *buf, size_t count);
EXPORT ssize_t write(int fd, const void *buf, size_t count);
EXPORT ssize_t pread(int fd, void *buf, size_t count, off_t offset);
EXPORT ssize_t pread64(int fd, void *buf, size_t count, off64_t offset);
EXPORT ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset);
EXPORT ssize_t pwrite64(int fd, const void *buf, size_t count,
                        off64_t offset);
EXPORT ssize_t readv(int fd, const struct iovec *iov, int n);
EXPORT ssize_t writev(int fd, const struct iovec *iov, int n);
EXPORT ssize_t preadv(int fd, const struct iovec *iov, int n, off_t off);
EXPORT ssize_t pwritev(int fd, const struct iovec *iov, int n, off_t off);
EXPORT ssize_t preadv64(int fd, const struct iovec *iov, int n,
                        off64_t off);
EXPORT ssize_t pwritev64(int fd, const struct iovec *iov, int n,
                         off64_t off);
EXPORT ssize_t preadv2(int fd, const struct iovec *iov, int n, off_t off,
                       int flags);
EXPORT ssize_t pwritev2(int fd, const struct iovec *iov, int n, off_t off,
                        int flags);
EXPORT ssize_t preadv64v2(int fd, const struct iovec *iov, int n,
                          off64_t off, int flags);
EXPORT ssize_t pwritev64v2(int fd, const struct iovec *iov, int n,
                           off64_t off, int flags);

static bool peek(uint64_t addr, void *buf, size_t len)
{
    return shim_vm_copy(false, addr, buf, len);
}

/* Everything but the fast path, out of line: the fast path's frame stays
 * small. */
static __attribute__((noinline)) int slow_ioctl(int fd, unsigned long request,
                                                void *arg)
{
    unsigned int cmd = (unsigned int)request; /* what the syscall takes */
    struct efile *f;
    struct shim_req q;
    long r;

    /* The VFS answers these itself, for any file (fs/ioctl.c): let the
     * socket take them. */
    if (!(f = fdt_get(fd)) || cmd == FIOCLEX || cmd == FIONCLEX ||
        cmd == FIONBIO || cmd == FIOASYNC)
        return REAL(ioctl)(fd, request, arg);

    struct sockproto_ioctl m = {
        .cmd = cmd,
        .compat = sizeof(long) < 8,
        .arg = (uintptr_t)arg,
    };

    /* The fast path was tried, if fdt_peek gave f. */
    shim_req_ioctl(&q, cmd, m.arg, peek);
    r = client_call(fd, f, &q, SOCKPROTO_IOCTL, &m, sizeof m);
    if (r == 0)
        fast_mirror(f, cmd, m.arg);
    /* The adapter's timeout bounds the wait for later replies. */
    if (r == 0 && cmd == I2C_TIMEOUT && (uintptr_t)arg <= INT_MAX / 10)
        f->timeout_ms = (uint32_t)(uintptr_t)arg * 10;
    return (int)r;
}

EXPORT int ioctl(int fd, unsigned long request, ...)
{
    unsigned int cmd = (unsigned int)request;
    struct efile *f;
    va_list ap;
    void *arg;
    long r;

    va_start(ap, request);
    arg = va_arg(ap, void *);
    va_end(ap);
    if ((cmd == I2C_SMBUS || cmd == I2C_RDWR) && (f = fdt_peek(fd)) &&
        fast_ioctl(f, cmd, (uintptr_t)arg, &r))
        return (int)r;
    return slow_ioctl(fd, request, arg);
}

/* One request to the daemon. A write carries the bytes the kernel would
 * copy (one message at most); whether a fault matters is the daemon's
 * call. */
static ssize_t daemon_rw(int fd, struct efile *f, bool wr, void *buf,
                         size_t count)
{
    struct shim_req q;

    if (wr) {
        struct sockproto_write m = { (uintptr_t)buf, count, 0, 0 };

        shim_req_rw(&q, SHIM_IN, m.addr, count);
        return client_call(fd, f, &q, SOCKPROTO_WRITE, &m, sizeof m);
    }
    struct sockproto_read m = { (uintptr_t)buf, count };

    shim_req_rw(&q, SHIM_OUT, m.addr, count);
    return client_call(fd, f, &q, SOCKPROTO_READ, &m, sizeof m);
}

/* One read or write of emulated file f, with fd checked (fdt_get): on the
 * fast path if it takes it, else through the daemon. */
static ssize_t file_rw(int fd, struct efile *f, bool wr, void *buf,
                       size_t count)
{
    long r;

    return fast_rw(f, wr, buf, count, &r) ? r
                                          : daemon_rw(fd, f, wr, buf, count);
}

bool shim_rw(int fd, bool wr, void *buf, size_t count, ssize_t *result)
{
    struct efile *f = fdt_peek(fd);
    long r;

    if (f && fast_rw(f, wr, buf, count, &r)) {
        *result = r;
        return true;
    }
    /* A file fdt_peek did not give is not on the fast path: only the
     * daemon is left to try. */
    if (!(f = fdt_get(fd)))
        return false;
    *result = daemon_rw(fd, f, wr, buf, count);
    return true;
}

EXPORT ssize_t read(int fd, void *buf, size_t count)
{
    ssize_t r;

    return shim_rw(fd, false, buf, count, &r) ? r
                                              : REAL(read)(fd, buf, count);
}

EXPORT ssize_t write(int fd, const void *buf, size_t count)
{
    ssize_t r;

    return shim_rw(fd, true, (void *)buf, count, &r)
               ? r
               : REAL(write)(fd, buf, count);
}

/* i2c-dev is not a stream file: pread() and pwrite() reach its read and
 * write handlers, which ignore the offset. A negative one is EINVAL
 * before the fd is even looked at (ksys_pread64), on the socket as on any
 * fd: libc's call says so. */
EXPORT ssize_t pread(int fd, void *buf, size_t count, off_t offset)
{
    ssize_t r;

    return offset >= 0 && shim_rw(fd, false, buf, count, &r)
               ? r
               : REAL(pread)(fd, buf, count, offset);
}

EXPORT ssize_t pread64(int fd, void *buf, size_t count, off64_t offset)
{
    ssize_t r;

    return offset >= 0 && shim_rw(fd, false, buf, count, &r)
               ? r
               : REAL(pread64)(fd, buf, count, offset);
}

EXPORT ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
    ssize_t r;

    return offset >= 0 && shim_rw(fd, true, (void *)buf, count, &r)
               ? r
               : REAL(pwrite)(fd, buf, count, offset);
}

EXPORT ssize_t pwrite64(int fd, const void *buf, size_t count,
                        off64_t offset)
{
    ssize_t r;

    return offset >= 0 && shim_rw(fd, true, (void *)buf, count, &r)
               ? r
               : REAL(pwrite64)(fd, buf, count, offset);
}

/* ---- vectored I/O ---- */

#define MAX_RW_COUNT (INT_MAX & ~4095L) /* the kernel's cap on one call */

/*
 * fs/read_write.c for a file with read and write but no read_iter: the
 * access mode, then the segment array (EINVAL, EFAULT), then one call per
 * segment, stopping at the first short one or error (whose errno wins
 * only if nothing moved). Leading empty segments are passed on.
 */
static ssize_t vectored(int fd, struct efile *f, bool wr,
                        const struct iovec *uiov, int n, bool off_ok,
                        int flags)
{
    struct iovec iov[IOV_MAX];
    size_t left = 0;
    ssize_t done = 0;

    if (!off_ok) {
        errno = EINVAL;
        return -1;
    }
    if (f->accmode == (wr ? O_RDONLY : O_WRONLY)) {
        errno = EBADF;
        return -1;
    }
    if (n < 0 || n > IOV_MAX) {
        errno = EINVAL;
        return -1;
    }
    if (n && !shim_vm_copy(false, (uintptr_t)uiov, iov, n * sizeof *iov)) {
        errno = EFAULT;
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if ((ssize_t)iov[i].iov_len < 0) {
            errno = EINVAL;
            return -1;
        }
        if (iov[i].iov_len > MAX_RW_COUNT - left)
            iov[i].iov_len = MAX_RW_COUNT - left;
        left += iov[i].iov_len;
    }
    if (left && (flags & ~RWF_HIPRI)) {
        errno = EOPNOTSUPP;
        return -1;
    }
    for (int i = 0; left; i++) {
        ssize_t r;

        if (i > 0 && !iov[i].iov_len)
            continue;
        r = file_rw(fd, f, wr, iov[i].iov_base, iov[i].iov_len);
        if (r < 0)
            return done ? done : -1;
        done += r;
        left -= (size_t)r;
        if ((size_t)r != iov[i].iov_len)
            break;
    }
    return done;
}

EXPORT ssize_t readv(int fd, const struct iovec *iov, int n)
{
    struct efile *f = fdt_get(fd);

    return f ? vectored(fd, f, false, iov, n, true, 0)
             : REAL(readv)(fd, iov, n);
}

EXPORT ssize_t writev(int fd, const struct iovec *iov, int n)
{
    struct efile *f = fdt_get(fd);

    return f ? vectored(fd, f, true, iov, n, true, 0)
             : REAL(writev)(fd, iov, n);
}

EXPORT ssize_t preadv(int fd, const struct iovec *iov, int n, off_t off)
{
    struct efile *f = fdt_get(fd);

    return f ? vectored(fd, f, false, iov, n, off >= 0, 0)
             : REAL(preadv)(fd, iov, n, off);
}

EXPORT ssize_t pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
    struct efile *f = fdt_get(fd);

    return f ? vectored(fd, f, true, iov, n, off >= 0, 0)
             : REAL(pwritev)(fd, iov, n, off);
}

EXPORT ssize_t preadv64(int fd, const struct iovec *iov, int n, off64_t off)
{
    struct efile *f = fdt_get(fd);

    return f ? vectored(fd, f, false, iov, n, off >= 0, 0)
             : REAL(preadv64)(fd, iov, n, off);
}

EXPORT ssize_t pwritev64(int fd, const struct iovec *iov, int n,
                         off64_t off)
{
    struct efile *f = fdt_get(fd);

    return f ? vectored(fd, f, true, iov, n, off >= 0, 0)
             : REAL(pwritev64)(fd, iov, n, off);
}

/* The v2 calls take -1 for "no offset". */
EXPORT ssize_t preadv2(int fd, const struct iovec *iov, int n, off_t off,
                       int flags)
{
    struct efile *f = fdt_get(fd);

    return f ? vectored(fd, f, false, iov, n, off >= -1, flags)
             : REAL(preadv2)(fd, iov, n, off, flags);
}

EXPORT ssize_t pwritev2(int fd, const struct iovec *iov, int n, off_t off,
                        int flags)
{
    struct efile *f = fdt_get(fd);

    return f ? vectored(fd, f, true, iov, n, off >= -1, flags)
             : REAL(pwritev2)(fd, iov, n, off, flags);
}

EXPORT ssize_t preadv64v2(int fd, const struct iovec *iov, int n,
                          off64_t off, int flags)
{
    struct efile *f = fdt_get(fd);

    return f ? vectored(fd, f, false, iov, n, off >= -1, flags)
             : REAL(preadv64v2)(fd, iov, n, off, flags);
}

EXPORT ssize_t pwritev64v2(int fd, const struct iovec *iov, int n,
                           off64_t off, int flags)
{
    struct efile *f = fdt_get(fd);

    return f ? vectored(fd, f, true, iov, n, off >= -1, flags)
             : REAL(pwritev64v2)(fd, iov, n, off, flags);
}
