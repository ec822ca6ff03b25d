// SPDX-License-Identifier: MIT
/*
 * What the kernel says about an emulated fd without a request to the
 * daemon: its lifetime (close, close_range, closefrom, dup...), its
 * readiness (i2c-dev has no poll method: always readable and writable;
 * epoll refuses it) and its stat (a character device 89:N).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "frontends/preload/shim.h"

EXPORT int close(int fd);
EXPORT int close_range(unsigned first, unsigned last, int flags);
EXPORT void closefrom(int lowfd);
EXPORT int dup(int fd);
EXPORT int dup2(int fd, int fd2);
EXPORT int dup3(int fd, int fd2, int flags);
EXPORT int fcntl(int fd, int cmd, ...);
EXPORT int fcntl64(int fd, int cmd, ...);
EXPORT int poll(struct pollfd *fds, nfds_t nfds, int timeout);
EXPORT int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *t,
                 const sigset_t *mask);
EXPORT int select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *t);
EXPORT int pselect(int n, fd_set *r, fd_set *w, fd_set *e,
                   const struct timespec *t, const sigset_t *mask);
EXPORT int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev);
EXPORT int fstat(int fd, struct stat *st);
EXPORT int fstat64(int fd, struct stat64 *st);
EXPORT int fstatat(int dirfd, const char *path, struct stat *st, int flags);
EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *st,
                     int flags);
EXPORT int statx(int dirfd, const char *path, int flags, unsigned mask,
                 struct statx *stx);

/* ---- lifetime ---- */

/* Forgotten first: once closed, the number may be another thread's. */
EXPORT int close(int fd)
{
    fdt_forget(fd);
    return REAL(close)(fd);
}

EXPORT int close_range(unsigned first, unsigned last, int flags)
{
    int r = REAL(close_range)(first, last, flags);

    if (r == 0 && !(flags & CLOSE_RANGE_CLOEXEC))
        fdt_forget_range(first, last);
    return r;
}

EXPORT void closefrom(int lowfd)
{
    REAL(closefrom)(lowfd);
    if (lowfd >= 0)
        fdt_forget_range((unsigned)lowfd, ~0u);
}

/* A new fd for the same open file description is ours if the old one is. */
static int copied(int from, int fd)
{
    if (fd >= 0 && !fdt_copy(from, fd)) {
        REAL(close)(fd);
        errno = EMFILE;
        return -1;
    }
    return fd;
}

EXPORT int dup(int fd)
{
    return copied(fd, REAL(dup)(fd));
}

EXPORT int dup2(int fd, int fd2)
{
    return fd == fd2 ? REAL(dup2)(fd, fd2) : copied(fd, REAL(dup2)(fd, fd2));
}

EXPORT int dup3(int fd, int fd2, int flags)
{
    return copied(fd, REAL(dup3)(fd, fd2, flags));
}

/* F_DUPFD makes a copy; F_GETFL tells the emulated access mode. */
static int fcntl_after(int fd, int cmd, int r)
{
    struct efile *f;

    if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
        return copied(fd, r);
    if (cmd == F_GETFL && r >= 0 && (f = fdt_get(fd)))
        return (r & ~O_ACCMODE) | f->accmode;
    return r;
}

#define FCNTL(real)                                                           \
    do {                                                                      \
        va_list ap;                                                           \
        void *arg;                                                            \
        va_start(ap, cmd);                                                    \
        arg = va_arg(ap, void *);                                             \
        va_end(ap);                                                           \
        return fcntl_after(fd, cmd, real(fd, cmd, arg));                      \
    } while (0)

EXPORT int fcntl(int fd, int cmd, ...)
{
    FCNTL(REAL(fcntl));
}

EXPORT int fcntl64(int fd, int cmd, ...)
{
    FCNTL(REAL(fcntl64));
}

/* ---- readiness ---- */

#define READY (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/* Answers for our fds in fds, and sets rest[] to ask the kernel about the
 * others: how many of ours are ready. */
static int poll_ours(struct pollfd *fds, nfds_t nfds, struct pollfd *rest)
{
    int ready = 0;

    for (nfds_t i = 0; i < nfds; i++) {
        rest[i] = fds[i];
        if (fdt_get(fds[i].fd)) {
            rest[i].fd = -1;
            fds[i].revents = fds[i].events & READY;
            ready += fds[i].revents != 0;
        }
    }
    return ready;
}

static bool any_ours(const struct pollfd *fds, nfds_t nfds)
{
    for (nfds_t i = 0; i < nfds; i++)
        if (fdt_get(fds[i].fd))
            return true;
    return false;
}

static int poll_merge(struct pollfd *fds, nfds_t nfds, struct pollfd *rest,
                      int ready, int r)
{
    for (nfds_t i = 0; r >= 0 && i < nfds; i++)
        if (rest[i].fd >= 0)
            fds[i].revents = rest[i].revents;
    free(rest);
    return r < 0 ? r : r + ready;
}

EXPORT int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
    struct pollfd *rest;
    int ready;

    if (!any_ours(fds, nfds))
        return REAL(poll)(fds, nfds, timeout);
    if (!(rest = malloc(nfds * sizeof *rest)))
        return -1;
    ready = poll_ours(fds, nfds, rest);
    return poll_merge(fds, nfds, rest, ready,
                      REAL(poll)(rest, nfds, ready ? 0 : timeout));
}

EXPORT int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *t,
                 const sigset_t *mask)
{
    static const struct timespec zero;
    struct pollfd *rest;
    int ready;

    if (!any_ours(fds, nfds))
        return REAL(ppoll)(fds, nfds, t, mask);
    if (!(rest = malloc(nfds * sizeof *rest)))
        return -1;
    ready = poll_ours(fds, nfds, rest);
    return poll_merge(fds, nfds, rest, ready,
                      REAL(ppoll)(rest, nfds, ready ? &zero : t, mask));
}

/* Takes our fds out of the sets into *ro and *wo: how many bits that is,
 * or -1 if none of the fds is ours. */
static int select_ours(int n, fd_set *r, fd_set *w, fd_set *e, fd_set *ro,
                       fd_set *wo)
{
    int ready = 0;
    bool any = false;

    FD_ZERO(ro);
    FD_ZERO(wo);
    for (int fd = 0; fd < n && fd < FD_SETSIZE; fd++) {
        if (!((r && FD_ISSET(fd, r)) || (w && FD_ISSET(fd, w)) ||
              (e && FD_ISSET(fd, e))) ||
            !fdt_get(fd))
            continue;
        any = true;
        if (r && FD_ISSET(fd, r)) {
            FD_CLR(fd, r);
            FD_SET(fd, ro);
            ready++;
        }
        if (w && FD_ISSET(fd, w)) {
            FD_CLR(fd, w);
            FD_SET(fd, wo);
            ready++;
        }
        if (e)
            FD_CLR(fd, e); /* never exceptional */
    }
    return any ? ready : -1;
}

static int select_merge(int n, fd_set *r, fd_set *w, const fd_set *ro,
                        const fd_set *wo, int ready, int res)
{
    if (res < 0)
        return res;
    for (int fd = 0; fd < n && fd < FD_SETSIZE; fd++) {
        if (FD_ISSET(fd, ro))
            FD_SET(fd, r);
        if (FD_ISSET(fd, wo))
            FD_SET(fd, w);
    }
    return res + ready;
}

EXPORT int select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *t)
{
    struct timeval zero = { 0, 0 };
    fd_set ro, wo;
    int ready = select_ours(n, r, w, e, &ro, &wo);

    if (ready < 0)
        return REAL(select)(n, r, w, e, t);
    return select_merge(n, r, w, &ro, &wo, ready,
                        REAL(select)(n, r, w, e, ready ? &zero : t));
}

EXPORT int pselect(int n, fd_set *r, fd_set *w, fd_set *e,
                   const struct timespec *t, const sigset_t *mask)
{
    static const struct timespec zero;
    fd_set ro, wo;
    int ready = select_ours(n, r, w, e, &ro, &wo);

    if (ready < 0)
        return REAL(pselect)(n, r, w, e, t, mask);
    return select_merge(n, r, w, &ro, &wo, ready,
                        REAL(pselect)(n, r, w, e, ready ? &zero : t, mask));
}

/* epoll wants a poll method, which i2c-dev lacks. */
EXPORT int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
    if (fdt_get(fd)) {
        errno = EPERM;
        return -1;
    }
    return REAL(epoll_ctl)(epfd, op, fd, ev);
}

/* ---- stat ---- */

/* The node's mode, with udev's default permissions for i2c-dev. */
#define CHR_MODE (S_IFCHR | 0600)
#define I2C_MAJOR 89
/* An fd inherited across exec does not know its bus: minor 0. */
#define MINOR(f) ((f)->number >= 0 ? (unsigned)(f)->number : 0u)

#define AS_CHARDEV(st, f)                                                     \
    do {                                                                      \
        (st)->st_mode = CHR_MODE;                                             \
        (st)->st_rdev = makedev(I2C_MAJOR, MINOR(f));                         \
        (st)->st_size = 0;                                                    \
        (st)->st_blksize = 4096;                                              \
        (st)->st_blocks = 0;                                                  \
    } while (0)

/* fstatat() and statx() on the fd itself. */
static struct efile *at_fd(int dirfd, const char *path, int flags)
{
    return path && !*path && (flags & AT_EMPTY_PATH) ? fdt_get(dirfd) : NULL;
}

EXPORT int fstat(int fd, struct stat *st)
{
    struct efile *f = fdt_get(fd);
    int r = REAL(fstat)(fd, st);

    if (r == 0 && f)
        AS_CHARDEV(st, f);
    return r;
}

EXPORT int fstat64(int fd, struct stat64 *st)
{
    struct efile *f = fdt_get(fd);
    int r = REAL(fstat64)(fd, st);

    if (r == 0 && f)
        AS_CHARDEV(st, f);
    return r;
}

EXPORT int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
    struct efile *f = at_fd(dirfd, path, flags);
    int r = REAL(fstatat)(dirfd, path, st, flags);

    if (r == 0 && f)
        AS_CHARDEV(st, f);
    return r;
}

EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *st,
                     int flags)
{
    struct efile *f = at_fd(dirfd, path, flags);
    int r = REAL(fstatat64)(dirfd, path, st, flags);

    if (r == 0 && f)
        AS_CHARDEV(st, f);
    return r;
}

EXPORT int statx(int dirfd, const char *path, int flags, unsigned mask,
                 struct statx *stx)
{
    struct efile *f = at_fd(dirfd, path, flags);
    int r = REAL(statx)(dirfd, path, flags, mask, stx);

    if (r == 0 && f) {
        stx->stx_mode = CHR_MODE;
        stx->stx_rdev_major = I2C_MAJOR;
        stx->stx_rdev_minor = MINOR(f);
        stx->stx_size = 0;
        stx->stx_blksize = 4096;
        stx->stx_blocks = 0;
    }
    return r;
}
