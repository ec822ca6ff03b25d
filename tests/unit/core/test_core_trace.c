/* SPDX-License-Identifier: MIT */
/* What the master tells the trace sinks beyond the bytes: which START is
 * a repeated one, how long a device stretched the clock, and the
 * transfer's result on its STOP. */
#include "core_test.h"

#include <errno.h>

struct log {
    unsigned n;
    struct i2cemu_trace_ev ev[16];
};

static void log_fn(void *opaque, unsigned bus,
                   const struct i2cemu_trace_ev *ev)
{
    struct log *l = opaque;
    (void)bus;
    if (l->n < 16)
        l->ev[l->n++] = *ev;
}

static void repeated_start_and_result(void **state)
{
    (void)state;
    struct rig r;
    struct log log = {0};
    rig_init(&r, I2CEMU_CLOCK_FAST);
    rig_add(&r, &test_reg, "addr=0x50");
    i2cemu_bus_set_trace(r.b, 0, log_fn, &log);
    uint8_t rd[1];
    struct i2c_msg m[] = {{.addr = 0x50, .len = 1, .buf = (uint8_t[]){0}},
                          {.addr = 0x50, .flags = I2C_M_RD, .len = 1,
                           .buf = rd}};
    assert_int_equal(xfer_run(r.b, 0, m, 2), 2);
    assert_int_equal(log.n, 5);
    assert_int_equal(log.ev[0].kind, I2CEMU_TRACE_START);
    assert_false(log.ev[0].repeated);
    assert_int_equal(log.ev[2].kind, I2CEMU_TRACE_START);
    assert_true(log.ev[2].repeated);
    assert_int_equal(log.ev[4].kind, I2CEMU_TRACE_STOP);
    assert_int_equal(log.ev[4].result, 2);

    log.n = 0;
    struct i2c_msg absent[] = {{.addr = 0x51, .len = 1,
                                .buf = (uint8_t[]){0}}};
    assert_int_equal(xfer_run(r.b, 0, absent, 1), -ENXIO);
    assert_int_equal(log.n, 2);
    assert_int_equal(log.ev[1].kind, I2CEMU_TRACE_STOP);
    assert_int_equal(log.ev[1].result, -ENXIO);
    rig_fini(&r);
}

/* The stretch is reported on the byte it delayed, and is part of the
 * byte's end time. */
static void stretch_is_reported_on_its_byte(void **state)
{
    (void)state;
    struct rig r;
    struct log log = {0};
    rig_init(&r, I2CEMU_CLOCK_VIRTUAL);
    rig_add(&r, &test_stretch, "addr=0x40,delay-us=100");
    i2cemu_bus_set_trace(r.b, 0, log_fn, &log);
    struct xfer x;
    struct i2c_msg m[] = {{.addr = 0x40, .len = 1, .buf = (uint8_t[]){1}}};
    xfer_submit(r.b, 0, &x, m, 1);
    i2cemu_loop_advance(r.loop, 200000);
    assert_true(x.done);
    assert_int_equal(log.n, 3);
    assert_int_equal(log.ev[0].stretch_ns, 0);
    assert_int_equal(log.ev[1].kind, I2CEMU_TRACE_BYTE);
    assert_int_equal(log.ev[1].stretch_ns, 100000);
    assert_int_equal(log.ev[1].t_ns - log.ev[0].t_ns, 90000 + 100000);
    rig_fini(&r);
}

/* A stretch past the timeout: no byte completes, STOP says ETIMEDOUT. A
 * bus reset and an abort say EIO and ECANCELED. */
static void failures_end_with_their_errno(void **state)
{
    (void)state;
    struct rig r;
    struct log log = {0};
    rig_init(&r, I2CEMU_CLOCK_VIRTUAL);
    rig_add(&r, &test_stretch, "addr=0x40,delay-us=0");
    i2cemu_bus_set_timeout_ms(r.b, 0, 10);
    i2cemu_bus_set_trace(r.b, 0, log_fn, &log);
    struct xfer x;
    struct i2c_msg m[] = {{.addr = 0x40, .len = 1, .buf = (uint8_t[]){1}}};
    xfer_submit(r.b, 0, &x, m, 1);
    i2cemu_loop_advance(r.loop, 10000000);
    assert_int_equal(x.t.result, -ETIMEDOUT);
    assert_int_equal(log.n, 2);
    assert_int_equal(log.ev[1].kind, I2CEMU_TRACE_STOP);
    assert_int_equal(log.ev[1].result, -ETIMEDOUT);

    log.n = 0;
    xfer_submit(r.b, 0, &x, m, 1);
    i2cemu_bus_reset(r.b, 0);
    assert_int_equal(x.t.result, -EIO);
    assert_int_equal(log.ev[log.n - 1].kind, I2CEMU_TRACE_STOP);
    assert_int_equal(log.ev[log.n - 1].result, -EIO);

    log.n = 0;
    xfer_submit(r.b, 0, &x, m, 1);
    i2cemu_transfer_abort(&x.t);
    assert_int_equal(x.t.result, -ECANCELED);
    assert_int_equal(log.ev[log.n - 1].kind, I2CEMU_TRACE_STOP);
    assert_int_equal(log.ev[log.n - 1].result, -ECANCELED);
    rig_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(repeated_start_and_result),
        cmocka_unit_test(stretch_is_reported_on_its_byte),
        cmocka_unit_test(failures_end_with_their_errno),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
