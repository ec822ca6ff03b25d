/* SPDX-License-Identifier: MIT */
/* INA219 and INA226 current/power monitors driven through the bus master,
 * against the datasheets' tables and worked examples. */
#include <errno.h>

#include "devtest.h"

#define ADDR 0x40

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

static bool alert_prop(struct bench *t, unsigned dev)
{
    char buf[8];
    assert_true(i2cemu_device_get(t->b, dev, "alert", buf,
                                  sizeof(buf), NULL) > 0);
    return strcmp(buf, "on") == 0;
}

/* ---- INA219 -------------------------------------------------------- */

/* SBOS448 Table 2: configuration 0x399F, power, current and calibration
 * 0; P2-P0 decoded, so the registers repeat every 8. */
static void test_ina219_power_on(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "ina219,addr=0x40");
    assert_int_equal(reg16(&t, 0), 0x399F);
    assert_int_equal(reg16(&t, 1), 0x0000);
    assert_int_equal(reg16(&t, 2) & ~3u, 0x0000);
    assert_int_equal(reg16(&t, 3), 0x0000);
    assert_int_equal(reg16(&t, 4), 0x0000);
    assert_int_equal(reg16(&t, 5), 0x0000);
    assert_int_equal(reg16(&t, 6), 0x0000); /* undocumented */
    assert_int_equal(reg16(&t, 0x08), 0x399F);
    assert_int_equal(reg16(&t, 0xF8), 0x399F);
    /* No auto-increment: a longer read repeats the register. */
    uint8_t buf[4];
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(0), buf, 4), 2);
    assert_bytes(buf, 0x39, 0x9F, 0x39, 0x9F);
    bench_refuse(&t, "ina219,addr=0x50", "0x40-0x4F");
    bench_refuse(&t, "ina219,addr=0x41,bus_voltage=27", "bus_voltage");
    bench_fini(&t);
}

/* SBOS448's Configure/Measure/Calculate Example (8.5.1; Table 3 in rev.
 * F): 10 A through 2 mOhm, 11.98 V at IN-, 16 V range, +-40 mV PGA,
 * calibration 20480. */
static void test_ina219_calibration_example(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "ina219,addr=0x40,shunt=0.002,bus_voltage=11.98,"
                  "current=10");
    set_reg16(&t, 0, 0x019F);
    assert_int_equal(reg16(&t, 0), 0x019F);
    assert_int_equal(reg16(&t, 1), 0x07D0);          /* 2000: 20 mV */
    assert_int_equal(reg16(&t, 2) & ~3u, 0x5D98);    /* 2995: 11.98 V */
    assert_int_equal(reg16(&t, 4), 0x0000);          /* not calibrated */
    set_reg16(&t, 5, 0x5000);
    assert_int_equal(reg16(&t, 5), 0x5000);
    assert_int_equal(reg16(&t, 4), 0x2710);          /* 10000: 10.0 A */
    assert_int_equal(reg16(&t, 3), 0x1766);          /* 5990: 119.8 W */
    /* Reverse current: a negative shunt voltage and current. */
    bench_set(&t, 0, "current", "-10");
    assert_int_equal(reg16(&t, 1), 0xF830);
    assert_int_equal(reg16(&t, 4), 0xD8F0);
    assert_int_equal(reg16(&t, 3), 0x1766);
    bench_fini(&t);
}

/* The shunt register saturates at the PGA range; bus at BRNG's. */
static void test_ina219_ranges(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "ina219,addr=0x40,shunt=0.1,current=1,"
                                 "bus_voltage=20");
    /* PGA /8: 100 mV is 10000. */
    assert_int_equal(reg16(&t, 1), 10000);
    static const struct { uint16_t conf; unsigned shunt; } pga[] = {
        { 0x019F, 4000 }, { 0x099F, 8000 }, { 0x119F, 10000 },
    };
    for (unsigned i = 0; i < 3; i++) {
        set_reg16(&t, 0, pga[i].conf);
        assert_int_equal(reg16(&t, 1), pga[i].shunt);
    }
    bench_set(&t, dev, "current", "-1");
    set_reg16(&t, 0, 0x019F);
    assert_int_equal(reg16(&t, 1), 0xF060); /* -4000 */
    /* BRNG=0: 16 V full scale, 4000; BRNG=1: 20 V is 5000. */
    assert_int_equal(reg16(&t, 2) >> 3, 4000);
    set_reg16(&t, 0, 0x219F);
    assert_int_equal(reg16(&t, 2) >> 3, 5000);
    /* A current out of the register's range sets OVF and saturates. */
    set_reg16(&t, 5, 0xFFFE);
    assert_int_equal(reg16(&t, 4), 0x8000);
    assert_int_equal(reg16(&t, 2) & 1, 1);
    bench_fini(&t);
}

/* CNVR sets when a cycle completes and clears on reading power; a
 * triggered mode converts once, after the SADC + BADC times. */
static void test_ina219_timing(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "ina219,addr=0x40,bus_voltage=5");
    /* Continuous, 128 samples of shunt and bus: 2 x 68.1 ms a cycle. */
    set_reg16(&t, 0, 0x3FFF);
    assert_int_equal(reg16(&t, 2), 0x0000); /* nothing converted yet */
    i2cemu_loop_advance(t.loop, 135 * MS);
    assert_int_equal(reg16(&t, 2), 0x0000);
    i2cemu_loop_advance(t.loop, 2 * MS);
    assert_int_equal(reg16(&t, 2), 1250 << 3 | 2);
    reg16(&t, 3);
    assert_int_equal(reg16(&t, 2), 1250 << 3);
    i2cemu_loop_advance(t.loop, 137 * MS);
    assert_int_equal(reg16(&t, 2), 1250 << 3 | 2);

    /* Shunt and bus triggered, 128 samples each: 2 x 68.1 ms. */
    bench_set(&t, dev, "bus_voltage", "10");
    set_reg16(&t, 0, 0x3FFB);
    assert_int_equal(reg16(&t, 2), 1250 << 3);
    i2cemu_loop_advance(t.loop, 130 * MS);
    assert_int_equal(reg16(&t, 2), 1250 << 3);
    i2cemu_loop_advance(t.loop, 10 * MS);
    assert_int_equal(reg16(&t, 2), 2500 << 3 | 2);
    /* Once: the registers then hold. */
    bench_set(&t, dev, "bus_voltage", "12");
    i2cemu_loop_advance(t.loop, 300 * MS);
    assert_int_equal(reg16(&t, 2) >> 3, 2500);
    bench_fini(&t);
}

/* RST resets every register; the calibration's D0 reads 0. */
static void test_ina219_reset(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "ina219,addr=0x40");
    set_reg16(&t, 5, 0x1235);
    assert_int_equal(reg16(&t, 5), 0x1234);
    set_reg16(&t, 0, 0x4000); /* D14 is read-only */
    assert_int_equal(reg16(&t, 0), 0x0000);
    set_reg16(&t, 0, 0x8000);
    assert_int_equal(reg16(&t, 0), 0x399F);
    assert_int_equal(reg16(&t, 5), 0x0000);
    /* A write of one byte is dropped. */
    bench_write(&t, ADDR, 5, 0x12);
    assert_int_equal(reg16(&t, 5), 0x0000);
    bench_fini(&t);
}

/* ---- INA226 -------------------------------------------------------- */

/* SBOS547 Table 7-1. */
static void test_ina226_power_on(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "ina226,addr=0x45");
    uint8_t p = 0xFE, buf[2];
    assert_int_equal(bench_xfer(&t, 0x45, &p, 1, buf, 2), 2);
    assert_bytes(buf, 0x54, 0x49);
    p = 0xFF;
    assert_int_equal(bench_xfer(&t, 0x45, &p, 1, buf, 2), 2);
    assert_bytes(buf, 0x22, 0x60);
    static const uint16_t por[8] = { 0x4127, 0, 0, 0, 0, 0, 0x0008, 0 };
    for (uint8_t r = 0; r < 8; r++) {
        assert_int_equal(bench_xfer(&t, 0x45, &r, 1, buf, 2), 2);
        /* Mask/Enable: CVRF, since the part has converted. */
        assert_int_equal(buf[0] << 8 | buf[1], por[r]);
    }
    assert_true(alert_prop(&t, dev));
    assert_true(i2cemu_device_line(t.b, dev, 0));
    bench_fini(&t);
}

/* SBOS547's Configure/Measure/Calculate Example (Table 1 in the first
 * revision): 10 A through 2 mOhm, 11.98 V, calibration 2560: shunt 8000
 * (2.5 uV), bus 9584 (1.25 mV), current 10000, power 4792. */
static void test_ina226_calibration_example(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "ina226,addr=0x40,shunt=0.002,current=10,"
                                 "bus_voltage=11.98");
    assert_int_equal(reg16(&t, 0), 0x4127);
    assert_int_equal(reg16(&t, 1), 0x1F40);
    assert_int_equal(reg16(&t, 2), 0x2570);
    set_reg16(&t, 5, 0x0A00);
    assert_int_equal(reg16(&t, 4), 0x2710);
    assert_int_equal(reg16(&t, 3), 0x12B8);
    set_reg16(&t, 5, 0x8A00); /* D15 is read-only */
    assert_int_equal(reg16(&t, 5), 0x0A00);
    /* Saturation at 81.92 mV. */
    bench_set(&t, dev, "current", "50");
    assert_int_equal(reg16(&t, 1), 0x7FFF);
    bench_set(&t, dev, "current", "-50");
    assert_int_equal(reg16(&t, 1), 0x8000);
    bench_fini(&t);
}

/* Alert functions, latch, polarity, and the conversion-ready alert. */
static void test_ina226_alert(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "ina226,addr=0x40,bus_voltage=12");
    /* Bus over-voltage above 13 V (10400), transparent. */
    set_reg16(&t, 7, 10400);
    set_reg16(&t, 6, 0x2000);
    assert_true(i2cemu_device_line(t.b, dev, 0));
    bench_set(&t, dev, "bus_voltage", "14");
    assert_false(i2cemu_device_line(t.b, dev, 0)); /* active low */
    assert_false(alert_prop(&t, dev));
    assert_int_equal(reg16(&t, 6) & 0x2010, 0x2010); /* AFF */
    bench_set(&t, dev, "bus_voltage", "12");
    assert_true(i2cemu_device_line(t.b, dev, 0));
    assert_int_equal(reg16(&t, 6) & 0x0010, 0);

    /* Latched: stays until Mask/Enable is read. */
    set_reg16(&t, 6, 0x2001);
    bench_set(&t, dev, "bus_voltage", "14");
    bench_set(&t, dev, "bus_voltage", "12");
    assert_false(i2cemu_device_line(t.b, dev, 0));
    assert_int_equal(reg16(&t, 6) & 0x0010, 0x0010);
    assert_true(i2cemu_device_line(t.b, dev, 0));

    /* APOL inverts the pin at once. */
    set_reg16(&t, 6, 0x2002);
    assert_false(i2cemu_device_line(t.b, dev, 0));
    bench_set(&t, dev, "bus_voltage", "14");
    assert_true(i2cemu_device_line(t.b, dev, 0));

    /* Shunt under-voltage: signed, below -1 mV (-400). */
    bench_set(&t, dev, "bus_voltage", "12");
    set_reg16(&t, 7, 0xFE70);
    set_reg16(&t, 6, 0x4000);
    bench_set(&t, dev, "current", "-1"); /* 0.01 ohm: -10 mV */
    assert_false(i2cemu_device_line(t.b, dev, 0));
    /* The highest function wins: SOL over SUL is not met. */
    set_reg16(&t, 6, 0xC000);
    bench_set(&t, dev, "current", "-2");
    assert_true(i2cemu_device_line(t.b, dev, 0));
    bench_fini(&t);
}

/* CVRF: set per cycle (2.2 ms at power on, AVG x (VSHCT + VBUSCT)),
 * cleared by reading Mask/Enable or writing the configuration; the CNVR
 * function drives the pin with it. */
static void test_ina226_conversion_ready(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "ina226,addr=0x40");
    set_reg16(&t, 6, 0x0400);
    assert_true(i2cemu_device_line(t.b, dev, 0));
    i2cemu_loop_advance(t.loop, 2200000);
    assert_int_equal(reg16(&t, 6), 0x0408);
    assert_true(i2cemu_device_line(t.b, dev, 0)); /* read: cleared */
    assert_int_equal(reg16(&t, 6), 0x0400);
    i2cemu_loop_advance(t.loop, 2200000);
    bench_set(&t, dev, "current", "1"); /* the change hook syncs */
    assert_false(i2cemu_device_line(t.b, dev, 0));
    /* 4 averages of 140 + 140 us: 1.12 ms. */
    set_reg16(&t, 0, 0x4207);
    assert_true(i2cemu_device_line(t.b, dev, 0));
    i2cemu_loop_advance(t.loop, 500000);
    assert_int_equal(reg16(&t, 6) & 8, 0);
    i2cemu_loop_advance(t.loop, 1000000);
    assert_int_equal(reg16(&t, 6) & 8, 8);
    bench_fini(&t);
}

/* On a paced clock ALERT moves at the end of a conversion, with nobody
 * reading the part. */
static void test_ina226_alert_by_itself(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "ina226,addr=0x40,bus_voltage=14");
    set_reg16(&t, 7, 10400);
    set_reg16(&t, 6, 0x2000);
    i2cemu_loop_advance(t.loop, 2 * MS);
    assert_true(i2cemu_device_line(t.b, dev, 0));
    i2cemu_loop_advance(t.loop, 300000);
    assert_false(i2cemu_device_line(t.b, dev, 0));
    bench_set(&t, dev, "bus_voltage", "12");
    assert_false(i2cemu_device_line(t.b, dev, 0));
    i2cemu_loop_advance(t.loop, 2200000);
    assert_true(i2cemu_device_line(t.b, dev, 0));
    bench_fini(&t);
}

/* Linux's ina2xx probe: the configuration default, Mask/Enable LEN|APOL
 * by read-modify-write (INA226), the calibration value. */
static void test_linux_probe(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "ina226,addr=0x40,shunt=0.01,current=0.5,bus_voltage=5");
    set_reg16(&t, 0, 0x4527);
    unsigned me = reg16(&t, 6);
    set_reg16(&t, 6, (uint16_t)(me | 3));
    set_reg16(&t, 5, 2048);
    assert_int_equal(reg16(&t, 0), 0x4527);
    assert_int_equal(reg16(&t, 6) & 0xFC03, 0x0003);
    /* 5 mV: 2000 x 2.5 uV; with Cal 2048 the current reads the same. */
    assert_int_equal(reg16(&t, 1), 2000);
    assert_int_equal(reg16(&t, 4), 2000);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ina219_power_on),
        cmocka_unit_test(test_ina219_calibration_example),
        cmocka_unit_test(test_ina219_ranges),
        cmocka_unit_test(test_ina219_timing),
        cmocka_unit_test(test_ina219_reset),
        cmocka_unit_test(test_ina226_power_on),
        cmocka_unit_test(test_ina226_calibration_example),
        cmocka_unit_test(test_ina226_alert),
        cmocka_unit_test(test_ina226_conversion_ready),
        cmocka_unit_test(test_ina226_alert_by_itself),
        cmocka_unit_test(test_linux_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
