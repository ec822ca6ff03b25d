/* SPDX-License-Identifier: MIT */
/* Maxim MAX31790: power-on register values, pointer behaviour, TACH
 * counts from fan speeds, PWM and RPM modes, fan faults and FAN_FAIL. */
#include "devtest.h"

#define ADDR 0x20

static unsigned rd8(struct bench *t, uint8_t reg)
{
    uint8_t b;
    assert_int_equal(bench_xfer(t, ADDR, &reg, 1, &b, 1), 2);
    return b;
}

/* i2c_smbus_read_word_swapped(): MSB first. */
static unsigned rd16(struct bench *t, uint8_t reg)
{
    uint8_t b[2];
    assert_int_equal(bench_xfer(t, ADDR, &reg, 1, b, 2), 2);
    return (unsigned)b[0] << 8 | b[1];
}

static unsigned prop(struct bench *t, unsigned dev, const char *name)
{
    char out[32];
    assert_true(i2cemu_device_get(t->b, dev, name, out, sizeof(out),
                                  &t->err) > 0);
    return (unsigned)strtoul(out, NULL, 0);
}

static bool fan_fail(struct bench *t, unsigned dev)
{
    int line = i2cemu_device_line_find(t->b, dev, "fan_fail");
    assert_true(line >= 0);
    return i2cemu_device_line(t->b, dev, (unsigned)line);
}

/* The register map's power-on values; other addresses read 0. */
static void test_power_on(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_refuse(&t, "max31790,addr=0x30", "0x20-0x2f");
    unsigned dev = bench_add(&t, "max31790,addr=0x20");
    for (unsigned a = 0; a < 0x100; a++) {
        unsigned want = 0;
        if (a == 0x00)
            want = 0x20;
        else if (a == 0x01)
            want = 0x44;
        else if (a >= 0x08 && a <= 0x0D)
            want = 0x4C;
        else if (a == 0x14)
            want = 0x45;
        else if (a >= 0x40 && a <= 0x4B)
            want = a & 1 ? 0x00 : 0x40;
        else if (a >= 0x30 && a <= 0x3B) /* the duty follows the target */
            want = a & 1 ? 0x00 : 0x40;
        else if (a >= 0x50 && a <= 0x5B)
            want = a & 1 ? 0x60 : 0x3D;
        assert_int_equal(rd8(&t, (uint8_t)a), want);
    }
    for (unsigned ch = 1; ch <= 6; ch++) {
        char name[8];
        snprintf(name, sizeof(name), "pwm%u", ch);
        assert_int_equal(prop(&t, dev, name), 128); /* 25% */
    }
    assert_false(fan_fail(&t, dev));
    bench_fini(&t);
}

/* Reads run on across rows; writes wrap within their row of eight. */
static void test_pointer(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[4];
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "max31790,addr=0x20");
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(0x06), b, 4), 2);
    assert_bytes(b, 0x00, 0x00, 0x4C, 0x4C);
    bench_write(&t, ADDR, 0x07, 0x11, 0x20, 0x55, 0x22);
    assert_int_equal(rd8(&t, 0x07), 0x11);
    assert_int_equal(rd8(&t, 0x00), 0x20);
    assert_int_equal(rd8(&t, 0x01), 0x55);
    assert_int_equal(rd8(&t, 0x02), 0x22);
    assert_int_equal(rd8(&t, 0x08), 0x4C);
    /* Global Configuration bit 6: every register back to power on. */
    bench_write(&t, ADDR, 0x00, 0x60);
    assert_int_equal(rd8(&t, 0x00), 0x20);
    assert_int_equal(rd8(&t, 0x01), 0x44);
    assert_int_equal(rd8(&t, 0x02), 0x00);
    assert_int_equal(rd8(&t, 0x07), 0x00);
    bench_fini(&t);
}

/* TACH count = 60 x SR x 8192 / (NP x RPM), 11 bits left-justified;
 * Linux's RPM_FROM_REG gives the speed back. */
static void test_tach(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "max31790,addr=0x20");
    /* Not monitored: the power-on count, 0. */
    assert_int_equal(rd16(&t, 0x18), 0x0000);
    bench_write(&t, ADDR, 0x02, 0x08); /* TACH1 input enable */
    assert_int_equal(rd16(&t, 0x18), 491 << 5); /* 2000 RPM, SR 4 */
    assert_int_equal(60 * 4 * 8192 / ((491 << 5) >> 4), 2002); /* Linux */
    bench_set(&t, dev, "fan1", "500");
    bench_write(&t, ADDR, 0x08, 0x0C); /* SR 1 */
    assert_int_equal(rd16(&t, 0x18), 491 << 5);
    bench_set(&t, dev, "fan1", "5000");
    bench_write(&t, ADDR, 0x08, 0xAC); /* SR 32 (101) */
    assert_int_equal(rd16(&t, 0x18), 1572 << 5);
    /* Too slow to count: 2047, a fault. */
    bench_set(&t, dev, "fan1", "100");
    assert_int_equal(rd16(&t, 0x18), 0xFFE0);
    assert_int_equal(rd8(&t, 0x11), 0x01);
    assert_true(fan_fail(&t, dev));
    /* Masked: the bit stays, FAN_FAIL does not. */
    bench_write(&t, ADDR, 0x13, 0x01);
    assert_int_equal(rd8(&t, 0x11), 0x01);
    assert_false(fan_fail(&t, dev));
    bench_set(&t, dev, "fan1", "0");
    assert_int_equal(rd16(&t, 0x18), 0xFFE0);
    /* Latched: writing the channel's target (Linux's way) clears it, but
     * not while the fan is still stopped; TACH7 is cleared with TACH1. */
    bench_set(&t, dev, "fan1", "5000");
    assert_int_equal(rd8(&t, 0x11), 0x01);
    bench_set(&t, dev, "fan1", "0");
    bench_write(&t, ADDR, 0x50, 0x3D);
    assert_int_equal(rd8(&t, 0x11), 0x01);
    bench_set(&t, dev, "fan1", "5000");
    assert_int_equal(rd8(&t, 0x11), 0x01);
    bench_write(&t, ADDR, 0x50, 0x3D);
    assert_int_equal(rd8(&t, 0x11), 0x00);
    /* TACH8: channel 2's PWM pin as a tach input; NP 1. */
    bench_set(&t, dev, "fan8", "0");
    assert_int_equal(rd8(&t, 0x10), 0x00);
    bench_write(&t, ADDR, 0x03, 0x01);
    assert_int_equal(rd8(&t, 0x10), 0x02);
    bench_set(&t, dev, "fan8", "1200");
    assert_int_equal(rd16(&t, 0x26), 819 << 5); /* 60*4*8192/2/1200 */
    bench_fini(&t);

    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "max31790,addr=0x21,pulses=1,fan3=1200");
    uint8_t cfg[2] = { 0x04, 0x08 };
    assert_int_equal(bench_xfer(&t, 0x21, cfg, 2, NULL, 0), 1);
    uint8_t reg = 0x1C, b[2];
    assert_int_equal(bench_xfer(&t, 0x21, &reg, 1, b, 2), 2);
    assert_int_equal((b[0] << 8 | b[1]) >> 5, 1638); /* 60*4*8192/1200 */
    bench_fini(&t);
}

/* PWM mode: the duty is the target (Linux's set_pwm writes pwm << 8). */
static void test_pwm_mode(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "max31790,addr=0x20");
    bench_write(&t, ADDR, 0x42, 0xFF, 0x00); /* pwm2 = 255 */
    assert_int_equal(rd16(&t, 0x42), 0xFF00);
    assert_int_equal(rd16(&t, 0x32), 0xFF00);
    assert_int_equal(prop(&t, dev, "pwm2"), 510);
    bench_write(&t, ADDR, 0x4A, 0xFF, 0xFF); /* reserved bits 6:0 */
    assert_int_equal(rd16(&t, 0x4A), 0xFF80);
    assert_int_equal(prop(&t, dev, "pwm6"), 511);
    bench_write(&t, ADDR, 0x40, 0x00, 0x00);
    assert_int_equal(prop(&t, dev, "pwm1"), 0);
    assert_int_equal(rd16(&t, 0x30), 0x0000);
    bench_fini(&t);
}

/* RPM mode, as Linux's set_fan_target writes it for 3000 RPM: SR 8
 * (0x6c), target 655 << 5. The duty the loop settles to: 511 x 3001.7 /
 * max_rpm. A fan slower than its target at 100% faults. */
static void test_rpm_mode(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "max31790,addr=0x20,max_rpm=6000");
    bench_write(&t, ADDR, 0x02, 0x88);
    bench_write(&t, ADDR, 0x08, 0x6C);
    bench_write(&t, ADDR, 0x50, 0x51, 0xE0);
    assert_int_equal(rd16(&t, 0x50), 655 << 5);
    assert_int_equal(prop(&t, dev, "pwm1"), 256);
    assert_int_equal(rd16(&t, 0x30), 256 << 7);
    assert_int_equal(rd8(&t, 0x11), 0x00);
    bench_set(&t, dev, "max_rpm", "2000");
    assert_int_equal(prop(&t, dev, "pwm1"), 511);
    assert_int_equal(rd8(&t, 0x11), 0x01); /* 2000 RPM < 3000 at 100% */
    assert_true(fan_fail(&t, dev));
    bench_set(&t, dev, "fan1", "3100");
    assert_int_equal(rd8(&t, 0x11), 0x01); /* latched */
    assert_true(fan_fail(&t, dev));
    bench_write(&t, ADDR, 0x50, 0x51);
    assert_int_equal(rd8(&t, 0x11), 0x00);
    assert_false(fan_fail(&t, dev));
    /* Back to PWM mode: the target duty again. */
    bench_write(&t, ADDR, 0x02, 0x08);
    assert_int_equal(prop(&t, dev, "pwm1"), 128);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_on),
        cmocka_unit_test(test_pointer),
        cmocka_unit_test(test_tach),
        cmocka_unit_test(test_pwm_mode),
        cmocka_unit_test(test_rpm_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
