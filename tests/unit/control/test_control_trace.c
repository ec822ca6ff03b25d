/* SPDX-License-Identifier: MIT */
/* The `trace` op: its request, and the stream's bound: a consumer that
 * does not read loses events, counted, and never holds more than its
 * queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <i2cemu/i2cemu.h>

#include "control/trace_stream.h"

/* A client that never reads: its queue holds `cap` bytes. */
struct client {
    char buf[4096];
    size_t len, cap;
};

static size_t room(void *opaque)
{
    struct client *c = opaque;
    return c->len < c->cap ? c->cap - c->len : 0;
}

static void put(void *opaque, const char *buf, size_t len)
{
    struct client *c = opaque;

    assert_true(c->len + len <= sizeof(c->buf));
    memcpy(c->buf + c->len, buf, len);
    c->len += len;
}

/* Lines in c of the given kind ("start", "dropped", ...). */
static unsigned count(const struct client *c, const char *kind)
{
    char pat[32];
    unsigned n = 0;

    snprintf(pat, sizeof(pat), "\"kind\":\"%s\"", kind);
    for (const char *p = c->buf; (p = memmem(p, c->len - (size_t)(p - c->buf),
                                             pat, strlen(pat))); p++)
        n++;
    return n;
}

static void nop(struct i2cemu_transfer *t)
{
    (void)t;
}

/* START 0x50 W, one byte, STOP: three events. */
static void write_pointer(struct i2cemu_board *b)
{
    struct i2c_msg m = { .addr = 0x50, .len = 1, .buf = (uint8_t[]){ 0 } };
    struct i2cemu_transfer t = { .msgs = &m, .nmsgs = 1, .done = nop };

    i2cemu_transfer_submit(b, 0, &t);
    assert_int_equal(t.result, 1);
}

static void a_client_that_does_not_read_loses_events(void **state)
{
    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct i2cemu_board *b = i2cemu_board_new(loop);
    struct i2cemu_error err;
    struct client c = { .cap = 1000 };
    struct ctl_trace_out out = { .room = room, .put = put, .opaque = &c };
    struct trace_fanout *f = trace_fanout_new(b);

    (void)state;
    assert_true(i2cemu_device_add(b, "24c02,addr=0x50", &err) >= 0);
    struct ctl_trace *t = ctl_trace_start(b, f, -1, &out);
    assert_non_null(t);
    for (unsigned i = 0; i < 20; i++)
        write_pointer(b);

    /* What fit was queued whole; the rest was lost, none of it queued. */
    unsigned got = count(&c, "start") + count(&c, "byte") + count(&c, "stop");
    assert_true(c.len <= c.cap);
    assert_true(got > 0 && got < 60);
    assert_int_equal(count(&c, "dropped"), 0);
    assert_int_equal(c.buf[c.len - 1], '\n');

    /* The client reads: the next event comes after the count. */
    c.len = 0;
    write_pointer(b);
    char want[64];
    snprintf(want, sizeof(want), "{\"kind\":\"dropped\",\"count\":%u}\n",
             60 - got);
    assert_memory_equal(c.buf, want, strlen(want));
    assert_int_equal(count(&c, "start"), 1);
    assert_int_equal(count(&c, "stop"), 1);

    /* Full again, then stopped: the count of the last loss comes
     * anyway, and stop reports every loss. */
    c.cap = c.len;
    write_pointer(b);
    write_pointer(b);
    c.len = 0;
    assert_int_equal(ctl_trace_stop(t), 60 - got + 6);
    snprintf(want, sizeof(want), "{\"kind\":\"dropped\",\"count\":6}\n");
    assert_int_equal(c.len, strlen(want));
    assert_memory_equal(c.buf, want, c.len);

    /* Stopped: the bus is no longer traced for it. */
    c.len = 0;
    c.cap = sizeof(c.buf);
    write_pointer(b);
    assert_int_equal(c.len, 0);
    assert_int_equal(trace_fanout_free(f, &err), 0);
    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
}

/* The request, through ctl_request: its outcome or its error. */
static void request(struct i2cemu_board *b, const char *line,
                    enum ctl_outcome want, const char *error, int bus)
{
    struct ctl_wait w;
    json_t *r;

    assert_int_equal(ctl_request(b, line, strlen(line), 0, &r, &w), want);
    if (error)
        assert_string_equal(json_string_value(json_object_get(r, "error")),
                            error);
    else
        assert_true(json_is_true(json_object_get(r, "ok")));
    if (want == CTL_TRACE)
        assert_int_equal(w.trace_bus, bus);
    json_decref(r);
}

static void trace_requests(void **state)
{
    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct i2cemu_board *b = i2cemu_board_new(loop);
    struct i2cemu_error err;

    (void)state;
    assert_int_equal(i2cemu_bus_add_spec(b, "1", &err), 0);
    assert_int_equal(i2cemu_bus_add_spec(b, "3", &err), 1);
    request(b, "{\"op\":\"trace\"}", CTL_TRACE, NULL, -1);
    request(b, "{\"op\":\"trace\",\"bus\":3}", CTL_TRACE, NULL, 1);
    request(b, "{\"op\":\"trace\",\"action\":\"start\",\"bus\":1}", CTL_TRACE,
            NULL, 0);
    request(b, "{\"op\":\"trace\",\"action\":\"stop\"}", CTL_TRACE_STOP,
            NULL, 0);
    request(b, "{\"op\":\"trace\",\"bus\":2}", CTL_REPLY,
            "trace: there is no bus 2", 0);
    request(b, "{\"op\":\"trace\",\"bus\":-1}", CTL_REPLY,
            "trace: there is no bus -1", 0);
    request(b, "{\"op\":\"trace\",\"bus\":\"1\"}", CTL_REPLY,
            "trace: bus must be an integer", 0);
    request(b, "{\"op\":\"trace\",\"action\":\"pause\"}", CTL_REPLY,
            "trace: unknown action 'pause' (start or stop)", 0);
    request(b, "{\"op\":\"trace\",\"action\":\"stop\",\"bus\":1}", CTL_REPLY,
            "trace: stop takes no bus", 0);
    request(b, "{\"op\":\"trace\",\"format\":\"vcd\"}", CTL_REPLY,
            "trace: unknown key 'format'", 0);
    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_client_that_does_not_read_loses_events),
        cmocka_unit_test(trace_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
