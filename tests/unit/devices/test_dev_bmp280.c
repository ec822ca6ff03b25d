/* SPDX-License-Identifier: MIT */
/* Bosch BMP280 / BME280: the datasheet's worked example, the trimming
 * NVM, ids and power-on values, the pair-write protocol, raw values,
 * modes and timing on the VIRTUAL clock, soft reset. */
#include <math.h>

#include "devtest.h"
#include "devices/bmp280_comp.h"

#define ADDR 0x76

static const struct i2cemu_bmp280_calib *cal = &i2cemu_bmp280_calib;

static void rd_at(struct bench *t, uint16_t addr, uint8_t reg, uint8_t *buf,
                  uint16_t n)
{
    assert_int_equal(bench_xfer(t, addr, &reg, 1, buf, n), 2);
}

static void rd(struct bench *t, uint8_t reg, uint8_t *buf, uint16_t n)
{
    rd_at(t, ADDR, reg, buf, n);
}

static uint8_t rd1(struct bench *t, uint8_t reg)
{
    uint8_t v;
    rd(t, reg, &v, 1);
    return v;
}

/* Normal mode, everything x1 (humidity too), filter off, t_sb 0.5 ms:
 * one 9 ms cycle, then the 8 data bytes from 0xF7 of the BME280 at 0x77. */
static void measure_x1(struct bench *t, uint8_t *b)
{
    bench_write(t, 0x77, 0xF2, 0x01, 0xF4, 0x27);
    i2cemu_loop_advance(t->loop, 9 * MS);
    rd_at(t, 0x77, 0xF7, b, 8);
}

static int32_t adc20(const uint8_t *b)
{
    return (int32_t)b[0] << 12 | b[1] << 4 | b[2] >> 4;
}

/* BMP280 datasheet 3.12: adc_T 519888 -> 25.08 °C, adc_P 415148 ->
 * 100653.27 Pa (the floating-point formula; the 64-bit integer one gives
 * 25767233 / 256 = 100653.25 Pa). */
static void test_worked_example(void **state)
{
    (void)state;
    int32_t t_fine;
    assert_int_equal(i2cemu_bmp280_comp_t(cal, 519888, &t_fine), 2508);
    assert_int_equal(t_fine, 128422);
    uint32_t p = i2cemu_bmp280_comp_p(cal, 415148, t_fine);
    assert_int_equal(p, 25767233);
    assert_true(fabs(p / 256.0 - 100653.27) < 0.05);
}

/* The inverse: over the whole range, the raw value's compensation is the
 * property to the resolution. */
static void test_raw_round_trip(void **state)
{
    (void)state;
    int32_t tf;
    for (double t = -40; t <= 85; t += 0.37) {
        int32_t raw = i2cemu_bmp280_raw_t(cal, t, 0);
        assert_int_equal(i2cemu_bmp280_comp_t(cal, raw, &tf), lround(t * 100));
        for (double p = 30000; p <= 110000; p += 7919.3) {
            int32_t rp = i2cemu_bmp280_raw_p(cal, p, tf, 0);
            assert_true(fabs(i2cemu_bmp280_comp_p(cal, rp, tf) / 256.0 - p) <
                        0.1);
        }
        for (double h = 0; h <= 100; h += 9.7) {
            int32_t rh = i2cemu_bme280_raw_h(cal, h, tf);
            assert_true(fabs(i2cemu_bme280_comp_h(cal, rh, tf) / 1024.0 - h) <
                        0.01);
        }
    }
}

static void test_power_on(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[26];
    bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "bmp280,addr=0x76");
    assert_int_equal(rd1(&t, 0xD0), 0x58);
    /* Trimming, little-endian: T1 27504 T2 26435 T3 -1000 P1 36477
     * P2 -10685 P3 3024 P4 2855 P5 140 P6 -7 P7 15500 P8 -14600 P9 6000. */
    rd(&t, 0x88, b, 24);
    assert_bytes(b, 0x70, 0x6B, 0x43, 0x67, 0x18, 0xFC, 0x7D, 0x8E, 0x43,
                 0xD6, 0xD0, 0x0B, 0x27, 0x0B, 0x8C, 0x00, 0xF9, 0xFF, 0x8C,
                 0x3C, 0xF8, 0xC6, 0x70, 0x17);
    /* reset, ctrl_hum (absent), status, ctrl_meas, config, data. */
    rd(&t, 0xF2, b, 13);
    assert_bytes(b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x80,
                 0x00, 0x00, 0x00, 0x00);
    assert_int_equal(rd1(&t, 0xE0), 0x00);
    bench_refuse(&t, "bmp280,addr=0x75", "0x76-0x77");
    bench_fini(&t);
}

/* 5.2.1: a write is address/data pairs; reads auto-increment. */
static void test_pair_writes(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[2];
    bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "bmp280,addr=0x76");
    bench_write(&t, ADDR, 0xF5, 0xA0, 0xF4, 0x24);
    rd(&t, 0xF4, b, 2);
    assert_bytes(b, 0x24, 0xA0);
    bench_write(&t, ADDR, 0xF5, 0xFF); /* bit 1 is reserved */
    assert_int_equal(rd1(&t, 0xF5), 0xFD);
    bench_write(&t, ADDR, 0xD0, 0x12, 0x88, 0x00); /* read-only */
    assert_int_equal(rd1(&t, 0xD0), 0x58);
    assert_int_equal(rd1(&t, 0x88), 0x70);
    bench_fini(&t);
}

/* Forced mode: t_measure,typ = 1 + 2 + (2 + 0.5) ms at x1/x1; measuring
 * meanwhile; then sleep, with data the compensation maps back. */
static void test_forced_mode(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[6];
    int32_t tf;
    unsigned dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "bmp280,addr=0x77");
    bench_set(&t, dev, "temperature", "25.08");
    bench_set(&t, dev, "pressure", "100653.27");
    assert_int_equal(bench_xfer(&t, 0x77, BYTES(0xF4, 0x25), NULL, 0), 1);
    i2cemu_loop_advance(t.loop, 5500000 - 1000);
    rd_at(&t, 0x77, 0xF3, b, 2);
    assert_bytes(b, 0x08, 0x25);
    rd_at(&t, 0x77, 0xF7, b, 6);
    assert_bytes(b, 0x80, 0x00, 0x00, 0x80, 0x00, 0x00); /* not yet */
    i2cemu_loop_advance(t.loop, 1000);
    rd_at(&t, 0x77, 0xF3, b, 2);
    assert_bytes(b, 0x00, 0x24); /* back to sleep */
    rd_at(&t, 0x77, 0xF7, b, 6);
    int32_t at = adc20(b + 3), ap = adc20(b);
    /* x1: 16-bit resolution, the low 4 bits are 0. */
    assert_int_equal(at & 0xF, 0);
    assert_int_equal(ap & 0xF, 0);
    assert_int_equal(i2cemu_bmp280_comp_t(cal, at, &tf), 2508);
    /* 16 LSB of pressure are about 2.6 Pa. */
    assert_true(fabs(i2cemu_bmp280_comp_p(cal, ap, tf) / 256.0 - 100653.27) <
                1.4);
    /* x16, temperature skipped: 0x80000; pressure to 20 bits. */
    assert_int_equal(bench_xfer(&t, 0x77, BYTES(0xF4, 0x15), NULL, 0), 1);
    i2cemu_loop_advance(t.loop, (1000 + 32500) * 1000ull);
    rd_at(&t, 0x77, 0xF7, b, 6);
    assert_int_equal(adc20(b + 3), 0x80000);
    /* The t_fine of 25.08 °C, as the part measures it. */
    i2cemu_bmp280_comp_t(cal, i2cemu_bmp280_raw_t(cal, 25.08, 0), &tf);
    assert_true(fabs(i2cemu_bmp280_comp_p(cal, adc20(b), tf) / 256.0 -
                     100653.27) < 0.1);
    bench_fini(&t);
}

/* Normal mode: measure, stand by (t_sb), repeat; new property values
 * appear at the next measurement. */
static void test_normal_mode(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[3];
    int32_t tf;
    unsigned dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "bmp280,addr=0x76");
    /* t_sb 62.5 ms; x1/x1 normal: a 68 ms cycle, 5.5 ms measuring. */
    bench_write(&t, ADDR, 0xF5, 0x20, 0xF4, 0x27);
    assert_int_equal(rd1(&t, 0xF3), 0x08);
    i2cemu_loop_advance(t.loop, 5500 * 1000);
    assert_int_equal(rd1(&t, 0xF3), 0x00);
    assert_int_equal(rd1(&t, 0xF4), 0x27); /* stays in normal mode */
    rd(&t, 0xFA, b, 3);
    assert_int_equal(i2cemu_bmp280_comp_t(cal, adc20(b), &tf), 2500);
    bench_set(&t, dev, "temperature", "-10.5");
    rd(&t, 0xFA, b, 3);
    assert_int_equal(i2cemu_bmp280_comp_t(cal, adc20(b), &tf), 2500);
    i2cemu_loop_advance(t.loop, 62500 * 1000);
    assert_int_equal(rd1(&t, 0xF3), 0x08); /* the next measurement */
    i2cemu_loop_advance(t.loop, 5500 * 1000);
    rd(&t, 0xFA, b, 3);
    assert_int_equal(i2cemu_bmp280_comp_t(cal, adc20(b), &tf), -1050);
    bench_fini(&t);
}

/* Soft reset: power-on values, and im_update during the 2 ms start-up. */
static void test_soft_reset(void **state)
{
    (void)state;
    struct bench t;
    bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "bme280,addr=0x76");
    bench_write(&t, ADDR, 0xF2, 0x05, 0xF4, 0x24, 0xF5, 0x10);
    bench_write(&t, ADDR, 0xE0, 0x00); /* not the reset value */
    assert_int_equal(rd1(&t, 0xF4), 0x24);
    bench_write(&t, ADDR, 0xE0, 0xB6);
    assert_int_equal(rd1(&t, 0xF3), 0x01);
    i2cemu_loop_advance(t.loop, 2 * MS);
    assert_int_equal(rd1(&t, 0xF3), 0x00);
    assert_int_equal(rd1(&t, 0xF2), 0x00);
    assert_int_equal(rd1(&t, 0xF4), 0x00);
    assert_int_equal(rd1(&t, 0xF5), 0x00);
    bench_fini(&t);
}

/* BME280: id, humidity trimming, ctrl_hum in force after ctrl_meas. */
static void test_bme280_humidity(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[8];
    int32_t tf;
    unsigned dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "bme280,addr=0x77");
    rd_at(&t, 0x77, 0xD0, b, 1);
    assert_int_equal(b[0], 0x60);
    /* H1 75 at 0xA1; H2 362, H3 0, H4 313, H5 50, H6 30 at 0xE1-0xE7. */
    rd_at(&t, 0x77, 0xA1, b, 1);
    assert_int_equal(b[0], 75);
    rd_at(&t, 0x77, 0xE1, b, 7);
    assert_bytes(b, 0x6A, 0x01, 0x00, 0x13, 0x29, 0x03, 0x1E);
    bench_set(&t, dev, "humidity", "63.2");
    measure_x1(&t, b);
    assert_int_equal(i2cemu_bmp280_comp_t(cal, adc20(b + 3), &tf), 2500);
    int32_t h = b[6] << 8 | b[7];
    assert_true(fabs(i2cemu_bme280_comp_h(cal, h, tf) / 1024.0 - 63.2) < 0.01);
    /* ctrl_hum alone changes nothing until ctrl_meas is written. */
    bench_write(&t, 0x77, 0xF2, 0x00);
    bench_set(&t, dev, "humidity", "20");
    i2cemu_loop_advance(t.loop, 9 * MS);
    rd_at(&t, 0x77, 0xFD, b, 2);
    h = b[0] << 8 | b[1];
    assert_true(fabs(i2cemu_bme280_comp_h(cal, h, tf) / 1024.0 - 20) < 0.01);
    bench_write(&t, 0x77, 0xF4, 0x27);
    i2cemu_loop_advance(t.loop, 6 * MS);
    rd_at(&t, 0x77, 0xFD, b, 2);
    assert_bytes(b, 0x80, 0x00);
    bench_fini(&t);
}

/* A driver compensates pressure and humidity with the t_fine of the
 * adc_T it reads: at x1, without the filter, that is 16-bit, not the
 * exact temperature's, and the raw values are the nearest for it. */
static void test_t_fine_as_read(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[8];
    int32_t tf;
    unsigned dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "bme280,addr=0x77");
    bench_set(&t, dev, "temperature", "-5.27");
    bench_set(&t, dev, "pressure", "101000");
    bench_set(&t, dev, "humidity", "75.5");
    measure_x1(&t, b);
    i2cemu_bmp280_comp_t(cal, adc20(b + 3), &tf);
    assert_int_equal(adc20(b), i2cemu_bmp280_raw_p(cal, 101000, tf, 4));
    assert_int_equal(b[6] << 8 | b[7], i2cemu_bme280_raw_h(cal, 75.5, tf));
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_raw_round_trip),
        cmocka_unit_test(test_power_on),
        cmocka_unit_test(test_pair_writes),
        cmocka_unit_test(test_forced_mode),
        cmocka_unit_test(test_normal_mode),
        cmocka_unit_test(test_soft_reset),
        cmocka_unit_test(test_bme280_humidity),
        cmocka_unit_test(test_t_fine_as_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
