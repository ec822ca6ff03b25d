/* SPDX-License-Identifier: MIT */
/* InvenSense MPU-6050: power-on values, the Linux probe, device reset,
 * the output encodings at the datasheet's sensitivities, standby, and
 * the FIFO and DATA_RDY at the sample rate on the VIRTUAL clock. */
#include "devtest.h"

#define ADDR 0x68

static unsigned rd8(struct bench *t, uint8_t reg)
{
    uint8_t b;
    assert_int_equal(bench_xfer(t, ADDR, &reg, 1, &b, 1), 2);
    return b;
}

static int16_t rd16(struct bench *t, uint8_t reg)
{
    uint8_t b[2];
    assert_int_equal(bench_xfer(t, ADDR, &reg, 1, b, 2), 2);
    return (int16_t)(b[0] << 8 | b[1]);
}

static void wr(struct bench *t, uint8_t reg, uint8_t v)
{
    bench_write(t, ADDR, reg, v);
}

static void test_power_on(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_refuse(&t, "mpu6050,addr=0x6a", "0x68");
    bench_refuse(&t, "mpu6050,addr=0x68,temperature=90", "temperature");
    bench_add(&t, "mpu6050,addr=0x69");
    bench_add(&t, "mpu6050,addr=0x68");
    for (unsigned a = 0; a < 0x80; a++) {
        unsigned want = a == 0x6B ? 0x40 : a == 0x75 ? 0x68 : 0x00;
        assert_int_equal(rd8(&t, (uint8_t)a), want);
    }
    /* Asleep: the outputs hold their power-on 0, whatever accel_z is. */
    assert_int_equal(rd16(&t, 0x3F), 0);
    bench_fini(&t);
}

/* inv_check_and_setup_chip() and inv_mpu6050_init_config(). */
static void test_linux_probe(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "mpu6050,addr=0x68");
    wr(&t, 0x1B, 0x08); /* something for the reset to undo */
    assert_int_equal(rd8(&t, 0x75), 0x68);
    wr(&t, 0x6B, 0x80); /* H_RESET */
    assert_int_equal(rd8(&t, 0x6B), 0x40);
    assert_int_equal(rd8(&t, 0x1B), 0x00);
    wr(&t, 0x6B, 0x00); /* set_power_itg(true) */
    assert_int_equal(rd8(&t, 0x6C), 0x00);
    wr(&t, 0x6C, 0x38); /* accel standby */
    assert_int_equal(rd8(&t, 0x6B), 0x00);
    wr(&t, 0x6B, 0x00); /* internal clock */
    wr(&t, 0x6C, 0x3F); /* gyro standby */
    wr(&t, 0x6B, 0x40); /* set_power_itg(false): SLEEP */
    wr(&t, 0x6B, 0x00);
    wr(&t, 0x1B, 0x18); /* ±2000 °/s */
    wr(&t, 0x1A, 0x04); /* DLPF 20 Hz */
    wr(&t, 0x19, 0x13); /* 50 Hz */
    wr(&t, 0x1C, 0x00); /* ±2 g */
    wr(&t, 0x37, 0x00);
    wr(&t, 0x6B, 0x40);
    static const uint8_t want[][2] = { { 0x19, 0x13 }, { 0x1A, 0x04 },
                                       { 0x1B, 0x18 }, { 0x1C, 0x00 },
                                       { 0x6B, 0x40 }, { 0x6C, 0x3F } };
    for (unsigned i = 0; i < 6; i++)
        assert_int_equal(rd8(&t, want[i][0]), want[i][1]);
    /* Reserved bits stay 0. */
    wr(&t, 0x1B, 0xFF);
    assert_int_equal(rd8(&t, 0x1B), 0xF8);
    bench_fini(&t);
}

/* PS 6.1, 6.2, RM 4.18: LSB/g, LSB/(°/s), temperature. */
static void test_encoding(void **state)
{
    (void)state;
    static const struct { const char *prop, *val; uint8_t cfg_reg, cfg,
                          reg; int16_t raw; } v[] = {
        { "accel_z", "1", 0x1C, 0x00, 0x3F, 16384 },
        { "accel_z", "1", 0x1C, 0x08, 0x3F, 8192 },
        { "accel_z", "1", 0x1C, 0x10, 0x3F, 4096 },
        { "accel_z", "1", 0x1C, 0x18, 0x3F, 2048 },
        { "accel_x", "-0.5", 0x1C, 0x00, 0x3B, -8192 },
        { "accel_y", "3", 0x1C, 0x00, 0x3D, 32767 },
        { "accel_y", "-3", 0x1C, 0x00, 0x3D, -32768 },
        { "gyro_x", "250", 0x1B, 0x00, 0x43, 32750 },
        { "gyro_y", "-100", 0x1B, 0x08, 0x45, -6550 },
        { "gyro_z", "1000", 0x1B, 0x10, 0x47, 32767 }, /* 32800 */
        { "gyro_z", "500", 0x1B, 0x10, 0x47, 16400 },
        { "gyro_z", "-2000", 0x1B, 0x18, 0x47, -32768 },
        { "gyro_z", "1000", 0x1B, 0x18, 0x47, 16400 },
        { "temperature", "36.53", 0x1C, 0x00, 0x41, 0 },
        { "temperature", "25", 0x1C, 0x00, 0x41, -3920 },
        { "temperature", "85", 0x1C, 0x00, 0x41, 16480 },
    };
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "mpu6050,addr=0x68");
    wr(&t, 0x6B, 0x00);
    for (unsigned i = 0; i < sizeof(v) / sizeof(*v); i++) {
        bench_set(&t, dev, v[i].prop, v[i].val);
        wr(&t, v[i].cfg_reg, v[i].cfg);
        assert_int_equal(rd16(&t, v[i].reg), v[i].raw);
    }
    /* One burst: accel, temperature, gyro. */
    uint8_t b[14];
    wr(&t, 0x1C, 0x00);
    wr(&t, 0x1B, 0x00);
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(0x3B), b, 14), 2);
    assert_bytes(b, 0xE0, 0x00, 0x80, 0x00, 0x40, 0x00, 0x40, 0x60, 0x7F,
                 0xEE, 0xCC, 0xD4, 0x7F, 0xFF);
    bench_fini(&t);
}

/* A sensor in standby, disabled or asleep holds its last sample; a
 * signal path reset clears the outputs. */
static void test_standby_and_sleep(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "mpu6050,addr=0x68");
    wr(&t, 0x6B, 0x00);
    assert_int_equal(rd16(&t, 0x3F), 16384);
    wr(&t, 0x6C, 0x08); /* STBY_ZA */
    bench_set(&t, dev, "accel_z", "-1");
    bench_set(&t, dev, "accel_x", "1");
    assert_int_equal(rd16(&t, 0x3F), 16384);
    assert_int_equal(rd16(&t, 0x3B), 16384);
    wr(&t, 0x6B, 0x08); /* TEMP_DIS */
    bench_set(&t, dev, "temperature", "36.53");
    assert_int_equal(rd16(&t, 0x41), 0);
    wr(&t, 0x6B, 0x00);
    assert_int_equal(rd16(&t, 0x41), 0);
    bench_set(&t, dev, "temperature", "40");
    assert_int_equal(rd16(&t, 0x41), 1180);
    wr(&t, 0x6B, 0x40);
    bench_set(&t, dev, "temperature", "20");
    assert_int_equal(rd16(&t, 0x41), 1180);
    wr(&t, 0x68, 0x07);
    assert_int_equal(rd16(&t, 0x41), 0);
    assert_int_equal(rd8(&t, 0x68), 0);
    bench_fini(&t);
}

/* 1 kHz / (1 + 9) = 100 Hz with the DLPF on: three samples in 35 ms, six
 * accelerometer bytes each, read as Linux's buffer does (FIFO_COUNT_H
 * then a burst at FIFO_R_W). DATA_RDY, then overflow. */
static void test_fifo(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[20];
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "mpu6050,addr=0x68,accel_x=0.25");
    wr(&t, 0x6B, 0x00);
    wr(&t, 0x1A, 0x01);
    wr(&t, 0x19, 0x09);
    wr(&t, 0x23, 0x08);  /* ACCEL_FIFO_EN */
    wr(&t, 0x6A, 0x40);  /* FIFO_EN */
    assert_int_equal(rd8(&t, 0x3A), 0x00);
    i2cemu_loop_advance(t.loop, 35 * MS);
    assert_int_equal(rd8(&t, 0x3A), 0x01); /* DATA_RDY, cleared by reading */
    assert_int_equal(rd8(&t, 0x3A), 0x00);
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(0x72), b, 2), 2);
    assert_bytes(b, 0x00, 18);
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(0x74), b, 20), 2);
    for (unsigned i = 0; i < 3; i++)
        assert_bytes(b + 6 * i, 0x10, 0x00, 0x00, 0x00, 0x40, 0x00);
    assert_bytes(b + 18, 0x00, 0x00); /* empty */
    assert_int_equal(rd16(&t, 0x72), 0);
    /* Temperature and gyro X: 4 bytes a sample, in that order. */
    bench_set(&t, dev, "gyro_x", "1");
    wr(&t, 0x23, 0xC0);
    i2cemu_loop_advance(t.loop, 10 * MS);
    assert_int_equal(rd16(&t, 0x72), 4);
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(0x74), b, 4), 2);
    assert_bytes(b, 0xF0, 0xB0, 0x00, 0x83);
    /* Gyro X in standby: its last sample, whatever gyro_x is now. */
    assert_int_equal(rd16(&t, 0x43), 131);
    wr(&t, 0x6C, 0x04);
    bench_set(&t, dev, "gyro_x", "2");
    i2cemu_loop_advance(t.loop, 10 * MS);
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(0x74), b, 4), 2);
    assert_bytes(b, 0xF0, 0xB0, 0x00, 0x83);
    wr(&t, 0x6C, 0x00);
    /* FIFO_RESET empties it. */
    i2cemu_loop_advance(t.loop, 20 * MS);
    assert_int_equal(rd16(&t, 0x72), 8);
    wr(&t, 0x6A, 0x44);
    assert_int_equal(rd16(&t, 0x72), 0);
    assert_int_equal(rd8(&t, 0x6A), 0x40);
    /* 1024 bytes, the oldest dropped: FIFO_OFLOW_INT. */
    i2cemu_loop_advance(t.loop, 3000 * MS);
    assert_int_equal(rd16(&t, 0x72), 1024);
    assert_int_equal(rd8(&t, 0x3A), 0x11);
    /* Asleep: no samples. */
    wr(&t, 0x6A, 0x44);
    wr(&t, 0x6B, 0x40);
    i2cemu_loop_advance(t.loop, 100 * MS);
    assert_int_equal(rd16(&t, 0x72), 0);
    assert_int_equal(rd8(&t, 0x3A), 0x00);
    bench_fini(&t);
}

/* 8 kHz with the DLPF off: SMPLRT_DIV 0 is 125 µs a sample. */
static void test_sample_rate(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "mpu6050,addr=0x68");
    wr(&t, 0x6B, 0x00);
    wr(&t, 0x23, 0x10); /* ZG */
    wr(&t, 0x6A, 0x40);
    i2cemu_loop_advance(t.loop, 1 * MS);
    assert_int_equal(rd16(&t, 0x72), 16);
    wr(&t, 0x1A, 0x07); /* DLPF_CFG 7: 8 kHz too */
    wr(&t, 0x19, 0x01);
    i2cemu_loop_advance(t.loop, 1 * MS);
    assert_int_equal(rd16(&t, 0x72), 24);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_on),
        cmocka_unit_test(test_linux_probe),
        cmocka_unit_test(test_encoding),
        cmocka_unit_test(test_standby_and_sleep),
        cmocka_unit_test(test_fifo),
        cmocka_unit_test(test_sample_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
