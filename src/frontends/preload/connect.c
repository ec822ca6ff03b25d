// SPDX-License-Identifier: MIT
/*
 * Connecting to the daemon (docs/protocol.md): a daemon the shim trusts
 * (its own user's, or root's), and its HELLO, with the shared arena's
 * memfd that may come with it (SCM_RIGHTS) for fast.c to attach.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "frontends/preload/shim.h"

static bool trusted(int fd, const char *path)
{
    struct ucred c = { .uid = (uid_t)-1 };
    socklen_t n = sizeof c;

    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c, &n) == 0 &&
        (c.uid == geteuid() || c.uid == 0))
        return true;
    if (path)
        dprintf(2, "i2cemu-preload: %s is served by uid %ld, neither us nor "
                   "root: not opening it\n",
                path, (long)c.uid);
    return false;
}

int client_connect(bool cloexec)
{
    const char *path = getenv("I2CEMU_SOCKET");
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    int64_t deadline = shim_now_ms() + SHIM_MARGIN_MS;
    int fd, r;

    if (!path || !*path) {
        errno = ENOENT;
        return -1;
    }
    if (strlen(path) >= sizeof a.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(a.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | (cloexec ? SOCK_CLOEXEC : 0),
                0);
    if (fd < 0)
        return -1;
    /* A full backlog fails a non-blocking connect with EAGAIN, where a
     * blocking one would wait without bound. */
    while ((r = connect(fd, (struct sockaddr *)&a, sizeof a)) < 0 &&
           (errno == EAGAIN || errno == EINTR) && shim_now_ms() < deadline)
        nanosleep(&(struct timespec){ 0, 10 * 1000000 }, NULL);
    if (r == 0 && !trusted(fd, path)) {
        errno = EACCES;
        r = -1;
    }
    if (r < 0 || REAL(fcntl)(fd, F_SETFL, 0) < 0) { /* blocking again */
        int e = errno;

        REAL(close)(fd);
        errno = e;
        return -1;
    }
    return fd;
}

bool client_peer_is_daemon(int fd)
{
    const char *path = getenv("I2CEMU_SOCKET");
    struct sockaddr_un a;
    socklen_t n = sizeof a;

    if (!path || getpeername(fd, (struct sockaddr *)&a, &n) < 0 ||
        a.sun_family != AF_UNIX || n <= offsetof(struct sockaddr_un, sun_path))
        return false;
    return strncmp(a.sun_path, path, sizeof a.sun_path) == 0 &&
           trusted(fd, NULL);
}

/* In place of HELLO, a daemon that refuses the connection (too many
 * clients) sends a RESULT with an errno and no regions: false with it. */
static bool refused(int fd, const struct sockproto_hdr *h, int64_t deadline)
{
    struct sockproto_result r;

    if (h->type != SOCKPROTO_RESULT || h->len != sizeof r ||
        !shim_recv_all(fd, &r, sizeof r, deadline) || r.nout ||
        r.result >= 0 || r.result < -4095)
        return false;
    errno = (int)-r.result;
    return true;
}

/* The HELLO's first bytes, with the memfd that may come with them
 * (SCM_RIGHTS): the rest of the header with recv_all. */
static bool recv_first(int fd, struct sockproto_hdr *h, int *memfd,
                       int64_t deadline)
{
    union {
        struct cmsghdr c;
        char buf[CMSG_SPACE(sizeof(int))];
    } ctl;
    struct iovec iov = { h, sizeof *h };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    ssize_t n;

    for (;;) {
        m.msg_control = ctl.buf;
        m.msg_controllen = sizeof ctl.buf;
        n = recvmsg(fd, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
        if (n > 0)
            break;
        if (n == 0) {
            errno = EIO;
            return false;
        }
        if (errno != EINTR &&
            !((errno == EAGAIN || errno == EWOULDBLOCK) &&
              shim_wait_fd(fd, POLLIN, deadline)))
            return false;
    }
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
            c->cmsg_len == CMSG_LEN(sizeof(int)) && *memfd < 0)
            memcpy(memfd, CMSG_DATA(c), sizeof(int));
    return shim_recv_all(fd, (uint8_t *)h + n, sizeof *h - (size_t)n, deadline);
}

static void drop(int *memfd)
{
    int e = errno;

    if (*memfd >= 0)
        REAL(close)(*memfd);
    *memfd = -1;
    errno = e;
}

struct sockproto_bus *client_hello(int fd, unsigned *nbuses, int *memfd)
{
    int64_t deadline = shim_now_ms() + SHIM_MARGIN_MS;
    struct sockproto_hdr h;
    struct sockproto_hello hello;
    struct sockproto_bus *b;

    *memfd = -1;
    if (!recv_first(fd, &h, memfd, deadline))
        goto fail;
    if (h.type != SOCKPROTO_HELLO) {
        if (!refused(fd, &h, deadline))
            goto fail;
        drop(memfd);
        return NULL;
    }
    if (h.len < sizeof hello || !shim_recv_all(fd, &hello, sizeof hello, deadline) ||
        hello.magic != SOCKPROTO_MAGIC || hello.version != SOCKPROTO_VERSION ||
        hello.nbuses > SOCKPROTO_MAX_BUSES ||
        h.len != sizeof hello + hello.nbuses * sizeof *b ||
        !(b = malloc(hello.nbuses * sizeof *b + 1)))
        goto fail;
    if (!shim_recv_all(fd, b, hello.nbuses * sizeof *b, deadline)) {
        free(b);
        goto fail;
    }
    for (unsigned i = 0; i < hello.nbuses; i++)
        b[i].name[SOCKPROTO_NAME_LEN - 1] = '\0';
    *nbuses = hello.nbuses;
    return b;
fail:
    drop(memfd);
    if (errno != ETIMEDOUT)
        errno = EPROTO;
    return NULL;
}
