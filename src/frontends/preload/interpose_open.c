// SPDX-License-Identifier: MIT
/*
 * Opening /dev/i2c-N: open() and its variants, and stdio's fopen(),
 * freopen() and fdopen(), whose opens and reads are libc-internal and
 * would miss the shim. An emulated fd is a connected socket to the daemon
 * (one connection per open file description); every other path goes
 * straight to libc.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontends/preload/shim.h"

EXPORT int open(const char *path, int flags, ...);
EXPORT int open64(const char *path, int flags, ...);
EXPORT int openat(int dirfd, const char *path, int flags, ...);
EXPORT int openat64(int dirfd, const char *path, int flags, ...);
EXPORT int __open_2(const char *path, int flags);
EXPORT int __open64_2(const char *path, int flags);
EXPORT int __openat_2(int dirfd, const char *path, int flags);
EXPORT int __openat64_2(int dirfd, const char *path, int flags);
EXPORT FILE *fopen(const char *path, const char *mode);
EXPORT FILE *fopen64(const char *path, const char *mode);
EXPORT FILE *freopen(const char *path, const char *mode, FILE *stream);
EXPORT FILE *freopen64(const char *path, const char *mode, FILE *stream);
EXPORT FILE *fdopen(int fd, const char *mode);

#define PASS SHIM_PASS /* not for us: let libc open it */

static void close_keep_errno(int fd)
{
    int saved = errno;

    fdt_forget(fd);
    REAL(close)(fd);
    errno = saved;
}

/* i2c-tools try /dev/i2c/N before /dev/i2c-N. That layout exists only
 * where something made a /dev/i2c directory (devfs-style systems); udev
 * systems such as Debian have only /dev/i2c-N. Serving /dev/i2c/N only
 * where the directory exists keeps the names tools print the same as on
 * the real system. */
static bool slash_layout(void)
{
    struct stat st;

    return stat("/dev/i2c", &st) == 0 && S_ISDIR(st.st_mode);
}

/* N of /dev/i2c-N or /dev/i2c/N, as the kernel names them; or -1. */
static int dev_number(const char *path)
{
    const char *p;
    long n = 0;

    if (strncmp(path, "/dev/i2c-", 9) &&
        (strncmp(path, "/dev/i2c/", 9) || !slash_layout()))
        return -1;
    p = path + 9;
    if (!isdigit((unsigned char)*p) || (p[0] == '0' && p[1]))
        return -1;
    for (; *p; p++) {
        if (!isdigit((unsigned char)*p) || n > 0xFFFFF)
            return -1;
        n = n * 10 + (*p - '0');
    }
    return (int)n;
}

/* Fail closed (docs/protocol.md): with I2CEMU_SOCKET set, a daemon that
 * cannot be reached claims every bus, so that a program meant for the
 * emulation never drives a real one. */
static int unreachable(const char *path)
{
    static int said;
    int e = errno;

    if (e == EACCES) /* a daemon of another user: said already */
        return -1;
    if (!__atomic_exchange_n(&said, 1, __ATOMIC_RELAXED))
        dprintf(2, "i2cemu-preload: cannot reach the daemon at %s (%s): "
                   "no /dev/i2c-N will open\n",
                path, strerror(e));
    errno = ENOENT;
    return -1;
}

static int open_emulated(int number, int flags)
{
    const char *path = getenv("I2CEMU_SOCKET");
    struct sockproto_open m = { number, flags };
    struct sockproto_bus *b;
    struct shim_req q;
    unsigned n;
    bool found = false, attached;
    int fd, memfd;

    if (!path || !*path)
        return PASS;
    if ((fd = client_connect(flags & O_CLOEXEC)) < 0)
        return unreachable(path);
    if (!(b = client_hello(fd, &n, &memfd))) {
        close_keep_errno(fd);
        return errno == ETIMEDOUT ? unreachable(path) : -1;
    }
    attached = fast_attach(memfd);
    for (unsigned i = 0; i < n; i++)
        found |= b[i].number == number;
    free(b);
    if (!found) {
        REAL(close)(fd);
        return PASS;
    }
    if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
        REAL(close)(fd);
        errno = EEXIST; /* the node exists */
        return -1;
    }
    shim_req_none(&q);
    if (!fdt_add(fd, number, flags) ||
        client_call(fd, fdt_get(fd), &q, SOCKPROTO_OPEN, &m, sizeof m) < 0) {
        close_keep_errno(fd);
        return -1;
    }
    fast_open(fdt_get(fd), number, flags, attached);
    return fd;
}

/* Our fd, -1 with errno, or PASS. */
static int open_hook(const char *path, int flags)
{
    int number;

    if (!path)
        return PASS;
    if (!strcmp(path, "/proc/bus/i2c"))
        return (flags & O_ACCMODE) == O_RDONLY ? procbus_open(flags & O_CLOEXEC)
                                               : PASS;
    number = dev_number(path);
    return number < 0 ? PASS : open_emulated(number, flags);
}

/* An fd libc opened is not ours, whatever had that number before. */
static int opened(int fd)
{
    fdt_other(fd);
    return fd;
}

/* open(2) reads a mode only for these. */
#define MODE_ARG(flags)                                                       \
    mode_t mode = 0;                                                          \
    if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {              \
        va_list ap;                                                           \
        va_start(ap, flags);                                                  \
        mode = va_arg(ap, mode_t);                                            \
        va_end(ap);                                                           \
    }

EXPORT int open(const char *path, int flags, ...)
{
    int fd = open_hook(path, flags);
    MODE_ARG(flags);
    return fd != PASS ? fd : opened(REAL(open)(path, flags, mode));
}

EXPORT int open64(const char *path, int flags, ...)
{
    int fd = open_hook(path, flags);
    MODE_ARG(flags);
    return fd != PASS ? fd : opened(REAL(open64)(path, flags, mode));
}

EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
    int fd = open_hook(path, flags);
    MODE_ARG(flags);
    return fd != PASS ? fd : opened(REAL(openat)(dirfd, path, flags, mode));
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
    int fd = open_hook(path, flags);
    MODE_ARG(flags);
    return fd != PASS ? fd
                      : opened(REAL(openat64)(dirfd, path, flags, mode));
}

/* _FORTIFY_SOURCE's variants, without a mode. */
EXPORT int __open_2(const char *path, int flags)
{
    int fd = open_hook(path, flags);
    return fd != PASS ? fd : opened(REAL(__open_2)(path, flags));
}

EXPORT int __open64_2(const char *path, int flags)
{
    int fd = open_hook(path, flags);
    return fd != PASS ? fd : opened(REAL(__open64_2)(path, flags));
}

EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
    int fd = open_hook(path, flags);
    return fd != PASS ? fd : opened(REAL(__openat_2)(dirfd, path, flags));
}

EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
    int fd = open_hook(path, flags);
    return fd != PASS ? fd : opened(REAL(__openat64_2)(dirfd, path, flags));
}

/* ---- stdio ---- */

/* A stream on an emulated fd: its reads and writes go through the shim,
 * one read() or write() per buffer fill or flush, as glibc's own streams
 * make them on the kernel's node (with its 4096-byte st_blksize). */
struct cookie {
    int fd;
    char buf[4096];
};

static ssize_t cookie_read(void *c, char *buf, size_t n)
{
    int fd = ((struct cookie *)c)->fd;
    ssize_t r;

    return shim_rw(fd, false, buf, n, &r) ? r : REAL(read)(fd, buf, n);
}

static ssize_t cookie_write(void *c, const char *buf, size_t n)
{
    int fd = ((struct cookie *)c)->fd;
    ssize_t r;

    return shim_rw(fd, true, (void *)buf, n, &r) ? r
                                                 : REAL(write)(fd, buf, n);
}

static int cookie_seek(void *c, off64_t *pos, int whence)
{
    (void)c;
    (void)pos;
    (void)whence;
    errno = ESPIPE; /* i2c-dev has no llseek */
    return -1;
}

static int cookie_close(void *c)
{
    int fd = ((struct cookie *)c)->fd;

    free(c);
    fdt_forget(fd);
    return REAL(close)(fd);
}

static FILE *stream(int fd, const char *mode)
{
    struct cookie *c = malloc(sizeof *c);
    FILE *f;

    if (!c)
        return NULL;
    c->fd = fd;
    f = fopencookie(c, mode,
                    (cookie_io_functions_t){ cookie_read, cookie_write,
                                             cookie_seek, cookie_close });
    if (!f) {
        free(c);
        return NULL;
    }
    /* glibc marks a cookie stream's fd -2; fileno() must give ours. */
    f->_fileno = fd;
    setvbuf(f, c->buf, _IOFBF, sizeof c->buf);
    return f;
}

/* fopen()'s open(2) flags for mode, or -1. */
static int mode_flags(const char *mode)
{
    int flags;

    switch (mode[0]) {
    case 'r':
        flags = O_RDONLY;
        break;
    case 'w':
        flags = O_WRONLY | O_CREAT | O_TRUNC;
        break;
    case 'a':
        flags = O_WRONLY | O_CREAT | O_APPEND;
        break;
    default:
        return -1;
    }
    for (const char *m = mode + 1; *m && *m != ','; m++) {
        if (*m == '+')
            flags = (flags & ~O_ACCMODE) | O_RDWR;
        else if (*m == 'e')
            flags |= O_CLOEXEC;
        else if (*m == 'x')
            flags |= O_EXCL;
    }
    return flags;
}

/* fopen() of /dev/i2c-N or /proc/bus/i2c: true with *f set (NULL and
 * errno on failure), or false to let libc open the path. */
static bool fopen_hook(const char *path, const char *mode, FILE **f)
{
    int flags, fd;

    if (!path || !mode || (flags = mode_flags(mode)) < 0 ||
        (strcmp(path, "/proc/bus/i2c") && dev_number(path) < 0))
        return false;
    fd = open_hook(path, flags);
    if (fd == PASS)
        return false;
    if (fd < 0)
        *f = NULL;
    else if (!strcmp(path, "/proc/bus/i2c"))
        *f = REAL(fdopen)(fd, mode);
    else
        *f = stream(fd, mode);
    if (fd >= 0 && !*f)
        close_keep_errno(fd);
    return true;
}

/* A stream libc opened: its fd is not ours (interpose_new.c). */
static FILE *libc_stream(FILE *f)
{
    if (f)
        fdt_other(fileno(f));
    return f;
}

EXPORT FILE *fopen(const char *path, const char *mode)
{
    FILE *f;
    return fopen_hook(path, mode, &f) ? f
                                      : libc_stream(REAL(fopen)(path, mode));
}

EXPORT FILE *fopen64(const char *path, const char *mode)
{
    FILE *f;
    return fopen_hook(path, mode, &f) ? f
                                      : libc_stream(REAL(fopen64)(path, mode));
}

/* A cookie stream cannot take over the old FILE object: the new stream is
 * returned, and replaces stdin, stdout or stderr if it was one of them. */
static FILE *reopen(const char *path, const char *mode, FILE *old)
{
    FILE *f = NULL;

    fclose(old); /* errors ignored, as freopen() does */
    if (!fopen_hook(path, mode, &f))
        f = libc_stream(REAL(fopen)(path, mode));
    if (old == stdin)
        stdin = f;
    else if (old == stdout)
        stdout = f;
    else if (old == stderr)
        stderr = f;
    return f;
}

EXPORT FILE *freopen(const char *path, const char *mode, FILE *stream)
{
    return path && dev_number(path) >= 0 ? reopen(path, mode, stream)
                                         : REAL(freopen)(path, mode, stream);
}

EXPORT FILE *freopen64(const char *path, const char *mode, FILE *stream)
{
    return path && dev_number(path) >= 0
               ? reopen(path, mode, stream)
               : REAL(freopen64)(path, mode, stream);
}

EXPORT FILE *fdopen(int fd, const char *mode)
{
    struct efile *f = fdt_get(fd);
    int flags;

    if (!f)
        return REAL(fdopen)(fd, mode);
    /* glibc's check: the mode must fit the file's access mode. */
    flags = mode ? mode_flags(mode) : -1;
    if (flags < 0 ||
        ((flags & O_ACCMODE) != O_WRONLY && f->accmode == O_WRONLY) ||
        ((flags & O_ACCMODE) != O_RDONLY && f->accmode == O_RDONLY)) {
        errno = EINVAL;
        return NULL;
    }
    return stream(fd, mode);
}
