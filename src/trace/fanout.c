/* SPDX-License-Identifier: MIT */
/* The fan-out: one core trace callback per bus, many sinks. */
#include "trace/sink.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <i2cemu/device.h>
#include <i2cemu/master.h>

struct tap {
    struct trace_sink *sink;
    int bus; /* a bus index, or -1: all */
};

struct trace_fanout {
    struct i2cemu_board *board;
    unsigned n;
    struct tap *taps;
};

static void on_event(void *opaque, unsigned bus,
                     const struct i2cemu_trace_ev *ev)
{
    struct trace_fanout *f = opaque;

    for (unsigned i = 0; i < f->n; i++)
        if (f->taps[i].bus < 0 || (unsigned)f->taps[i].bus == bus)
            f->taps[i].sink->event(f->taps[i].sink, bus, ev);
}

/* Hook exactly the buses some sink listens to. */
static void rewire(struct trace_fanout *f)
{
    for (unsigned bus = 0; bus < i2cemu_bus_count(f->board); bus++) {
        bool wanted = false;
        for (unsigned i = 0; i < f->n && !wanted; i++)
            wanted = f->taps[i].bus < 0 || (unsigned)f->taps[i].bus == bus;
        i2cemu_bus_set_trace(f->board, bus, wanted ? on_event : NULL,
                             wanted ? f : NULL);
    }
}

struct trace_fanout *trace_fanout_new(struct i2cemu_board *b)
{
    struct trace_fanout *f = calloc(1, sizeof(*f));

    if (f)
        f->board = b;
    return f;
}

int trace_fanout_add(struct trace_fanout *f, struct trace_sink *s, int bus)
{
    struct tap *taps = realloc(f->taps, (f->n + 1) * sizeof(*taps));

    if (!taps) {
        s->close(s);
        return -1;
    }
    f->taps = taps;
    f->taps[f->n++] = (struct tap){ .sink = s, .bus = bus };
    rewire(f);
    return 0;
}

int trace_fanout_remove(struct trace_fanout *f, struct trace_sink *s)
{
    for (unsigned i = 0; i < f->n; i++) {
        if (f->taps[i].sink != s)
            continue;
        memmove(&f->taps[i], &f->taps[i + 1],
                (f->n - i - 1) * sizeof(*f->taps));
        f->n--;
        rewire(f);
        return s->close(s);
    }
    return 0;
}

int trace_fanout_free(struct trace_fanout *f, struct i2cemu_error *err)
{
    int ret = 0;

    if (!f)
        return 0;
    unsigned n = f->n;
    f->n = 0;
    rewire(f);
    for (unsigned i = 0; i < n; i++) {
        struct trace_sink *s = f->taps[i].sink;
        char name[128]; /* s->name goes with s */
        snprintf(name, sizeof(name), "%s", s->name ? s->name : "output");
        if (s->close(s) < 0 && ret == 0) {
            i2cemu_error_set(err, "trace %s: not written completely", name);
            ret = -1;
        }
    }
    free(f->taps);
    free(f);
    return ret;
}

uint64_t trace_wall_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int trace_file_close(FILE *f)
{
    int ret = ferror(f) ? -1 : 0;

    if (f == stdout || f == stderr) {
        if (fflush(f) != 0)
            ret = -1;
    } else if (fclose(f) != 0) {
        ret = -1;
    }
    return ret;
}

uint32_t trace_bus_speed_hz(const struct i2cemu_board *b, unsigned bus)
{
    /* bit_time(10^6 bits) = 10^15 / speed, exact to 1 ns in 3e8. */
    uint64_t ns = i2cemu_bus_bit_time_ns(b, bus, 1000000u);

    return ns ? (uint32_t)((1000000000000000ull + ns / 2) / ns) : 0;
}
