/* SPDX-License-Identifier: MIT */
/* LM75 and TMP102 temperature sensors driven through the bus master. */
#include <errno.h>

#include "devtest.h"

#define ADDR 0x48

static unsigned reg16(struct bench *t, uint8_t ptr)
{
    uint8_t buf[2];
    assert_int_equal(bench_xfer(t, ADDR, &ptr, 1, buf, 2), 2);
    return (unsigned)buf[0] << 8 | buf[1];
}

static void set_reg16(struct bench *t, uint8_t ptr, uint16_t v)
{
    bench_write(t, ADDR, ptr, (uint8_t)(v >> 8), (uint8_t)v);
}

struct enc {
    const char *temp;
    unsigned reg;
};

static void check_encodings(struct bench *t, unsigned dev,
                            const struct enc *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bench_set(t, dev, "temperature", e[i].temp);
        unsigned got = reg16(t, 0);
        if (got != e[i].reg)
            fail_msg("%s °C: read 0x%04x, want 0x%04x", e[i].temp, got,
                     e[i].reg);
    }
}

/* ---- LM75 ---------------------------------------------------------- */

static void test_lm75_power_on(void **state)
{
    (void)state;
    struct bench t;
    uint8_t buf[4];
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "lm75,addr=0x48");
    /* Pointer 0 at power on: a plain read is the temperature, 25 °C. */
    assert_int_equal(bench_xfer(&t, ADDR, NULL, 0, buf, 2), 1);
    assert_bytes(buf, 0x19, 0x00);
    assert_int_equal(reg16(&t, 1), 0x0000); /* configuration */
    assert_int_equal(reg16(&t, 2), 0x4B00); /* T_HYST 75 °C */
    assert_int_equal(reg16(&t, 3), 0x5000); /* T_OS 80 °C */
    /* No auto-increment: a longer read repeats the register. */
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(3), buf, 4), 2);
    assert_bytes(buf, 0x50, 0x00, 0x50, 0x00);
    bench_fini(&t);
}

/* The LM75 datasheet's temperature table, plus truncation. */
static void test_lm75_encoding(void **state)
{
    (void)state;
    static const struct enc e[] = {
        { "125", 0x7D00 }, { "25", 0x1900 },   { "0.5", 0x0080 },
        { "0", 0x0000 },   { "-0.5", 0xFF80 }, { "-25", 0xE700 },
        { "-55", 0xC900 }, { "25.4", 0x1900 }, { "-0.25", 0xFF80 },
        { "-54.9", 0xC900 },
    };
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "lm75,addr=0x48");
    check_encodings(&t, dev, e, sizeof(e) / sizeof(e[0]));
    bench_refuse(&t, "lm75,addr=0x49,temperature=126", "temperature");
    bench_fini(&t);
}

static void test_lm75_registers(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "lm75,addr=0x48");
    set_reg16(&t, 3, 0x55FF); /* D6-D0 do not exist */
    assert_int_equal(reg16(&t, 3), 0x5580);
    set_reg16(&t, 2, 0xE700);
    assert_int_equal(reg16(&t, 2), 0xE700);
    bench_write(&t, ADDR, 1, 0xFF); /* D7-D5 read 0 */
    assert_int_equal(reg16(&t, 1), 0x1F1F);
    set_reg16(&t, 0, 0x1234); /* read-only */
    bench_write(&t, ADDR, 0xFD, 0x00); /* P7-P2 ignored: configuration */
    assert_int_equal(reg16(&t, 0), 0x1900);
    assert_int_equal(reg16(&t, 1), 0x0000);
    bench_fini(&t);
}

/* Shutdown stops conversions; the register keeps the last one. */
static void test_lm75_shutdown(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "lm75,addr=0x48,temperature=30");
    bench_write(&t, ADDR, 1, 0x01);
    bench_set(&t, dev, "temperature", "40");
    assert_int_equal(reg16(&t, 0), 0x1E00);
    bench_write(&t, ADDR, 1, 0x00);
    assert_int_equal(reg16(&t, 0), 0x2800);
    bench_fini(&t);
}

/* ---- TMP102 -------------------------------------------------------- */

static void test_tmp102_power_on(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "tmp102,addr=0x48");
    assert_int_equal(reg16(&t, 1), 0x60A0);
    assert_int_equal(reg16(&t, 2), 0x4B00); /* T_LOW 75 °C */
    assert_int_equal(reg16(&t, 3), 0x5000); /* T_HIGH 80 °C */
    assert_int_equal(reg16(&t, 0), 0x1900);
    bench_fini(&t);
}

/* TMP102 datasheet 12-bit and 13-bit data format tables. */
static void test_tmp102_encoding(void **state)
{
    (void)state;
    static const struct enc normal[] = {
        { "150", 0x7FF0 },   { "128", 0x7FF0 },   { "127.9375", 0x7FF0 },
        { "100", 0x6400 },   { "80", 0x5000 },    { "75", 0x4B00 },
        { "50", 0x3200 },    { "25", 0x1900 },    { "0.25", 0x0040 },
        { "0", 0x0000 },     { "-0.25", 0xFFC0 }, { "-25", 0xE700 },
        { "-55", 0xC900 },   { "0.1", 0x0010 },   { "-0.01", 0xFFF0 },
    };
    static const struct enc extended[] = {
        { "150", 0x4B01 },   { "128", 0x4001 },   { "127.9375", 0x3FF9 },
        { "100", 0x3201 },   { "80", 0x2801 },    { "75", 0x2581 },
        { "50", 0x1901 },    { "25", 0x0C81 },    { "0.25", 0x0021 },
        { "0", 0x0001 },     { "-0.25", 0xFFE1 }, { "-25", 0xF381 },
        { "-55", 0xE481 },
    };
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "tmp102,addr=0x48");
    check_encodings(&t, dev, normal, sizeof(normal) / sizeof(normal[0]));
    set_reg16(&t, 1, 0x60B0); /* EM */
    assert_int_equal(reg16(&t, 1), 0x60B0);
    check_encodings(&t, dev, extended, sizeof(extended) / sizeof(extended[0]));
    /* The limits are temperatures: EM reformats them. */
    assert_int_equal(reg16(&t, 2), 0x2580);
    assert_int_equal(reg16(&t, 3), 0x2800);
    set_reg16(&t, 3, 0x4B00); /* 150 °C in 13 bits */
    set_reg16(&t, 1, 0x60A0);
    assert_int_equal(reg16(&t, 3), 0x7FF0); /* saturated in 12 bits */
    bench_refuse(&t, "tmp102,addr=0x49,temperature=151", "temperature");
    bench_fini(&t);
}

static void test_tmp102_config_bits(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "tmp102,addr=0x48");
    /* R1-R0 read 11, AL is the comparator, D3-D0 read 0. */
    set_reg16(&t, 1, 0x0000);
    assert_int_equal(reg16(&t, 1), 0x6020);
    set_reg16(&t, 1, 0x9EDF); /* F, POL, TM, CR, EM; OS without SD */
    assert_int_equal(reg16(&t, 1), 0x7ED0);
    set_reg16(&t, 2, 0x1900);
    assert_int_equal(reg16(&t, 2), 0x1900);
    bench_fini(&t);
}

/* AL: 0 (POL=0) once T reaches T_HIGH, 1 again only below T_LOW. */
static void test_tmp102_alert_bit(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "tmp102,addr=0x48");
    bench_set(&t, dev, "temperature", "79.9");
    assert_int_equal(reg16(&t, 1), 0x60A0);
    bench_set(&t, dev, "temperature", "80");
    assert_int_equal(reg16(&t, 1), 0x6080);
    bench_set(&t, dev, "temperature", "75");
    assert_int_equal(reg16(&t, 1), 0x6080);
    bench_set(&t, dev, "temperature", "74.9");
    assert_int_equal(reg16(&t, 1), 0x60A0);
    set_reg16(&t, 1, 0x64A0); /* POL=1 inverts AL */
    assert_int_equal(reg16(&t, 1), 0x6480);
    bench_set(&t, dev, "temperature", "90");
    assert_int_equal(reg16(&t, 1), 0x64A0);
    bench_fini(&t);
}

/* SD holds the last conversion; OS then converts once, taking 26 ms on a
 * paced clock, during which OS reads 0. */
static void test_tmp102_shutdown_and_one_shot(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "tmp102,addr=0x48,temperature=30");
    set_reg16(&t, 1, 0x61A0);
    bench_set(&t, dev, "temperature", "40");
    assert_int_equal(reg16(&t, 0), 0x1E00);
    assert_int_equal(reg16(&t, 1), 0x61A0);

    set_reg16(&t, 1, 0xE1A0);
    assert_int_equal(reg16(&t, 1), 0x61A0);
    assert_int_equal(reg16(&t, 0), 0x1E00);
    i2cemu_loop_advance(t.loop, 26 * MS);
    assert_int_equal(reg16(&t, 1), 0xE1A0);
    assert_int_equal(reg16(&t, 0), 0x2800);
    /* Once: the part is back in shutdown. */
    bench_set(&t, dev, "temperature", "50");
    i2cemu_loop_advance(t.loop, 100 * MS);
    assert_int_equal(reg16(&t, 0), 0x2800);
    /* Leaving shutdown resumes conversions and clears OS. */
    set_reg16(&t, 1, 0x60A0);
    assert_int_equal(reg16(&t, 0), 0x3200);
    assert_int_equal(reg16(&t, 1), 0x60A0);
    bench_fini(&t);
}

static void test_tmp102_one_shot_fast_clock(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "tmp102,addr=0x48");
    set_reg16(&t, 1, 0x61A0);
    bench_set(&t, dev, "temperature", "-25");
    set_reg16(&t, 1, 0xE1A0);
    assert_int_equal(reg16(&t, 1), 0xE1A0);
    assert_int_equal(reg16(&t, 0), 0xE700);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lm75_power_on),
        cmocka_unit_test(test_lm75_encoding),
        cmocka_unit_test(test_lm75_registers),
        cmocka_unit_test(test_lm75_shutdown),
        cmocka_unit_test(test_tmp102_power_on),
        cmocka_unit_test(test_tmp102_encoding),
        cmocka_unit_test(test_tmp102_config_bits),
        cmocka_unit_test(test_tmp102_alert_bit),
        cmocka_unit_test(test_tmp102_shutdown_and_one_shot),
        cmocka_unit_test(test_tmp102_one_shot_fast_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
