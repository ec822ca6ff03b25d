/* SPDX-License-Identifier: MIT */
/*
 * The JSON-lines trace (--trace json:FILE): one object per line, one line
 * per bus event; the schema is in docs/traces.md. Before a bus's first
 * event comes a "bus" line with its name and speed.
 */
#include "trace/sink.h"

#include <i2cemu/fault.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct trace_json {
    struct trace_sink sink;
    struct i2cemu_board *board;
    FILE *out;
    trace_wall_fn wall;
    uint64_t t0_ns;
    bool seen[I2CEMU_MAX_BUSES];
};

/* Length of the valid UTF-8 sequence at s, or 0. */
static unsigned utf8_len(const unsigned char *s)
{
    unsigned n = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
               : s[0] >= 0xE0                 ? 3
               : s[0] >= 0xC2 && s[0] < 0xE0  ? 2
                                              : 0;
    for (unsigned i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* s as a JSON string: quotes, backslashes and control characters
 * escaped; bytes that are not UTF-8 become U+FFFD. */
static void put_string(FILE *out, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;

    fputc('"', out);
    while (*s) {
        if (*s == '"' || *s == '\\') {
            fprintf(out, "\\%c", *s++);
        } else if (*s < 0x20 || *s == 0x7F) {
            fprintf(out, "\\u%04x", *s++);
        } else if (*s < 0x80) {
            fputc(*s++, out);
        } else {
            unsigned n = utf8_len(s);
            if (n) {
                fwrite(s, 1, n, out);
                s += n;
            } else {
                fputs("\\ufffd", out);
                s++;
            }
        }
    }
    fputc('"', out);
}

/* The common head of every line: times and bus. */
static void head(struct trace_json *j, uint64_t t_ns, unsigned bus,
                 const char *kind)
{
    uint64_t wall = j->wall();
    time_t sec = (time_t)(wall / 1000000000u);
    struct tm tm;
    char date[32];

    gmtime_r(&sec, &tm);
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(j->out, "{\"t_ns\":%lld,\"wall\":\"%s.%09lluZ\",\"bus\":%d,"
            "\"kind\":\"%s\"", (long long)(t_ns - j->t0_ns), date,
            (unsigned long long)(wall % 1000000000u),
            i2cemu_bus_number(j->board, bus), kind);
}

/* A transfer's client, where the frontend knows it. */
static void end_with_pid(struct trace_json *j, int pid)
{
    if (pid > 0)
        fprintf(j->out, ",\"pid\":%d", pid);
    fputs("}\n", j->out);
}

/* A device as the control plane names it: its id=, or TYPE@N-AAAA. */
static void put_dev(struct trace_json *j, unsigned dev)
{
    const char *id = i2cemu_device_id(j->board, dev);
    char name[64];

    if (!*id) {
        snprintf(name, sizeof name, "%s@%d-%04x",
                 i2cemu_device_type_of(j->board, dev)->name,
                 i2cemu_bus_number(j->board, i2cemu_device_bus(j->board, dev)),
                 (unsigned)i2cemu_device_addr(j->board, dev));
        id = name;
    }
    put_string(j->out, id);
}

static void on_event(struct trace_sink *s, unsigned bus,
                     const struct i2cemu_trace_ev *ev)
{
    struct trace_json *j = (struct trace_json *)s;
    const char *ack = ev->ack == I2CEMU_ACK ? "true" : "false";
    const char *dir = ev->read ? "read" : "write";

    if (!j->seen[bus]) {
        j->seen[bus] = true;
        head(j, j->t0_ns, bus, "bus");
        fputs(",\"name\":", j->out);
        put_string(j->out, i2cemu_bus_name(j->board, bus));
        fprintf(j->out, ",\"speed_hz\":%u}\n",
                trace_bus_speed_hz(j->board, bus));
    }
    switch (ev->kind) {
    case I2CEMU_TRACE_START:
        head(j, ev->t_ns, bus, ev->repeated ? "restart" : "start");
        fprintf(j->out, ",\"addr\":%u,\"tenbit\":%s,\"dir\":\"%s\","
                "\"ack\":%s", ev->addr, ev->tenbit ? "true" : "false",
                dir, ack);
        end_with_pid(j, ev->repeated ? 0 : ev->pid);
        break;
    case I2CEMU_TRACE_BYTE:
        head(j, ev->t_ns, bus, "byte");
        fprintf(j->out, ",\"addr\":%u,\"dir\":\"%s\",\"byte\":%u,\"ack\":%s,"
                "\"stretch_ns\":%llu}\n", ev->addr, dir, ev->byte, ack,
                (unsigned long long)ev->stretch_ns);
        break;
    case I2CEMU_TRACE_STOP:
        head(j, ev->t_ns, bus, "stop");
        fprintf(j->out, ",\"result\":%d", ev->result);
        if (ev->result < 0) {
            const char *name = strerrorname_np(-ev->result);
            fputs(",\"errno\":", j->out);
            put_string(j->out, name ? name : "?");
        }
        end_with_pid(j, ev->pid);
        break;
    case I2CEMU_TRACE_FAULT:
        head(j, ev->t_ns, bus, "fault");
        fprintf(j->out, ",\"rule\":%u,\"fault\":\"%s\",\"addr\":%u,"
                "\"dir\":\"%s\"}\n", ev->fault_id,
                i2cemu_fault_kind_name(ev->fault_kind), ev->addr, dir);
        break;
    case I2CEMU_TRACE_SET:
        head(j, ev->t_ns, bus, "set");
        fputs(",\"dev\":", j->out);
        put_dev(j, ev->dev);
        fprintf(j->out, ",\"addr\":%u,\"prop\":", ev->addr);
        put_string(j->out, ev->prop);
        fputs(",\"value\":", j->out);
        put_string(j->out, ev->value);
        fputs("}\n", j->out);
        break;
    }
}

static int json_close(struct trace_sink *s)
{
    struct trace_json *j = (struct trace_json *)s;
    int ret = trace_file_close(j->out);

    free(j);
    return ret;
}

struct trace_sink *trace_json_new(struct i2cemu_board *b, FILE *out,
                                  trace_wall_fn wall)
{
    struct trace_json *j = calloc(1, sizeof(*j));

    if (!j)
        return NULL;
    j->sink = (struct trace_sink){ .event = on_event, .close = json_close };
    j->board = b;
    j->out = out;
    j->wall = wall ? wall : trace_wall_now;
    j->t0_ns = i2cemu_loop_now(i2cemu_board_loop(b));
    return &j->sink;
}
