/* SPDX-License-Identifier: MIT */
/*
 * The `trace` op: bus events streamed to a control client as JSON lines,
 * exactly those of the json sink (docs/traces.md), queued on the client's
 * connection. The queue is bounded: an event that does not fit is lost
 * and counted, and the next one that fits is preceded by a "dropped" line
 * with the count. The bus never waits for a client, and a client that
 * never reads costs CTL_TRACE_QUEUE bytes.
 */
#include "control/trace_stream.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ctl_trace {
    struct trace_sink sink;
    struct trace_sink *json;  /* formats into `lines` */
    FILE *f;                  /* json's output, which json closes */
    struct trace_fanout *fanout;
    struct ctl_trace_out out;
    char *lines;              /* the lines of the event being handled */
    size_t len, cap;
    uint64_t lost;            /* events lost since the last "dropped" line */
    uint64_t lost_total;
};

/* The json sink's FILE writes here: one event's lines at a time. */
static ssize_t cookie_write(void *opaque, const char *buf, size_t n)
{
    struct ctl_trace *t = opaque;

    if (t->len + n > t->cap) {
        size_t cap = (t->len + n) * 2;
        char *p = realloc(t->lines, cap);
        if (!p)
            return -1;
        t->lines = p;
        t->cap = cap;
    }
    memcpy(t->lines + t->len, buf, n);
    t->len += n;
    return (ssize_t)n;
}

static int dropped_line(char *buf, size_t size, uint64_t count)
{
    return snprintf(buf, size, "{\"kind\":\"dropped\",\"count\":%llu}\n",
                    (unsigned long long)count);
}

static void on_event(struct trace_sink *s, unsigned bus,
                     const struct i2cemu_trace_ev *ev)
{
    struct ctl_trace *t = (struct ctl_trace *)s;
    char note[64];
    size_t nlen = 0;

    t->json->event(t->json, bus, ev);
    if (fflush(t->f) != 0) { /* out of memory: this event is lost */
        clearerr(t->f);
        t->len = 0;
    }
    if (!t->len) {
        t->lost++;
        t->lost_total++;
        return;
    }
    if (t->lost)
        nlen = (size_t)dropped_line(note, sizeof(note), t->lost);
    if (t->out.room(t->out.opaque) >= nlen + t->len) {
        if (nlen)
            t->out.put(t->out.opaque, note, nlen);
        t->out.put(t->out.opaque, t->lines, t->len);
        t->lost = 0;
    } else {
        t->lost++;
        t->lost_total++;
    }
    t->len = 0;
}

static int stream_close(struct trace_sink *s)
{
    struct ctl_trace *t = (struct ctl_trace *)s;

    t->json->close(t->json); /* closes the cookie FILE */
    free(t->lines);
    free(t);
    return 0;
}

struct ctl_trace *ctl_trace_start(struct i2cemu_board *b,
                                  struct trace_fanout *fanout, int bus,
                                  const struct ctl_trace_out *out)
{
    static const cookie_io_functions_t io = { .write = cookie_write };
    struct ctl_trace *t = calloc(1, sizeof(*t));
    FILE *f = t ? fopencookie(t, "w", io) : NULL;

    if (!f || !(t->json = trace_json_new(b, f, NULL))) {
        if (f)
            fclose(f);
        free(t);
        return NULL;
    }
    t->sink = (struct trace_sink){ .event = on_event, .close = stream_close,
                                   .name = "control client" };
    t->f = f;
    t->fanout = fanout;
    t->out = *out;
    /* Fully buffered: each event reaches cookie_write whole, at fflush. */
    setvbuf(f, NULL, _IOFBF, 4096);
    if (trace_fanout_add(fanout, &t->sink, bus) < 0)
        return NULL; /* the fan-out closed it */
    return t;
}

uint64_t ctl_trace_stop(struct ctl_trace *t)
{
    uint64_t lost = t->lost_total;
    char note[64];

    if (t->lost) /* the last word: however full the queue is */
        t->out.put(t->out.opaque, note,
                   (size_t)dropped_line(note, sizeof(note), t->lost));
    trace_fanout_remove(t->fanout, &t->sink);
    return lost;
}

json_t *ctl_op_trace(const struct i2cemu_board *b, const json_t *req,
                     struct ctl_wait *wait, enum ctl_outcome *out)
{
    static const char *const keys[] = { "action", "bus", NULL };
    json_t *fail = ctl_check_keys(req, "trace", keys);
    const json_t *action = json_object_get(req, "action");
    const json_t *n = json_object_get(req, "bus");
    bool stop;
    int bus = -1;

    if (fail)
        return fail;
    if (action && !json_is_string(action))
        return ctl_fail("trace: action must be \"start\" or \"stop\"");
    stop = action && strcmp(json_string_value(action), "stop") == 0;
    if (action && !stop && strcmp(json_string_value(action), "start") != 0)
        return ctl_fail("trace: unknown action '%s' (start or stop)",
                        json_string_value(action));
    if (n && stop)
        return ctl_fail("trace: stop takes no bus");
    if (n && !json_is_integer(n))
        return ctl_fail("trace: bus must be an integer");
    if (n && (json_integer_value(n) < 0 || json_integer_value(n) > INT_MAX ||
              (bus = i2cemu_bus_find(b, (int)json_integer_value(n))) < 0))
        return ctl_fail("trace: there is no bus %" JSON_INTEGER_FORMAT,
                        json_integer_value(n));
    *out = stop ? CTL_TRACE_STOP : CTL_TRACE;
    wait->trace_bus = bus;
    return ctl_ok();
}
