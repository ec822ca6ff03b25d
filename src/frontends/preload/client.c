// SPDX-License-Identifier: MIT
/*
 * The shim's side of the socket protocol (sockproto.h, docs/protocol.md):
 * connecting to a daemon it trusts, and one exchange at a time per file,
 * bounded in time, touching only the client memory the request may.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "frontends/preload/shim.h"

void *shim_resolve(void **slot, const char *name)
{
    void *p = __atomic_load_n(slot, __ATOMIC_RELAXED);

    if (!p) {
        p = dlsym(RTLD_NEXT, name);
        __atomic_store_n(slot, p, __ATOMIC_RELAXED);
    }
    return p;
}

bool shim_vm_copy(bool to_client, uint64_t addr, void *buf, size_t len)
{
    struct iovec local = { buf, len };
    struct iovec remote = { (void *)(uintptr_t)addr, len };
    ssize_t n = to_client
                    ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0)
                    : process_vm_readv(getpid(), &local, 1, &remote, 1, 0);

    return n == (ssize_t)len;
}

/* ---- time-bounded I/O ---- */

static int64_t now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Waits for fd until the deadline: false with errno ETIMEDOUT or other. */
static bool wait_fd(int fd, short events, int64_t deadline)
{
    for (;;) {
        struct pollfd p = { fd, events, 0 };
        int64_t left = deadline - now_ms();
        int r;

        if (left <= 0) {
            errno = ETIMEDOUT;
            return false;
        }
        r = REAL(poll)(&p, 1, left > 60000 ? 60000 : (int)left);
        if (r > 0)
            return true;
        if (r < 0 && errno != EINTR)
            return false;
    }
}

/* MSG_DONTWAIT: the program may have made the socket blocking or not. */
static bool send_all(int fd, const void *buf, size_t len, int64_t deadline)
{
    const uint8_t *p = buf;

    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);

        if (n < 0) {
            if (errno == EINTR ||
                ((errno == EAGAIN || errno == EWOULDBLOCK) &&
                 wait_fd(fd, POLLOUT, deadline)))
                continue;
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static bool recv_all(int fd, void *buf, size_t len, int64_t deadline)
{
    uint8_t *p = buf;

    while (len) {
        ssize_t n = recv(fd, p, len, MSG_DONTWAIT);

        if (n < 0) {
            if (errno == EINTR ||
                ((errno == EAGAIN || errno == EWOULDBLOCK) &&
                 wait_fd(fd, POLLIN, deadline)))
                continue;
            return false;
        }
        if (n == 0) {
            errno = EIO;
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* ---- connecting ---- */

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
    int64_t deadline = now_ms() + SHIM_MARGIN_MS;
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
           (errno == EAGAIN || errno == EINTR) && now_ms() < deadline)
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
        !recv_all(fd, &r, sizeof r, deadline) || r.nout ||
        r.result >= 0 || r.result < -4095)
        return false;
    errno = (int)-r.result;
    return true;
}

struct sockproto_bus *client_hello(int fd, unsigned *nbuses)
{
    int64_t deadline = now_ms() + SHIM_MARGIN_MS;
    struct sockproto_hdr h;
    struct sockproto_hello hello;
    struct sockproto_bus *b;

    if (!recv_all(fd, &h, sizeof h, deadline))
        goto fail;
    if (h.type != SOCKPROTO_HELLO) {
        if (!refused(fd, &h, deadline))
            goto fail;
        return NULL;
    }
    if (h.len < sizeof hello || !recv_all(fd, &hello, sizeof hello, deadline) ||
        hello.magic != SOCKPROTO_MAGIC || hello.version != SOCKPROTO_VERSION ||
        hello.nbuses > SOCKPROTO_MAX_BUSES ||
        h.len != sizeof hello + hello.nbuses * sizeof *b ||
        !(b = malloc(hello.nbuses * sizeof *b + 1)))
        goto fail;
    if (!recv_all(fd, b, hello.nbuses * sizeof *b, deadline)) {
        free(b);
        goto fail;
    }
    for (unsigned i = 0; i < hello.nbuses; i++)
        b[i].name[SOCKPROTO_NAME_LEN - 1] = '\0';
    *nbuses = hello.nbuses;
    return b;
fail:
    if (errno != ETIMEDOUT)
        errno = EPROTO;
    return NULL;
}

/* ---- one exchange ---- */

enum { BROKEN = 1 }; /* *r's value for a stream that cannot go on */

/* Header, body and data in one send. */
static bool send_msg(int fd, struct efile *f, uint32_t type, const void *body,
                     size_t len, const void *data, size_t dlen,
                     int64_t deadline)
{
    struct sockproto_hdr h = { type, (uint32_t)(len + dlen) };

    memcpy(f->tx, &h, sizeof h);
    if (len)
        memcpy(f->tx + sizeof h, body, len);
    if (dlen)
        memcpy(f->tx + sizeof h + len, data, dlen);
    return send_all(fd, f->tx, sizeof h + len + dlen, deadline);
}

/* A RESULT's body, each region checked before it is read. */
static bool recv_result(int fd, struct efile *f, const struct shim_req *q,
                        uint32_t len, long *result, int64_t deadline)
{
    struct sockproto_result r;

    if (len < sizeof r || !recv_all(fd, &r, sizeof r, deadline) ||
        r.nout > SOCKPROTO_MAX_OUT || !shim_req_result_ok(q, r.result))
        return false;
    len -= (uint32_t)sizeof r;
    *result = (long)r.result;
    for (uint32_t i = 0; i < r.nout; i++) {
        struct sockproto_out o;

        if (len < sizeof o || !recv_all(fd, &o, sizeof o, deadline) ||
            o.len > SOCKPROTO_MAX_REGION || len - sizeof o < o.len ||
            !shim_req_allows(q, SHIM_OUT, o.addr, o.len) ||
            !recv_all(fd, f->mem, o.len, deadline))
            return false;
        len -= (uint32_t)sizeof o + o.len;
        /* Like the kernel, stop copying out at the first fault: the
         * transfer has happened all the same. */
        if (*result >= 0 && !shim_vm_copy(true, o.addr, f->mem, o.len))
            *result = -EFAULT;
    }
    return len == 0;
}

/* Under f->lock: the result, or -errno. Any surprise ends the stream. */
static long exchange(int fd, struct efile *f, const struct shim_req *q,
                     uint32_t type, const void *body, size_t len,
                     const void *data, size_t dlen)
{
    int64_t deadline = now_ms() + f->timeout_ms + SHIM_MARGIN_MS;
    struct sockproto_hdr h;
    struct sockproto_need need;
    long r;

    /* A long transfer may take its time on a slow bus: 1 ms a byte is
     * 10 kHz, SMBus's slowest clock. */
    for (unsigned i = 0; i < q->n; i++)
        deadline += q->r[i].len;

    errno = 0; /* ETIMEDOUT below is the deadline's, nothing older */
    if (!send_msg(fd, f, type, body, len, data, dlen, deadline))
        goto broken;
    for (;;) {
        if (!recv_all(fd, &h, sizeof h, deadline))
            goto broken;
        if (h.type == SOCKPROTO_RESULT) {
            if (!recv_result(fd, f, q, h.len, &r, deadline))
                goto broken;
            return r;
        }
        if (h.type != SOCKPROTO_NEED || h.len != sizeof need ||
            !recv_all(fd, &need, sizeof need, deadline) ||
            need.len > SOCKPROTO_MAX_REGION ||
            !shim_req_allows(q, SHIM_IN, need.addr, need.len))
            goto broken;
        if (shim_vm_copy(false, need.addr, f->mem, need.len)
                ? !send_msg(fd, f, SOCKPROTO_MEM, f->mem, need.len, NULL, 0,
                            deadline)
                : !send_msg(fd, f, SOCKPROTO_MEMFAULT, NULL, 0, NULL, 0,
                            deadline))
            goto broken;
    }
broken:
    /* The stream is out of step, or the daemon misbehaved: drop it for
     * every process that shares it. */
    r = errno == ETIMEDOUT ? -ETIMEDOUT : -EIO;
    shutdown(fd, SHUT_RDWR);
    return r;
}

/* Takes f->lock, bounded like an exchange: 0 or -errno. */
static int lock(int fd, struct efile *f)
{
    struct timespec t;
    int e;

    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += (time_t)((f->timeout_ms + SHIM_MARGIN_MS) / 1000);
    e = pthread_mutex_timedlock(&f->lock, &t);
    switch (e) {
    case 0:
        return 0;
    case EOWNERDEAD:
        /* The holder died mid-exchange: the stream is out of step. */
        pthread_mutex_consistent(&f->lock);
        shutdown(fd, SHUT_RDWR);
        return 0;
    case EDEADLK:
        /* A signal handler interrupted this thread's own exchange on the
         * file: like an I2C transfer from atomic context while the bus is
         * busy, EAGAIN. */
        return -EAGAIN;
    case ETIMEDOUT:
        return -ETIMEDOUT;
    default:
        return -EIO;
    }
}

void shim_sigblock(uint64_t set, uint64_t *old)
{
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, old, sizeof set);
}

void shim_sigrestore(const uint64_t *old)
{
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, old, NULL, sizeof *old);
}

long client_call(int fd, struct efile *f, const struct shim_req *q,
                 uint32_t type, const void *body, size_t len,
                 const void *data, size_t dlen)
{
    uint64_t mask;
    int cancel;
    long r;

    /* Cancelling the thread mid-exchange would leave the stream out of
     * step and the lock held. */
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel);
    shim_sigblock(SHIM_SIGCANCEL, &mask);
    r = lock(fd, f);
    if (r == 0) {
        r = exchange(fd, f, q, type, body, len, data, dlen);
        pthread_mutex_unlock(&f->lock);
    }
    shim_sigrestore(&mask);
    pthread_setcancelstate(cancel, NULL);
    if (r >= 0)
        return r;
    errno = (int)-r;
    return -1;
}
