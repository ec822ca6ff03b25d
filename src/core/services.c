/* SPDX-License-Identifier: MIT */
/* Services for models: the loop and clocks, the wall clock, output lines,
 * the clock stretch's ACK, child buses. */
#include "core/board_internal.h"

#include <string.h>
#include <time.h>

struct i2cemu_loop *i2cemu_dev_loop(const struct i2cemu_dev *d)
{
    return d->board->loop;
}

uint64_t i2cemu_dev_now(const struct i2cemu_dev *d)
{
    return i2cemu_loop_now(d->board->loop);
}

bool i2cemu_dev_honours_busy_times(const struct i2cemu_dev *d)
{
    return i2cemu_loop_mode(d->board->loop) != I2CEMU_CLOCK_FAST;
}

uint16_t i2cemu_dev_addr(const struct i2cemu_dev *d)
{
    return dev_rec(d->board, d->index)->addr;
}

uint16_t i2cemu_dev_start_addr(const struct i2cemu_dev *d)
{
    uint64_t ns;
    int addr;
    if (master_position(d->board, d->index, &ns, &addr) && addr >= 0)
        return (uint16_t)addr;
    return i2cemu_dev_addr(d);
}

uint64_t i2cemu_dev_bus_time(const struct i2cemu_dev *d)
{
    uint64_t ns;
    int addr;
    return master_position(d->board, d->index, &ns, &addr) ? ns
                                                           : i2cemu_dev_now(d);
}

void i2cemu_dev_ack(struct i2cemu_dev *d, enum i2cemu_result r)
{
    master_stretch_done(d->board, d->index, r);
}

int i2cemu_dev_add_child_bus(struct i2cemu_dev *d,
                             const struct i2cemu_bus_config *cfg,
                             struct i2cemu_error *err)
{
    return bus_add(d->board, cfg, (uint16_t)d->index, err);
}

int i2cemu_dev_child_bus(const struct i2cemu_dev *d, unsigned n)
{
    for (unsigned i = 0; i < d->board->a->nbuses; i++)
        if (bus_rec(d->board, i)->parent_dev == d->index && n-- == 0)
            return (int)i;
    return -1;
}

/* ---- wall clock -------------------------------------------------------- */

/* The clock the wall time runs on: board time on the VIRTUAL clock, so a
 * test is reproducible; the host's calendar time on the others. */
static int64_t wall_source_ns(const struct i2cemu_board *b)
{
    if (i2cemu_loop_mode(b->loop) == I2CEMU_CLOCK_VIRTUAL)
        return (int64_t)i2cemu_loop_now(b->loop);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t i2cemu_board_wall_time_ns(const struct i2cemu_board *b)
{
    return b->a->wall_base_ns + wall_source_ns(b);
}

void i2cemu_board_set_wall_time(struct i2cemu_board *b, int64_t ns)
{
    b->a->wall_base_ns = ns - wall_source_ns(b);
}

int64_t i2cemu_dev_wall_time_ns(const struct i2cemu_dev *d)
{
    return i2cemu_board_wall_time_ns(d->board);
}

/* ---- output lines ------------------------------------------------------ */

static unsigned line_count(const struct i2cemu_device_type *t)
{
    unsigned n = 0;
    while (t->lines && t->lines[n] && n < I2CEMU_MAX_LINES)
        n++;
    return n;
}

void i2cemu_dev_line_set(struct i2cemu_dev *d, unsigned line, bool level)
{
    struct i2cemu_board *b = d->board;
    struct i2cemu_dev_rec *r = dev_rec(b, d->index);
    if (line >= line_count(board_type(b, d->index)) ||
        ((r->lines >> line) & 1u) == level)
        return;
    r->lines ^= 1u << line;
    if (b->line_fn)
        b->line_fn(b->line_opaque, d->index, line, level);
}

bool i2cemu_device_line(const struct i2cemu_board *b, unsigned dev,
                        unsigned line)
{
    return line < line_count(board_type(b, dev)) &&
           ((dev_rec(b, dev)->lines >> line) & 1u);
}

int i2cemu_device_line_find(const struct i2cemu_board *b, unsigned dev,
                            const char *name)
{
    const struct i2cemu_device_type *t = board_type(b, dev);
    for (unsigned i = 0; i < line_count(t); i++)
        if (strcmp(t->lines[i], name) == 0)
            return (int)i;
    return -1;
}

void i2cemu_board_set_line_listener(struct i2cemu_board *b, i2cemu_line_fn fn,
                                    void *opaque)
{
    b->line_fn = fn;
    b->line_opaque = opaque;
}
