/* SPDX-License-Identifier: MIT */
/* The fan-out: several sinks, each fed the buses it asked for, through
 * real transfers; and --trace specs opened against a board. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <i2cemu/i2cemu.h>

#include "trace/sink.h"

struct counter {
    struct trace_sink sink;
    unsigned events[2]; /* per bus index */
    unsigned *closed;
    int close_result;
};

static void count_event(struct trace_sink *s, unsigned bus,
                        const struct i2cemu_trace_ev *ev)
{
    (void)ev;
    assert_true(bus < 2);
    ((struct counter *)s)->events[bus]++;
}

static int count_close(struct trace_sink *s)
{
    struct counter *c = (struct counter *)s;
    (*c->closed)++;
    return c->close_result;
}

static void counter_init(struct counter *c, unsigned *closed)
{
    *c = (struct counter){ .sink = { .event = count_event,
                                     .close = count_close,
                                     .name = "counter" },
                           .closed = closed };
}

struct rig {
    struct i2cemu_loop *loop;
    struct i2cemu_board *b;
    struct i2cemu_error err;
};

/* Buses 1 and 2 (indices 0 and 1), each with a 24c02 at 0x50. */
static void rig_init(struct rig *r)
{
    r->loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    assert_non_null(r->loop);
    r->b = i2cemu_board_new(r->loop);
    assert_non_null(r->b);
    assert_int_equal(i2cemu_bus_add_spec(r->b, "1", &r->err), 0);
    assert_int_equal(i2cemu_bus_add_spec(r->b, "2", &r->err), 1);
    assert_true(i2cemu_device_add(r->b, "24c02,addr=0x50,bus=1",
                                  &r->err) >= 0);
    assert_true(i2cemu_device_add(r->b, "24c02,addr=0x50,bus=2",
                                  &r->err) >= 0);
}

static void rig_fini(struct rig *r)
{
    i2cemu_board_free(r->b);
    i2cemu_loop_free(r->loop);
}

static void done(struct i2cemu_transfer *t)
{
    (void)t;
}

/* One pointer write to 0x50: START, byte, STOP. */
static void write_pointer(struct rig *r, unsigned bus)
{
    struct i2c_msg m = { .addr = 0x50, .len = 1, .buf = (uint8_t[]){ 0 } };
    struct i2cemu_transfer t = { .msgs = &m, .nmsgs = 1, .done = done };

    i2cemu_transfer_submit(r->b, bus, &t);
    assert_int_equal(t.result, 1);
}

static void each_sink_gets_its_buses(void **state)
{
    struct rig r;
    struct counter all, two;
    unsigned closed = 0;

    (void)state;
    rig_init(&r);
    counter_init(&all, &closed);
    counter_init(&two, &closed);
    struct trace_fanout *f = trace_fanout_new(r.b);
    assert_non_null(f);
    assert_int_equal(trace_fanout_add(f, &all.sink, -1), 0);
    assert_int_equal(trace_fanout_add(f, &two.sink, 1), 0);
    write_pointer(&r, 0);
    write_pointer(&r, 1);
    assert_int_equal(all.events[0], 3);
    assert_int_equal(all.events[1], 3);
    assert_int_equal(two.events[0], 0);
    assert_int_equal(two.events[1], 3);

    /* Removed: closed at once, fed no more. */
    assert_int_equal(trace_fanout_remove(f, &two.sink), 0);
    assert_int_equal(closed, 1);
    write_pointer(&r, 1);
    assert_int_equal(two.events[1], 3);
    assert_int_equal(all.events[1], 6);

    /* A sink whose output was cut short is named at the end. */
    all.close_result = -1;
    assert_int_equal(trace_fanout_free(f, &r.err), -1);
    assert_string_equal(r.err.msg, "trace counter: not written completely");
    assert_int_equal(closed, 2);
    /* The buses are unhooked: a transfer now reaches no sink. */
    write_pointer(&r, 0);
    assert_int_equal(all.events[0], 3);
    rig_fini(&r);
}

static void specs_open_against_the_board(void **state)
{
    struct rig r;
    struct trace_spec spec;
    int bus;
    char dir[] = "/tmp/i2cemu-trace-XXXXXX", path[64];

    (void)state;
    rig_init(&r);
    assert_non_null(mkdtemp(dir));

    assert_int_equal(trace_spec_parse("json:x,bus=9", &spec, &r.err), 0);
    assert_null(trace_spec_open(r.b, &spec, &bus, &r.err));
    assert_string_equal(r.err.msg, "--trace json:x: there is no bus 9");
    trace_spec_fini(&spec);

    assert_int_equal(trace_spec_parse("vcd:x", &spec, &r.err), 0);
    assert_null(trace_spec_open(r.b, &spec, &bus, &r.err));
    assert_string_equal(r.err.msg, "--trace vcd:x: a VCD shows one bus: "
                        "add ,bus=N");
    trace_spec_fini(&spec);

    snprintf(path, sizeof(path), "pcap:%s/no/such/dir", dir);
    assert_int_equal(trace_spec_parse(path, &spec, &r.err), 0);
    assert_null(trace_spec_open(r.b, &spec, &bus, &r.err));
    char want[128];
    snprintf(want, sizeof(want), "--trace %s: %s", path, strerror(ENOENT));
    assert_string_equal(r.err.msg, want);
    trace_spec_fini(&spec);

    snprintf(path, sizeof(path), "vcd:%s/t.vcd,bus=2", dir);
    assert_int_equal(trace_spec_parse(path, &spec, &r.err), 0);
    struct trace_sink *s = trace_spec_open(r.b, &spec, &bus, &r.err);
    assert_non_null(s);
    assert_int_equal(bus, 1);
    assert_string_equal(s->name, spec.path);
    assert_int_equal(s->close(s), 0);
    assert_int_equal(unlink(spec.path), 0);
    trace_spec_fini(&spec);

    assert_int_equal(rmdir(dir), 0);
    rig_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_sink_gets_its_buses),
        cmocka_unit_test(specs_open_against_the_board),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
