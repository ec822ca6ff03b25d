// SPDX-License-Identifier: MIT
/*
 * The threads that read CUSE sessions (cuse_reader.h). Waking the event
 * loop for every request would cost an epoll_wait and an empty read more
 * than libfuse's own blocking loop, and under a TCG guest system calls are
 * most of a request's cost: a reader serves one request at a time, as
 * that loop does, and holds the engine only while it runs one.
 */
#include "frontends/cuse_reader.h"
#include "core/hot.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* Cancellation stays enabled, and no round pays for switching it off and
 * on. Stopping cancels the reader from the loop's thread while that
 * thread holds the engine, so the reader is not in a request then and,
 * stopping set, starts none. With the engine it reaches no cancellation
 * point before it lets go: entering and leaving run only the preload
 * fast path's hooks (locks, atomics, and the FINISH event of a lent bus's
 * devices, which are client-safe: no system call). It ends in its read(),
 * or in waking the loop as it leaves, or returns. */
I2CEMU_HOT
static void serve(struct cuse_reader *r)
{
    for (;;) {
        int n = fuse_session_receive_buf(r->se, &r->buf);

        if (n == -EINTR || n == -EAGAIN)
            continue;
        if (n <= 0) {
            /* The kernel ended the session: /sys/fs/fuse/connections/N/
             * abort, or a node the kernel refused. */
            fprintf(stderr, "i2cemu: %s: the CUSE session ended\n", r->name);
            return;
        }
        i2cemu_loop_enter(r->set->loop);
        bool stopping = r->set->stopping;
        if (!stopping && !r->own(r->opaque, &r->buf))
            fuse_session_process_buf(r->se, &r->buf);
        i2cemu_loop_leave(r->set->loop);
        if (stopping)
            return; /* the request dies with the session */
    }
}

static void gone(void *opaque)
{
    struct cuse_reader *r = opaque;

    if (write(r->set->gone_fd, &(uint64_t){ 1 }, sizeof(uint64_t)) < 0) {
        /* Cannot fail: the counter takes 2^64 - 2 before it would block. */
    }
}

I2CEMU_HOT
static void *reader_main(void *opaque)
{
    pthread_cleanup_push(gone, opaque);
    serve(opaque);
    /* gone()'s write() must not be where a pending cancel ends us. */
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    pthread_cleanup_pop(1);
    return NULL;
}

static void count_gone(struct i2cemu_watch *w, int fd, int revents,
                       void *opaque)
{
    struct cuse_readers *rs = opaque;
    uint64_t n;

    (void)w;
    (void)revents;
    if (read(fd, &n, sizeof(n)) == sizeof(n))
        rs->gone += n;
}

int cuse_readers_init(struct cuse_readers *rs, struct i2cemu_loop *l)
{
    *rs = (struct cuse_readers){ .loop = l };
    rs->gone_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    /* Watched only once stopping: until then it costs the loop nothing. */
    if (rs->gone_fd < 0 || i2cemu_loop_threads_enable(l) < 0 ||
        !(rs->gone_watch = i2cemu_watch_new(l, rs->gone_fd, 0, count_gone,
                                            rs))) {
        if (rs->gone_fd >= 0)
            close(rs->gone_fd);
        rs->gone_fd = -1;
        return -1;
    }
    return 0;
}

int cuse_reader_start(struct cuse_readers *rs, struct cuse_reader *r,
                      struct fuse_session *se, const char *name,
                      cuse_reader_own_fn *own, void *opaque)
{
    sigset_t all, old;
    int e;

    r->set = rs;
    r->se = se;
    r->name = name;
    r->own = own;
    r->opaque = opaque;
    /* Every signal blocked: the process's signals are not its business. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    e = pthread_create(&r->thread, NULL, reader_main, r);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (e != 0)
        return -1;
    r->next = rs->started;
    rs->started = r;
    return 0;
}

/* After a failed init too. The loop's thread holds the engine, so no
 * reader is in a request: each is in read(), where cancelling ends it, or
 * has just read a request and waits for the engine. The loop runs until
 * each has had it, seen that we are stopping and returned. */
void cuse_readers_stop(struct cuse_readers *rs)
{
    uint64_t started = 0;

    rs->stopping = true;
    for (struct cuse_reader *r = rs->started; r; r = r->next) {
        pthread_cancel(r->thread);
        started++;
    }
    if (started) {
        i2cemu_watch_set_events(rs->gone_watch, POLLIN);
        while (rs->gone < started)
            i2cemu_loop_run_once(rs->loop, true);
    }
    for (struct cuse_reader *r = rs->started; r; r = r->next)
        pthread_join(r->thread, NULL);
    rs->started = NULL;
    i2cemu_watch_free(rs->gone_watch);
    if (rs->gone_fd >= 0)
        close(rs->gone_fd);
}
