/* SPDX-License-Identifier: MIT */
/* Services for models: the wall clock, output lines and CRC-8. */
#include <time.h>

#include "rig.h"
#include "testdevs.h"

/* A model that reads the wall clock and drives two lines. */
struct pins_state {
    int64_t seen_ns; /* the wall time at the last byte written */
};

static const char *const pins_lines[] = {"int", "alert", NULL};

static enum i2cemu_result pins_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct pins_state *s = d->state;
    s->seen_ns = i2cemu_dev_wall_time_ns(d);
    /* Bit 0 drives INT, bit 1 ALERT; bit 2 names a line it does not have. */
    for (unsigned i = 0; i < 3; i++)
        i2cemu_dev_line_set(d, i, byte >> i & 1);
    return I2CEMU_ACK;
}

static const struct i2cemu_device_type test_pins = {
    .name = "test-pins",
    .help = "wall clock reader with two output lines",
    .state_size = sizeof(struct pins_state),
    .lines = pins_lines,
    .send = pins_send,
};

static int64_t write_and_read_clock(struct bench *r, int dev, uint8_t byte)
{
    struct i2c_msg m = {.addr = 0x30, .len = 1, .buf = &byte};
    assert_int_equal(bench_transfer(r, 0, &m, 1), 1);
    return ((struct pins_state *)i2cemu_device_state(r->b, (unsigned)dev))
        ->seen_ns;
}

#define SEC 1000000000LL

static void virtual_wall_clock_is_reproducible(void **state)
{
    (void)state;
    int64_t seen[2];
    for (int run = 0; run < 2; run++) {
        struct bench r;
        bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
        int d = bench_add_type(&r, &test_pins, "addr=0x30");
        /* 2000-01-01T00:00:00Z plus board time. */
        assert_true(i2cemu_board_wall_time_ns(r.b) == 946684800 * SEC);
        i2cemu_loop_advance(r.loop, 90 * SEC);
        seen[run] = write_and_read_clock(&r, d, 0);
        bench_fini(&r);
    }
    assert_true(seen[0] == seen[1]);
    assert_true(seen[0] == 946684890 * SEC);
}

static void virtual_wall_clock_can_be_set(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    int d = bench_add_type(&r, &test_pins, "addr=0x30");
    i2cemu_loop_advance(r.loop, 5 * SEC);
    const int64_t t = 1767225600 * SEC; /* 2026-01-01T00:00:00Z */
    i2cemu_board_set_wall_time(r.b, t);
    assert_true(i2cemu_board_wall_time_ns(r.b) == t);
    i2cemu_loop_advance(r.loop, 3 * SEC);
    assert_true(i2cemu_board_wall_time_ns(r.b) == t + 3 * SEC);
    /* Transfers take no time on the VIRTUAL clock. */
    assert_true(write_and_read_clock(&r, d, 0) == t + 3 * SEC);
    bench_fini(&r);
}

static void host_clocks_give_host_wall_time(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int d = bench_add_type(&r, &test_pins, "addr=0x30");
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t host = ts.tv_sec * SEC + ts.tv_nsec;
    int64_t seen = write_and_read_clock(&r, d, 0);
    assert_true(seen >= host && seen < host + 10 * SEC);
    /* Set: an offset from the host's clock. */
    i2cemu_board_set_wall_time(r.b, 0);
    assert_true(i2cemu_board_wall_time_ns(r.b) < 10 * SEC);
    bench_fini(&r);
}

struct line_log {
    char s[128];
};

static void log_line(void *opaque, unsigned dev, unsigned line, bool level)
{
    struct line_log *l = opaque;
    size_t n = strlen(l->s);
    snprintf(l->s + n, sizeof(l->s) - n, "%u.%u=%d ", dev, line, level);
}

static void lines_are_raised_lowered_and_heard(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    bench_add_type(&r, &test_reg, "addr=0x10"); /* a device without lines */
    int d = bench_add_type(&r, &test_pins, "addr=0x30");
    struct line_log log = {""};
    i2cemu_board_set_line_listener(r.b, log_line, &log);

    assert_int_equal(i2cemu_device_line_find(r.b, (unsigned)d, "int"), 0);
    assert_int_equal(i2cemu_device_line_find(r.b, (unsigned)d, "alert"), 1);
    assert_int_equal(i2cemu_device_line_find(r.b, (unsigned)d, "os"), -1);
    assert_int_equal(i2cemu_device_line_find(r.b, 0, "int"), -1);
    assert_false(i2cemu_device_line(r.b, (unsigned)d, 0)); /* start low */

    write_and_read_clock(&r, d, 0x1); /* INT up */
    assert_true(i2cemu_device_line(r.b, (unsigned)d, 0));
    assert_false(i2cemu_device_line(r.b, (unsigned)d, 1));
    write_and_read_clock(&r, d, 0x3); /* ALERT up, INT stays: heard once */
    write_and_read_clock(&r, d, 0x4); /* both down; line 2 does not exist */
    assert_string_equal(log.s, "1.0=1 1.1=1 1.0=0 1.1=0 ");
    assert_false(i2cemu_device_line(r.b, (unsigned)d, 2));

    /* The levels live in the arena: a copy of it holds them. */
    write_and_read_clock(&r, d, 0x2);
    size_t size;
    const void *arena = i2cemu_board_arena(r.b, &size);
    void *copy = malloc(size);
    memcpy(copy, arena, size);
    write_and_read_clock(&r, d, 0x0);
    assert_false(i2cemu_device_line(r.b, (unsigned)d, 1));
    memcpy((void *)arena, copy, size); /* what a restore will do */
    assert_true(i2cemu_device_line(r.b, (unsigned)d, 1));
    free(copy);

    i2cemu_board_set_line_listener(r.b, NULL, NULL);
    write_and_read_clock(&r, d, 0x1);
    assert_string_equal(log.s, "1.0=1 1.1=1 1.0=0 1.1=0 1.1=1 1.1=0 ");
    bench_fini(&r);
}

static void crc8_matches_the_sensirion_datasheet(void **state)
{
    (void)state;
    /* SHT3x datasheet, "Checksum Calculation": 0xBEEF -> 0x92. */
    static const uint8_t beef[] = {0xBE, 0xEF};
    assert_int_equal(i2cemu_crc8(I2CEMU_CRC8_SENSIRION_POLY,
                                 I2CEMU_CRC8_SENSIRION_INIT, beef, 2), 0x92);
    /* CRC-8 (poly 0x07, init 0) of "123456789" is 0xF4 (the catalogue's
     * check value): another part's polynomial. */
    assert_int_equal(i2cemu_crc8(0x07, 0x00, "123456789", 9), 0xF4);
    /* Nothing in: the initial value. */
    assert_int_equal(i2cemu_crc8(0x31, 0xFF, beef, 0), 0xFF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(virtual_wall_clock_is_reproducible),
        cmocka_unit_test(virtual_wall_clock_can_be_set),
        cmocka_unit_test(host_clocks_give_host_wall_time),
        cmocka_unit_test(lines_are_raised_lowered_and_heard),
        cmocka_unit_test(crc8_matches_the_sensirion_datasheet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
