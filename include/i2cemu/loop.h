/* SPDX-License-Identifier: MIT */
/* The event loop and the board clock: one thread, fd watches, timers and
 * deferred calls, behind a small interface of ours (libuv underneath). */
#ifndef I2CEMU_LOOP_H
#define I2CEMU_LOOP_H

#include <i2cemu/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Clock modes.
 *  FAST      time is virtual: it advances by the bus time each transfer
 *            costs, and jumps to the next timer when one is due, so
 *            transfers complete as fast as the CPU allows. Devices skip
 *            their internal busy periods (EEPROM write cycles).
 *  REALTIME  time is CLOCK_MONOTONIC; transfers are paced to it.
 *  VIRTUAL   time moves only when i2cemu_loop_advance() is called (tests).
 *            Transfers complete at once; timers fire when time is stepped.
 */
enum i2cemu_clock_mode {
    I2CEMU_CLOCK_FAST,
    I2CEMU_CLOCK_REALTIME,
    I2CEMU_CLOCK_VIRTUAL,
};

struct i2cemu_loop;

/* A timer or deferred call. Embed it in your own struct; no allocation. */
struct i2cemu_timer {
    void (*cb)(struct i2cemu_timer *t);
    void *opaque;
    uint64_t deadline_ns;
    struct i2cemu_timer *next; /* private: pending or deferred list */
    bool armed;                /* private: on one of the lists */
    bool deferred;             /* private: on the deferred list */
};

/* An fd watch. Events are POLLIN / POLLOUT bits. */
struct i2cemu_watch;
typedef void (*i2cemu_watch_fn)(struct i2cemu_watch *w, int fd, int revents,
                                void *opaque);

struct i2cemu_loop *i2cemu_loop_new(enum i2cemu_clock_mode mode);
void i2cemu_loop_free(struct i2cemu_loop *l);
enum i2cemu_clock_mode i2cemu_loop_mode(const struct i2cemu_loop *l);

/* Run until i2cemu_loop_stop(). Returns 0. */
int i2cemu_loop_run(struct i2cemu_loop *l);
/* Run one iteration; block for events if `block`. Returns true while
 * anything (watch, timer, deferred call) is still pending. */
bool i2cemu_loop_run_once(struct i2cemu_loop *l, bool block);
void i2cemu_loop_stop(struct i2cemu_loop *l);

/* Current time in ns on this loop's clock (see the modes above). */
uint64_t i2cemu_loop_now(const struct i2cemu_loop *l);
/* FAST and VIRTUAL: move time forward by `ns`, firing due timers in order.
 * REALTIME: no effect. */
void i2cemu_loop_advance(struct i2cemu_loop *l, uint64_t ns);

void i2cemu_timer_init(struct i2cemu_timer *t,
                       void (*cb)(struct i2cemu_timer *t), void *opaque);
/* Arm (or re-arm) for an absolute deadline on the loop's clock. */
void i2cemu_timer_start(struct i2cemu_loop *l, struct i2cemu_timer *t,
                        uint64_t deadline_ns);
void i2cemu_timer_stop(struct i2cemu_loop *l, struct i2cemu_timer *t);
/* Run `t->cb` from the loop soon, before it waits for I/O. */
void i2cemu_loop_defer(struct i2cemu_loop *l, struct i2cemu_timer *t);

struct i2cemu_watch *i2cemu_watch_new(struct i2cemu_loop *l, int fd, int events,
                                      i2cemu_watch_fn fn, void *opaque);
void i2cemu_watch_set_events(struct i2cemu_watch *w, int events);
/* Stops watching; the fd is not closed. Safe from inside the callback. */
void i2cemu_watch_free(struct i2cemu_watch *w);

/*
 * Sharing the engine. The loop's thread owns the engine (the boards on
 * the loop, their devices and frontends) except while it waits for
 * events. Sleepers are hooks it runs right before that wait, to lend out
 * what another process may use meanwhile (a bus in shared memory), and
 * right after it, before any callback, to take it back.
 *
 * Another thread of this process may run the engine while the loop waits
 * (a frontend's blocking reader): enable it once from the loop's thread,
 * then that thread brackets its work with enter (blocks until the loop
 * waits; runs the wake hooks) and leave (runs the sleep hooks, and wakes
 * the loop if it left work for it: a deferred call or a timer). Between
 * the two it may do anything the loop's thread may, but must not run the
 * loop itself, nor create or free a watch (a change of a watch's events
 * takes effect when the loop wakes).
 */
struct i2cemu_loop_sleeper {
    void (*sleep)(struct i2cemu_loop_sleeper *s);
    void (*wake)(struct i2cemu_loop_sleeper *s);
    struct i2cemu_loop_sleeper *next; /* private */
};
/* Called from the loop's thread (or between enter and leave). */
void i2cemu_loop_add_sleeper(struct i2cemu_loop *l,
                             struct i2cemu_loop_sleeper *s);
void i2cemu_loop_remove_sleeper(struct i2cemu_loop *l,
                                struct i2cemu_loop_sleeper *s);
/* 0, or -1 (no resources). Idempotent. */
int i2cemu_loop_threads_enable(struct i2cemu_loop *l);
void i2cemu_loop_enter(struct i2cemu_loop *l);
void i2cemu_loop_leave(struct i2cemu_loop *l);

#ifdef __cplusplus
}
#endif
#endif
