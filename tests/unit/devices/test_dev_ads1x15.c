/* SPDX-License-Identifier: MIT */
/* ADS1015 and ADS1115 ADCs driven through the bus master, against the
 * datasheets' register map, code tables, modes and comparator. */
#include <math.h>

#include "devtest.h"

#define ADDR 0x48

/* Config fields. */
#define OS        0x8000u
#define MUX(m)    ((unsigned)(m) << 12)
#define PGA(p)    ((unsigned)(p) << 9)
#define SINGLE    0x0100u
#define DR(r)     ((unsigned)(r) << 5)
#define WINDOW    0x0010u
#define POL_HIGH  0x0008u
#define LATCH     0x0004u
#define QUE(q)    ((unsigned)(q))

static unsigned reg16(struct bench *t, uint8_t ptr)
{
    uint8_t buf[2];
    assert_int_equal(bench_xfer(t, ADDR, &ptr, 1, buf, 2), 2);
    return (unsigned)buf[0] << 8 | buf[1];
}

static void set_reg16(struct bench *t, uint8_t ptr, unsigned v)
{
    bench_write(t, ADDR, ptr, (uint8_t)(v >> 8), (uint8_t)v);
}

static void set_volts(struct bench *t, unsigned dev, const char *ain,
                      double v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%.9g", v);
    bench_set(t, dev, ain, buf);
}

static bool pin(struct bench *t, unsigned dev)
{
    return i2cemu_device_line(t->b, dev, 0);
}

/* Table 9.6: conversion 0, config 0x8583, Lo_thresh 0x8000, Hi_thresh
 * 0x7FFF; P1-P0 decoded; ALERT/RDY released (comparator off). */
static void test_power_on(void **state)
{
    (void)state;
    static const char *const types[] = { "ads1015", "ads1115" };
    for (unsigned k = 0; k < 2; k++) {
        struct bench t;
        char spec[64];
        bench_init(&t, I2CEMU_CLOCK_FAST);
        snprintf(spec, sizeof(spec), "%s,addr=0x48,ain0=1", types[k]);
        unsigned dev = bench_add(&t, spec);
        assert_int_equal(reg16(&t, 0), 0x0000); /* no conversion yet */
        assert_int_equal(reg16(&t, 1), 0x8583);
        assert_int_equal(reg16(&t, 2), 0x8000);
        assert_int_equal(reg16(&t, 3), 0x7FFF);
        assert_int_equal(reg16(&t, 0xFD), 0x8583);
        assert_true(pin(&t, dev));
        /* The conversion register is read-only; one byte is dropped. */
        set_reg16(&t, 0, 0x1234);
        bench_write(&t, ADDR, 2, 0x12);
        assert_int_equal(reg16(&t, 0), 0x0000);
        assert_int_equal(reg16(&t, 2), 0x8000);
        snprintf(spec, sizeof(spec), "%s,addr=0x4c", types[k]);
        bench_refuse(&t, spec, "0x48-0x4B");
        bench_fini(&t);
    }
}

/* ADS1115 Table 9-3 at each PGA: +FS/2, +-1 LSB, -FS/2, the
 * saturation at 0x7FFF/0x8000 (AIN0-AIN1, one-shot on the FAST clock). */
static void test_ads1115_codes(void **state)
{
    (void)state;
    static const double fs[6] = { 6.144, 4.096, 2.048, 1.024, 0.512, 0.256 };
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "ads1115,addr=0x48");
    for (unsigned p = 0; p < 8; p++) {
        double f = fs[p < 6 ? p : 5];
        struct { double v; unsigned code; } c[] = {
            { f / 2, 0x4000 }, { f / 32768, 0x0001 }, { 0, 0x0000 },
            { -f / 32768, 0xFFFF }, { -f / 2, 0xC000 },
            { f * 32767 / 32768, 0x7FFF },
            { f < 5 ? f + 0.1 : 5.8, f < 5 ? 0x7FFF : 0x78D5 },
            { f < 5 ? -f - 0.1 : -5.8, f < 5 ? 0x8000 : 0x872B },
        };
        for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
            if (fabs(c[i].v) > 5.8) /* beyond the inputs' range */
                continue;
            set_volts(&t, dev, "ain0", c[i].v > 0 ? c[i].v : 0);
            set_volts(&t, dev, "ain1", c[i].v < 0 ? -c[i].v : 0);
            set_reg16(&t, 1, OS | MUX(0) | PGA(p) | SINGLE | DR(4) | QUE(3));
            unsigned got = reg16(&t, 0);
            if (got != c[i].code)
                fail_msg("PGA %u, %.9g V: 0x%04x, want 0x%04x", p, c[i].v,
                         got, c[i].code);
        }
    }
    bench_fini(&t);
}

/* The mux: four differential pairs and four inputs against GND. */
static void test_mux(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "ads1115,addr=0x48,ain0=1,ain1=0.5,ain2=0.25,ain3=2");
    /* 4.096 V: 125 uV per LSB. */
    static const int want[8] = { 4000, -8000, -12000, -14000,
                                 8000, 4000, 2000, 16000 };
    for (unsigned m = 0; m < 8; m++) {
        set_reg16(&t, 1, OS | MUX(m) | PGA(1) | SINGLE | DR(4) | QUE(3));
        assert_int_equal(reg16(&t, 0), (uint16_t)want[m]);
    }
    bench_fini(&t);
}

/* ADS1015: 12 bits, left-justified; saturates at 0x7FF0/0x8000. */
static void test_ads1015_codes(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "ads1015,addr=0x49,ain0=1");
    const unsigned conf = OS | MUX(4) | PGA(2) | SINGLE | DR(4) | QUE(3);
    bench_write(&t, 0x49, 1, (uint8_t)(conf >> 8), (uint8_t)conf);
    uint8_t p = 0, buf[2];
    assert_int_equal(bench_xfer(&t, 0x49, &p, 1, buf, 2), 2);
    assert_bytes(buf, 0x3E, 0x80); /* 1000 << 4 */
    bench_set(&t, dev, "ain0", "3");
    bench_write(&t, 0x49, 1, (uint8_t)(conf >> 8), (uint8_t)conf);
    assert_int_equal(bench_xfer(&t, 0x49, &p, 1, buf, 2), 2);
    assert_bytes(buf, 0x7F, 0xF0);
    bench_set(&t, dev, "ain0", "0");
    bench_set(&t, dev, "ain1", "3");
    bench_write(&t, 0x49, 1, (uint8_t)((conf & ~MUX(7)) >> 8), (uint8_t)conf);
    assert_int_equal(bench_xfer(&t, 0x49, &p, 1, buf, 2), 2);
    assert_bytes(buf, 0x80, 0x00);
    bench_fini(&t);
}

/* Single-shot: OS reads 0 for 1/DR (ADS1115 8 SPS: 125 ms), then the
 * result lands and OS reads 1; a second OS during it is ignored. */
static void test_single_shot_timing(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "ads1115,addr=0x48,ain0=1");
    const unsigned conf = MUX(4) | PGA(1) | SINGLE | DR(0) | QUE(3);
    set_reg16(&t, 1, OS | conf);
    assert_int_equal(reg16(&t, 1), conf);
    i2cemu_loop_advance(t.loop, 100 * MS);
    set_reg16(&t, 1, OS | conf);
    bench_set(&t, dev, "ain0", "2");
    assert_int_equal(reg16(&t, 1), conf);
    assert_int_equal(reg16(&t, 0), 0x0000);
    i2cemu_loop_advance(t.loop, 25 * MS);
    assert_int_equal(reg16(&t, 1), OS | conf);
    assert_int_equal(reg16(&t, 0), 16000);
    /* Powered down: no further conversion. */
    bench_set(&t, dev, "ain0", "1");
    i2cemu_loop_advance(t.loop, 500 * MS);
    assert_int_equal(reg16(&t, 0), 16000);
    bench_fini(&t);
}

/* Continuous: a conversion every 1/DR (ADS1015 128 SPS: 7.8125 ms); OS
 * reads 0 while the part converts. Linux's probe clears MODE. */
static void test_continuous(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "ads1015,addr=0x48,ain0=1");
    const unsigned conf = MUX(4) | PGA(2) | DR(0) | QUE(3);
    set_reg16(&t, 1, conf);
    assert_int_equal(reg16(&t, 1), conf);
    assert_int_equal(reg16(&t, 0), 0x0000);
    i2cemu_loop_advance(t.loop, 8 * MS);
    assert_int_equal(reg16(&t, 0), 1000 << 4);
    bench_set(&t, dev, "ain0", "0.5");
    assert_int_equal(reg16(&t, 0), 1000 << 4);
    i2cemu_loop_advance(t.loop, 8 * MS);
    assert_int_equal(reg16(&t, 0), 500 << 4);
    /* Back to single-shot: powered down, OS reads 1. */
    set_reg16(&t, 1, conf | SINGLE);
    assert_int_equal(reg16(&t, 1), OS | SINGLE | conf);
    bench_fini(&t);
}

/* Traditional comparator: asserts above Hi_thresh after QUE+1
 * conversions, releases below Lo_thresh (hysteresis); active low. */
static void test_comparator_traditional(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "ads1115,addr=0x48,ain0=0.8");
    set_reg16(&t, 3, 8000); /* 1 V at 4.096 */
    set_reg16(&t, 2, 4000); /* 0.5 V */
    set_reg16(&t, 1, MUX(4) | PGA(1) | DR(0) | QUE(2)); /* 4 conversions */
    assert_true(pin(&t, dev));
    bench_set(&t, dev, "ain0", "1.2");
    i2cemu_loop_advance(t.loop, 3 * 125 * MS);
    reg16(&t, 0);
    assert_true(pin(&t, dev)); /* 3 of 4 */
    i2cemu_loop_advance(t.loop, 125 * MS);
    reg16(&t, 0);
    assert_false(pin(&t, dev));
    bench_set(&t, dev, "ain0", "0.8"); /* between: stays */
    i2cemu_loop_advance(t.loop, 125 * MS);
    reg16(&t, 0);
    assert_false(pin(&t, dev));
    bench_set(&t, dev, "ain0", "0.4");
    i2cemu_loop_advance(t.loop, 125 * MS);
    reg16(&t, 0);
    assert_true(pin(&t, dev));
    bench_fini(&t);
}

/* Window, latching and polarity (FAST: one conversion per change). */
static void test_comparator_window_latch_pol(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "ads1115,addr=0x48,ain0=0.8");
    set_reg16(&t, 3, 8000);
    set_reg16(&t, 2, 4000);
    set_reg16(&t, 1, MUX(4) | PGA(1) | DR(4) | WINDOW | QUE(0));
    assert_true(pin(&t, dev));
    bench_set(&t, dev, "ain0", "0.4");
    assert_false(pin(&t, dev)); /* below the window */
    bench_set(&t, dev, "ain0", "0.8");
    assert_true(pin(&t, dev));
    bench_set(&t, dev, "ain0", "1.2");
    assert_false(pin(&t, dev));
    bench_set(&t, dev, "ain0", "0.8");
    assert_true(pin(&t, dev));

    /* Latching: held after the input returns, until the conversion is
     * read. */
    set_reg16(&t, 1, MUX(4) | PGA(1) | DR(4) | WINDOW | LATCH | QUE(0));
    bench_set(&t, dev, "ain0", "1.2");
    bench_set(&t, dev, "ain0", "0.8");
    assert_false(pin(&t, dev));
    char buf[8];
    assert_true(i2cemu_device_get(t.b, dev, "alert", buf, 8, NULL) > 0);
    assert_string_equal(buf, "off");
    reg16(&t, 0);
    assert_true(pin(&t, dev));

    /* Active high: released low, asserted high. */
    set_reg16(&t, 1, MUX(4) | PGA(1) | DR(4) | WINDOW | POL_HIGH | QUE(0));
    assert_false(pin(&t, dev));
    bench_set(&t, dev, "ain0", "1.2");
    assert_true(pin(&t, dev));
    /* COMP_QUE = 11: off, the pin high-impedance (pulled up). */
    set_reg16(&t, 1, MUX(4) | PGA(1) | DR(4) | POL_HIGH | QUE(3));
    bench_set(&t, dev, "ain0", "0.8");
    assert_true(pin(&t, dev));
    bench_fini(&t);
}

struct edges {
    unsigned n;
    bool last;
};

static void count_edge(void *opaque, unsigned dev, unsigned line, bool level)
{
    struct edges *e = opaque;
    (void)dev;
    (void)line;
    e->n++;
    e->last = level;
}

/* Conversion-ready mode (Hi_thresh MSB 1, Lo_thresh MSB 0): single-shot
 * asserts the pin at the end of the conversion; continuous pulses it. */
static void test_conversion_ready(void **state)
{
    (void)state;
    struct bench t;
    struct edges e = {0};
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "ads1115,addr=0x48,ain0=1");
    set_reg16(&t, 3, 0x8000);
    set_reg16(&t, 2, 0x0000);
    set_reg16(&t, 1, OS | MUX(4) | PGA(1) | SINGLE | DR(7) | QUE(0));
    assert_true(pin(&t, dev));
    i2cemu_loop_advance(t.loop, 2 * MS); /* 860 SPS: 1.163 ms */
    reg16(&t, 1);
    assert_false(pin(&t, dev));
    set_reg16(&t, 1, OS | MUX(4) | PGA(1) | SINGLE | DR(7) | QUE(0));
    assert_true(pin(&t, dev)); /* a new conversion started */

    i2cemu_board_set_line_listener(t.b, count_edge, &e);
    set_reg16(&t, 1, MUX(4) | PGA(1) | DR(0) | QUE(0)); /* 8 SPS */
    e.n = 0;
    i2cemu_loop_advance(t.loop, 130 * MS);
    reg16(&t, 0);
    assert_int_equal(e.n, 2); /* one pulse: low, then high again */
    assert_true(e.last);
    bench_fini(&t);
}

/* On a paced clock the pin moves at the end of a conversion, with nobody
 * reading the part (an interrupt-driven driver waits for it). */
static void test_pin_moves_by_itself(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "ads1115,addr=0x48,ain0=1.2");
    set_reg16(&t, 3, 8000);
    set_reg16(&t, 2, 4000);
    set_reg16(&t, 1, MUX(4) | PGA(1) | DR(0) | QUE(0)); /* 8 SPS */
    i2cemu_loop_advance(t.loop, 120 * MS);
    assert_true(pin(&t, dev));
    i2cemu_loop_advance(t.loop, 10 * MS);
    assert_false(pin(&t, dev));
    bench_set(&t, dev, "ain0", "0.4");
    i2cemu_loop_advance(t.loop, 125 * MS);
    assert_true(pin(&t, dev));

    /* Single-shot conversion ready. */
    set_reg16(&t, 3, 0x8000);
    set_reg16(&t, 2, 0x0000);
    set_reg16(&t, 1, OS | MUX(4) | PGA(1) | SINGLE | DR(0) | QUE(0));
    i2cemu_loop_advance(t.loop, 120 * MS);
    assert_true(pin(&t, dev));
    i2cemu_loop_advance(t.loop, 10 * MS);
    assert_false(pin(&t, dev));
    bench_fini(&t);
}

/* 9.5.1.2: the general call with 0x06 resets the part (registers and
 * power-down); other general-call bytes are acknowledged and ignored. */
static void test_general_call_reset(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned a = bench_add(&t, "ads1115,addr=0x48,ain0=1");
    bench_add(&t, "ads1015,addr=0x49");
    bench_add(&t, "ina219,addr=0x40"); /* no general call */
    set_reg16(&t, 1, MUX(4) | PGA(1) | DR(7) | WINDOW | QUE(0));
    set_reg16(&t, 2, 0x1234);
    set_reg16(&t, 3, 0x1000); /* 1 V (8000) is above it */
    bench_write(&t, 0x49, 3, 0x12, 0x34);
    reg16(&t, 0);
    assert_false(pin(&t, a));
    bench_write(&t, 0x00, 0x04);
    assert_int_equal(reg16(&t, 2), 0x1234);
    assert_false(pin(&t, a));
    bench_write(&t, 0x00, 0x06);
    assert_int_equal(reg16(&t, 1), 0x8583);
    assert_int_equal(reg16(&t, 2), 0x8000);
    assert_int_equal(reg16(&t, 3), 0x7FFF);
    assert_int_equal(reg16(&t, 0), 0x0000);
    assert_true(pin(&t, a));
    uint8_t p = 3, buf[2];
    assert_int_equal(bench_xfer(&t, 0x49, &p, 1, buf, 2), 2);
    assert_bytes(buf, 0x7F, 0xFF);
    /* The INA219 ignored it. */
    p = 0;
    assert_int_equal(bench_xfer(&t, 0x40, &p, 1, buf, 2), 2);
    assert_bytes(buf, 0x39, 0x9F);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_on),
        cmocka_unit_test(test_ads1115_codes),
        cmocka_unit_test(test_mux),
        cmocka_unit_test(test_ads1015_codes),
        cmocka_unit_test(test_single_shot_timing),
        cmocka_unit_test(test_continuous),
        cmocka_unit_test(test_comparator_traditional),
        cmocka_unit_test(test_comparator_window_latch_pol),
        cmocka_unit_test(test_conversion_ready),
        cmocka_unit_test(test_pin_moves_by_itself),
        cmocka_unit_test(test_general_call_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
