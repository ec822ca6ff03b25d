/* SPDX-License-Identifier: MIT */
/* Properties: each integer at its field's own size with the range clamped
 * to it, hex display, read-only (observed) properties, and the change
 * hook's contract (i2cemu_device_set / i2cemu_device_get). */
#include "rig.h"
#include "testdevs.h"

/* Every integer size, each with a guard byte after it that no property
 * write may touch. */
struct sized_state {
    uint8_t u8;
    uint8_t guard1;
    uint16_t u16;
    uint16_t guard2;
    int8_t s8;
    uint8_t guard3;
    int16_t s16;
    uint16_t guard4;
    uint64_t u64;
    int64_t s64;
    uint8_t mask;
    uint8_t mode;
    uint8_t guard5;
    uint8_t observed;
};

static const char *const mode_names[] = {"off", "on", "auto", NULL};

static const struct i2cemu_prop sized_props[] = {
    /* The declared ranges are wider than the fields: the field wins. */
    I2CEMU_PROP_UINT_("u8", struct sized_state, u8, 7, 0, 1000,
                      I2CEMU_PROP_RUNTIME, "u8"),
    I2CEMU_PROP_UINT_("u16", struct sized_state, u16, 0x1234, 0, 1e9,
                      I2CEMU_PROP_RUNTIME, "u16"),
    I2CEMU_PROP_INT_("s8", struct sized_state, s8, -2, -1000, 1000,
                     I2CEMU_PROP_RUNTIME, "s8"),
    I2CEMU_PROP_INT_("s16", struct sized_state, s16, -300, -1e9, 1e9,
                     I2CEMU_PROP_RUNTIME, "s16"),
    I2CEMU_PROP_UINT_("u64", struct sized_state, u64, 1, 0, 2e19,
                      I2CEMU_PROP_RUNTIME, "u64"),
    I2CEMU_PROP_INT_("s64", struct sized_state, s64, -1, -1e19, 1e19,
                     I2CEMU_PROP_RUNTIME, "s64"),
    I2CEMU_PROP_UINT_("mask", struct sized_state, mask, 0x0f, 0, 0xff,
                      I2CEMU_PROP_RUNTIME | I2CEMU_PROP_HEX, "a mask"),
    I2CEMU_PROP_ENUM_("mode", struct sized_state, mode, 2, mode_names,
                      I2CEMU_PROP_RUNTIME, "mode"),
    I2CEMU_PROP_UINT_("observed", struct sized_state, observed, 0, 0, 255,
                      I2CEMU_PROP_READONLY, "what the model counts"),
    I2CEMU_PROP_END,
};

/* The model counts the bytes written to it in a read-only property. */
static enum i2cemu_result sized_send(struct i2cemu_dev *d, uint8_t byte)
{
    (void)byte;
    ((struct sized_state *)d->state)->observed++;
    return I2CEMU_ACK;
}

static const struct i2cemu_device_type test_sized = {
    .name = "test-sized",
    .help = "a property of every integer size",
    .props = sized_props,
    .state_size = sizeof(struct sized_state),
    .send = sized_send,
};

static void get(struct bench *r, int dev, const char *name, const char *want)
{
    char out[64];
    assert_int_equal(i2cemu_device_get(r->b, (unsigned)dev, name, out,
                                       sizeof(out), &r->err),
                     (int)strlen(want));
    assert_string_equal(out, want);
}

static void set_ok(struct bench *r, int dev, const char *name, const char *v)
{
    if (i2cemu_device_set(r->b, (unsigned)dev, name, v, &r->err) < 0)
        fail_msg("%s=%s: %s", name, v, r->err.msg);
}

static void set_fails(struct bench *r, int dev, const char *name, const char *v,
                      const char *msg)
{
    assert_int_equal(i2cemu_device_set(r->b, (unsigned)dev, name, v, &r->err),
                     -1);
    assert_string_equal(r->err.msg, msg);
}

static void integers_keep_to_their_field_size(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int d = bench_add_type(&r, &test_sized, "addr=0x20");
    struct sized_state *s = i2cemu_device_state(r.b, (unsigned)d);
    assert_int_equal(s->u8, 7);
    assert_int_equal(s->u16, 0x1234);
    assert_int_equal(s->s8, -2);
    assert_int_equal(s->s16, -300);
    assert_int_equal(s->mode, 2);

    set_ok(&r, d, "u8", "255");
    set_ok(&r, d, "u16", "65535");
    set_ok(&r, d, "s8", "-128");
    set_ok(&r, d, "s16", "-32768");
    set_ok(&r, d, "u64", "0xffffffffffffffff");
    set_ok(&r, d, "s64", "-9000000000");
    set_ok(&r, d, "mask", "0xff");
    set_ok(&r, d, "mode", "on");
    assert_int_equal(s->u8, 255);
    assert_int_equal(s->u16, 65535);
    assert_int_equal(s->s8, -128);
    assert_int_equal(s->s16, -32768);
    assert_true(s->u64 == UINT64_MAX);
    assert_true(s->s64 == -9000000000LL);
    assert_int_equal(s->mode, 1);
    /* Not one neighbour was written. */
    assert_int_equal(s->guard1, 0);
    assert_int_equal(s->guard2, 0);
    assert_int_equal(s->guard3, 0);
    assert_int_equal(s->guard4, 0);
    assert_int_equal(s->guard5, 0);
    assert_int_equal(s->observed, 0);

    get(&r, d, "u64", "18446744073709551615");
    get(&r, d, "s64", "-9000000000");
    get(&r, d, "s16", "-32768");
    get(&r, d, "mode", "on");

    /* The range is what the field holds, whatever the table says. */
    set_fails(&r, d, "u8", "256", "u8=256: out of range (0 to 255)");
    set_fails(&r, d, "s8", "128", "s8=128: out of range (-128 to 127)");
    set_fails(&r, d, "u16", "65536", "u16=65536: out of range (0 to 65535)");
    set_fails(&r, d, "mask", "0x100", "mask=0x100: out of range (0x0 to 0xff)");
    /* A refused value changes nothing. */
    assert_int_equal(s->u8, 255);
    assert_int_equal(s->mask, 0xff);
    double lo, hi;
    i2cemu_prop_range(&sized_props[2], &lo, &hi);
    assert_true(lo == -128 && hi == 127);
    i2cemu_prop_range(&sized_props[1], &lo, &hi);
    assert_true(lo == 0 && hi == 65535);
    bench_fini(&r);
}

static void hex_properties_read_in_hex(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int d = bench_add_type(&r, &test_sized, "addr=0x20,mask=0x3c");
    get(&r, d, "mask", "0x3c");
    get(&r, d, "u8", "7");
    set_ok(&r, d, "mask", "0");
    get(&r, d, "mask", "0x0");
    /* What get prints, set takes back. */
    set_ok(&r, d, "mask", "0xa5");
    char out[16];
    i2cemu_device_get(r.b, (unsigned)d, "mask", out, sizeof(out), NULL);
    set_ok(&r, d, "mask", out);
    get(&r, d, "mask", "0xa5");
    /* Truncated like snprintf, the length it needed returned. */
    assert_int_equal(i2cemu_device_get(r.b, (unsigned)d, "mask", out, 3, NULL),
                     4);
    assert_string_equal(out, "0x");
    assert_int_equal(i2cemu_device_get(r.b, (unsigned)d, "nope", out,
                                       sizeof(out), &r.err), -1);
    assert_string_equal(r.err.msg, "test-sized has no property 'nope'");
    bench_fini(&r);
}

static void read_only_properties_are_read_never_set(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    struct i2cemu_error err;
    assert_int_equal(i2cemu_device_add_custom(r.b, &test_sized,
                                              "addr=0x20,observed=3", &err),
                     -1);
    assert_string_equal(err.msg, "test-sized: observed is read-only");
    int d = bench_add_type(&r, &test_sized, "addr=0x20");
    set_fails(&r, d, "observed", "3", "test-sized: observed is read-only");
    get(&r, d, "observed", "0");
    /* The model updates it; anyone reads it. */
    uint8_t buf[3] = {1, 2, 3};
    struct i2c_msg m = {.addr = 0x20, .len = 3, .buf = buf};
    assert_int_equal(bench_transfer(&r, 0, &m, 1), 1);
    get(&r, d, "observed", "3");
    bench_fini(&r);
}

/* ---- the change hook ---------------------------------------------------- */

/* A comparator: its ALERT line is high while `level` >= `limit`. It
 * stretches each written byte until the test ACKs it, so a test can change
 * a property in the middle of a transfer. */
struct alarm_state {
    uint32_t level, limit;
    uint32_t hooks;      /* changed() calls */
    uint32_t mid_hooks;  /* of them, made while a byte was held */
    bool holding;        /* a written byte waits for its ACK */
    uint8_t last_prop;   /* index of the last property changed */
};

static const struct i2cemu_prop alarm_props[] = {
    I2CEMU_PROP_UINT_("level", struct alarm_state, level, 0, 0, 1000,
                      I2CEMU_PROP_RUNTIME, "measured level"),
    I2CEMU_PROP_UINT_("limit", struct alarm_state, limit, 10, 0, 1000,
                      I2CEMU_PROP_RUNTIME, "alert threshold"),
    I2CEMU_PROP_UINT_("fixed", struct alarm_state, hooks, 0, 0, 1000, 0,
                      "not runtime"),
    I2CEMU_PROP_END,
};

static const char *const alarm_lines[] = {"alert", NULL};

static void alarm_changed(struct i2cemu_dev *d, const struct i2cemu_prop *p)
{
    struct alarm_state *s = d->state;
    s->hooks++;
    s->mid_hooks += s->holding;
    s->last_prop = (uint8_t)(p - alarm_props);
    i2cemu_dev_line_set(d, 0, s->level >= s->limit);
}

static void alarm_send_async(struct i2cemu_dev *d, uint8_t byte)
{
    (void)byte;
    ((struct alarm_state *)d->state)->holding = true;
}

static const struct i2cemu_device_type test_alarm = {
    .name = "test-alarm",
    .help = "comparator with a change hook",
    .props = alarm_props,
    .state_size = sizeof(struct alarm_state),
    .lines = alarm_lines,
    .changed = alarm_changed,
    .send_async = alarm_send_async,
};

static void changed_hook_hears_each_runtime_change(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    int d = bench_add_type(&r, &test_alarm, "addr=0x40,level=50");
    struct alarm_state *s = i2cemu_device_state(r.b, (unsigned)d);
    assert_int_equal(s->hooks, 0); /* values given at creation: realize's */

    set_ok(&r, d, "limit", "40");
    assert_int_equal(s->hooks, 1);
    assert_int_equal(s->last_prop, 1);
    assert_true(i2cemu_device_line(r.b, (unsigned)d, 0));
    set_ok(&r, d, "limit", "40"); /* unchanged: no call */
    assert_int_equal(s->hooks, 1);
    set_ok(&r, d, "level", "5");
    assert_int_equal(s->hooks, 2);
    assert_int_equal(s->last_prop, 0);
    assert_false(i2cemu_device_line(r.b, (unsigned)d, 0));

    /* Refused: no change, no call. */
    set_fails(&r, d, "level", "2000", "level=2000: out of range (0 to 1000)");
    set_fails(&r, d, "fixed", "1", "test-alarm: fixed can only be set when "
                                   "the device is created");
    assert_int_equal(s->level, 5);
    assert_int_equal(s->hooks, 2);
    bench_fini(&r);
}

static void changed_hook_waits_for_the_transfer_to_end(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    int d = bench_add_type(&r, &test_alarm, "addr=0x40");
    struct alarm_state *s = i2cemu_device_state(r.b, (unsigned)d);

    uint8_t byte = 0x11;
    struct i2c_msg m = {.addr = 0x40, .len = 1, .buf = &byte};
    struct bench_job x;
    bench_submit(&r, 0, &x, &m, 1);
    assert_true(s->holding); /* mid-transfer: the byte is held */
    assert_false(x.done);

    set_ok(&r, d, "level", "99"); /* applied at once... */
    assert_int_equal(s->level, 99);
    assert_int_equal(s->hooks, 0); /* ...the hook waits */

    s->holding = false;
    struct i2cemu_dev h = {.board = r.b, .index = (unsigned)d};
    i2cemu_dev_ack(&h, I2CEMU_ACK);
    assert_true(x.done);
    assert_int_equal(x.t.result, 1);
    assert_int_equal(s->hooks, 0); /* not from inside the ACK */
    i2cemu_loop_run_once(r.loop, false);
    assert_int_equal(s->hooks, 1);
    assert_int_equal(s->mid_hooks, 0);
    assert_true(i2cemu_device_line(r.b, (unsigned)d, 0));
    bench_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(integers_keep_to_their_field_size),
        cmocka_unit_test(hex_properties_read_in_hex),
        cmocka_unit_test(read_only_properties_are_read_never_set),
        cmocka_unit_test(changed_hook_hears_each_runtime_change),
        cmocka_unit_test(changed_hook_waits_for_the_transfer_to_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
