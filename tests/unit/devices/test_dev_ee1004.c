/* SPDX-License-Identifier: MIT */
/* EE1004 DDR4 SPD EEPROM (ee1004.c): the page commands at 0x36/0x37,
 * bus-wide, and Linux's ee1004 driver's accesses. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devtest.h"

static void rd(struct bench *t, uint16_t addr, uint8_t word, uint8_t *buf,
               uint16_t n)
{
    assert_int_equal(bench_xfer(t, addr, &word, 1, buf, n), 2);
}

/* The driver's ee1004_get_current_page(): i2c_smbus_read_byte(0x36), a
 * one-byte read: ACK is page 0, NACK (ENXIO) page 1. */
static int current_page(struct bench *t)
{
    uint8_t v;
    int r = bench_xfer(t, 0x36, NULL, 0, &v, 1);
    return r == -ENXIO ? 1 : r == 1 ? 0 : r;
}

/* ... and its page select: i2c_smbus_write_byte(0x36 + page, 0x00). */
static void set_page(struct bench *t, int page)
{
    bench_write(t, (uint16_t)(0x36 + page), 0x00);
}

static void test_pages(void **state)
{
    (void)state;
    char dir[] = "/tmp/i2cemu-ee1004-XXXXXX", path[64], spec[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/spd.bin", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (unsigned i = 0; i < 384; i++) /* page 1 half filled */
        fputc((int)((i * 3) & 0xFF) ^ (i >= 256 ? 0x80 : 0), f);
    fclose(f);
    snprintf(spec, sizeof(spec), "ee1004,addr=0x50,image=%s", path);

    struct bench t;
    uint8_t b[4];
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, spec);
    assert_int_equal(current_page(&t), 0);
    rd(&t, 0x50, 0x02, b, 2);
    assert_bytes(b, 0x06, 0x09);
    set_page(&t, 1);
    assert_int_equal(current_page(&t), 1);
    rd(&t, 0x50, 0x02, b, 2);
    assert_bytes(b, 0x86, 0x89); /* cells 258, 259 */
    rd(&t, 0x50, 0x7F, b, 2);                            /* 383, 384: pad */
    assert_bytes(b, (uint8_t)((383 * 3) ^ 0x80), 0xFF);
    /* Reads wrap within the page. */
    rd(&t, 0x50, 0xFF, b, 2);
    assert_bytes(b, 0xFF, (uint8_t)((256 * 3) ^ 0x80));
    /* No command reads at 0x37; SPA0 back to page 0. */
    assert_int_equal(bench_xfer(&t, 0x37, NULL, 0, b, 1), -ENXIO);
    set_page(&t, 0);
    assert_int_equal(current_page(&t), 0);
    rd(&t, 0x50, 0xFF, b, 2);
    assert_bytes(b, (uint8_t)(255 * 3), 0x00);
    bench_fini(&t);

    bench_init(&t, I2CEMU_CLOCK_FAST);
    snprintf(spec, sizeof(spec), "ee1004,addr=0x51,image=%s/spd.bin", dir);
    unlink(path);
    bench_refuse(&t, spec, "No such file or directory");
    bench_fini(&t);
    rmdir(dir);
}

/* The page is bus-wide: one SPA1 switches every EE1004 on the bus. */
static void test_page_is_bus_wide(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[1];
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "ee1004,addr=0x50");
    bench_add(&t, "ee1004,addr=0x53");
    bench_add(&t, "ee1004,addr=0x50,bus=2");
    /* A page write to page 1 of 0x53, to page 0 of 0x50. */
    set_page(&t, 1);
    bench_write(&t, 0x53, 0x10, 0xA1, 0xA2);
    set_page(&t, 0);
    bench_write(&t, 0x50, 0x10, 0xB1);
    rd(&t, 0x53, 0x10, b, 1);
    assert_int_equal(b[0], 0xFF); /* page 0 of 0x53 untouched */
    set_page(&t, 1);
    rd(&t, 0x53, 0x11, b, 1);
    assert_int_equal(b[0], 0xA2);
    rd(&t, 0x50, 0x10, b, 1);
    assert_int_equal(b[0], 0xFF); /* 0x50 switched too */
    /* The other bus's part did not. */
    struct i2c_msg rpa = { .addr = 0x36, .flags = I2C_M_RD, .len = 1,
                           .buf = b };
    assert_int_equal(bench_transfer(&t, bench_bus(&t, 2), &rpa, 1), 1);
    /* An address the part cannot have; 0x36 is taken by the EE1004s. */
    bench_refuse(&t, "ee1004,addr=0x48", "0x50-0x57");
    bench_refuse(&t, "24c02,addr=0x36", "already has ee1004");
    bench_fini(&t);
}

/* WP: a write is acknowledged and dropped. */
static void test_write_protect(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b[1];
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "ee1004,addr=0x52,wp=on");
    bench_write(&t, 0x52, 0x00, 0x12);
    rd(&t, 0x52, 0x00, b, 1);
    assert_int_equal(b[0], 0xFF);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_page_is_bus_wide),
        cmocka_unit_test(test_write_protect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
