/* SPDX-License-Identifier: MIT */
/* DS1307-family RTCs (ds1307.c) on the VIRTUAL clock, whose wall clock
 * starts at 2000-01-01T00:00:00Z: power-on values, BCD, 12/24 hours, the
 * pointer's wrap, clock halt, NVRAM in a backing file, alarms. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "devtest.h"

#define RTC 0x68
#define SEC 1000000000ull
#define RTC_EPOCH_2000 946684800
#define A1IE_BIT 0x01

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

static int rtc_unbcd_(uint8_t v)
{
    return (v >> 4) * 10 + (v & 15);
}

/* battery=on: the wall clock, Linux's Sunday-is-1 day numbering. */
static void test_time_from_wall_clock(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[8];
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    i2cemu_board_set_wall_time(t.b, 1700000000 * (int64_t)SEC);
    bench_add(&t, "ds1307,addr=0x68");
    /* 1700000000 is Tuesday 2023-11-14 22:13:20 UTC. */
    rd(&t, 0, b, 8);
    assert_bytes(b, 0x20, 0x13, 0x22, 0x03, 0x14, 0x11, 0x23, 0x03);
    i2cemu_loop_advance(t.loop, 100 * SEC);
    rd(&t, 0, b, 2);
    assert_bytes(b, 0x00, 0x15);
    bench_fini(&t);
}

/* QEMU's tests/qtest/ds1338-test.c (tx-rx): on a host clock the 7 time
 * registers read from 0 hold today's UTC date. */
static void test_qemu_ds1338_date(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[7];
    bench_init_dev(&t, I2CEMU_CLOCK_FAST, "ds1338,addr=0x68");
    time_t now = time(NULL);
    rd(&t, 0, b, 7);
    struct tm tm;
    gmtime_r(&now, &tm);
    assert_int_equal(rtc_unbcd_(b[4]), tm.tm_mday);
    assert_int_equal(rtc_unbcd_(b[5]), 1 + tm.tm_mon);
    assert_int_equal(2000 + rtc_unbcd_(b[6]), 1900 + tm.tm_year);
    bench_fini(&t);
}

/* battery=off: the datasheet's first power-on. */
static void test_first_power_on(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[0x13];
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    i2cemu_board_set_wall_time(t.b, 1700000000 * (int64_t)SEC);
    bench_add(&t, "ds1307,addr=0x68,battery=off");
    rd(&t, 0, b, 8);
    /* CH set, 01/01/00 day 1 00:00:00, control 0x03, and frozen. */
    assert_bytes(b, 0x80, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00, 0x03);
    i2cemu_loop_advance(t.loop, 5 * SEC);
    assert_int_equal(rd1(&t, 0), 0x80);
    /* Clearing CH (Linux's old probe writes 0 to seconds) starts it. */
    bench_write(&t, RTC, 0, 0x00);
    i2cemu_loop_advance(t.loop, 5 * SEC);
    rd(&t, 0, b, 7);
    assert_bytes(b, 0x05, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00);
    /* Setting CH again freezes it. */
    bench_write(&t, RTC, 0, 0x80 | 0x07);
    i2cemu_loop_advance(t.loop, 5 * SEC);
    assert_int_equal(rd1(&t, 0), 0x87);
    bench_fini(&t);

    bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "ds1338,addr=0x68,battery=off");
    assert_int_equal(rd1(&t, 7), 0x23); /* OSF */
    bench_write(&t, RTC, 7, 0x20);      /* writing 1 keeps it */
    assert_int_equal(rd1(&t, 7), 0x20);
    bench_write(&t, RTC, 7, 0x13);
    assert_int_equal(rd1(&t, 7), 0x13);
    bench_fini(&t);

    bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL,
                   "ds3231,addr=0x68,battery=off,temperature=25.25");
    rd(&t, 0, b, 0x13);
    /* Running from 01/01/00; OSF and EN32kHz; INTCN RS2 RS1; 25.25 °C. */
    assert_bytes(b, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00,
                 0, 0, 0, 0, 0, 0, 0, 0x1C, 0x88, 0x00, 0x19, 0x40);
    i2cemu_loop_advance(t.loop, 61 * SEC);
    rd(&t, 0, b, 2);
    assert_bytes(b, 0x01, 0x01);
    bench_fini(&t);

    bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "ds1337,addr=0x68,battery=off");
    rd(&t, 0x0E, b, 3);
    assert_bytes(b, 0x18, 0x80, 0x00); /* 0x0F wraps to 0x00: seconds 0 */
    bench_fini(&t);
}

/* Writing the time as Linux's set_time does sets `offset`. */
static void test_set_time(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[7];
    unsigned dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "ds1307,addr=0x68");
    /* 2024-02-29 23:59:58, Thursday (Linux: tm_wday 4 + 1). */
    bench_write(&t, RTC, 0, 0x58, 0x59, 0x23, 0x05, 0x29, 0x02, 0x24);
    assert_int_equal(bench_get_num(&t, dev, "offset"),
                     1709251198 - RTC_EPOCH_2000);
    i2cemu_loop_advance(t.loop, 3 * SEC);
    rd(&t, 0, b, 7);
    assert_bytes(b, 0x01, 0x00, 0x00, 0x06, 0x01, 0x03, 0x24);
    /* The runtime property moves it. */
    bench_set(&t, dev, "offset", "0");
    rd(&t, 0, b, 7);
    assert_bytes(b, 0x03, 0x00, 0x00, 0x07, 0x01, 0x01, 0x00);
    bench_fini(&t);
}

/* 12-hour mode: bit 6, PM bit 5; written and latched in that mode. */
static void test_12_hour(void **state)
{
    (void)state;
    struct bench t;
    unsigned dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "ds1307,addr=0x68");
    bench_write(&t, RTC, 2, 0x40 | 0x20 | 0x11); /* 11 PM */
    assert_true(bench_get_num(&t, dev, "offset") == 23 * 3600);
    assert_int_equal(rd1(&t, 2), 0x71);
    i2cemu_loop_advance(t.loop, 3600 * SEC);
    assert_int_equal(rd1(&t, 2), 0x52); /* 12 AM */
    i2cemu_loop_advance(t.loop, 12 * 3600 * SEC);
    assert_int_equal(rd1(&t, 2), 0x72); /* 12 PM */
    bench_write(&t, RTC, 2, 0x13);      /* back to 24 hours: 13:00 */
    assert_int_equal(rd1(&t, 2), 0x13);
    bench_fini(&t);
}

/* The pointer wraps 0x3F -> 0x00 (DS1307) and 0x12 -> 0x00 (DS3231); a
 * multi-byte read is latched at its START. */
static void test_pointer_wrap(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[3];
    bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "ds1307,addr=0x68");
    bench_write(&t, RTC, 0x3E, 0xAA, 0xBB, 0x80); /* the last writes CH */
    rd(&t, 0x3E, b, 3);
    assert_bytes(b, 0xAA, 0xBB, 0x80);
    bench_write(&t, RTC, 0x08, 0x11);
    assert_int_equal(rd1(&t, 0x08), 0x11);
    /* No register 0x40. */
    assert_int_equal(bench_xfer(&t, RTC, BYTES(0x40), NULL, 0), -EIO);
    bench_fini(&t);

    bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL,
                   "ds3231,addr=0x68,temperature=-0.25");
    rd(&t, 0x11, b, 3);
    assert_bytes(b, 0xFF, 0xC0, 0x00);
    bench_refuse(&t, "ds3231,addr=0x69", "only 0x68");
    bench_fini(&t);
}

static void test_nvram_persists(void **state)
{
    (void)state;
    char dir[] = "/tmp/i2cemu-ds1307-XXXXXX", spec[128], path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/nv", dir);
    snprintf(spec, sizeof(spec), "ds1307,addr=0x68,file=%s", path);
    struct bench t;
    uint8_t b[56];
    bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, spec);
    rd(&t, 8, b, 56);
    for (unsigned i = 0; i < 56; i++)
        assert_int_equal(b[i], 0);
    bench_write(&t, RTC, 0x3E, 0x12, 0x34, 0x56, 0x09, 0x0A); /* wraps */
    bench_fini(&t);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(b, 1, sizeof(b), f), 56);
    assert_int_equal(fgetc(f), EOF);
    fclose(f);
    assert_int_equal(b[0x3E - 8], 0x12);
    assert_int_equal(b[0x3F - 8], 0x34);
    bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, spec);
    rd(&t, 0x3E, b, 2);
    assert_bytes(b, 0x12, 0x34);
    bench_fini(&t);
    unlink(path);
    rmdir(dir);
}

/* Alarm 1 matching seconds+minutes+hours+date, checked at reads on the
 * VIRTUAL clock; the INT line with A1IE and INTCN; cleared by writing 0. */
static void test_alarms(void **state)
{
    (void)state;
    struct bench t;
    unsigned dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "ds3231,addr=0x68");
    /* Alarm 1 at date 1, 00:00:30 as Linux's set_alarm writes it; alarm 2
     * off (all mask bits set, would match each minute: masked by A2IE). */
    bench_write(&t, RTC, 0x07, 0x30, 0x00, 0x00, 0x01, 0x80, 0x80, 0x80,
                0x1C | A1IE_BIT, 0x00);
    i2cemu_loop_advance(t.loop, 29 * SEC);
    assert_int_equal(rd1(&t, 0x0F) & 3, 0);
    assert_false(bench_line(&t, dev, "int"));
    i2cemu_loop_advance(t.loop, 40 * SEC); /* passes 00:00:30 and 00:01:00 */
    assert_int_equal(rd1(&t, 0x0F) & 3, 3);
    assert_true(bench_line(&t, dev, "int"));
    bench_write(&t, RTC, 0x0F, 0x00);
    assert_int_equal(rd1(&t, 0x0F) & 3, 0);
    assert_false(bench_line(&t, dev, "int"));
    /* A day later, no match (date 1 only); once per second fires. */
    i2cemu_loop_advance(t.loop, 86400 * SEC);
    assert_int_equal(rd1(&t, 0x0F) & 1, 0);
    bench_write(&t, RTC, 0x07, 0x80, 0x80, 0x80, 0x80);
    i2cemu_loop_advance(t.loop, 1 * SEC);
    assert_int_equal(rd1(&t, 0x0F) & 1, 1);
    /* Setting the time past an alarm does not fire it. */
    bench_write(&t, RTC, 0x0F, 0x00, 0x00);
    bench_write(&t, RTC, 0x07, 0x00, 0x00, 0x12, 0x45); /* day 5, 12:00:00 */
    bench_write(&t, RTC, 0x00, 0x00, 0x00, 0x13);      /* 13:00:00 */
    assert_int_equal(rd1(&t, 0x0F) & 1, 0);
    i2cemu_loop_advance(t.loop, 23 * 3600 * SEC);
    assert_int_equal(rd1(&t, 0x0F) & 1, 0);
    bench_fini(&t);

    /* DS1337: INTA serves alarm 1 with INTCN = 0. */
    dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "ds1337,addr=0x68");
    bench_write(&t, RTC, 0x07, 0x05, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                A1IE_BIT, 0x00);
    i2cemu_loop_advance(t.loop, 5 * SEC);
    assert_int_equal(rd1(&t, 0x0F), 0x01);
    assert_true(bench_line(&t, dev, "int"));
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_from_wall_clock),
        cmocka_unit_test(test_qemu_ds1338_date),
        cmocka_unit_test(test_first_power_on),
        cmocka_unit_test(test_set_time),
        cmocka_unit_test(test_12_hour),
        cmocka_unit_test(test_pointer_wrap),
        cmocka_unit_test(test_nvram_persists),
        cmocka_unit_test(test_alarms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
