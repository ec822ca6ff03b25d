// SPDX-License-Identifier: MIT
/*
 * The shim's side of the socket protocol (sockproto.h, docs/protocol.md):
 * one exchange at a time per file, bounded in time, touching only the
 * client memory the request may. Connecting and the HELLO: connect.c.
 */
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
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

/* getpid() is a system call (glibc stopped caching it in 2.25): ours is
 * cached, and forgotten in a child of fork(). A child made by a raw
 * clone() or _Fork() runs no fork handler; it must exec before it calls
 * into an emulated fd (docs/protocol.md, "Known limits of the shim"). */
static pid_t self;

static void forget_pid(void)
{
    __atomic_store_n(&self, 0, __ATOMIC_RELAXED);
}

__attribute__((constructor)) static void pid_init(void)
{
    pthread_atfork(NULL, NULL, forget_pid);
}

static pid_t pid(void)
{
    pid_t p = __atomic_load_n(&self, __ATOMIC_RELAXED);

    if (!p) {
        p = getpid();
        __atomic_store_n(&self, p, __ATOMIC_RELAXED);
    }
    return p;
}

bool shim_vm_copy(bool to_client, uint64_t addr, void *buf, size_t len)
{
    struct iovec local = { buf, len };
    struct iovec remote = { (void *)(uintptr_t)addr, len };
    ssize_t n = to_client
                    ? process_vm_writev(pid(), &local, 1, &remote, 1, 0)
                    : process_vm_readv(pid(), &local, 1, &remote, 1, 0);

    return n == (ssize_t)len;
}

/* ---- time-bounded I/O ---- */

int64_t shim_now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

bool shim_wait_fd(int fd, short events, int64_t deadline)
{
    for (;;) {
        struct pollfd p = { fd, events, 0 };
        int64_t left = deadline - shim_now_ms();
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
                 shim_wait_fd(fd, POLLOUT, deadline)))
                continue;
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

bool shim_recv_all(int fd, void *buf, size_t len, int64_t deadline)
{
    uint8_t *p = buf;

    while (len) {
        ssize_t n = recv(fd, p, len, MSG_DONTWAIT);

        if (n < 0) {
            if (errno == EINTR ||
                ((errno == EAGAIN || errno == EWOULDBLOCK) &&
                 shim_wait_fd(fd, POLLIN, deadline)))
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

/* ---- one exchange ---- */

/* Reads the input regions of r[0..n) from the client into dst, in order:
 * the bytes of those read already, then one process_vm_readv() for the
 * rest, and one more after each region that faults. fault[i] is set for a
 * region that cannot be read whole (copy_from_user() would fail), which
 * leaves no bytes. Returns the bytes written. */
static size_t gather(const struct shim_region *r, unsigned n, uint8_t *dst,
                     uint32_t *fault)
{
    size_t at = 0;

    for (unsigned i = 0; i < n;) {
        struct iovec local[SHIM_MAX_REGIONS], remote[SHIM_MAX_REGIONS];
        unsigned k = 0, j;
        size_t o = at;
        ssize_t got;

        if (!(r[i].dir & SHIM_IN) || r[i].data) {
            if (r[i].dir & SHIM_IN) {
                memcpy(dst + at, r[i].data, r[i].len);
                at += r[i].len;
            }
            fault[i++] = 0;
            continue;
        }
        for (j = i; j < n && !r[j].data; j++) {
            if (!(r[j].dir & SHIM_IN))
                continue;
            local[k] = (struct iovec){ dst + o, r[j].len };
            remote[k++] = (struct iovec){ (void *)(uintptr_t)r[j].addr,
                                          r[j].len };
            o += r[j].len;
        }
        got = process_vm_readv(pid(), local, k, remote, k, 0);
        if (got < 0)
            got = 0;
        /* Whole regions, up to the first one that came short. */
        for (; i < j; i++) {
            fault[i] = 0;
            if (!(r[i].dir & SHIM_IN))
                continue;
            if ((size_t)got < r[i].len) {
                fault[i++] = 1;
                break;
            }
            got -= (ssize_t)r[i].len;
            at += r[i].len;
        }
    }
    return at;
}

/* An IOCTL's regions after its body at b: a descriptor for each input
 * region of q, then their bytes. The body's length with them. */
static size_t put_ioctl_regions(const struct shim_req *q, uint8_t *b,
                                size_t len)
{
    uint32_t fault[SHIM_MAX_REGIONS], n = 0;
    uint8_t *d = b + len;
    size_t data;

    for (unsigned i = 0; i < q->n; i++)
        n += (q->r[i].dir & SHIM_IN) != 0;
    data = gather(q->r, q->n, d + n * sizeof(struct sockproto_in), fault);
    for (unsigned i = 0, k = 0; i < q->n; i++) {
        struct sockproto_in s = { q->r[i].addr, q->r[i].len, fault[i] };

        if (q->r[i].dir & SHIM_IN)
            memcpy(d + k++ * sizeof s, &s, sizeof s);
    }
    memcpy(b + offsetof(struct sockproto_ioctl, nin), &n, sizeof n);
    return len + n * sizeof(struct sockproto_in) + data;
}

/* A WRITE's bytes after its body at b, or its fault flag set. */
static size_t put_write_bytes(const struct shim_req *q, uint8_t *b,
                              size_t len)
{
    uint32_t fault = 0;
    size_t data = q->n ? gather(q->r, 1, b + len, &fault) : 0;

    memcpy(b + offsetof(struct sockproto_write, fault), &fault, sizeof fault);
    return len + data;
}

/* The request in f->buf: its length. */
static size_t build(struct efile *f, const struct shim_req *q, uint32_t type,
                    const void *body, size_t len)
{
    uint8_t *b = f->buf + sizeof(struct sockproto_hdr);
    struct sockproto_hdr h = { type, 0 };

    memcpy(b, body, len);
    if (type == SOCKPROTO_IOCTL)
        len = put_ioctl_regions(q, b, len);
    else if (type == SOCKPROTO_WRITE)
        len = put_write_bytes(q, b, len);
    h.len = (uint32_t)len;
    memcpy(f->buf, &h, sizeof h);
    return sizeof h + len;
}

/* One whole message into f->buf, with one recv() once it has arrived:
 * the daemon sends nothing unasked, so whatever is there is this one. */
static bool recv_msg(int fd, struct efile *f, struct sockproto_hdr *h,
                     int64_t deadline)
{
    size_t got = 0;

    for (;;) {
        ssize_t n;

        if (got >= sizeof *h) {
            memcpy(h, f->buf, sizeof *h);
            if (h->len > sizeof f->buf - sizeof *h ||
                got > sizeof *h + h->len) {
                errno = EIO;
                return false;
            }
            if (got == sizeof *h + h->len)
                return true;
        }
        if (!shim_wait_fd(fd, POLLIN, deadline))
            return false;
        n = recv(fd, f->buf + got, sizeof f->buf - got, MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            return false;
        }
        if (n == 0) {
            errno = EIO;
            return false;
        }
        got += (size_t)n;
    }
}

/* A RESULT's body at p: every region checked, then all written with one
 * process_vm_writev(). Like the kernel, the copy stops at the first fault
 * and the call fails with EFAULT: the transfer has happened all the same. */
static bool take_result(struct efile *f, const struct shim_req *q,
                        uint32_t len, long *result)
{
    const uint8_t *p = f->buf + sizeof(struct sockproto_hdr);
    struct iovec local[SOCKPROTO_MAX_OUT], remote[SOCKPROTO_MAX_OUT];
    struct sockproto_result r;
    size_t total = 0;

    if (len < sizeof r)
        return false;
    memcpy(&r, p, sizeof r);
    if (r.nout > SOCKPROTO_MAX_OUT || !shim_req_result_ok(q, r.result))
        return false;
    p += sizeof r;
    len -= (uint32_t)sizeof r;
    for (uint32_t i = 0; i < r.nout; i++) {
        struct sockproto_out o;

        if (len < sizeof o)
            return false;
        memcpy(&o, p, sizeof o);
        if (o.len > SOCKPROTO_MAX_REGION || len - sizeof o < o.len ||
            !shim_req_allows(q, SHIM_OUT, o.addr, o.len))
            return false;
        local[i] = (struct iovec){ (void *)(p + sizeof o), o.len };
        remote[i] = (struct iovec){ (void *)(uintptr_t)o.addr, o.len };
        total += o.len;
        p += sizeof o + o.len;
        len -= (uint32_t)sizeof o + o.len;
    }
    if (len != 0)
        return false;
    *result = (long)r.result;
    if (*result >= 0 && r.nout &&
        process_vm_writev(pid(), local, r.nout, remote, r.nout, 0) !=
            (ssize_t)total)
        *result = -EFAULT;
    return true;
}

/* A NEED: the region, if q allows it, as a MEM or a MEMFAULT. */
static bool answer_need(int fd, struct efile *f, const struct shim_req *q,
                        uint32_t len, int64_t deadline)
{
    struct sockproto_need need;
    struct sockproto_hdr h = { SOCKPROTO_MEM, 0 };

    if (len != sizeof need)
        return false;
    memcpy(&need, f->buf + sizeof h, sizeof need);
    if (need.len > SOCKPROTO_MAX_REGION ||
        !shim_req_allows(q, SHIM_IN, need.addr, need.len))
        return false;
    if (shim_vm_copy(false, need.addr, f->buf + sizeof h, need.len))
        h.len = need.len;
    else
        h.type = SOCKPROTO_MEMFAULT;
    memcpy(f->buf, &h, sizeof h);
    return send_all(fd, f->buf, sizeof h + h.len, deadline);
}

/* Under f->lock: the result, or -errno. Any surprise ends the stream. */
static long exchange(int fd, struct efile *f, const struct shim_req *q,
                     uint32_t type, const void *body, size_t len)
{
    int64_t deadline = shim_now_ms() + f->timeout_ms + SHIM_MARGIN_MS;
    struct sockproto_hdr h;
    long r;

    /* A long transfer may take its time on a slow bus: 1 ms a byte is
     * 10 kHz, SMBus's slowest clock. */
    for (unsigned i = 0; i < q->n; i++)
        deadline += q->r[i].len;

    errno = 0; /* ETIMEDOUT below is the deadline's, nothing older */
    if (!send_all(fd, f->buf, build(f, q, type, body, len), deadline))
        goto broken;
    for (;;) {
        if (!recv_msg(fd, f, &h, deadline))
            goto broken;
        if (h.type == SOCKPROTO_RESULT) {
            if (!take_result(f, q, h.len, &r))
                goto broken;
            return r;
        }
        /* A region the request did not carry (none of the ABI's). */
        if (h.type != SOCKPROTO_NEED ||
            !answer_need(fd, f, q, h.len, deadline))
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
                 uint32_t type, const void *body, size_t len)
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
        r = exchange(fd, f, q, type, body, len);
        pthread_mutex_unlock(&f->lock);
    }
    shim_sigrestore(&mask);
    pthread_setcancelstate(cancel, NULL);
    if (r >= 0)
        return r;
    errno = (int)-r;
    return -1;
}
