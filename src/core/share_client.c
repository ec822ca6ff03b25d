// SPDX-License-Identifier: MIT
/*
 * A client's side of the shared arena (share.h, docs/fastpath.md): a
 * board of its own over the daemon's mapped arena, on a FAST loop of its
 * own. The daemon realized every device: the client never realizes nor
 * unrealizes; it binds types by name from its own table and builds its
 * address tables, and checks what it reads from the arena before it
 * relies on it, at attach and whenever the shape generation moves.
 */
#include "core/share.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/board_internal.h"
#include "core/loop_internal.h"

struct share_client {
    struct share_ctrl *ctrl;
    struct i2cemu_board *b;
    struct i2cemu_loop *loop;
    uint64_t gen; /* of the shape checked last */
    /* Per bus, for that shape: it passed the checks, and the bus is a
     * root whose live devices all have a client-safe type this client
     * knows (the daemon's eligibility, seen here), so that a request
     * costs the same with 1 device or 100, and one look. */
    bool runnable[I2CEMU_MAX_BUSES];
};

/* The client never grows nor frees the daemon's arena. */
static int foreign_grow(struct i2cemu_board *b, size_t cap,
                        struct i2cemu_error *err)
{
    (void)b;
    (void)cap;
    i2cemu_error_set(err, "a client does not grow the shared arena");
    return -1;
}

static void foreign_release(struct i2cemu_board *b)
{
    (void)b;
}

static const struct arena_alloc foreign = { foreign_grow, foreign_release };

/* A type this client does not know (a custom type of the daemon's): not
 * client-safe, so its bus is never run here; the core may still look at
 * it (address tables), and finds no hook. */
static const struct i2cemu_device_type unknown = { .name = "?" };

/* The arena as it is now, checked: sizes and offsets within the file,
 * indices in range, no cycle of muxes, types bound by name. */
static bool shape_ok(struct share_client *c)
{
    struct i2cemu_board *b = c->b;
    const struct i2cemu_arena *a = b->a;
    uint64_t file = __atomic_load_n(&c->ctrl->file_size, __ATOMIC_RELAXED);
    size_t cap;

    if (file < SHARE_CTRL_SIZE + sizeof *a || file > c->ctrl->reserve)
        return false;
    cap = (size_t)(file - SHARE_CTRL_SIZE);
    if (a->magic != I2CEMU_ARENA_MAGIC || a->version != I2CEMU_ARENA_VERSION ||
        a->size > cap || a->size < sizeof *a ||
        a->nbuses > I2CEMU_MAX_BUSES || a->ndevs > I2CEMU_MAX_DEVICES)
        return false;
    for (unsigned i = 0; i < a->ndevs; i++) {
        const struct i2cemu_dev_rec *r = &a->dev[i];

        if (r->bus >= a->nbuses || r->state_off < sizeof *a ||
            r->state_off > a->size || r->state_size > a->size - r->state_off)
            return false;
        b->devs[i].type = memchr(r->type, '\0', sizeof r->type)
                         ? board_type_find(b, r->type)
                         : NULL;
        if (!b->devs[i].type)
            b->devs[i].type = &unknown;
        if (r->state_size < b->devs[i].type->state_size)
            return false;
        b->devs[i].priv = NULL;
    }
    for (unsigned i = 0; i < a->nbuses; i++) {
        unsigned bus = i, hops = 0;

        while (a->bus[bus].parent_dev != I2CEMU_NONE) {
            if (a->bus[bus].parent_dev >= a->ndevs || ++hops > a->nbuses)
                return false;
            bus = a->dev[a->bus[bus].parent_dev].bus;
        }
    }
    memset(c->runnable, 0, sizeof c->runnable);
    for (unsigned i = 0; i < a->nbuses; i++)
        c->runnable[i] = a->bus[i].parent_dev == I2CEMU_NONE;
    for (unsigned i = 0; i < a->ndevs; i++)
        if (a->dev[i].gone != DEV_REMOVED &&
            !(b->devs[i].type->flags & I2CEMU_TYPE_CLIENT_SAFE))
            c->runnable[a->dev[i].bus] = false;
    b->cap = cap;
    addr_tables_invalidate(b);
    return true;
}

/* Out of line: it runs when the shape moved, not per request. */
static __attribute__((noinline)) bool check_shape(struct share_client *c)
{
    if (shape_ok(c))
        return true;
    memset(c->runnable, 0, sizeof c->runnable);
    return false;
}

struct share_client *share_client_attach(int memfd,
                                         const struct i2cemu_type_table *types)
{
    struct share_client *c;
    struct share_ctrl head;
    struct stat st;
    void *m;

    if (fstat(memfd, &st) < 0)
        return NULL;
    if (!(fcntl(memfd, F_GET_SEALS) & F_SEAL_SHRINK) ||
        st.st_size < (off_t)SHARE_CTRL_SIZE ||
        pread(memfd, &head, sizeof head, 0) != (ssize_t)sizeof head ||
        head.magic != SHARE_MAGIC || head.version != SHARE_VERSION ||
        head.abi != SHARE_ABI || head.ctrl_size != SHARE_CTRL_SIZE ||
        head.reserve != SHARE_RESERVE) {
        errno = EPROTO;
        return NULL;
    }
    if (!(c = calloc(1, sizeof *c)) || !(c->b = calloc(1, sizeof *c->b)) ||
        !(c->loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST)))
        goto fail;
    m = mmap(NULL, SHARE_RESERVE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd,
             0);
    if (m == MAP_FAILED)
        goto fail;
    c->ctrl = m;
    c->b->a = (struct i2cemu_arena *)((char *)m + SHARE_CTRL_SIZE);
    c->b->alloc = &foreign;
    c->b->loop = c->loop;
    c->b->types = types;
    const char *fp = getenv("I2CEMU_FASTPATH"); /* as the daemon's board */
    c->b->fastpath = !fp || strcmp(fp, "0") != 0;
    changes_init(c->b);
    /* Only the daemon changes the shape, with every bus held: with none
     * held, this first look may tear, so the first transfer looks again
     * under its bus's lock. */
    c->gen = c->ctrl->gen - 1;
    if (!check_shape(c)) {
        share_client_detach(c);
        errno = EPROTO;
        return NULL;
    }
    return c;
fail:
    if (c) {
        i2cemu_loop_free(c->loop);
        free(c->b);
    }
    free(c);
    errno = ENOMEM;
    return NULL;
}

void share_client_detach(struct share_client *c)
{
    if (!c)
        return;
    munmap(c->ctrl, SHARE_RESERVE);
    i2cemu_loop_free(c->loop);
    free(c->b);
    free(c);
}

struct i2cemu_board *share_client_board(struct share_client *c)
{
    return c->b;
}

bool share_client_enter(struct share_client *c, unsigned bus)
{
    struct share_bus *sb;
    int e;

    if (bus >= I2CEMU_MAX_BUSES)
        return false;
    sb = &c->ctrl->bus[bus];
    if (!__atomic_load_n(&sb->eligible, __ATOMIC_RELAXED) ||
        __atomic_load_n(&sb->wanted, __ATOMIC_RELAXED))
        return false;
    e = pthread_mutex_trylock(&sb->lock);
    if (e == EOWNERDEAD) {
        /* Its holder died mid-transfer: the daemon resets the bus. */
        __atomic_store_n(&sb->needs_reset, 1, __ATOMIC_RELAXED);
        pthread_mutex_consistent(&sb->lock);
        pthread_mutex_unlock(&sb->lock);
        return false;
    }
    if (e)
        return false;
    /* The lock orders these after the daemon's writes at its sleep. */
    if (__atomic_load_n(&sb->needs_reset, __ATOMIC_RELAXED) ||
        !__atomic_load_n(&sb->eligible, __ATOMIC_RELAXED) ||
        __atomic_load_n(&sb->wanted, __ATOMIC_RELAXED))
        goto out;
    if (c->ctrl->gen != c->gen) {
        c->gen = c->ctrl->gen;
        check_shape(c);
    }
    if (!c->runnable[bus])
        goto out;
    i2cemu_loop_bump(c->loop, __atomic_load_n(&c->ctrl->time_ns,
                                              __ATOMIC_RELAXED));
    return true;
out:
    pthread_mutex_unlock(&sb->lock);
    return false;
}

void share_client_leave(struct share_client *c, unsigned bus, bool stalled)
{
    struct share_bus *sb = &c->ctrl->bus[bus];
    uint64_t t = i2cemu_loop_now(c->loop);

    /* Eligibility promises a synchronous transfer: one that was not is a
     * bug, cancelled by the caller; the daemon resets the bus. */
    if (stalled)
        __atomic_store_n(&sb->needs_reset, 1, __ATOMIC_RELAXED);
    /* The later time wins: clients on other buses publish theirs too. */
    for (uint64_t old = __atomic_load_n(&c->ctrl->time_ns, __ATOMIC_RELAXED);
         old < t && !__atomic_compare_exchange_n(&c->ctrl->time_ns, &old, t,
                                                 true, __ATOMIC_RELAXED,
                                                 __ATOMIC_RELAXED);)
        ;
    pthread_mutex_unlock(&sb->lock);
}

static void done(struct i2cemu_i2cdev_req *req)
{
    *(bool *)req->opaque = true;
}

bool share_client_run(struct share_client *c, struct i2cemu_i2cdev_file *f,
                      struct i2cemu_i2cdev_req *req)
{
    bool finished = false;

    if (!share_client_enter(c, f->bus))
        return false;
    req->opaque = &finished;
    i2cemu_i2cdev_submit(f, req, done);
    /* The caller gets the cancelled transfer's error. */
    if (!finished)
        i2cemu_i2cdev_cancel(req);
    share_client_leave(c, f->bus, !finished);
    return true;
}
