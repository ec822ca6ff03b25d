/* SPDX-License-Identifier: MIT */
/* 24Cxx `image=` (read-only content) and 10-bit addresses on the 24Cxx
 * and the regbank. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devtest.h"

struct tmp {
    char dir[40];
    char path[64];
    char spec[192];
};

/* A file of n bytes, byte i = i, in a new directory. */
static void make_image(struct tmp *m, size_t n)
{
    snprintf(m->dir, sizeof(m->dir), "/tmp/i2cemu-image-XXXXXX");
    assert_non_null(mkdtemp(m->dir));
    snprintf(m->path, sizeof(m->path), "%s/spd.bin", m->dir);
    FILE *f = fopen(m->path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        fputc((int)(i & 0xFF), f);
    fclose(f);
}

static void drop(struct tmp *m)
{
    unlink(m->path);
    rmdir(m->dir);
}

static void rd(struct bench *t, uint16_t addr, uint8_t word, uint8_t *buf,
               uint16_t n)
{
    assert_int_equal(bench_xfer(t, addr, &word, 1, buf, n), 2);
}

/* A 128-byte FRU in a 24c02: served, padded with 0xFF, never written. */
static void test_image_served_read_only(void **state)
{
    (void)state;
    struct tmp m;
    struct bench t;
    uint8_t b[4];
    make_image(&m, 128);
    snprintf(m.spec, sizeof(m.spec), "24c02,addr=0x50,wp=on,image=%s",
             m.path);
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, m.spec);
    rd(&t, 0x50, 0x7E, b, 4);
    assert_bytes(b, 0x7E, 0x7F, 0xFF, 0xFF);
    bench_write(&t, 0x50, 0x10, 0xAA); /* WP: acknowledged, dropped */
    rd(&t, 0x50, 0x10, b, 1);
    assert_int_equal(b[0], 0x10);
    bench_fini(&t);

    /* Without WP a write changes the memory only, not the file. */
    snprintf(m.spec, sizeof(m.spec), "24c02,addr=0x50,image=%s", m.path);
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, m.spec);
    bench_write(&t, 0x50, 0x10, 0xAA);
    rd(&t, 0x50, 0x10, b, 1);
    assert_int_equal(b[0], 0xAA);
    bench_fini(&t);
    FILE *f = fopen(m.path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0x10, SEEK_SET), 0);
    assert_int_equal(fgetc(f), 0x10);
    fseek(f, 0, SEEK_END);
    assert_int_equal(ftell(f), 128);
    fclose(f);
    drop(&m);
}

static void test_image_refused(void **state)
{
    (void)state;
    struct tmp m;
    struct bench t;
    make_image(&m, 257);
    bench_init(&t, I2CEMU_CLOCK_FAST);
    snprintf(m.spec, sizeof(m.spec), "24c02,addr=0x50,image=%s", m.path);
    bench_refuse(&t, m.spec, "257 bytes, but a 24c02 holds 256");
    snprintf(m.spec, sizeof(m.spec), "24c04,addr=0x50,image=%s", m.path);
    bench_add(&t, m.spec); /* fits a 24c04 */
    snprintf(m.spec, sizeof(m.spec), "24c02,addr=0x57,image=%s,file=x.bin",
             m.path);
    bench_refuse(&t, m.spec, "file= and image= are mutually exclusive");
    snprintf(m.spec, sizeof(m.spec), "24c02,addr=0x57,image=%s", m.dir);
    bench_refuse(&t, m.spec, "not a regular file");
    snprintf(m.spec, sizeof(m.spec), "24c02,addr=0x57,image=%s/none",
             m.dir);
    bench_refuse(&t, m.spec, "No such file or directory");
    bench_fini(&t);
    drop(&m);
}

/* A message to a 10-bit address. */
static int xfer10(struct bench *t, uint16_t addr, uint8_t *w, uint16_t wlen,
                  uint8_t *r, uint16_t rlen)
{
    struct i2c_msg msgs[] = {
        { .addr = addr, .flags = I2C_M_TEN, .len = wlen, .buf = w },
        { .addr = addr, .flags = I2C_M_TEN | I2C_M_RD, .len = rlen, .buf = r },
    };
    return bench_transfer(t, bench_bus(t, 1), msgs, rlen ? 2 : 1);
}

static void test_tenbit(void **state)
{
    (void)state;
    struct bench t;
    uint8_t w[] = { 0x20, 0x5A }, b[1] = { 0 };
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "24c02,addr=0x150,tenbit=on");
    bench_add(&t, "regbank,addr=0x050,tenbit=on");
    bench_add(&t, "24c02,addr=0x50"); /* 7-bit 0x50 is another device */
    assert_int_equal(xfer10(&t, 0x150, w, 2, NULL, 0), 1);
    assert_int_equal(xfer10(&t, 0x150, w, 1, b, 1), 2);
    assert_int_equal(b[0], 0x5A);
    rd(&t, 0x50, 0x20, b, 1);
    assert_int_equal(b[0], 0xFF);
    /* The regbank's byte protocol at 10-bit 0x050. */
    assert_int_equal(xfer10(&t, 0x050, w, 2, NULL, 0), 1);
    assert_int_equal(xfer10(&t, 0x050, w, 1, b, 1), 2);
    assert_int_equal(b[0], 0x5A);
    /* Nobody at 10-bit 0x151. */
    assert_int_equal(xfer10(&t, 0x151, w, 1, b, 1), -ENXIO);
    /* The 24c04/08/16's low address bits are block select: 7-bit only. */
    bench_refuse(&t, "24c04,addr=0x154,tenbit=on", "no property 'tenbit'");
    bench_refuse(&t, "24c02,addr=0x150", "0x03 to 0x77");
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_served_read_only),
        cmocka_unit_test(test_image_refused),
        cmocka_unit_test(test_tenbit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
