// SPDX-License-Identifier: MIT
/*
 * The daemon's side of the shared arena (share.h, docs/fastpath.md): the
 * memfd, the arena allocator that grows it, and the loop sleeper that
 * lends the eligible root buses while the loop waits and takes them back
 * when it wakes. The daemon thus only ever runs with all its buses held,
 * and no other code path of it changes.
 */
#include "core/share.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/board_internal.h"
#include "core/loop_internal.h"

struct share {
    struct i2cemu_board *b;
    int fd;
    struct share_ctrl *ctrl; /* the mapping's start */
    struct i2cemu_loop_sleeper sleeper;
    /* Connections that were given the memfd: lending is for them, and
     * costs every sleep and wake a pass over the buses, so the sleeper
     * runs only while there is one. */
    unsigned peers;
    unsigned nlent; /* buses below this index may be lent */
    bool lent[I2CEMU_MAX_BUSES];
    /* The thread holding each bus not lent: only it may unlock it. */
    pthread_t holder[I2CEMU_MAX_BUSES];
};

/* ---- the arena allocator ---------------------------------------------- */

/* Growth is ftruncate within the reservation: the mapping never moves. */
static int shared_grow(struct i2cemu_board *b, size_t cap,
                       struct i2cemu_error *err)
{
    struct share *s = b->alloc_opaque;
    size_t file = SHARE_CTRL_SIZE + cap;

    if (file > SHARE_RESERVE) {
        i2cemu_error_set(err, "board too large for the shared arena (%zu "
                         "bytes, at most %u)", cap,
                         SHARE_RESERVE - SHARE_CTRL_SIZE);
        return -1;
    }
    if (ftruncate(s->fd, (off_t)file) < 0) {
        i2cemu_error_set(err, "shared arena: %s", strerror(errno));
        return -1;
    }
    b->cap = cap; /* new bytes of a memfd read as zero */
    s->ctrl->file_size = file;
    return 0;
}

static void shared_release(struct i2cemu_board *b)
{
    struct share *s = b->alloc_opaque;

    i2cemu_loop_remove_sleeper(b->loop, &s->sleeper);
    for (unsigned i = 0; i < I2CEMU_MAX_BUSES; i++)
        if (!s->lent[i])
            pthread_mutex_unlock(&s->ctrl->bus[i].lock);
    munmap(s->ctrl, SHARE_RESERVE);
    close(s->fd);
    free(s);
}

static const struct arena_alloc shared_alloc = { shared_grow, shared_release };

static struct share *share_of(const struct i2cemu_board *b)
{
    return b->alloc == &shared_alloc ? b->alloc_opaque : NULL;
}

int share_fd(const struct i2cemu_board *b)
{
    struct share *s = share_of(b);

    return s ? s->fd : -1;
}

struct share_ctrl *share_ctrl_of(const struct i2cemu_board *b)
{
    struct share *s = share_of(b);

    return s ? s->ctrl : NULL;
}

/* ---- lending ------------------------------------------------------------ */

/* Which root buses a client may run now (docs/fastpath.md, "Eligible"):
 * idle, no trace, no fault, a FAST clock, no mux, and every device of a
 * client-safe type with no priv. One pass over buses and devices. */
static void compute_eligible(struct share *s, bool ok[], unsigned nb)
{
    struct i2cemu_board *b = s->b;
    uint64_t now = i2cemu_loop_now(b->loop);

    if (i2cemu_loop_mode(b->loop) != I2CEMU_CLOCK_FAST)
        return;
    for (unsigned i = 0; i < nb; i++) {
        const struct bus_rt *rt = &b->rt[i];
        const struct i2cemu_bus_rec *r = bus_rec(b, i);

        ok[i] = !b->changes_waiting && !rt->owner && !rt->qhead &&
                !rt->trace && !rt->faults && !r->arb_loss &&
                r->hold_until_ns <= now && r->parent_dev == I2CEMU_NONE;
    }
    for (unsigned i = 0; i < nb; i++)
        if (bus_rec(b, i)->parent_dev != I2CEMU_NONE)
            ok[bus_root(b, i)] = false; /* a mux tree */
    for (unsigned i = 0; i < b->a->ndevs; i++) {
        const struct i2cemu_dev_rec *r = dev_rec(b, i);

        if (r->gone == DEV_REMOVED)
            continue;
        if (r->gone != DEV_PRESENT || b->devs[i].priv || b->devs[i].changed ||
            !(board_type(b, i)->flags & I2CEMU_TYPE_CLIENT_SAFE))
            ok[bus_root(b, r->bus)] = false;
    }
}

/* Right before the loop waits: publish the shape and the time, lend.
 * A bus held by another thread (one that entered the engine with
 * i2cemu_loop_enter and took it back) waits for that thread's sleep. */
static void share_sleep(struct i2cemu_loop_sleeper *sl)
{
    struct share *s = (struct share *)((char *)sl -
                                       offsetof(struct share, sleeper));
    struct share_ctrl *c = s->ctrl;
    bool ok[I2CEMU_MAX_BUSES];
    uint64_t now;

    /* Our own count, not the arena's: a client may write the arena. */
    s->nlent = s->b->a->nbuses;
    if (s->nlent > I2CEMU_MAX_BUSES)
        s->nlent = I2CEMU_MAX_BUSES;
    memset(ok, 0, s->nlent);
    compute_eligible(s, ok, s->nlent);
    c->gen = s->b->shape_gen;
    now = i2cemu_loop_now(s->b->loop);
    if (__atomic_load_n(&c->time_ns, __ATOMIC_RELAXED) < now)
        __atomic_store_n(&c->time_ns, now, __ATOMIC_RELAXED);
    for (unsigned i = 0; i < s->nlent; i++) {
        struct share_bus *sb = &c->bus[i];

        if (ok[i] && !pthread_equal(s->holder[i], pthread_self()))
            ok[i] = false;
        __atomic_store_n(&sb->eligible, ok[i], __ATOMIC_RELAXED);
        if (!ok[i])
            continue;
        __atomic_store_n(&sb->wanted, 0, __ATOMIC_RELAXED);
        s->lent[i] = true;
        pthread_mutex_unlock(&sb->lock); /* releases what is above */
    }
}

/* A client died holding the bus: the devices see its transfer end, as at
 * a STOP; nothing the daemon queued was on it. */
static void reset_bus(struct share *s, unsigned root)
{
    struct i2cemu_board *b = s->b;

    for (unsigned i = 0; i < b->a->ndevs; i++) {
        const struct i2cemu_device_type *t = board_type(b, i);

        if (dev_live(b, i) && t->event && dev_rec(b, i)->bus == root) {
            struct i2cemu_dev d = dev_handle(b, i);
            t->event(&d, I2CEMU_EV_FINISH);
        }
    }
    s->ctrl->recoveries++;
}

/* Take a lent bus back. A client inside holds it for one transfer, with
 * no system call: yield until it is out. */
static void take_back(struct share *s, unsigned i)
{
    struct share_bus *sb = &s->ctrl->bus[i];
    int e;

    __atomic_store_n(&sb->wanted, 1, __ATOMIC_SEQ_CST);
    while ((e = pthread_mutex_trylock(&sb->lock)) == EBUSY)
        sched_yield();
    if (e == EOWNERDEAD)
        pthread_mutex_consistent(&sb->lock);
    s->lent[i] = false;
    s->holder[i] = pthread_self();
    /* Clients write the flag too, atomically, when they find the owner
     * dead; only under the lock is it read and cleared. */
    if (e == EOWNERDEAD ||
        __atomic_exchange_n(&sb->needs_reset, 0, __ATOMIC_RELAXED))
        reset_bus(s, i);
    __atomic_store_n(&sb->needs_reset, 0, __ATOMIC_RELAXED);
}

/* Right after the wait, before any callback: every bus is ours again, and
 * the board's time is the latest a client reached. */
static void share_wake(struct i2cemu_loop_sleeper *sl)
{
    struct share *s = (struct share *)((char *)sl -
                                       offsetof(struct share, sleeper));

    if (!s->nlent)
        return; /* nothing was lent: nobody moved the time */
    for (unsigned i = 0; i < s->nlent; i++)
        if (s->lent[i])
            take_back(s, i);
    s->nlent = 0;
    i2cemu_loop_bump(s->b->loop,
                     __atomic_load_n(&s->ctrl->time_ns, __ATOMIC_ACQUIRE));
}

/* The sleeper is on the loop only while there are peers: without, the
 * loop's and a reader thread's waits run no hook at all. */
void share_peer_add(struct i2cemu_board *b)
{
    struct share *s = share_of(b);

    if (s && s->peers++ == 0)
        i2cemu_loop_add_sleeper(b->loop, &s->sleeper);
}

/* Called with the engine held, so every bus is the daemon's: none is lent
 * again until a peer comes. */
void share_peer_remove(struct i2cemu_board *b)
{
    struct share *s = share_of(b);

    if (!s || !s->peers || --s->peers)
        return;
    i2cemu_loop_remove_sleeper(b->loop, &s->sleeper);
    for (unsigned i = 0; i < I2CEMU_MAX_BUSES; i++)
        __atomic_store_n(&s->ctrl->bus[i].eligible, 0, __ATOMIC_RELAXED);
}

/* ---- setting up --------------------------------------------------------- */

/* Every lock made, then all held by the daemon: lent at its first sleep.
 * (Robust mutexes a thread holds are on its robust list: the mapping
 * must not go away while one is held, see shared_release.) */
static int init_locks(struct share_ctrl *c)
{
    pthread_mutexattr_t a;
    int e = pthread_mutexattr_init(&a);

    e = e ? e : pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    e = e ? e : pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    for (unsigned i = 0; !e && i < I2CEMU_MAX_BUSES; i++)
        e = pthread_mutex_init(&c->bus[i].lock, &a);
    pthread_mutexattr_destroy(&a);
    for (unsigned i = 0; !e && i < I2CEMU_MAX_BUSES; i++)
        pthread_mutex_lock(&c->bus[i].lock);
    return e;
}

int share_enable(struct i2cemu_board *b, struct i2cemu_error *err)
{
    struct share *s;
    size_t file = SHARE_CTRL_SIZE + b->cap;
    int e;

    if (share_of(b))
        return 0;
    if (file > SHARE_RESERVE) {
        i2cemu_error_set(err, "board too large for the shared arena");
        return -1;
    }
    if (!(s = calloc(1, sizeof *s))) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }
    s->b = b;
    s->fd = memfd_create("i2cemu-arena", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (s->fd < 0 || ftruncate(s->fd, (off_t)file) < 0 ||
        fcntl(s->fd, F_ADD_SEALS, F_SEAL_SHRINK) < 0)
        goto fail;
    s->ctrl = mmap(NULL, SHARE_RESERVE, PROT_READ | PROT_WRITE, MAP_SHARED,
                   s->fd, 0);
    if (s->ctrl == MAP_FAILED) {
        s->ctrl = NULL;
        goto fail;
    }
    if ((e = init_locks(s->ctrl)) != 0) {
        errno = e;
        goto fail;
    }
    for (unsigned i = 0; i < I2CEMU_MAX_BUSES; i++)
        s->holder[i] = pthread_self();
    s->ctrl->magic = SHARE_MAGIC;
    s->ctrl->version = SHARE_VERSION;
    s->ctrl->abi = SHARE_ABI;
    s->ctrl->ctrl_size = SHARE_CTRL_SIZE;
    s->ctrl->reserve = SHARE_RESERVE;
    s->ctrl->file_size = file;
    s->ctrl->gen = b->shape_gen;
    s->ctrl->time_ns = i2cemu_loop_now(b->loop);
    memcpy((char *)s->ctrl + SHARE_CTRL_SIZE, b->a, b->a->size);
    b->alloc->release(b);
    b->a = (struct i2cemu_arena *)((char *)s->ctrl + SHARE_CTRL_SIZE);
    b->alloc = &shared_alloc;
    b->alloc_opaque = s;
    /* On the loop from the first peer (share_peer_add). */
    s->sleeper = (struct i2cemu_loop_sleeper){ share_sleep, share_wake, NULL };
    return 0;
fail:
    i2cemu_error_set(err, "shared arena: %s", strerror(errno));
    if (s->ctrl)
        munmap(s->ctrl, SHARE_RESERVE);
    if (s->fd >= 0)
        close(s->fd);
    free(s);
    return -1;
}
