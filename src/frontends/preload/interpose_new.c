// SPDX-License-Identifier: MIT
/*
 * Descriptors libc makes that are never ours: whatever the table knew
 * about the number is forgotten (a pipe reusing the number of an emulated
 * fd closed behind libc's back is a pipe). The fast path trusts the
 * table without a system call per request (docs/fastpath.md,
 * "Descriptors"), so every common way a number comes back into use must
 * pass here; open(), fopen() and dup() are in their own files.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "frontends/preload/shim.h"

/* Returns fd, having marked it (and errno untouched: no call made). */
static int made(int fd)
{
    if (fd >= 0)
        fdt_other(fd);
    return fd;
}

static int made_pair(int r, const int fds[2])
{
    if (r == 0) {
        fdt_other(fds[0]);
        fdt_other(fds[1]);
    }
    return r;
}

EXPORT int pipe(int fds[2]);
EXPORT int pipe2(int fds[2], int flags);
EXPORT int socket(int domain, int type, int protocol);
EXPORT int socketpair(int domain, int type, int protocol, int fds[2]);
EXPORT int accept(int fd, struct sockaddr *addr, socklen_t *len);
EXPORT int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
EXPORT int eventfd(unsigned int initval, int flags);
EXPORT int epoll_create(int size);
EXPORT int epoll_create1(int flags);
EXPORT int memfd_create(const char *name, unsigned int flags);
EXPORT int timerfd_create(int clockid, int flags);
EXPORT int signalfd(int fd, const sigset_t *mask, int flags);
EXPORT int inotify_init(void);
EXPORT int inotify_init1(int flags);
EXPORT int creat(const char *path, mode_t mode);
EXPORT int creat64(const char *path, mode_t mode);
EXPORT DIR *opendir(const char *path);

EXPORT int pipe(int fds[2])
{
    return made_pair(REAL(pipe)(fds), fds);
}

EXPORT int pipe2(int fds[2], int flags)
{
    return made_pair(REAL(pipe2)(fds, flags), fds);
}

EXPORT int socket(int domain, int type, int protocol)
{
    return made(REAL(socket)(domain, type, protocol));
}

EXPORT int socketpair(int domain, int type, int protocol, int fds[2])
{
    return made_pair(REAL(socketpair)(domain, type, protocol, fds), fds);
}

EXPORT int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    return made(REAL(accept)(fd, addr, len));
}

EXPORT int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
    return made(REAL(accept4)(fd, addr, len, flags));
}

EXPORT int eventfd(unsigned int initval, int flags)
{
    return made(REAL(eventfd)(initval, flags));
}

EXPORT int epoll_create(int size)
{
    return made(REAL(epoll_create)(size));
}

EXPORT int epoll_create1(int flags)
{
    return made(REAL(epoll_create1)(flags));
}

EXPORT int memfd_create(const char *name, unsigned int flags)
{
    return made(REAL(memfd_create)(name, flags));
}

EXPORT int timerfd_create(int clockid, int flags)
{
    return made(REAL(timerfd_create)(clockid, flags));
}

/* fd -1 makes a new one; otherwise it changes fd's mask. */
EXPORT int signalfd(int fd, const sigset_t *mask, int flags)
{
    int r = REAL(signalfd)(fd, mask, flags);

    return fd < 0 ? made(r) : r;
}

EXPORT int inotify_init(void)
{
    return made(REAL(inotify_init)());
}

EXPORT int inotify_init1(int flags)
{
    return made(REAL(inotify_init1)(flags));
}

EXPORT int creat(const char *path, mode_t mode)
{
    return made(REAL(creat)(path, mode));
}

EXPORT int creat64(const char *path, mode_t mode)
{
    return made(REAL(creat64)(path, mode));
}

EXPORT DIR *opendir(const char *path)
{
    DIR *d = REAL(opendir)(path);

    if (d)
        made(dirfd(d));
    return d;
}
