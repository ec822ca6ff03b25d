/* SPDX-License-Identifier: MIT */
/* A bench for device-model tests: a board on its own loop, and helpers
 * that run I2C messages or native SMBus operations through the master. */
#ifndef I2CEMU_TESTS_DEVTEST_H
#define I2CEMU_TESTS_DEVTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <i2cemu/board.h>
#include <i2cemu/loop.h>
#include <i2cemu/master.h>

#define MS 1000000ull /* ns */

struct bench {
    struct i2cemu_loop *loop;
    struct i2cemu_board *b;
};

static inline void bench_init(struct bench *t, enum i2cemu_clock_mode mode)
{
    t->loop = i2cemu_loop_new(mode);
    assert_non_null(t->loop);
    t->b = i2cemu_board_new(t->loop);
    assert_non_null(t->b);
}

static inline void bench_fini(struct bench *t)
{
    i2cemu_board_free(t->b);
    i2cemu_loop_free(t->loop);
}

/* Add a device that must be accepted; returns its index. */
static inline unsigned bench_add(struct bench *t, const char *spec)
{
    struct i2cemu_error err = {{0}};
    int dev = i2cemu_device_add(t->b, spec, &err);
    if (dev < 0)
        fail_msg("%s: %s", spec, err.msg);
    return (unsigned)dev;
}

/* Add a device that must be refused with a message containing `what`. */
static inline void bench_refuse(struct bench *t, const char *spec,
                                const char *what)
{
    struct i2cemu_error err = {{0}};
    assert_int_equal(i2cemu_device_add(t->b, spec, &err), -1);
    if (!strstr(err.msg, what))
        fail_msg("%s: error \"%s\" lacks \"%s\"", spec, err.msg, what);
}

static inline void bench_set(struct bench *t, unsigned dev, const char *name,
                             const char *value)
{
    struct i2cemu_error err = {{0}};
    if (i2cemu_device_set_prop(t->b, dev, name, value, &err) < 0)
        fail_msg("%s=%s: %s", name, value, err.msg);
}

static inline void bench_done(struct i2cemu_transfer *x)
{
    *(bool *)x->opaque = true;
}

static inline int bench_run(struct bench *t, unsigned bus,
                            struct i2cemu_transfer *x)
{
    bool done = false;
    x->done = bench_done;
    x->opaque = &done;
    i2cemu_transfer_submit(t->b, bus, x);
    for (int i = 0; !done && i < 1000; i++)
        i2cemu_loop_run_once(t->loop, false);
    assert_true(done);
    return x->result;
}

static inline unsigned bench_bus(struct bench *t, int number)
{
    int bus = i2cemu_bus_find(t->b, number);
    assert_true(bus >= 0);
    return (unsigned)bus;
}

/* On bus 1: [W addr: w...] and, if rlen, [R addr: rlen] after a repeated
 * START; a message is left out when its length is 0, unless both are.
 * Returns the transfer's result: the message count, or -errno. */
static inline int bench_xfer(struct bench *t, uint16_t addr, const uint8_t *w,
                             uint16_t wlen, uint8_t *r, uint16_t rlen)
{
    struct i2c_msg msgs[2];
    unsigned n = 0;
    if (wlen || !rlen)
        msgs[n++] = (struct i2c_msg){ .addr = addr, .len = wlen,
                                      .buf = (uint8_t *)w };
    if (rlen)
        msgs[n++] = (struct i2c_msg){ .addr = addr, .flags = I2C_M_RD,
                                      .len = rlen, .buf = r };
    struct i2cemu_transfer x = { .msgs = msgs, .nmsgs = n };
    return bench_run(t, bench_bus(t, 1), &x);
}

#define BYTES(...) ((const uint8_t[]){ __VA_ARGS__ }), \
                   sizeof((const uint8_t[]){ __VA_ARGS__ })

/* The first bytes of `buf` are the ones given. */
#define assert_bytes(buf, ...)                                                \
    assert_memory_equal(buf, ((const uint8_t[]){ __VA_ARGS__ }),             \
                        sizeof((const uint8_t[]){ __VA_ARGS__ }))

/* Write the bytes given; assert the transfer succeeds. */
#define bench_write(t, addr, ...) \
    assert_int_equal(bench_xfer(t, addr, BYTES(__VA_ARGS__), NULL, 0), 1)

/* A native SMBus operation on bus `number`: 0 or -errno. */
static inline int bench_smbus(struct bench *t, int number, uint16_t addr,
                              char read_write, uint8_t command, int size,
                              union i2c_smbus_data *data)
{
    struct i2cemu_smbus_op op = {
        .addr = addr, .read_write = read_write, .command = command,
        .size = size, .data = data,
    };
    struct i2cemu_transfer x = { .smbus = &op };
    return bench_run(t, bench_bus(t, number), &x);
}

#endif
