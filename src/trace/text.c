/* SPDX-License-Identifier: MIT */
#include "trace/text.h"

#include <stdlib.h>

#include <i2cemu/fault.h>

#include "trace/sink.h"

/* Buses may interleave, so each bus builds its line apart. */
struct trace_line {
    char *text;
    size_t len;
    FILE *f; /* a memstream; NULL between transactions */
};

struct trace_text {
    struct trace_sink sink;
    struct i2cemu_board *board;
    FILE *out;
    bool own_out; /* a sink closes its file; trace_text_new's caller not */
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

/* "i2c-1 0.000100: ", unless the trace is bare. */
static void prefix(const struct trace_text *t, FILE *f, unsigned bus,
                   uint64_t t_ns)
{
    uint64_t ns = t_ns - t->t0_ns;

    if (!t->bare)
        fprintf(f, "i2c-%d %llu.%06llu: ", i2cemu_bus_number(t->board, bus),
                (unsigned long long)(ns / 1000000000u),
                (unsigned long long)(ns % 1000000000u / 1000u));
}

static void on_event(struct trace_sink *s, unsigned bus,
                     const struct i2cemu_trace_ev *ev)
{
    struct trace_text *t = (struct trace_text *)s;
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
            prefix(t, l->f, bus, ev->t_ns);
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
    case I2CEMU_TRACE_FAULT:
        /* A line of its own, at once: before the line of the transaction
         * it acts on, which is printed at its STOP. */
        prefix(t, t->out, bus, ev->t_ns);
        fprintf(t->out, "fault %s (rule %u) %02x %s\n",
                i2cemu_fault_kind_name(ev->fault_kind), ev->fault_id,
                ev->addr, ev->read ? "R" : "W");
        break;
    case I2CEMU_TRACE_SET:
        break;
    }
}

/* Print any unfinished transaction, close what is ours, free. */
static int text_close(struct trace_sink *s)
{
    struct trace_text *t = (struct trace_text *)s;

    for (unsigned bus = 0; bus < I2CEMU_MAX_BUSES; bus++)
        line_end(t, &t->line[bus]);
    int ret = t->own_out ? trace_file_close(t->out) : 0;
    free(t);
    return ret;
}

static struct trace_text *text_alloc(struct i2cemu_board *b, FILE *out)
{
    struct trace_text *t = calloc(1, sizeof(*t));

    if (!t)
        return NULL;
    t->sink = (struct trace_sink){ .event = on_event, .close = text_close };
    t->board = b;
    t->out = out;
    t->t0_ns = i2cemu_loop_now(i2cemu_board_loop(b));
    return t;
}

struct trace_sink *trace_text_sink_new(struct i2cemu_board *b, FILE *out)
{
    struct trace_text *t = text_alloc(b, out);

    if (!t)
        return NULL;
    t->own_out = true;
    return &t->sink;
}

static void hook(void *opaque, unsigned bus, const struct i2cemu_trace_ev *ev)
{
    on_event(opaque, bus, ev);
}

struct trace_text *trace_text_new(struct i2cemu_board *b, FILE *out)
{
    struct trace_text *t = text_alloc(b, out);

    if (!t)
        return NULL;
    for (unsigned bus = 0; bus < i2cemu_bus_count(b); bus++)
        i2cemu_bus_set_trace(b, bus, hook, &t->sink);
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
    for (unsigned bus = 0; bus < i2cemu_bus_count(t->board); bus++)
        i2cemu_bus_set_trace(t->board, bus, NULL, NULL);
    text_close(&t->sink);
}
