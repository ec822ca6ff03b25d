/* SPDX-License-Identifier: MIT */
/* A board: its arena of plain data, the types it knows by name, and its
 * teardown. Buses are in bus.c, devices in device.c. */
#include "core/board_internal.h"

#include <stdlib.h>
#include <string.h>

/* The VIRTUAL clock's default wall time at board time 0:
 * 2000-01-01T00:00:00Z, a date every RTC can hold. */
#define VIRTUAL_EPOCH_NS (946684800LL * 1000000000LL)

static int heap_grow(struct i2cemu_board *b, size_t cap,
                     struct i2cemu_error *err)
{
    void *a = realloc(b->a, cap);
    if (!a) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }
    b->a = a;
    memset((char *)b->a + b->cap, 0, cap - b->cap);
    b->cap = cap;
    return 0;
}

static void heap_release(struct i2cemu_board *b)
{
    free(b->a);
}

static const struct arena_alloc heap_alloc = { heap_grow, heap_release };

struct i2cemu_board *
i2cemu_board_new_with_types(struct i2cemu_loop *loop,
                            const struct i2cemu_type_table *types)
{
    struct i2cemu_board *b = calloc(1, sizeof(*b));
    if (!b)
        return NULL;
    b->cap = sizeof(struct i2cemu_arena) + 4096;
    b->a = calloc(1, b->cap);
    if (!b->a) {
        free(b);
        return NULL;
    }
    b->a->magic = I2CEMU_ARENA_MAGIC;
    b->a->version = I2CEMU_ARENA_VERSION;
    b->a->size = sizeof(struct i2cemu_arena);
    if (i2cemu_loop_mode(loop) == I2CEMU_CLOCK_VIRTUAL)
        b->a->wall_base_ns = VIRTUAL_EPOCH_NS;
    b->alloc = &heap_alloc;
    b->loop = loop;
    b->types = types;
    b->addr_tables_stale = true;
    /* The generic path alone, for running a test suite both ways. */
    const char *fp = getenv("I2CEMU_FASTPATH");
    b->fastpath = !fp || strcmp(fp, "0") != 0;
    changes_init(b);
    return b;
}

void board_unrealize(struct i2cemu_board *b, unsigned i)
{
    const struct i2cemu_device_type *t = board_type(b, i);
    if (t->unrealize) {
        struct i2cemu_dev d = dev_handle(b, i);
        t->unrealize(&d);
    }
    b->devs[i].priv = NULL;
}

void i2cemu_board_free(struct i2cemu_board *b)
{
    if (!b)
        return;
    master_shutdown(b);
    i2cemu_timer_stop(b->loop, &b->changes_timer);
    for (unsigned i = b->a->ndevs; i-- > 0;)
        if (dev_live(b, i))
            board_unrealize(b, i);
    fault_free(b);
    b->alloc->release(b);
    free(b);
}

struct i2cemu_loop *i2cemu_board_loop(const struct i2cemu_board *b)
{
    return b->loop;
}

const void *i2cemu_board_arena(const struct i2cemu_board *b, size_t *size)
{
    if (size)
        *size = b->a->size;
    return b->a;
}

int board_arena_grow(struct i2cemu_board *b, size_t n, struct i2cemu_error *err)
{
    size_t need = b->a->size + n;
    if (need > UINT32_MAX) {
        i2cemu_error_set(err, "board too large");
        return -1;
    }
    if (need > b->cap) {
        size_t cap = b->cap;
        while (cap < need)
            cap *= 2;
        if (b->alloc->grow(b, cap, err) < 0)
            return -1;
    }
    b->shape_gen++;
    memset((char *)b->a + b->a->size, 0, n);
    b->a->size = (uint32_t)need;
    return 0;
}

/* ---- types, by name ---------------------------------------------------- */

const struct i2cemu_device_type *
i2cemu_type_table_find(const struct i2cemu_type_table *t, const char *name)
{
    for (unsigned i = 0; t && i < t->count; i++)
        if (strcmp(t->types[i]->name, name) == 0)
            return t->types[i];
    return NULL;
}

const struct i2cemu_device_type *board_type_find(const struct i2cemu_board *b,
                                                 const char *name)
{
    const struct i2cemu_device_type *t = i2cemu_type_table_find(b->types, name);
    for (unsigned i = 0; !t && i < b->ncustom; i++)
        if (strcmp(b->custom[i]->name, name) == 0)
            t = b->custom[i];
    return t;
}

int board_bind_types(struct i2cemu_board *b, struct i2cemu_error *err)
{
    const struct i2cemu_device_type *found[I2CEMU_MAX_DEVICES];
    for (unsigned i = 0; i < b->a->ndevs; i++) {
        const struct i2cemu_dev_rec *r = dev_rec(b, i);
        found[i] = memchr(r->type, '\0', sizeof(r->type))
                       ? board_type_find(b, r->type)
                       : NULL;
        if (!found[i]) {
            i2cemu_error_set(err, "device %u: unknown type '%.*s'", i,
                             (int)sizeof(r->type), r->type);
            return -1;
        }
    }
    for (unsigned i = 0; i < b->a->ndevs; i++)
        b->devs[i].type = found[i];
    addr_tables_invalidate(b);
    return 0;
}

const char *i2cemu_device_type_name(const struct i2cemu_board *b, unsigned dev)
{
    return dev_rec(b, dev)->type;
}
