/* SPDX-License-Identifier: MIT */
/* PCF8563 RTC (pcf8563.c) on the VIRTUAL clock, whose wall clock starts
 * at 2000-01-01T00:00:00Z. */
#include <errno.h>

#include "devtest.h"

#define RTC 0x51
#define SEC 1000000000ull

static void rd(struct bench *t, uint8_t reg, uint8_t *buf, uint16_t n)
{
    assert_int_equal(bench_xfer(t, RTC, &reg, 1, buf, n), 2);
}

static unsigned rd1(struct bench *t, uint8_t reg)
{
    uint8_t v;
    rd(t, reg, &v, 1);
    return v;
}

/* Power-on values (datasheet table 4) and VL with battery=off; the
 * pointer wraps from 0x0F to 0x00. */
static void test_power_on(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[17];
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "pcf8563,addr=0x51,battery=off");
    rd(&t, 0, b, 17);
    /* 2000-01-01 was a Saturday: weekday 6. */
    assert_bytes(b, 0x08, 0x00, 0x80, 0x00, 0x00, 0x01, 0x06, 0x01, 0x00,
                 0x80, 0x80, 0x80, 0x80, 0x80, 0x03, 0x00, 0x08);
    /* VL stays set while the clock runs, until the seconds are written. */
    i2cemu_loop_advance(t.loop, 7 * SEC);
    assert_int_equal(rd1(&t, 2), 0x87);
    bench_write(&t, RTC, 2, 0x30);
    assert_int_equal(rd1(&t, 2), 0x30);
    assert_int_equal(bench_xfer(&t, RTC, BYTES(0x10), NULL, 0), -EIO);
    bench_refuse(&t, "pcf8563,addr=0x52", "only 0x51");
    bench_fini(&t);

    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    i2cemu_board_set_wall_time(t.b, 1700000000 * (int64_t)SEC);
    bench_add(&t, "pcf8563,addr=0x51");
    rd(&t, 2, b, 7);
    /* Tuesday 2023-11-14 22:13:20: weekday 2, C clear. */
    assert_bytes(b, 0x20, 0x13, 0x22, 0x14, 0x02, 0x11, 0x23);
    bench_fini(&t);
}

/* Linux's set_time: 7 registers from 0x02; STOP freezes the clock. */
static void test_set_time_and_stop(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[7];
    char v[32];
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "pcf8563,addr=0x51");
    /* 2099-12-31 23:59:59, Thursday (4). */
    bench_write(&t, RTC, 2, 0x59, 0x59, 0x23, 0x31, 0x04, 0x12, 0x99);
    assert_true(i2cemu_device_get(t.b, dev, "offset", v, sizeof(v), NULL) > 0);
    assert_string_equal(v, "3155759999"); /* 4102444799 - 946684800 */
    i2cemu_loop_advance(t.loop, 1 * SEC);
    rd(&t, 2, b, 7);
    /* 2100-01-01: C set, Friday. */
    assert_bytes(b, 0x00, 0x00, 0x00, 0x01, 0x05, 0x81, 0x00);
    bench_write(&t, RTC, 0, 0x20); /* STOP */
    i2cemu_loop_advance(t.loop, 10 * SEC);
    assert_int_equal(rd1(&t, 2), 0x00);
    bench_write(&t, RTC, 0, 0x00);
    i2cemu_loop_advance(t.loop, 2 * SEC);
    assert_int_equal(rd1(&t, 2), 0x02);
    bench_fini(&t);
}

/* Alarm at minute and hour; AF, INT with AIE, cleared by writing 0. */
static void test_alarm(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "pcf8563,addr=0x51");
    bench_write(&t, RTC, 9, 0x02, 0x00, 0x80, 0x80); /* 00:02 */
    bench_write(&t, RTC, 1, 0x02);                   /* AIE */
    i2cemu_loop_advance(t.loop, 119 * SEC);
    assert_int_equal(rd1(&t, 1), 0x02);
    assert_false(i2cemu_device_line(t.b, dev, 0));
    i2cemu_loop_advance(t.loop, 1 * SEC);
    assert_int_equal(rd1(&t, 1), 0x0A);
    assert_true(i2cemu_device_line(t.b, dev, 0));
    bench_write(&t, RTC, 1, 0x0E); /* 1s keep AF and leave TF clear */
    assert_int_equal(rd1(&t, 1), 0x0A);
    bench_write(&t, RTC, 1, 0x02);
    assert_int_equal(rd1(&t, 1), 0x02);
    assert_false(i2cemu_device_line(t.b, dev, 0));
    /* All AE set: no alarm. */
    bench_write(&t, RTC, 9, 0x80, 0x80);
    i2cemu_loop_advance(t.loop, 3600 * SEC);
    assert_int_equal(rd1(&t, 1), 0x02);
    bench_fini(&t);
}

/* Timer: 10 counts at 64 Hz; the register counts down, TF at 0. */
static void test_timer(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "pcf8563,addr=0x51");
    bench_write(&t, RTC, 1, 0x01);             /* TIE */
    bench_write(&t, RTC, 0x0E, 0x81, 10);      /* TE, 64 Hz, 10 */
    i2cemu_loop_advance(t.loop, 3 * SEC / 64 + 1000);
    assert_int_equal(rd1(&t, 0x0F), 7);
    assert_int_equal(rd1(&t, 1), 0x01);
    i2cemu_loop_advance(t.loop, 7 * SEC / 64);
    assert_int_equal(rd1(&t, 1), 0x05);
    assert_true(i2cemu_device_line(t.b, dev, 0));
    bench_write(&t, RTC, 1, 0x01);
    assert_int_equal(rd1(&t, 1), 0x01);
    i2cemu_loop_advance(t.loop, 10 * SEC / 64);
    assert_int_equal(rd1(&t, 1), 0x05); /* the next period */
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_on),
        cmocka_unit_test(test_set_time_and_stop),
        cmocka_unit_test(test_alarm),
        cmocka_unit_test(test_timer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
