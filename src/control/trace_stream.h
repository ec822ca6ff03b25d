/* SPDX-License-Identifier: MIT */
/* The `trace` op's stream of bus events to one control client. */
#ifndef I2CEMU_CONTROL_TRACE_STREAM_H
#define I2CEMU_CONTROL_TRACE_STREAM_H

#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "control/request.h"
#include "trace/sink.h"

/* How many bytes of trace lines a client may have unread before events
 * are lost. */
#define CTL_TRACE_QUEUE 65536

/* Where the lines go: the client's connection. */
struct ctl_trace_out {
    size_t (*room)(void *opaque);  /* bytes that may still be queued */
    void (*put)(void *opaque, const char *buf, size_t len);
    void *opaque;
};

struct ctl_trace;

/* Stream the events of bus index `bus` (-1: every bus) to `out`, from
 * now on. NULL when out of memory. */
struct ctl_trace *ctl_trace_start(struct i2cemu_board *b,
                                  struct trace_fanout *fanout, int bus,
                                  const struct ctl_trace_out *out);
/* Stop and free the stream, after a last "dropped" line if events were
 * lost since the one before. Returns how many were lost in all. Never
 * from inside a bus event. */
uint64_t ctl_trace_stop(struct ctl_trace *t);

/* The `trace` request, checked: {"ok":true} with *out CTL_TRACE (and
 * the bus index to trace in wait->trace_bus, -1 for all) or
 * CTL_TRACE_STOP, else the error reply. Whether the connection traces
 * already is the server's to say. */
json_t *ctl_op_trace(const struct i2cemu_board *b, const json_t *req,
                     struct ctl_wait *wait, enum ctl_outcome *out);

#endif
