/* SPDX-License-Identifier: MIT */
/* Sensirion SHT3x / STS3x: commands, CRC, encodings, timing on the
 * VIRTUAL clock, clock stretching, NACK while busy, general call. */
#include <errno.h>

#include "devtest.h"

#define ADDR 0x44

static uint8_t crc(uint8_t a, uint8_t b)
{
    const uint8_t w[2] = { a, b };
    return i2cemu_crc8(I2CEMU_CRC8_SENSIRION_POLY, I2CEMU_CRC8_SENSIRION_INIT,
                       w, 2);
}

/* Linux's fixed-point conversions (drivers/hwmon/sht3x.c), in m°C and
 * m%RH. */
static int linux_t(unsigned raw)
{
    return ((21875 * (int)raw) >> 13) - 45000;
}

static unsigned linux_rh(unsigned raw)
{
    return (12500 * raw) >> 13;
}

static void cmd(struct bench *t, uint16_t addr, uint16_t c)
{
    bench_write(t, addr, (uint8_t)(c >> 8), (uint8_t)c);
}

/* Read n bytes; returns the transfer's result. */
static int rd(struct bench *t, uint16_t addr, uint8_t *buf, uint16_t n)
{
    return bench_xfer(t, addr, NULL, 0, buf, n);
}

static unsigned word(const uint8_t *b)
{
    assert_int_equal(b[2], crc(b[0], b[1]));
    return (unsigned)b[0] << 8 | b[1];
}

static void test_crc(void **state)
{
    (void)state;
    /* Datasheet 4.12: CRC of 0xBEEF is 0x92. */
    assert_int_equal(crc(0xBE, 0xEF), 0x92);
}

/* Status 0x8010 at power on; clear status; heater bit 13; the probe's
 * clear status and alert-limit reads. */
static void test_status_and_probe(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[6];
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "sht3x,addr=0x44");
    /* No command yet: nothing to read. */
    assert_int_equal(rd(&t, ADDR, b, 3), -ENXIO);
    cmd(&t, ADDR, 0xF32D);
    assert_int_equal(rd(&t, ADDR, b, 3), 1);
    assert_int_equal(word(b), 0x8010);
    /* The answer is read once. */
    assert_int_equal(rd(&t, ADDR, b, 3), -ENXIO);
    cmd(&t, ADDR, 0x3041); /* Linux's probe */
    cmd(&t, ADDR, 0x306D);
    cmd(&t, ADDR, 0xF32D);
    assert_int_equal(rd(&t, ADDR, b, 3), 1);
    assert_int_equal(word(b), 0x2000);
    cmd(&t, ADDR, 0x3066);
    cmd(&t, ADDR, 0xF32D);
    assert_int_equal(rd(&t, ADDR, b, 3), 1);
    assert_int_equal(word(b), 0x0000);
    /* limits_update(): 6 bytes after each read command. */
    static const uint16_t rcmd[] = { 0xE11F, 0xE114, 0xE102, 0xE109 };
    static const unsigned want[] = { 0xCD33, 0xC92D, 0x3466, 0x3869 };
    for (unsigned i = 0; i < 4; i++) {
        cmd(&t, ADDR, rcmd[i]);
        assert_int_equal(rd(&t, ADDR, b, 6), 1);
        assert_int_equal(word(b), want[i]);
        assert_bytes(b + 3, 0xFF, 0xFF, 0xFF);
    }
    /* An unknown command sets bit 1; the next good one clears it. */
    cmd(&t, ADDR, 0x1234);
    cmd(&t, ADDR, 0xF32D);
    assert_int_equal(rd(&t, ADDR, b, 3), 1);
    assert_int_equal(word(b), 0x0002);
    cmd(&t, ADDR, 0x3066);
    cmd(&t, ADDR, 0xF32D);
    assert_int_equal(rd(&t, ADDR, b, 3), 1);
    assert_int_equal(word(b), 0x0000);
    bench_fini(&t);
}

/* A limit write with its CRC; a wrong CRC sets status bit 0. */
static void test_limit_write(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[3];
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "sht3x,addr=0x45");
    bench_write(&t, 0x45, 0x61, 0x1D, 0xAB, 0xCD, crc(0xAB, 0xCD));
    cmd(&t, 0x45, 0xE11F);
    assert_int_equal(rd(&t, 0x45, b, 3), 1);
    assert_int_equal(word(b), 0xABCD);
    bench_write(&t, 0x45, 0x61, 0x1D, 0x12, 0x34, crc(0x12, 0x34) ^ 1);
    cmd(&t, 0x45, 0xE11F);
    assert_int_equal(rd(&t, 0x45, b, 3), 1);
    assert_int_equal(word(b), 0xABCD);
    cmd(&t, 0x45, 0xF32D);
    assert_int_equal(rd(&t, 0x45, b, 3), 1);
    assert_int_equal(word(b) & 0x0001, 0x0001);
    bench_fini(&t);
}

/* Section 4.13: the raw values; Linux's formulas give the properties. */
static void test_encoding(void **state)
{
    (void)state;
    static const struct { const char *t, *rh; unsigned st, srh; } v[] = {
        { "25", "50", 26214, 32768 },   /* 70/175, 0.5 of 65535 */
        { "-45", "0", 0, 0 },
        { "130", "100", 65535, 65535 },
        { "21.37", "41.23", 24855, 27020 },
    };
    struct bench t;
    uint8_t b[6];
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "sht3x,addr=0x44");
    for (unsigned i = 0; i < 4; i++) {
        bench_set(&t, dev, "temperature", v[i].t);
        bench_set(&t, dev, "humidity", v[i].rh);
        cmd(&t, ADDR, 0x2400);
        assert_int_equal(rd(&t, ADDR, b, 6), 1);
        assert_int_equal(word(b), v[i].st);
        assert_int_equal(word(b + 3), v[i].srh);
        /* To the datasheet's resolution, 0.01. */
        assert_true(abs(linux_t(v[i].st) - (int)(atof(v[i].t) * 1000)) <= 10);
        assert_true(abs((int)linux_rh(v[i].srh) -
                        (int)(atof(v[i].rh) * 1000)) <= 10);
    }
    bench_fini(&t);
}

/* Without stretching: the read header is NACKed until the measurement
 * (high 15 ms, medium 6 ms, low 4 ms) is done. */
static void test_no_stretch_nack_while_busy(void **state)
{
    (void)state;
    static const struct { uint16_t cmd; uint64_t ms; } v[] = {
        { 0x2400, 15 }, { 0x240B, 6 }, { 0x2416, 4 },
    };
    struct bench t;
    uint8_t b[6];
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "sht3x,addr=0x44");
    for (unsigned i = 0; i < 3; i++) {
        cmd(&t, ADDR, v[i].cmd);
        i2cemu_loop_advance(t.loop, v[i].ms * MS - 1000);
        assert_int_equal(rd(&t, ADDR, b, 6), -ENXIO);
        i2cemu_loop_advance(t.loop, 1000);
        assert_int_equal(rd(&t, ADDR, b, 6), 1);
        assert_int_equal(word(b), 26214);
    }
    bench_fini(&t);
}

/* With stretching: the master waits for the measurement, then reads. */
static void test_clock_stretching(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[6];
    struct bench_job j;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "sht3x,addr=0x44,temperature=30,humidity=20");
    uint8_t w[2] = { 0x2C, 0x06 };
    struct i2c_msg m[2] = {
        { .addr = ADDR, .len = 2, .buf = w },
        { .addr = ADDR, .flags = I2C_M_RD, .len = 6, .buf = b },
    };
    bench_submit(&t, bench_bus(&t, 1), &j, m, 2);
    i2cemu_loop_advance(t.loop, 15 * MS - 1000);
    assert_false(j.done);
    i2cemu_loop_advance(t.loop, 1000);
    assert_true(j.done);
    assert_int_equal(j.t.result, 2);
    assert_int_equal(word(b), 28086); /* 75/175 of 65535 */
    assert_int_equal(word(b + 3), 13107);
    /* The transfer's bus time includes the stretch. */
    assert_true(j.t.t_end_ns - j.t.t_start_ns >= 15 * MS);
    /* Low repeatability: 4 ms. */
    w[1] = 0x10;
    bench_submit(&t, bench_bus(&t, 1), &j, m, 2);
    i2cemu_loop_advance(t.loop, 4 * MS - 1000);
    assert_false(j.done);
    i2cemu_loop_advance(t.loop, 1000);
    assert_int_equal(j.t.result, 2);
    bench_fini(&t);
}

/* On the FAST clock nothing stretches and nothing is busy. */
static void test_fast_clock(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[6];
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "sht3x,addr=0x44");
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(0x2C, 0x06), b, 6), 2);
    assert_int_equal(word(b), 26214);
    cmd(&t, ADDR, 0x2400);
    assert_int_equal(rd(&t, ADDR, b, 6), 1);
    bench_fini(&t);
}

/* Periodic mode: a result per period, each fetched once; break. */
static void test_periodic(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[6];
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "sht3x,addr=0x44");
    cmd(&t, ADDR, 0x2130); /* 1 mps, high repeatability */
    cmd(&t, ADDR, 0xE000);
    assert_int_equal(rd(&t, ADDR, b, 6), -ENXIO); /* none yet */
    i2cemu_loop_advance(t.loop, 15 * MS);
    cmd(&t, ADDR, 0xE000);
    assert_int_equal(rd(&t, ADDR, b, 6), 1);
    assert_int_equal(word(b), 26214);
    cmd(&t, ADDR, 0xE000);
    assert_int_equal(rd(&t, ADDR, b, 6), -ENXIO); /* fetched already */
    bench_set(&t, dev, "temperature", "-45");
    i2cemu_loop_advance(t.loop, 1000 * MS);
    cmd(&t, ADDR, 0xE000);
    assert_int_equal(rd(&t, ADDR, b, 6), 1);
    assert_int_equal(word(b), 0);
    /* -45 °C is below the low set limit (-10 °C): T alert. */
    cmd(&t, ADDR, 0xF32D);
    assert_int_equal(rd(&t, ADDR, b, 3), 1);
    assert_int_equal(word(b) & 0x8C00, 0x8400);
    /* Single shots are refused in periodic mode; break ends it. */
    cmd(&t, ADDR, 0x2400);
    assert_int_equal(rd(&t, ADDR, b, 6), -ENXIO);
    cmd(&t, ADDR, 0x3093);
    cmd(&t, ADDR, 0xE000); /* not in periodic mode */
    assert_int_equal(rd(&t, ADDR, b, 6), -ENXIO);
    cmd(&t, ADDR, 0x2400);
    i2cemu_loop_advance(t.loop, 15 * MS);
    assert_int_equal(rd(&t, ADDR, b, 6), 1);
    /* ART: 4 Hz. */
    cmd(&t, ADDR, 0x2B32);
    i2cemu_loop_advance(t.loop, 15 * MS + 250 * MS);
    cmd(&t, ADDR, 0xE000);
    assert_int_equal(rd(&t, ADDR, b, 6), 1);
    bench_fini(&t);
}

/* Soft reset and the general call reset restore the power-on state, and
 * the part is away for 1.5 ms. */
static void test_resets(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[3];
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "sht3x,addr=0x44");
    bench_add(&t, "sht3x,addr=0x45");
    for (unsigned k = 0; k < 2; k++) {
        for (uint16_t a = ADDR; a <= 0x45; a++) {
            cmd(&t, a, 0x3041);
            cmd(&t, a, 0x306D);
        }
        if (k == 0)
            cmd(&t, ADDR, 0x30A2);
        else
            bench_write(&t, 0x00, 0x06); /* both parts */
        assert_int_equal(bench_xfer(&t, ADDR, NULL, 0, NULL, 0), -ENXIO);
        i2cemu_loop_advance(t.loop, 3 * MS / 2);
        for (uint16_t a = ADDR; a <= 0x45; a++) {
            cmd(&t, a, 0xF32D);
            assert_int_equal(rd(&t, a, b, 3), 1);
            /* Soft reset: only 0x44; general call: both. */
            assert_int_equal(word(b),
                             a == ADDR || k == 1 ? 0x8010 : 0x2000);
        }
    }
    /* Other general calls are not for it. */
    assert_int_equal(bench_xfer(&t, 0x00, BYTES(0x04), NULL, 0), -EIO);
    bench_fini(&t);
}

/* ALERT: high after power on until clear status; in periodic mode it
 * follows each result against the limits, without bus traffic. */
static void test_alert_line(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "sht3x,addr=0x44");
    int alert = i2cemu_device_line_find(t.b, dev, "alert");
    assert_true(alert >= 0);
    assert_true(i2cemu_device_line(t.b, dev, (unsigned)alert));
    cmd(&t, ADDR, 0x3041);
    assert_false(i2cemu_device_line(t.b, dev, (unsigned)alert));
    bench_set(&t, dev, "temperature", "60.5"); /* the high set: 60 °C */
    cmd(&t, ADDR, 0x2130); /* 1 mps: results at 15 ms, 1015 ms... */
    i2cemu_loop_advance(t.loop, 15 * MS - 1000);
    assert_false(i2cemu_device_line(t.b, dev, (unsigned)alert));
    i2cemu_loop_advance(t.loop, 1000);
    assert_true(i2cemu_device_line(t.b, dev, (unsigned)alert));
    /* Between the clear (58 °C) and set limits: stays. */
    bench_set(&t, dev, "temperature", "59");
    i2cemu_loop_advance(t.loop, 1000 * MS);
    assert_true(i2cemu_device_line(t.b, dev, (unsigned)alert));
    bench_set(&t, dev, "temperature", "25");
    i2cemu_loop_advance(t.loop, 1000 * MS);
    assert_false(i2cemu_device_line(t.b, dev, (unsigned)alert));
    /* Humidity under the low set (20 %RH); break ends the alert mode. */
    bench_set(&t, dev, "humidity", "10");
    i2cemu_loop_advance(t.loop, 1000 * MS);
    assert_true(i2cemu_device_line(t.b, dev, (unsigned)alert));
    cmd(&t, ADDR, 0x3093);
    assert_false(i2cemu_device_line(t.b, dev, (unsigned)alert));
    /* A soft reset raises it. */
    cmd(&t, ADDR, 0x30A2);
    assert_true(i2cemu_device_line(t.b, dev, (unsigned)alert));
    bench_fini(&t);
}

/* STS3x: 0x4A/0x4B, one word per measurement, temperature limits. */
static void test_sts3x(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[6];
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "sts3x,addr=0x4a");
    bench_refuse(&t, "sts3x,addr=0x44", "0x4a-0x4b");
    bench_refuse(&t, "sht3x,addr=0x4b", "0x44-0x45");
    bench_refuse(&t, "sts3x,addr=0x4b,humidity=3", "humidity");
    cmd(&t, 0x4A, 0x2400);
    assert_int_equal(rd(&t, 0x4A, b, 6), 1);
    assert_int_equal(word(b), 26214);
    assert_bytes(b + 3, 0xFF, 0xFF, 0xFF);
    cmd(&t, 0x4A, 0xE11F);
    assert_int_equal(rd(&t, 0x4A, b, 3), 1);
    assert_int_equal(word(b), 0x0133);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc),
        cmocka_unit_test(test_status_and_probe),
        cmocka_unit_test(test_limit_write),
        cmocka_unit_test(test_encoding),
        cmocka_unit_test(test_no_stretch_nack_while_busy),
        cmocka_unit_test(test_clock_stretching),
        cmocka_unit_test(test_fast_clock),
        cmocka_unit_test(test_periodic),
        cmocka_unit_test(test_resets),
        cmocka_unit_test(test_alert_line),
        cmocka_unit_test(test_sts3x),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
