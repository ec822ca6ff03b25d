/* SPDX-License-Identifier: MIT */
/*
 * The text trace (i2cemu -v, --trace text:FILE): bus traffic, one line
 * per transaction, in the notation of the kernel's smbus-protocol.rst:
 *
 *   i2c-1 0.000123: S 50 W A 10 A Sr 50 R A ab N P
 *
 * S/Sr/P: START, repeated START, STOP; A/N: ACK, NACK; bytes in hex; the
 * time is the bus time of the START, in seconds since the trace began.
 */
#include "trace/sink.h"

#include <stdlib.h>

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
    uint64_t t0_ns;
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
            uint64_t ns = ev->t_ns - t->t0_ns;
            fprintf(l->f, "i2c-%d %llu.%06llu: S",
                    i2cemu_bus_number(t->board, bus),
                    (unsigned long long)(ns / 1000000000u),
                    (unsigned long long)(ns % 1000000000u / 1000u));
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

/* Print any unfinished transaction. */
static int text_close(struct trace_sink *s)
{
    struct trace_text *t = (struct trace_text *)s;

    for (unsigned bus = 0; bus < I2CEMU_MAX_BUSES; bus++)
        line_end(t, &t->line[bus]);
    int ret = trace_file_close(t->out);
    free(t);
    return ret;
}

struct trace_sink *trace_text_new(struct i2cemu_board *b, FILE *out)
{
    struct trace_text *t = calloc(1, sizeof(*t));

    if (!t)
        return NULL;
    t->sink = (struct trace_sink){ .event = on_event, .close = text_close };
    t->board = b;
    t->out = out;
    t->t0_ns = i2cemu_loop_now(i2cemu_board_loop(b));
    return &t->sink;
}
