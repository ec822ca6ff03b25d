/* SPDX-License-Identifier: MIT */
/* Match hooks: the set of devices they fill, and the address a START
 * event carries to a device that answers several. Public API only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <i2cemu/board.h>
#include <i2cemu/loop.h>
#include <i2cemu/master.h>

/* Answers four addresses, like a 24c08's blocks; remembers the address
 * of each START, as a 24c08 latches its block there. */
static bool quad_match(struct i2cemu_dev *d, uint16_t addr, bool tenbit,
                       bool broadcast, struct i2cemu_matches *m)
{
    if (tenbit || broadcast || (addr & ~3u) != i2cemu_dev_addr(d))
        return false;
    return i2cemu_matches_add(m, d->index);
}

static enum i2cemu_result quad_event(struct i2cemu_dev *d,
                                     enum i2cemu_event ev)
{
    if (ev == I2CEMU_EV_START_SEND || ev == I2CEMU_EV_START_RECV)
        *(uint16_t *)d->state = i2cemu_dev_start_addr(d);
    return I2CEMU_ACK;
}

static uint8_t quad_recv(struct i2cemu_dev *d)
{
    (void)d;
    return 0x5A;
}

static const struct i2cemu_device_type test_quad = {
    .name = "test-quad",
    .help = "answers four addresses",
    .state_size = 8,
    .event = quad_event,
    .recv = quad_recv,
    .match = quad_match,
};

static void done(struct i2cemu_transfer *x)
{
    *(bool *)x->opaque = true;
}

/* A START event carries the address the device was matched for; a lookup
 * changes nothing; outside a START the service gives the device's own
 * address. */
static void start_events_carry_the_matched_address(void **state)
{
    (void)state;
    struct i2cemu_loop *l = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct i2cemu_board *b = i2cemu_board_new(l);
    struct i2cemu_error err = {{0}};
    int dev = i2cemu_device_add_custom(b, &test_quad, "addr=0x54", &err);
    assert_true(dev >= 0);
    unsigned bus = (unsigned)i2cemu_bus_find(b, 1);
    const uint16_t *seen = i2cemu_device_state(b, (unsigned)dev);
    for (uint16_t addr = 0x57; addr >= 0x54; addr--) {
        uint8_t byte = 0;
        struct i2c_msg m = { .addr = addr, .flags = I2C_M_RD, .len = 1,
                             .buf = &byte };
        bool finished = false;
        struct i2cemu_transfer x = { .msgs = &m, .nmsgs = 1, .done = done,
                                     .opaque = &finished };
        i2cemu_transfer_submit(b, bus, &x);
        while (!finished)
            i2cemu_loop_run_once(l, false);
        assert_int_equal(x.result, 1);
        assert_int_equal(byte, 0x5A);
        assert_int_equal(*seen, addr);
    }
    struct i2cemu_matches m = {0};
    i2cemu_bus_match(b, bus, 0x56, false, false, &m);
    i2cemu_bus_match(b, bus, 0x56, false, false, &m);
    assert_int_equal(m.n, 1); /* once, however often it is asked */
    assert_int_equal(m.dev[0], dev);
    assert_int_equal(*seen, 0x54); /* and the lookup latched nothing */
    struct i2cemu_dev d = { .board = b, .index = (unsigned)dev };
    assert_int_equal(i2cemu_dev_start_addr(&d), 0x54);
    i2cemu_board_free(b);
    i2cemu_loop_free(l);
}

/* The set holds each device once and never more than it has room for. */
static void match_sets_are_bounded_and_deduplicated(void **state)
{
    (void)state;
    struct i2cemu_matches m = {0};
    assert_true(i2cemu_matches_add(&m, 7));
    assert_true(i2cemu_matches_add(&m, 7));
    assert_int_equal(m.n, 1);
    for (unsigned dev = 100; m.n < I2CEMU_MAX_MATCHES; dev++)
        assert_true(i2cemu_matches_add(&m, dev));
    assert_false(i2cemu_matches_add(&m, 99));
    assert_true(i2cemu_matches_add(&m, 7)); /* already there */
    assert_int_equal(m.n, I2CEMU_MAX_MATCHES);
    assert_int_equal(m.dev[0], 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(start_events_carry_the_matched_address),
        cmocka_unit_test(match_sets_are_bounded_and_deduplicated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
