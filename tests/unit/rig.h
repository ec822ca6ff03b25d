/* SPDX-License-Identifier: MIT */
/*
 * The unit tests' rig: a bench is a board on its own loop. Devices are
 * added from spec strings, transfers run to their end or are left pending,
 * and the bus trace is the library's text notation (src/trace/text.h),
 * bare, one line per transaction:
 *
 *   S 50 W A 10 A Sr 50 R A ab N P
 *
 * A step that must work fails the test, with the error text, when it
 * does not.
 */
#ifndef I2CEMU_TESTS_RIG_H
#define I2CEMU_TESTS_RIG_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <i2cemu/i2cemu.h>

#define MS 1000000ull /* ns */

struct trace_text; /* src/trace/text.h */

struct bench {
    struct i2cemu_loop *loop;
    struct i2cemu_board *b;
    struct i2cemu_error err; /* for the test's own calls that may fail */
    unsigned ended;          /* jobs ended so far */
    /* The trace, after bench_trace_on(). */
    struct trace_text *trace;
    FILE *trace_out;
    char *trace_buf;
    size_t trace_len, trace_from;
};

void bench_init(struct bench *t, enum i2cemu_clock_mode mode);
void bench_fini(struct bench *t);
/* bench_init, then bench_add(spec): the device's index. */
unsigned bench_init_dev(struct bench *t, enum i2cemu_clock_mode mode,
                        const char *spec);

/* Add a device that must be accepted; returns its index. */
unsigned bench_add(struct bench *t, const char *spec);
/* The same for a type outside the registry (testdevs.h). */
unsigned bench_add_type(struct bench *t, const struct i2cemu_device_type *type,
                        const char *spec);
/* Add a device that must be refused with a message containing `what`. */
void bench_refuse(struct bench *t, const char *spec, const char *what);
void bench_set(struct bench *t, unsigned dev, const char *name,
               const char *value);
/* A numeric property (decimal or 0x hex) that must exist. */
long long bench_get_num(struct bench *t, unsigned dev, const char *name);
/* The level of an output line that must exist. */
bool bench_line(struct bench *t, unsigned dev, const char *name);

/* The index of bus `number`, which must exist. */
unsigned bench_bus(struct bench *t, int number);

/* A `done` callback that sets the bool its opaque points to. */
void bench_done(struct i2cemu_transfer *x);
/* Run x (messages or an SMBus operation) on bus index `bus` to its end;
 * returns its result. */
int bench_run(struct bench *t, unsigned bus, struct i2cemu_transfer *x);
/* The same for n messages: the message count, or -errno. */
int bench_transfer(struct bench *t, unsigned bus, struct i2c_msg *msgs,
                   unsigned n);

/* On bus 1: [W addr: w...] and, if rlen, [R addr: rlen] after a repeated
 * START; a message is left out when its length is 0, unless both are.
 * Returns the transfer's result: the message count, or -errno. */
int bench_xfer(struct bench *t, uint16_t addr, const uint8_t *w,
               uint16_t wlen, uint8_t *r, uint16_t rlen);

/* A native SMBus operation on bus `number`: 0 or -errno. */
int bench_smbus(struct bench *t, int number, uint16_t addr, char read_write,
                uint8_t command, int size, union i2c_smbus_data *data);

/* A transfer left to run while the test moves the clock. */
struct bench_job {
    struct i2cemu_transfer t;
    bool done;
    unsigned order; /* 1 for the bench's first job to end, 2 next... */
    struct bench *bench;
};
/* Submit j->t as the caller set it up (msgs or smbus); it may end inline. */
void bench_start(struct bench *t, unsigned bus, struct bench_job *j);
/* Submit n messages as job j. */
void bench_submit(struct bench *t, unsigned bus, struct bench_job *j,
                  struct i2c_msg *msgs, unsigned n);

/* Trace every bus the board has now. */
void bench_trace_on(struct bench *t);
/* The transactions ended since bench_trace_on() or bench_trace_clear(),
 * one line each. Valid until the next bus traffic. */
const char *bench_trace(struct bench *t);
void bench_trace_clear(struct bench *t);

#define BYTES(...) ((const uint8_t[]){ __VA_ARGS__ }), \
                   sizeof((const uint8_t[]){ __VA_ARGS__ })

/* The first bytes of `buf` are the ones given. */
#define assert_bytes(buf, ...)                                                \
    assert_memory_equal(buf, ((const uint8_t[]){ __VA_ARGS__ }),             \
                        sizeof((const uint8_t[]){ __VA_ARGS__ }))

/* Write the bytes given; assert the transfer succeeds. */
#define bench_write(t, addr, ...) \
    assert_int_equal(bench_xfer(t, addr, BYTES(__VA_ARGS__), NULL, 0), 1)

#endif
