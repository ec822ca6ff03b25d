/* SPDX-License-Identifier: MIT */
/* The LM75 family's variants (datasheet tables), QEMU's tmp105 qtest, and
 * the thermostat: fault queue, comparator and interrupt mode, the
 * O.S./ALERT line, one-shot, on the VIRTUAL clock. */
#include <errno.h>
#include <stdio.h>

#include "devtest.h"

#define ADDR 0x48

static unsigned reg16(struct bench *t, uint8_t ptr)
{
    uint8_t buf[2];
    assert_int_equal(bench_xfer(t, ADDR, &ptr, 1, buf, 2), 2);
    return (unsigned)buf[0] << 8 | buf[1];
}

static unsigned reg8(struct bench *t, uint8_t ptr)
{
    uint8_t b;
    assert_int_equal(bench_xfer(t, ADDR, &ptr, 1, &b, 1), 2);
    return b;
}

static void set16(struct bench *t, uint8_t ptr, uint16_t v)
{
    bench_write(t, ADDR, ptr, (uint8_t)(v >> 8), (uint8_t)v);
}

static bool line(struct bench *t, unsigned dev)
{
    return i2cemu_device_line(t->b, dev, 0);
}

/* Power-on values from each datasheet's register tables. */
static void test_power_on(void **state)
{
    (void)state;
    static const struct {
        const char *type;
        unsigned conf, temp; /* temp at 25.3 °C */
    } parts[] = {
        { "lm75", 0x00, 0x1900 },    { "lm75a", 0x00, 0x1900 },
        { "ds75", 0x00, 0x1900 },    { "stds75", 0x00, 0x1900 },
        { "pct2075", 0x00, 0x1940 }, { "tmp75", 0x00, 0x1900 },
        { "tmp100", 0x80, 0x1900 },  { "tmp101", 0x80, 0x1900 },
        { "tmp105", 0x00, 0x1900 },  { "tmp175", 0x00, 0x1900 },
        { "tmp275", 0x00, 0x1900 },
    };
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        struct bench t;
        char spec[64];
        bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
        snprintf(spec, sizeof(spec), "%s,addr=0x48,temperature=25.3",
                 parts[i].type);
        unsigned dev = bench_add(&t, spec);
        if (reg8(&t, 1) != parts[i].conf || reg16(&t, 0) != parts[i].temp)
            fail_msg("%s: conf 0x%02x temp 0x%04x", parts[i].type,
                     reg8(&t, 1), reg16(&t, 0));
        assert_int_equal(reg16(&t, 2), 0x4B00); /* T_HYST 75 °C */
        assert_int_equal(reg16(&t, 3), 0x5000); /* T_OS 80 °C */
        assert_true(line(&t, dev)); /* inactive, POL=0: released high */
        bench_fini(&t);
    }
}

/* National LM75A: what Linux's lm75_detect reads. PCT2075: T_idle. */
static void test_extra_registers(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "lm75a,addr=0x48");
    assert_int_equal(reg8(&t, 7), 0xA1);
    for (uint8_t p = 4; p <= 6; p++)
        assert_int_equal(reg8(&t, p), 0xFF);
    assert_int_equal(reg8(&t, 8 + 7), 0xA1); /* cycles every 8 */
    assert_int_equal(reg8(&t, 48 + 3), 0x50);
    bench_write(&t, ADDR, 7, 0x00); /* read-only */
    assert_int_equal(reg8(&t, 7), 0xA1);
    bench_fini(&t);

    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "pct2075,addr=0x48");
    assert_int_equal(reg8(&t, 4), 0x00);
    bench_write(&t, ADDR, 4, 0xFF);
    assert_int_equal(reg8(&t, 4), 0x1F);
    uint8_t b;
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(5), &b, 1), -EIO);
    /* A conversion every T_idle (300 ms here): F=2 trips at the second. */
    bench_write(&t, ADDR, 4, 3);
    bench_write(&t, ADDR, 1, 0x08);
    bench_set(&t, dev, "temperature", "81");
    i2cemu_loop_advance(t.loop, 300 * MS - 1);
    assert_true(i2cemu_device_line(t.b, dev, 0));
    i2cemu_loop_advance(t.loop, 1);
    assert_false(i2cemu_device_line(t.b, dev, 0));
    bench_fini(&t);
}

/* R1-R0 at 20.9375 °C: 9, 10, 11, 12 bits; fixed-resolution parts ignore
 * the bits (they read 0). */
static void test_resolution(void **state)
{
    (void)state;
    static const char *const adjustable[] = {
        "ds75", "stds75", "tmp75", "tmp100", "tmp101",
        "tmp105", "tmp175", "tmp275",
    };
    static const unsigned want[4] = { 0x1480, 0x14C0, 0x14E0, 0x14F0 };
    for (size_t i = 0; i < sizeof(adjustable) / sizeof(adjustable[0]); i++) {
        struct bench t;
        char spec[64];
        bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
        snprintf(spec, sizeof(spec), "%s,addr=0x48,temperature=20.9375",
                 adjustable[i]);
        unsigned dev = bench_add(&t, spec);
        for (unsigned r = 0; r < 4; r++) {
            bench_write(&t, ADDR, 1, (uint8_t)(r << 5));
            assert_int_equal(reg8(&t, 1) & 0x60, r << 5);
            if (reg16(&t, 0) != want[r])
                fail_msg("%s R=%u: 0x%04x", adjustable[i], r, reg16(&t, 0));
        }
        bench_set(&t, dev, "temperature", "-0.0625");
        assert_int_equal(reg16(&t, 0), 0xFFF0);
        bench_fini(&t);
    }
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "pct2075,addr=0x48,temperature=20.9375");
    bench_write(&t, ADDR, 1, 0x60);
    assert_int_equal(reg8(&t, 1), 0x00);
    assert_int_equal(reg16(&t, 0), 0x14E0); /* 11 bits */
    bench_set(&t, dev, "temperature", "-55");
    assert_int_equal(reg16(&t, 0), 0xC900);
    bench_fini(&t);
}

/* Writable configuration bits and limit widths per part. */
static void test_config_and_limits(void **state)
{
    (void)state;
    static const struct {
        const char *type;
        uint8_t write, conf;
        unsigned limit; /* 0x55FF written */
    } parts[] = {
        { "lm75", 0xFE, 0x1E, 0x5580 },   { "lm75a", 0xFE, 0x1E, 0x5580 },
        { "ds75", 0xFE, 0x7E, 0x5580 },   { "stds75", 0xFE, 0x7E, 0x5580 },
        { "pct2075", 0xFE, 0x1E, 0x5580 }, { "tmp75", 0xFE, 0x7E, 0x55FF },
        { "tmp105", 0xFE, 0x7E, 0x55FF }, { "tmp100", 0x7A, 0xFA, 0x55FF },
        { "tmp101", 0x7E, 0x7E, 0x55FF }, /* POL=1: OS/ALERT reads 0 */
    };
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        struct bench t;
        char spec[64];
        bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
        snprintf(spec, sizeof(spec), "%s,addr=0x48", parts[i].type);
        bench_add(&t, spec);
        bench_write(&t, ADDR, 1, parts[i].write);
        set16(&t, 2, 0x55FF);
        if (reg8(&t, 1) != parts[i].conf || reg16(&t, 2) != parts[i].limit)
            fail_msg("%s: conf 0x%02x, limit 0x%04x", parts[i].type,
                     reg8(&t, 1), reg16(&t, 2));
        bench_fini(&t);
    }
}

/* tests/qtest/tmp105-test.c, step by step. */
static void test_qemu_tmp105(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "tmp105,addr=0x49,temperature=0");
    uint8_t buf[2];
#define GET16(p) (assert_int_equal(bench_xfer(&t, 0x49, BYTES(p), buf, 2), 2), \
                  (unsigned)buf[0] << 8 | buf[1])
#define GET8(p) (assert_int_equal(bench_xfer(&t, 0x49, BYTES(p), buf, 1), 2), \
                 buf[0])
    assert_int_equal(GET16(0), 0x0000);
    bench_set(&t, dev, "temperature", "20");
    assert_int_equal(GET16(0), 0x1400);
    bench_set(&t, dev, "temperature", "20.9375");
    bench_write(&t, 0x49, 1, 0x60);
    assert_int_equal(GET8(1), 0x60);
    assert_int_equal(GET16(0), 0x14F0);
    static const uint8_t conf[] = { 0x00, 0x20, 0x40, 0x60 };
    static const unsigned temp[] = { 0x1480, 0x14C0, 0x14E0, 0x14F0 };
    for (unsigned i = 0; i < 4; i++) {
        bench_write(&t, 0x49, 1, conf[i]);
        assert_int_equal(GET8(1), conf[i]);
        assert_int_equal(GET16(0), temp[i]);
    }
    bench_write(&t, 0x49, 2, 0x12, 0x34);
    assert_int_equal(GET16(2), 0x1234);
    bench_write(&t, 0x49, 3, 0x42, 0x31);
    assert_int_equal(GET16(3), 0x4231);
#undef GET16
#undef GET8
    bench_fini(&t);
}

/* Comparator mode, fault queue 4, 12 bits: a conversion every 220 ms. The
 * line trips at the fourth consecutive conversion at or above T_OS, with
 * no bus traffic, and releases after four below T_HYST. */
static void test_comparator_fault_queue(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "tmp105,addr=0x48");
    bench_write(&t, ADDR, 1, 0x70); /* F=4, 12 bits */
    bench_set(&t, dev, "temperature", "80"); /* conversion 1 */
    i2cemu_loop_advance(t.loop, 2 * 220 * MS); /* 2, 3 */
    assert_true(line(&t, dev));
    bench_set(&t, dev, "temperature", "79.9375"); /* the run breaks */
    bench_set(&t, dev, "temperature", "80");      /* 1 again */
    i2cemu_loop_advance(t.loop, 3 * 220 * MS - 1);
    assert_true(line(&t, dev));
    i2cemu_loop_advance(t.loop, 1); /* 4 */
    assert_false(line(&t, dev));    /* active low */
    assert_int_equal(reg8(&t, 1), 0x70);
    /* Between the limits it stays active. */
    bench_set(&t, dev, "temperature", "75");
    i2cemu_loop_advance(t.loop, 10 * 220 * MS);
    assert_false(line(&t, dev));
    bench_set(&t, dev, "temperature", "74.9375");
    i2cemu_loop_advance(t.loop, 3 * 220 * MS - 1);
    assert_false(line(&t, dev));
    i2cemu_loop_advance(t.loop, 1);
    assert_true(line(&t, dev));
    /* POL=1: active high. */
    bench_write(&t, ADDR, 1, 0x04);
    assert_false(line(&t, dev));
    bench_set(&t, dev, "temperature", "90");
    assert_true(line(&t, dev));
    bench_fini(&t);
}

/* Interrupt mode: each trip activates O.S.; any read releases it; so does
 * shutdown. TMP101's OS/ALERT bit still reads the comparator. */
static void test_interrupt_mode(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "tmp101,addr=0x48");
    bench_write(&t, ADDR, 1, 0x02); /* TM=1, F=1, 9 bits: 40 ms */
    bench_set(&t, dev, "temperature", "80");
    assert_false(line(&t, dev));
    i2cemu_loop_advance(t.loop, 1000 * MS);
    assert_false(line(&t, dev));
    assert_int_equal(reg8(&t, 1), 0x02); /* the read releases it */
    assert_true(line(&t, dev));
    i2cemu_loop_advance(t.loop, 1000 * MS); /* still hot: no new trip */
    assert_true(line(&t, dev));
    bench_set(&t, dev, "temperature", "74");
    assert_false(line(&t, dev)); /* the T_HYST trip */
    assert_int_equal(reg16(&t, 0), 0x4A00);
    assert_true(line(&t, dev));
    assert_int_equal(reg8(&t, 1), 0x82); /* comparator back: reads 1 */
    bench_set(&t, dev, "temperature", "85");
    assert_false(line(&t, dev));
    bench_write(&t, ADDR, 1, 0x03); /* shutdown releases it */
    assert_true(line(&t, dev));
    bench_fini(&t);

    /* DS75 at 9 bits converts every 150 ms; F=2. */
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    dev = bench_add(&t, "ds75,addr=0x48");
    bench_write(&t, ADDR, 1, 0x0A);
    bench_set(&t, dev, "temperature", "81");
    i2cemu_loop_advance(t.loop, 149 * MS);
    assert_true(line(&t, dev));
    i2cemu_loop_advance(t.loop, 1 * MS);
    assert_false(line(&t, dev));
    bench_fini(&t);
}

/* One-shot in shutdown: the conversion time of the resolution on a paced
 * clock. DS75 has no one-shot. */
static void test_one_shot(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "tmp175,addr=0x48,temperature=30");
    bench_write(&t, ADDR, 1, 0x61); /* 12 bits, shutdown */
    bench_set(&t, dev, "temperature", "40");
    assert_int_equal(reg16(&t, 0), 0x1E00);
    bench_write(&t, ADDR, 1, 0xE1);
    assert_int_equal(reg8(&t, 1), 0x61); /* OS reads 0 */
    i2cemu_loop_advance(t.loop, 220 * MS - 1);
    assert_int_equal(reg16(&t, 0), 0x1E00);
    i2cemu_loop_advance(t.loop, 1);
    assert_int_equal(reg16(&t, 0), 0x2800);
    bench_set(&t, dev, "temperature", "50"); /* still shut down */
    assert_int_equal(reg16(&t, 0), 0x2800);
    bench_fini(&t);

    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    dev = bench_add(&t, "ds75,addr=0x48,temperature=30");
    bench_write(&t, ADDR, 1, 0x01);
    bench_set(&t, dev, "temperature", "40");
    bench_write(&t, ADDR, 1, 0x81);
    i2cemu_loop_advance(t.loop, 2000 * MS);
    assert_int_equal(reg8(&t, 1), 0x01);
    assert_int_equal(reg16(&t, 0), 0x1E00);
    bench_fini(&t);

    bench_init(&t, I2CEMU_CLOCK_FAST);
    dev = bench_add(&t, "tmp100,addr=0x48,temperature=30");
    bench_write(&t, ADDR, 1, 0x01);
    bench_set(&t, dev, "temperature", "-25");
    bench_write(&t, ADDR, 1, 0x81);
    assert_int_equal(reg16(&t, 0), 0xE700);
    bench_fini(&t);
}

/* TMP102/TMP112: CR sets the conversion period the fault queue counts;
 * AL and the alert line follow. */
static void test_tmp102_rate_and_alert(void **state)
{
    (void)state;
    static const char *const types[] = { "tmp102", "tmp112" };
    for (unsigned i = 0; i < 2; i++) {
        struct bench t;
        char spec[64];
        bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
        snprintf(spec, sizeof(spec), "%s,addr=0x48", types[i]);
        unsigned dev = bench_add(&t, spec);
        assert_int_equal(reg16(&t, 1), 0x60A0);
        assert_true(line(&t, dev));
        set16(&t, 1, 0x08A0); /* F=2, 4 Hz */
        bench_set(&t, dev, "temperature", "80");
        i2cemu_loop_advance(t.loop, 250 * MS - 1);
        assert_int_equal(reg16(&t, 1), 0x68A0);
        assert_true(line(&t, dev));
        i2cemu_loop_advance(t.loop, 1);
        assert_int_equal(reg16(&t, 1), 0x6880); /* AL: active */
        assert_false(line(&t, dev));
        set16(&t, 1, 0x08E0); /* 8 Hz */
        bench_set(&t, dev, "temperature", "70");
        i2cemu_loop_advance(t.loop, 125 * MS);
        assert_int_equal(reg16(&t, 1), 0x68E0);
        assert_true(line(&t, dev));
        set16(&t, 1, 0x0A20); /* TM=1, 0.25 Hz */
        bench_set(&t, dev, "temperature", "90");
        i2cemu_loop_advance(t.loop, 4000 * MS - 1);
        assert_true(line(&t, dev));
        i2cemu_loop_advance(t.loop, 1);
        assert_false(line(&t, dev));
        assert_int_equal(reg16(&t, 1), 0x6A00); /* AL active; read frees */
        assert_true(line(&t, dev));
        bench_refuse(&t, "tmp112,addr=0x49,temperature=151", "temperature");
        bench_fini(&t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_on),
        cmocka_unit_test(test_extra_registers),
        cmocka_unit_test(test_resolution),
        cmocka_unit_test(test_config_and_limits),
        cmocka_unit_test(test_qemu_tmp105),
        cmocka_unit_test(test_comparator_fault_queue),
        cmocka_unit_test(test_interrupt_mode),
        cmocka_unit_test(test_one_shot),
        cmocka_unit_test(test_tmp102_rate_and_alert),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
