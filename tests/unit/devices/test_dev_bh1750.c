/* SPDX-License-Identifier: MIT */
/* ROHM BH1750FVI: opcodes, the count at stated illuminances and MTreg,
 * measurement times on the VIRTUAL clock, one-time power down, reset. */
#include "devtest.h"

#define ADDR 0x23

static unsigned result(struct bench *t)
{
    uint8_t b[3];
    assert_int_equal(bench_xfer(t, ADDR, NULL, 0, b, 3), 1);
    assert_int_equal(b[2], 0xFF); /* past the result: SDA released */
    return (unsigned)b[0] << 8 | b[1];
}

static void op(struct bench *t, uint8_t o)
{
    bench_write(t, ADDR, o);
}

static void test_power_on_and_addresses(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_refuse(&t, "bh1750,addr=0x24", "0x23");
    bench_refuse(&t, "bh1750,addr=0x5c,lux=-1", "lux");
    bench_add(&t, "bh1750,addr=0x23");
    bench_add(&t, "bh1750,addr=0x5c");
    assert_int_equal(result(&t), 0);
    bench_fini(&t);
}

/* "Measurement mode explanation": count = lux x 1.2 at MTreg 69; H2 mode
 * counts half-lux. The datasheet's example: 0x8390 is 28067 lx. */
static void test_encoding(void **state)
{
    (void)state;
    static const struct { const char *lux; uint8_t op; unsigned count; } v[] =
        {
            { "28067", 0x20, 0x8390 },
            { "1000", 0x20, 1200 },
            { "1000", 0x21, 2400 },
            { "1000", 0x23, 1200 },
            { "100000", 0x20, 65535 },
            { "100000", 0x21, 65535 },
            { "0", 0x10, 0 },
            { "0.5", 0x11, 1 },
        };
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "bh1750,addr=0x23");
    for (unsigned i = 0; i < sizeof(v) / sizeof(*v); i++) {
        bench_set(&t, dev, "lux", v[i].lux);
        op(&t, v[i].op);
        assert_int_equal(result(&t), v[i].count);
    }
    bench_fini(&t);
}

/* MTreg: Linux's probe writes 69 (0x42, 0x65); the datasheet's range
 * ends give x31/69 and x254/69 the sensitivity. */
static void test_mtreg(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "bh1750,addr=0x23,lux=1000");
    op(&t, 0x00);
    op(&t, 0x42);
    op(&t, 0x65);
    op(&t, 0x20);
    assert_int_equal(result(&t), 1200);
    op(&t, 0x40); /* 31 = 000_11111 */
    op(&t, 0x7F);
    op(&t, 0x20);
    assert_int_equal(result(&t), 539); /* 1200 * 31 / 69 = 539.1 */
    op(&t, 0x47); /* 254 = 111_11110 */
    op(&t, 0x7E);
    op(&t, 0x20);
    assert_int_equal(result(&t), 4417); /* 1200 * 254 / 69 = 4417.4 */
    bench_set(&t, dev, "lux", "20000");
    op(&t, 0x20);
    assert_int_equal(result(&t), 65535);
    bench_fini(&t);
}

/* VIRTUAL clock: H 120 ms, L 16 ms at MTreg 69, scaled by MTreg; the
 * previous result until then. One-time mode powers down after: a reset
 * is then refused, and the next result needs a new command. */
static void test_timing_and_one_time(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "bh1750,addr=0x23,lux=1000");
    op(&t, 0x20);
    i2cemu_loop_advance(t.loop, 120 * MS - 1000);
    assert_int_equal(result(&t), 0);
    i2cemu_loop_advance(t.loop, 1000);
    assert_int_equal(result(&t), 1200);
    /* Powered down now: the result stays, reset is not accepted. */
    bench_set(&t, dev, "lux", "500");
    i2cemu_loop_advance(t.loop, 500 * MS);
    assert_int_equal(result(&t), 1200);
    op(&t, 0x07);
    assert_int_equal(result(&t), 1200);
    /* Power on, reset: 0. */
    op(&t, 0x01);
    op(&t, 0x07);
    assert_int_equal(result(&t), 0);
    /* L mode: 16 ms. */
    op(&t, 0x23);
    i2cemu_loop_advance(t.loop, 16 * MS - 1000);
    assert_int_equal(result(&t), 0);
    i2cemu_loop_advance(t.loop, 1000);
    assert_int_equal(result(&t), 600);
    /* MTreg 138 doubles the time and the count. */
    op(&t, 0x44); /* 138 = 100_01010 */
    op(&t, 0x6A);
    op(&t, 0x20);
    i2cemu_loop_advance(t.loop, 240 * MS - 1000);
    assert_int_equal(result(&t), 600);
    i2cemu_loop_advance(t.loop, 1000);
    assert_int_equal(result(&t), 1200);
    bench_fini(&t);
}

/* Continuous mode keeps measuring; power down stops it. */
static void test_continuous(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "bh1750,addr=0x23,lux=1000");
    op(&t, 0x10);
    i2cemu_loop_advance(t.loop, 120 * MS);
    assert_int_equal(result(&t), 1200);
    bench_set(&t, dev, "lux", "250");
    i2cemu_loop_advance(t.loop, 120 * MS);
    assert_int_equal(result(&t), 300);
    op(&t, 0x00);
    bench_set(&t, dev, "lux", "500");
    i2cemu_loop_advance(t.loop, 240 * MS);
    assert_int_equal(result(&t), 300);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_on_and_addresses),
        cmocka_unit_test(test_encoding),
        cmocka_unit_test(test_mtreg),
        cmocka_unit_test(test_timing_and_one_time),
        cmocka_unit_test(test_continuous),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
