/* SPDX-License-Identifier: MIT */
/* What the master tells the trace sinks beyond the bytes: which START is
 * a repeated one, how long a device stretched the clock, and the
 * transfer's result on its STOP. Public API only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include <i2cemu/i2cemu.h>

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

/* A device that holds SCL after each written byte until the test lets
 * go (i2cemu_dev_ack on the handle it kept). */
static struct i2cemu_dev held;

static void hold_send_async(struct i2cemu_dev *d, uint8_t byte)
{
    (void)byte;
    held = *d;
}

static const struct i2cemu_device_type test_hold = {
    .name = "test-hold",
    .help = "stretches the clock until the test acks",
    .send_async = hold_send_async,
};

struct rig {
    struct i2cemu_loop *loop;
    struct i2cemu_board *b;
    struct log log;
    struct i2cemu_transfer t;
    bool done;
};

static void done(struct i2cemu_transfer *t)
{
    *(bool *)t->opaque = true;
}

static void rig_init(struct rig *r)
{
    struct i2cemu_error err;

    memset(r, 0, sizeof(*r));
    r->loop = i2cemu_loop_new(I2CEMU_CLOCK_VIRTUAL);
    assert_non_null(r->loop);
    r->b = i2cemu_board_new(r->loop);
    assert_non_null(r->b);
    assert_true(i2cemu_device_add(r->b, "24c02,addr=0x50", &err) >= 0);
    assert_true(i2cemu_device_add_custom(r->b, &test_hold, "addr=0x40",
                                         &err) >= 0);
    i2cemu_bus_set_trace(r->b, 0, log_fn, &r->log);
}

static void rig_fini(struct rig *r)
{
    i2cemu_board_free(r->b);
    i2cemu_loop_free(r->loop);
}

static void submit(struct rig *r, struct i2c_msg *m, unsigned n)
{
    r->log.n = 0;
    r->done = false;
    r->t = (struct i2cemu_transfer){ .msgs = m, .nmsgs = n, .done = done,
                                     .opaque = &r->done };
    i2cemu_transfer_submit(r->b, 0, &r->t);
}

static const struct i2cemu_trace_ev *last(struct rig *r)
{
    assert_true(r->log.n > 0);
    return &r->log.ev[r->log.n - 1];
}

static void repeated_start_and_result(void **state)
{
    struct rig r;
    uint8_t rd[1];
    struct i2c_msg m[] = {{.addr = 0x50, .len = 1, .buf = (uint8_t[]){0}},
                          {.addr = 0x50, .flags = I2C_M_RD, .len = 1,
                           .buf = rd}};
    struct i2c_msg absent[] = {{.addr = 0x51, .len = 1,
                                .buf = (uint8_t[]){0}}};

    (void)state;
    rig_init(&r);
    submit(&r, m, 2);
    assert_true(r.done);
    assert_int_equal(r.log.n, 5);
    assert_int_equal(r.log.ev[0].kind, I2CEMU_TRACE_START);
    assert_false(r.log.ev[0].repeated);
    assert_int_equal(r.log.ev[2].kind, I2CEMU_TRACE_START);
    assert_true(r.log.ev[2].repeated);
    assert_int_equal(last(&r)->kind, I2CEMU_TRACE_STOP);
    assert_int_equal(last(&r)->result, 2);

    submit(&r, absent, 1);
    assert_int_equal(r.t.result, -ENXIO);
    assert_int_equal(r.log.n, 2);
    assert_int_equal(last(&r)->kind, I2CEMU_TRACE_STOP);
    assert_int_equal(last(&r)->result, -ENXIO);
    rig_fini(&r);
}

/* The stretch is reported on the byte it delayed, and is part of the
 * byte's end time. */
static void stretch_is_reported_on_its_byte(void **state)
{
    struct rig r;
    struct i2c_msg m[] = {{.addr = 0x40, .len = 1, .buf = (uint8_t[]){1}}};

    (void)state;
    rig_init(&r);
    submit(&r, m, 1);
    i2cemu_loop_advance(r.loop, 100000);
    assert_false(r.done);
    i2cemu_dev_ack(&held, I2CEMU_ACK);
    assert_true(r.done);
    assert_int_equal(r.log.n, 3);
    assert_int_equal(r.log.ev[0].stretch_ns, 0);
    assert_int_equal(r.log.ev[1].kind, I2CEMU_TRACE_BYTE);
    assert_int_equal(r.log.ev[1].stretch_ns, 100000);
    /* 9 bits at 100 kHz, plus the stretch. */
    assert_int_equal(r.log.ev[1].t_ns - r.log.ev[0].t_ns, 90000 + 100000);
    rig_fini(&r);
}

/* A stretch past the timeout: no byte completes, STOP says ETIMEDOUT. A
 * bus reset and an abort say EIO and ECANCELED. */
static void failures_end_with_their_errno(void **state)
{
    struct rig r;
    struct i2c_msg m[] = {{.addr = 0x40, .len = 1, .buf = (uint8_t[]){1}}};

    (void)state;
    rig_init(&r);
    i2cemu_bus_set_timeout_ms(r.b, 0, 10);
    submit(&r, m, 1);
    i2cemu_loop_advance(r.loop, 10000000);
    assert_int_equal(r.t.result, -ETIMEDOUT);
    assert_int_equal(r.log.n, 2);
    assert_int_equal(last(&r)->kind, I2CEMU_TRACE_STOP);
    assert_int_equal(last(&r)->result, -ETIMEDOUT);

    submit(&r, m, 1);
    i2cemu_bus_reset(r.b, 0);
    assert_int_equal(r.t.result, -EIO);
    assert_int_equal(last(&r)->kind, I2CEMU_TRACE_STOP);
    assert_int_equal(last(&r)->result, -EIO);

    submit(&r, m, 1);
    i2cemu_transfer_abort(&r.t);
    assert_int_equal(r.t.result, -ECANCELED);
    assert_int_equal(last(&r)->kind, I2CEMU_TRACE_STOP);
    assert_int_equal(last(&r)->result, -ECANCELED);
    rig_fini(&r);
}

/* The transfer's client is on its first START and its STOP; a runtime
 * property set is an event of its own, with the value as stored. */
static void client_and_property_changes(void **state)
{
    struct rig r;
    struct i2cemu_error err;
    struct i2c_msg m[] = {{.addr = 0x50, .len = 1, .buf = (uint8_t[]){0}}};

    (void)state;
    rig_init(&r);
    r.log.n = 0;
    r.done = false;
    r.t = (struct i2cemu_transfer){ .msgs = m, .nmsgs = 1, .done = done,
                                    .opaque = &r.done, .pid = 4242 };
    i2cemu_transfer_submit(r.b, 0, &r.t);
    assert_true(r.done);
    assert_int_equal(r.log.n, 3);
    assert_int_equal(r.log.ev[0].pid, 4242);
    assert_int_equal(r.log.ev[1].pid, 0);
    assert_int_equal(r.log.ev[2].pid, 4242);

    r.log.n = 0;
    assert_int_equal(i2cemu_device_set(r.b, 0, "wp", "1", &err), 0);
    assert_int_equal(r.log.n, 1);
    assert_int_equal(r.log.ev[0].kind, I2CEMU_TRACE_SET);
    assert_int_equal(r.log.ev[0].dev, 0);
    assert_int_equal(r.log.ev[0].addr, 0x50);
    assert_string_equal(r.log.ev[0].prop, "wp");
    /* ev.value lived in the call's frame: the json sink's test reads it. */
    assert_int_equal(i2cemu_device_set(r.b, 0, "wp", "maybe", &err), -1);
    assert_int_equal(r.log.n, 1); /* a refused value is no change */
    rig_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(repeated_start_and_result),
        cmocka_unit_test(stretch_is_reported_on_its_byte),
        cmocka_unit_test(failures_end_with_their_errno),
        cmocka_unit_test(client_and_property_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
