/* SPDX-License-Identifier: MIT */
/*
 * Control requests (docs/control.md): one JSON object per line in, one
 * JSON reply per request out. Parsing and applying a request touch only
 * the board, never a socket, so they can be unit-tested and fuzzed
 * in-process. Everything runs on the loop thread, between bus callbacks.
 */
#ifndef I2CEMU_CONTROL_REQUEST_H
#define I2CEMU_CONTROL_REQUEST_H

#include <jansson.h>

#include <i2cemu/board.h>

#define CTL_PROTOCOL_VERSION 1
/* Longest request line, newline excluded. */
#define CTL_MAX_LINE 65536
/* Longest wait, in ms (one day). */
#define CTL_MAX_TIMEOUT_MS 86400000

/* A `wait` request that has not been answered yet, or a `del` whose
 * device is removed once the transfer in flight on its bus has ended. */
struct ctl_wait {
    unsigned dev;
    bool removal;         /* a del: answered once dev is gone */
    char *prop;
    char *value;
    json_t *id;           /* echoed in the reply; NULL when not given */
    bool has_deadline;
    uint64_t deadline_ns; /* CLOCK_MONOTONIC */
    int trace_bus;        /* CTL_TRACE: bus index to trace, -1: all */
};

enum ctl_outcome {
    CTL_REPLY, /* send *reply */
    CTL_WAIT,  /* *wait holds a pending wait: see ctl_wait_poll() */
    CTL_QUIT,  /* send *reply, then stop the daemon */
    CTL_TRACE, /* send *reply, then stream wait->trace_bus (trace_stream.h) */
    CTL_TRACE_STOP, /* end the stream, then send *reply */
};

/* Handle one request line (`len` bytes, no newline). `now_ns` is the
 * CLOCK_MONOTONIC time, for wait deadlines. The request is applied whole
 * or not at all. */
enum ctl_outcome ctl_request(struct i2cemu_board *b, const char *line,
                             size_t len, uint64_t now_ns, json_t **reply,
                             struct ctl_wait *wait);

/* The reply to a pending wait if its property now has the value (or its
 * deadline has passed), else NULL. */
json_t *ctl_wait_poll(const struct i2cemu_board *b, const struct ctl_wait *w,
                      uint64_t now_ns);
void ctl_wait_clear(struct ctl_wait *w);

/* A reply as one line, newline included; NULL when out of memory. */
char *ctl_reply_line(const json_t *reply, size_t *len);

/* ---- shared by the request files ------------------------------------ */

/* {"ok":false,"error":"..."} */
json_t *ctl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* {"ok":true} */
json_t *ctl_ok(void);
/* A JSON string of s; bytes that are not UTF-8 become '?'. */
json_t *ctl_string(const char *s);
/* NULL when every key of `req` is in `keys` (NULL-terminated, "op" and
 * "id" implied); else the error reply naming the first other key. */
json_t *ctl_check_keys(const json_t *req, const char *op,
                       const char *const *keys);

/* "tmp102@1-0048": what Linux would call the device, with its type. */
void ctl_device_name(const struct i2cemu_board *b, unsigned dev, char *out,
                     size_t len);
/* The device a name designates (TYPE@BUS-ADDR or BUS-ADDR), or -1 with
 * the error reply in *fail. */
int ctl_device_lookup(const struct i2cemu_board *b, const json_t *name,
                      json_t **fail);
/* A property value given as a string, number or boolean, as text. NULL
 * with the error reply in *fail. Free the result. */
char *ctl_value_text(const json_t *v, const char *what, json_t **fail);

/* A property's value as the command line spells it (free it), or NULL. */
char *ctl_prop_text(const struct i2cemu_board *b, unsigned dev,
                    const char *name);

json_t *ctl_op_list(const struct i2cemu_board *b, const json_t *req);
json_t *ctl_op_get(const struct i2cemu_board *b, const json_t *req);
json_t *ctl_op_set(struct i2cemu_board *b, const json_t *req);
json_t *ctl_op_wait(const struct i2cemu_board *b, const json_t *req,
                    uint64_t now_ns, struct ctl_wait *wait);
json_t *ctl_op_add(struct i2cemu_board *b, const json_t *req);
/* NULL with *wait set when the removal waits for a transfer to end. */
json_t *ctl_op_del(struct i2cemu_board *b, const json_t *req,
                   struct ctl_wait *wait);
json_t *ctl_op_reset(struct i2cemu_board *b, const json_t *req);
json_t *ctl_op_snapshot(struct i2cemu_board *b, const json_t *req);
/* fault.c: {"action": "add"|"list"|"del"|"clear", ...} */
json_t *ctl_op_fault(struct i2cemu_board *b, const json_t *req);

#endif
