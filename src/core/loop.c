/* SPDX-License-Identifier: MIT */
/*
 * The event loop and clock. libuv polls the file descriptors; timers and
 * deferred calls are ours, so that the same code runs on the wall clock
 * (REALTIME), on a virtual clock that jumps (FAST) and on a virtual clock
 * that tests step (VIRTUAL). In REALTIME one timerfd, armed for the
 * earliest deadline, wakes libuv with nanosecond precision.
 */
#include "core/loop_internal.h"
#include "core/hot.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

struct i2cemu_loop {
    uv_loop_t uv;
    enum i2cemu_clock_mode mode;
    uint64_t virt_ns;                 /* FAST and VIRTUAL time */
    struct i2cemu_timer *timers;      /* sorted by deadline */
    struct i2cemu_timer *defer_head, *defer_tail;
    int tfd;                          /* REALTIME wake-up timerfd */
    uv_poll_t tfd_poll;
    bool stop;
    /* The engine's owner (i2cemu_loop_enter): sleepers, and the mutex a
     * second thread takes while the loop's thread waits for events. */
    struct i2cemu_loop_sleeper *sleepers;
    uv_prepare_t prepare;
    uv_check_t check;
    bool threaded;      /* i2cemu_loop_threads_enable() was called */
    bool other_thread;  /* the engine is entered from another thread */
    bool rearm_pending; /* that thread changed the first timer */
    bool had_timers;    /* a timer was pending when that thread entered */
    bool lent;          /* the loop's thread has let go of the engine */
    struct i2cemu_watch *pending_watches; /* events that thread changed */
    pthread_mutex_t mutex;
    uv_async_t async;
};

struct i2cemu_watch {
    uv_poll_t poll;
    struct i2cemu_loop *loop;
    /* Set by another thread: applied by the loop's thread on waking. */
    int pending_events;
    bool pending;
    struct i2cemu_watch *next_pending;
    int fd;
    i2cemu_watch_fn fn;
    void *opaque;
};

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t i2cemu_loop_now(const struct i2cemu_loop *l)
{
    return l->mode == I2CEMU_CLOCK_REALTIME ? monotonic_ns() : l->virt_ns;
}

enum i2cemu_clock_mode i2cemu_loop_mode(const struct i2cemu_loop *l)
{
    return l->mode;
}

static void take_back(struct i2cemu_loop *l);

static void tfd_cb(uv_poll_t *h, int status, int events)
{
    struct i2cemu_loop *l = h->data;
    uint64_t n;
    (void)status;
    (void)events;
    take_back(l);
    /* Only drains the expiry count; due timers run in run_once. */
    if (read(l->tfd, &n, sizeof(n)) < 0) {
        /* EAGAIN: a re-arm raced the wake-up; nothing to drain. */
    }
}

/* ---- who runs the engine (loop.h, "Sharing the engine") ---- */

static void rearm_tfd(struct i2cemu_loop *l);

I2CEMU_HOT
static void sleepers_sleep(struct i2cemu_loop *l)
{
    for (struct i2cemu_loop_sleeper *s = l->sleepers; s; s = s->next)
        s->sleep(s);
}

I2CEMU_HOT
static void sleepers_wake(struct i2cemu_loop *l)
{
    for (struct i2cemu_loop_sleeper *s = l->sleepers; s; s = s->next)
        s->wake(s);
}

/* libuv's prepare phase: right before it waits for events. */
static void prepare_cb(uv_prepare_t *h)
{
    struct i2cemu_loop *l = h->data;
    sleepers_sleep(l);
    l->lent = true;
    if (l->threaded)
        pthread_mutex_unlock(&l->mutex);
}

/* Right after the wait, before any callback: libuv runs the I/O callbacks
 * inside its poll phase, so the first of them takes the engine back, or
 * the check phase if none ran. */
static void apply_events(struct i2cemu_watch *w, int events);

static void take_back(struct i2cemu_loop *l)
{
    if (!l->lent)
        return;
    l->lent = false;
    if (l->threaded) {
        pthread_mutex_lock(&l->mutex);
        if (l->rearm_pending) {
            l->rearm_pending = false;
            rearm_tfd(l);
        }
        while (l->pending_watches) {
            struct i2cemu_watch *w = l->pending_watches;
            l->pending_watches = w->next_pending;
            w->pending = false;
            apply_events(w, w->pending_events);
        }
    }
    sleepers_wake(l);
}

static void check_cb(uv_check_t *h)
{
    take_back(h->data);
}

/* Only wakes the loop: the work it was woken for is on its lists. */
static void async_cb(uv_async_t *h)
{
    take_back(h->data);
}

void i2cemu_loop_add_sleeper(struct i2cemu_loop *l,
                             struct i2cemu_loop_sleeper *s)
{
    s->next = l->sleepers;
    l->sleepers = s;
}

void i2cemu_loop_remove_sleeper(struct i2cemu_loop *l,
                                struct i2cemu_loop_sleeper *s)
{
    for (struct i2cemu_loop_sleeper **pp = &l->sleepers; *pp;
         pp = &(*pp)->next)
        if (*pp == s) {
            *pp = s->next;
            break;
        }
    s->next = NULL;
}

int i2cemu_loop_threads_enable(struct i2cemu_loop *l)
{
    if (l->threaded)
        return 0;
    if (pthread_mutex_init(&l->mutex, NULL) != 0)
        return -1;
    if (uv_async_init(&l->uv, &l->async, async_cb) != 0) {
        pthread_mutex_destroy(&l->mutex);
        return -1;
    }
    l->async.data = l;
    uv_unref((uv_handle_t *)&l->async);
    /* The calling (loop's) thread holds the engine until it next waits. */
    pthread_mutex_lock(&l->mutex);
    l->threaded = true;
    return 0;
}

I2CEMU_HOT
void i2cemu_loop_enter(struct i2cemu_loop *l)
{
    pthread_mutex_lock(&l->mutex);
    l->other_thread = true;
    l->had_timers = l->timers != NULL;
    sleepers_wake(l);
}

I2CEMU_HOT
void i2cemu_loop_leave(struct i2cemu_loop *l)
{
    sleepers_sleep(l);
    /* Work left for the loop: it may be waiting with no timeout. */
    /* A timer matters only if the loop may be waiting without it: on
     * FAST it never waits while one is pending, so only a first one; on
     * REALTIME only a new first deadline, which set rearm_pending. */
    bool wake = l->defer_head || l->rearm_pending || l->pending_watches ||
                (l->mode == I2CEMU_CLOCK_FAST && l->timers && !l->had_timers);
    l->other_thread = false;
    pthread_mutex_unlock(&l->mutex);
    if (wake)
        uv_async_send(&l->async);
}

struct i2cemu_loop *i2cemu_loop_new(enum i2cemu_clock_mode mode)
{
    struct i2cemu_loop *l = calloc(1, sizeof(*l));
    if (!l)
        return NULL;
    l->mode = mode;
    l->tfd = -1;
    if (uv_loop_init(&l->uv) != 0) {
        free(l);
        return NULL;
    }
    uv_prepare_init(&l->uv, &l->prepare);
    uv_check_init(&l->uv, &l->check);
    l->prepare.data = l->check.data = l;
    uv_prepare_start(&l->prepare, prepare_cb);
    uv_check_start(&l->check, check_cb);
    /* They run on every turn but keep nothing alive. */
    uv_unref((uv_handle_t *)&l->prepare);
    uv_unref((uv_handle_t *)&l->check);
    if (mode == I2CEMU_CLOCK_REALTIME) {
        l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (l->tfd < 0 || uv_poll_init(&l->uv, &l->tfd_poll, l->tfd) != 0) {
            if (l->tfd >= 0)
                close(l->tfd);
            uv_loop_close(&l->uv);
            free(l);
            return NULL;
        }
        l->tfd_poll.data = l;
        /* The wake-up source alone must not keep the loop "alive". */
        uv_unref((uv_handle_t *)&l->tfd_poll);
    }
    return l;
}

void i2cemu_loop_free(struct i2cemu_loop *l)
{
    if (!l)
        return;
    if (l->tfd >= 0)
        uv_close((uv_handle_t *)&l->tfd_poll, NULL);
    uv_close((uv_handle_t *)&l->prepare, NULL);
    uv_close((uv_handle_t *)&l->check, NULL);
    if (l->threaded)
        uv_close((uv_handle_t *)&l->async, NULL);
    /* Let pending close callbacks run (watches freed by their owners). */
    uv_run(&l->uv, UV_RUN_NOWAIT);
    uv_loop_close(&l->uv);
    if (l->tfd >= 0)
        close(l->tfd);
    if (l->threaded) {
        pthread_mutex_unlock(&l->mutex);
        pthread_mutex_destroy(&l->mutex);
    }
    free(l);
}

void i2cemu_timer_init(struct i2cemu_timer *t,
                       void (*cb)(struct i2cemu_timer *t), void *opaque)
{
    memset(t, 0, sizeof(*t));
    t->cb = cb;
    t->opaque = opaque;
}

static void rearm_tfd(struct i2cemu_loop *l)
{
    if (l->mode != I2CEMU_CLOCK_REALTIME)
        return;
    /* libuv's handles belong to the loop's thread: it re-arms on waking. */
    if (l->other_thread) {
        l->rearm_pending = true;
        return;
    }
    struct itimerspec its = {0};
    if (l->timers) {
        uint64_t d = l->timers->deadline_ns;
        /* 0 disarms a timerfd: a deadline already due becomes 1 ns. */
        if (d == 0)
            d = 1;
        its.it_value.tv_sec = (time_t)(d / 1000000000u);
        its.it_value.tv_nsec = (long)(d % 1000000000u);
        uv_poll_start(&l->tfd_poll, UV_READABLE, tfd_cb);
        uv_ref((uv_handle_t *)&l->tfd_poll);
    } else {
        uv_poll_stop(&l->tfd_poll);
    }
    timerfd_settime(l->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void unlink_timer(struct i2cemu_loop *l, struct i2cemu_timer *t)
{
    struct i2cemu_timer **pp = t->deferred ? &l->defer_head : &l->timers;
    struct i2cemu_timer *prev = NULL;
    for (; *pp; prev = *pp, pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            if (t->deferred && l->defer_tail == t)
                l->defer_tail = prev;
            break;
        }
    }
    t->next = NULL;
    t->armed = false;
    t->deferred = false;
}

void i2cemu_timer_stop(struct i2cemu_loop *l, struct i2cemu_timer *t)
{
    if (!t->armed)
        return;
    bool head = !t->deferred && l->timers == t;
    unlink_timer(l, t);
    if (head)
        rearm_tfd(l);
}

void i2cemu_timer_start(struct i2cemu_loop *l, struct i2cemu_timer *t,
                        uint64_t deadline_ns)
{
    i2cemu_timer_stop(l, t);
    t->deadline_ns = deadline_ns;
    struct i2cemu_timer **pp = &l->timers;
    /* Equal deadlines fire in the order they were armed. */
    while (*pp && (*pp)->deadline_ns <= deadline_ns)
        pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
    t->armed = true;
    if (l->timers == t)
        rearm_tfd(l);
}

void i2cemu_loop_defer(struct i2cemu_loop *l, struct i2cemu_timer *t)
{
    i2cemu_timer_stop(l, t);
    t->deferred = true;
    t->armed = true;
    t->next = NULL;
    if (l->defer_tail)
        l->defer_tail->next = t;
    else
        l->defer_head = t;
    l->defer_tail = t;
}

static void run_deferred(struct i2cemu_loop *l)
{
    while (l->defer_head) {
        struct i2cemu_timer *t = l->defer_head;
        unlink_timer(l, t);
        t->cb(t);
    }
}

/* Fire every timer due at `now`, in deadline order. */
static void fire_due(struct i2cemu_loop *l, uint64_t now)
{
    while (l->timers && l->timers->deadline_ns <= now) {
        struct i2cemu_timer *t = l->timers;
        unlink_timer(l, t);
        t->cb(t);
    }
    rearm_tfd(l);
}

void i2cemu_loop_bump(struct i2cemu_loop *l, uint64_t t_ns)
{
    if (l->mode == I2CEMU_CLOCK_FAST && t_ns > l->virt_ns)
        l->virt_ns = t_ns;
}

void i2cemu_loop_advance(struct i2cemu_loop *l, uint64_t ns)
{
    if (l->mode == I2CEMU_CLOCK_REALTIME)
        return;
    uint64_t end = l->virt_ns + ns;
    /* Step through each deadline so callbacks see their own time. */
    while (l->timers && l->timers->deadline_ns <= end) {
        if (l->timers->deadline_ns > l->virt_ns)
            l->virt_ns = l->timers->deadline_ns;
        fire_due(l, l->virt_ns);
        run_deferred(l);
    }
    l->virt_ns = end;
    run_deferred(l);
}

bool i2cemu_loop_run_once(struct i2cemu_loop *l, bool block)
{
    run_deferred(l);
    if (l->mode != I2CEMU_CLOCK_FAST)
        fire_due(l, i2cemu_loop_now(l));

    /* FAST: a pending timer is work to do now (time jumps to it), so
     * polling must not block. Otherwise block even if work was just done:
     * a second, non-blocking poll would cost a system call per request. */
    bool busy = l->defer_head || (l->mode == I2CEMU_CLOCK_FAST && l->timers);
    uv_run(&l->uv, block && !busy ? UV_RUN_ONCE : UV_RUN_NOWAIT);
    run_deferred(l);

    if (l->mode == I2CEMU_CLOCK_FAST && !l->defer_head && l->timers) {
        struct i2cemu_timer *t = l->timers;
        if (t->deadline_ns > l->virt_ns)
            l->virt_ns = t->deadline_ns;
        fire_due(l, l->virt_ns);
    }
    if (l->mode == I2CEMU_CLOCK_REALTIME)
        fire_due(l, monotonic_ns());

    /* Something can still happen without a test stepping the clock. */
    return l->defer_head || (l->timers && l->mode != I2CEMU_CLOCK_VIRTUAL) ||
           uv_loop_alive(&l->uv);
}

int i2cemu_loop_run(struct i2cemu_loop *l)
{
    l->stop = false;
    while (!l->stop && i2cemu_loop_run_once(l, true))
        ;
    return 0;
}

void i2cemu_loop_stop(struct i2cemu_loop *l)
{
    l->stop = true;
    uv_stop(&l->uv);
}

static void watch_cb(uv_poll_t *h, int status, int events)
{
    struct i2cemu_watch *w = h->data;
    int revents = 0;
    take_back(w->loop);
    if (status < 0)
        revents |= POLLERR;
    if (events & UV_READABLE)
        revents |= POLLIN;
    if (events & UV_WRITABLE)
        revents |= POLLOUT;
    if (events & UV_DISCONNECT)
        revents |= POLLHUP;
    w->fn(w, w->fd, revents, w->opaque);
}

static int uv_events(int events)
{
    return ((events & POLLIN) ? UV_READABLE : 0) |
           ((events & POLLOUT) ? UV_WRITABLE : 0);
}

struct i2cemu_watch *i2cemu_watch_new(struct i2cemu_loop *l, int fd, int events,
                                      i2cemu_watch_fn fn, void *opaque)
{
    struct i2cemu_watch *w = calloc(1, sizeof(*w));
    if (!w)
        return NULL;
    if (uv_poll_init(&l->uv, &w->poll, fd) != 0) {
        free(w);
        return NULL;
    }
    w->poll.data = w;
    w->loop = l;
    w->fd = fd;
    w->fn = fn;
    w->opaque = opaque;
    i2cemu_watch_set_events(w, events);
    return w;
}

static void apply_events(struct i2cemu_watch *w, int events)
{
    if (events & (POLLIN | POLLOUT))
        uv_poll_start(&w->poll, uv_events(events), watch_cb);
    else
        uv_poll_stop(&w->poll);
}

void i2cemu_watch_set_events(struct i2cemu_watch *w, int events)
{
    struct i2cemu_loop *l = w->loop;
    /* libuv's handles belong to the loop's thread: it applies them on
     * waking (a trace streamed to a control client, from a transfer). */
    if (l->other_thread) {
        w->pending_events = events;
        if (!w->pending) {
            w->pending = true;
            w->next_pending = l->pending_watches;
            l->pending_watches = w;
        }
        return;
    }
    apply_events(w, events);
}

static void watch_closed(uv_handle_t *h)
{
    free(h->data);
}

void i2cemu_watch_free(struct i2cemu_watch *w)
{
    if (!w)
        return;
    if (w->pending) {
        struct i2cemu_watch **pp = &w->loop->pending_watches;
        while (*pp != w)
            pp = &(*pp)->next_pending;
        *pp = w->next_pending;
        w->pending = false;
    }
    uv_poll_stop(&w->poll);
    uv_close((uv_handle_t *)&w->poll, watch_closed);
}
