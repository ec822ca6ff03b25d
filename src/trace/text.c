/* SPDX-License-Identifier: MIT */
#include "trace/text.h"

#include <stdlib.h>

/* Buses may interleave, so each bus builds its line apart. */
struct trace_line {
    char *text;
    size_t len;
    FILE *f; /* a memstream; NULL between transactions */
};

struct trace_text {
    struct i2cemu_board *board;
    FILE *out;
    uint64_t t0_ns;
    bool bare;
    struct trace_line line[I2CEMU_MAX_BUSES];
};

static void line_end(struct trace_text *t, struct trace_line *l)
{
    if (!l->f)
        return;
    fclose(l->f);
    l->f = NULL;
    fprintf(t->out, "%s\n", l->text);
    free(l->text);
    l->text = NULL;
}

static void on_event(void *opaque, unsigned bus,
                     const struct i2cemu_trace_ev *ev)
{
    struct trace_text *t = opaque;
    struct trace_line *l = &t->line[bus];
    const char *ack = ev->ack == I2CEMU_ACK ? "A" : "N";

    switch (ev->kind) {
    case I2CEMU_TRACE_START:
        if (l->f) {
            fputs(" Sr", l->f);
        } else {
            l->f = open_memstream(&l->text, &l->len);
            if (!l->f)
                return; /* out of memory: lose this line, not the bus */
            if (!t->bare) {
                uint64_t ns = ev->t_ns - t->t0_ns;
                fprintf(l->f, "i2c-%d %llu.%06llu: ",
                        i2cemu_bus_number(t->board, bus),
                        (unsigned long long)(ns / 1000000000u),
                        (unsigned long long)(ns % 1000000000u / 1000u));
            }
            fputs("S", l->f);
        }
        fprintf(l->f, " %02x %s %s", ev->addr, ev->read ? "R" : "W", ack);
        break;
    case I2CEMU_TRACE_BYTE:
        if (l->f)
            fprintf(l->f, " %02x %s", ev->byte, ack);
        break;
    case I2CEMU_TRACE_STOP:
        if (l->f) {
            fputs(" P", l->f);
            line_end(t, l);
        }
        break;
    }
}

struct trace_text *trace_text_new(struct i2cemu_board *b, FILE *out)
{
    struct trace_text *t = calloc(1, sizeof(*t));

    if (!t)
        return NULL;
    t->board = b;
    t->out = out;
    t->t0_ns = i2cemu_loop_now(i2cemu_board_loop(b));
    for (unsigned bus = 0; bus < i2cemu_bus_count(b); bus++)
        i2cemu_bus_set_trace(b, bus, on_event, t);
    return t;
}

void trace_text_set_bare(struct trace_text *t, bool bare)
{
    t->bare = bare;
}

void trace_text_free(struct trace_text *t)
{
    if (!t)
        return;
    for (unsigned bus = 0; bus < i2cemu_bus_count(t->board); bus++) {
        i2cemu_bus_set_trace(t->board, bus, NULL, NULL);
        line_end(t, &t->line[bus]);
    }
    free(t);
}
