/* SPDX-License-Identifier: MIT */
/*
 * Trace sinks and the fan-out that feeds them.
 *
 * The core has one trace callback per bus (i2cemu_bus_set_trace()). The
 * fan-out owns that callback on every bus some sink listens to, and
 * forwards each event to the sinks of that bus: several formats at once,
 * each for one bus or for all. A bus nobody listens to has no callback,
 * so the core formats nothing for it.
 *
 * A sink is a struct that starts with struct trace_sink. Files are
 * written with buffered stdio. A sink that streams to a control client
 * (`i2cemu ctl trace`, src/control/trace_stream.c) is one more sink,
 * added and removed at run time; it must not block (queue, and count what it drops) and must
 * not remove itself from inside event(). The buses are hooked when a
 * sink is added: a bus added later is not traced by "all buses" sinks
 * until the next add or remove.
 */
#ifndef I2CEMU_TRACE_SINK_H
#define I2CEMU_TRACE_SINK_H

#include <stdio.h>

#include <i2cemu/board.h>

struct trace_sink {
    void (*event)(struct trace_sink *s, unsigned bus,
                  const struct i2cemu_trace_ev *ev);
    /* Finish the output (an unfinished message, the last bits), close
     * what the sink owns and free it. Returns 0, or -1 when the output
     * could not be written completely. */
    int (*close)(struct trace_sink *s);
    const char *name; /* for messages, such as the file; may be NULL */
};

/* The wall clock, in ns since the epoch; tests pass their own. */
typedef uint64_t (*trace_wall_fn)(void);
uint64_t trace_wall_now(void);

/* An output file of a sink: closed with it unless it is stdout or
 * stderr. Returns 0, or -1 when anything failed to be written. */
int trace_file_close(FILE *f);

/* The formats; each constructor returns NULL when out of memory. The
 * sink writes to `out` and closes it (trace_file_close) at the end. */
struct trace_sink *trace_text_sink_new(struct i2cemu_board *b, FILE *out);
struct trace_sink *trace_json_new(struct i2cemu_board *b, FILE *out,
                                  trace_wall_fn wall);
/* VCD has one timeline per file: it draws the bus of index `bus`. */
struct trace_sink *trace_vcd_new(struct i2cemu_board *b, FILE *out,
                                 unsigned bus);
struct trace_sink *trace_pcap_new(struct i2cemu_board *b, FILE *out,
                                  trace_wall_fn wall);

enum trace_format {
    TRACE_TEXT,
    TRACE_JSON,
    TRACE_VCD,
    TRACE_PCAP,
};

/* --trace FORMAT:FILE[,bus=N] */
struct trace_spec {
    enum trace_format format;
    char *path;  /* "-": stdout (text and json) */
    int bus;     /* N of /dev/i2c-N; -1: every bus */
};

/* Parse a spec; path is allocated. Returns 0, or -1 with err set. */
int trace_spec_parse(const char *s, struct trace_spec *spec,
                     struct i2cemu_error *err);
void trace_spec_fini(struct trace_spec *spec);
/* Open the file and make the sink. *bus is the bus index to attach it
 * to, or -1 for all. Returns NULL with err set. */
struct trace_sink *trace_spec_open(struct i2cemu_board *b,
                                   const struct trace_spec *spec, int *bus,
                                   struct i2cemu_error *err);

struct trace_fanout;

struct trace_fanout *trace_fanout_new(struct i2cemu_board *b);
/* Feed the bus of index `bus` (-1: every bus) to s, which the fan-out
 * then owns. Returns 0, or -1 when out of memory (s is closed). */
int trace_fanout_add(struct trace_fanout *f, struct trace_sink *s, int bus);
/* Detach s and close it; its close() result. Not from inside an event. */
int trace_fanout_remove(struct trace_fanout *f, struct trace_sink *s);
/* Detach and close every sink. Returns 0, or -1 with err naming a sink
 * whose output is incomplete. */
int trace_fanout_free(struct trace_fanout *f, struct i2cemu_error *err);

/* Bus speed in Hz, from the core's bit time. */
uint32_t trace_bus_speed_hz(const struct i2cemu_board *b, unsigned bus);

#endif
