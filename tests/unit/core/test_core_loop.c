/* SPDX-License-Identifier: MIT */
/* The loop: timers on each clock, deferred calls, fd watches. */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <i2cemu/loop.h>

/* A timer that appends its letter to a string when it fires. */
struct tagged {
    struct i2cemu_timer t;
    char tag;
    char *out;
};

static void tagged_cb(struct i2cemu_timer *t)
{
    struct tagged *x = (struct tagged *)t;
    size_t n = strlen(x->out);
    x->out[n] = x->tag;
    x->out[n + 1] = '\0';
}

static void tagged_init(struct tagged *x, char tag, char *out)
{
    i2cemu_timer_init(&x->t, tagged_cb, NULL);
    x->tag = tag;
    x->out = out;
}

static void virtual_timers_fire_in_order_when_stepped(void **state)
{
    (void)state;
    char out[16] = "";
    struct i2cemu_loop *l = i2cemu_loop_new(I2CEMU_CLOCK_VIRTUAL);
    struct tagged a, b, c, d, e;
    tagged_init(&a, 'a', out);
    tagged_init(&b, 'b', out);
    tagged_init(&c, 'c', out);
    tagged_init(&d, 'd', out);
    tagged_init(&e, 'e', out);
    i2cemu_timer_start(l, &c.t, 300);
    i2cemu_timer_start(l, &a.t, 100);
    i2cemu_timer_start(l, &b.t, 100); /* same deadline: after a */
    i2cemu_timer_start(l, &d.t, 400);
    i2cemu_loop_defer(l, &e.t);
    i2cemu_timer_stop(l, &d.t);
    /* Time does not move by itself. */
    assert_false(i2cemu_loop_run_once(l, true));
    assert_string_equal(out, "e");
    assert_int_equal(i2cemu_loop_now(l), 0);
    i2cemu_loop_advance(l, 99);
    assert_string_equal(out, "e");
    i2cemu_loop_advance(l, 1);
    assert_string_equal(out, "eab");
    i2cemu_loop_advance(l, 1000);
    assert_string_equal(out, "eabc");
    assert_int_equal(i2cemu_loop_now(l), 1100);
    i2cemu_loop_free(l);
}

static void fast_clock_jumps_to_the_next_timer(void **state)
{
    (void)state;
    char out[16] = "";
    struct i2cemu_loop *l = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct tagged a, b;
    tagged_init(&a, 'a', out);
    tagged_init(&b, 'b', out);
    i2cemu_timer_start(l, &b.t, 5000000000ull); /* 5 s of virtual time */
    i2cemu_timer_start(l, &a.t, 1000);
    while (i2cemu_loop_run_once(l, true))
        ;
    assert_string_equal(out, "ab");
    assert_int_equal(i2cemu_loop_now(l), 5000000000ull);
    i2cemu_loop_free(l);
}

static void realtime_timer_waits_for_the_wall_clock(void **state)
{
    (void)state;
    char out[16] = "";
    struct i2cemu_loop *l = i2cemu_loop_new(I2CEMU_CLOCK_REALTIME);
    struct tagged a;
    tagged_init(&a, 'a', out);
    uint64_t t0 = i2cemu_loop_now(l);
    i2cemu_timer_start(l, &a.t, t0 + 3000000);
    while (!out[0])
        i2cemu_loop_run_once(l, true);
    assert_true(i2cemu_loop_now(l) - t0 >= 3000000);
    assert_false(i2cemu_loop_run_once(l, false));
    i2cemu_loop_free(l);
}

struct pipe_ctx {
    int reads;
    struct i2cemu_watch *w;
};

static void pipe_cb(struct i2cemu_watch *w, int fd, int revents, void *opaque)
{
    struct pipe_ctx *c = opaque;
    char buf[8];
    assert_true(revents & POLLIN);
    assert_int_equal(read(fd, buf, sizeof(buf)), 3);
    c->reads++;
    i2cemu_watch_free(w); /* allowed from inside the callback */
    c->w = NULL;
}

static void fd_watch_reports_readable(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    struct i2cemu_loop *l = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct pipe_ctx c = {0};
    c.w = i2cemu_watch_new(l, p[0], POLLIN, pipe_cb, &c);
    assert_non_null(c.w);
    assert_int_equal(write(p[1], "abc", 3), 3);
    while (c.reads == 0)
        i2cemu_loop_run_once(l, true);
    assert_int_equal(c.reads, 1);
    assert_null(c.w);
    i2cemu_loop_free(l);
    close(p[0]);
    close(p[1]);
}

/* ---- sharing the engine ---- */

struct share_ctx {
    struct i2cemu_loop *l;
    struct i2cemu_loop_sleeper s;
    int sleeps, wakes;   /* sleeper calls */
    bool held;           /* the engine's owner, as the sleepers see it */
    struct tagged later; /* deferred or armed by the other thread */
    bool timer;          /* armed, not deferred */
    char out[8];
};

static void ctx_sleep(struct i2cemu_loop_sleeper *s)
{
    struct share_ctx *c = (struct share_ctx *)((char *)s - offsetof(struct share_ctx, s));
    assert_true(c->held);
    c->held = false;
    c->sleeps++;
}

static void ctx_wake(struct i2cemu_loop_sleeper *s)
{
    struct share_ctx *c = (struct share_ctx *)((char *)s - offsetof(struct share_ctx, s));
    assert_false(c->held);
    c->held = true;
    c->wakes++;
}

static void *other_thread(void *arg)
{
    struct share_ctx *c = arg;
    i2cemu_loop_enter(c->l);
    /* The loop waits (with no timeout: nothing is pending) and the wake
     * hooks ran for this thread. */
    assert_true(c->held);
    if (c->timer) /* the first: FAST jumps to it once the loop wakes */
        i2cemu_timer_start(c->l, &c->later.t, i2cemu_loop_now(c->l) + 1000);
    else
        i2cemu_loop_defer(c->l, &c->later.t);
    i2cemu_loop_leave(c->l);
    return NULL;
}

/* Sleepers run around every wait; another thread runs the engine only
 * while the loop waits, and work it leaves wakes the loop. */
static void run_other_thread(bool timer)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    struct share_ctx c = { .held = true, .timer = timer };
    c.l = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    tagged_init(&c.later, 'x', c.out);
    c.s.sleep = ctx_sleep;
    c.s.wake = ctx_wake;
    i2cemu_loop_add_sleeper(c.l, &c.s);
    assert_int_equal(i2cemu_loop_threads_enable(c.l), 0);
    /* Something to keep the loop alive and waiting. */
    struct pipe_ctx pc = {0};
    pc.w = i2cemu_watch_new(c.l, p[0], POLLIN, pipe_cb, &pc);

    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, other_thread, &c), 0);
    /* Only the other thread's deferred call can end this wait. */
    while (c.out[0] == '\0')
        i2cemu_loop_run_once(c.l, true);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_string_equal(c.out, "x");
    assert_true(c.held);
    assert_true(c.sleeps >= 2); /* the loop's wait, the thread's leave */
    assert_int_equal(c.sleeps, c.wakes);

    i2cemu_loop_remove_sleeper(c.l, &c.s);
    i2cemu_watch_free(pc.w);
    i2cemu_loop_free(c.l);
    close(p[0]);
    close(p[1]);
}

static void another_thread_runs_the_engine_while_the_loop_waits(void **state)
{
    (void)state;
    run_other_thread(false);
}

/* A first timer armed by the other thread wakes a FAST loop waiting with
 * no timeout (it would otherwise wait for the pipe forever). */
static void another_threads_first_timer_wakes_the_loop(void **state)
{
    (void)state;
    run_other_thread(true);
}

struct busy_ctx {
    struct share_ctx *c;
    int p[2];
    atomic_bool inside; /* the other thread is between enter and leave */
    bool overlapped, woken;
};

static void busy_pipe_cb(struct i2cemu_watch *w, int fd, int revents,
                         void *opaque)
{
    struct busy_ctx *b = opaque;
    char ch;
    (void)revents;
    assert_int_equal(read(fd, &ch, 1), 1);
    b->overlapped = atomic_load(&b->inside);
    b->woken = b->c->held;
    i2cemu_watch_free(w);
}

static void *busy_thread(void *arg)
{
    struct busy_ctx *b = arg;
    i2cemu_loop_enter(b->c->l);
    atomic_store(&b->inside, true);
    assert_int_equal(write(b->p[1], "x", 1), 1);
    /* Long enough for the loop to see the pipe readable meanwhile. */
    nanosleep(&(struct timespec){ .tv_nsec = 100000000 }, NULL);
    atomic_store(&b->inside, false);
    i2cemu_loop_leave(b->c->l);
    return NULL;
}

/* An fd that becomes readable while another thread runs the engine: its
 * callback waits for that thread to leave, and runs after the wake hooks
 * (libuv runs I/O callbacks before its check phase). */
static void io_callbacks_wait_for_the_other_thread(void **state)
{
    (void)state;
    struct share_ctx c = { .held = true };
    struct busy_ctx b = { .c = &c };
    assert_int_equal(pipe(b.p), 0);
    c.l = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    c.s.sleep = ctx_sleep;
    c.s.wake = ctx_wake;
    i2cemu_loop_add_sleeper(c.l, &c.s);
    assert_int_equal(i2cemu_loop_threads_enable(c.l), 0);
    assert_non_null(i2cemu_watch_new(c.l, b.p[0], POLLIN, busy_pipe_cb, &b));

    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, busy_thread, &b), 0);
    i2cemu_loop_run(c.l); /* until the watch is gone */
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_false(b.overlapped);
    assert_true(b.woken);
    assert_int_equal(c.sleeps, c.wakes);

    i2cemu_loop_remove_sleeper(c.l, &c.s);
    i2cemu_loop_free(c.l);
    close(b.p[0]);
    close(b.p[1]);
}

struct events_ctx {
    struct i2cemu_loop *l;
    struct i2cemu_watch *w;
    int reads;
};

static void events_pipe_cb(struct i2cemu_watch *w, int fd, int revents,
                           void *opaque)
{
    struct events_ctx *e = opaque;
    char ch;
    (void)revents;
    assert_int_equal(read(fd, &ch, 1), 1);
    e->reads++;
    i2cemu_watch_free(w);
    e->w = NULL;
}

static void *events_thread(void *arg)
{
    struct events_ctx *e = arg;
    i2cemu_loop_enter(e->l);
    i2cemu_watch_set_events(e->w, POLLIN);
    i2cemu_loop_leave(e->l);
    return NULL;
}

/* Another thread turns a watch on: the loop, waiting without it, wakes
 * and watches it (libuv's handles are changed on the loop's thread). */
static void another_thread_changes_a_watchs_events(void **state)
{
    (void)state;
    int p[2], idle[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(pipe(idle), 0);
    assert_int_equal(write(p[1], "x", 1), 1);
    struct events_ctx e = { .l = i2cemu_loop_new(I2CEMU_CLOCK_FAST) };
    assert_int_equal(i2cemu_loop_threads_enable(e.l), 0);
    e.w = i2cemu_watch_new(e.l, p[0], 0, events_pipe_cb, &e);
    /* Keeps the loop alive and waiting. */
    struct pipe_ctx pc = {0};
    pc.w = i2cemu_watch_new(e.l, idle[0], POLLIN, pipe_cb, &pc);

    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, events_thread, &e), 0);
    while (!e.reads)
        i2cemu_loop_run_once(e.l, true);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(e.reads, 1);

    i2cemu_watch_free(pc.w);
    i2cemu_loop_free(e.l);
    close(p[0]);
    close(p[1]);
    close(idle[0]);
    close(idle[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(virtual_timers_fire_in_order_when_stepped),
        cmocka_unit_test(fast_clock_jumps_to_the_next_timer),
        cmocka_unit_test(realtime_timer_waits_for_the_wall_clock),
        cmocka_unit_test(fd_watch_reports_readable),
        cmocka_unit_test(another_thread_runs_the_engine_while_the_loop_waits),
        cmocka_unit_test(another_threads_first_timer_wakes_the_loop),
        cmocka_unit_test(io_callbacks_wait_for_the_other_thread),
        cmocka_unit_test(another_thread_changes_a_watchs_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
