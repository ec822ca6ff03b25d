// SPDX-License-Identifier: MIT
/* The unit tests' rig (rig.h). */
#include <stdlib.h>

#include "trace/text.h"
#include "rig.h"

void bench_init(struct bench *t, enum i2cemu_clock_mode mode)
{
    memset(t, 0, sizeof(*t));
    t->loop = i2cemu_loop_new(mode);
    assert_non_null(t->loop);
    t->b = i2cemu_board_new(t->loop);
    assert_non_null(t->b);
}

void bench_fini(struct bench *t)
{
    if (t->trace) {
        trace_text_free(t->trace);
        fclose(t->trace_out);
        free(t->trace_buf);
    }
    i2cemu_board_free(t->b);
    i2cemu_loop_free(t->loop);
}

unsigned bench_init_dev(struct bench *t, enum i2cemu_clock_mode mode,
                        const char *spec)
{
    bench_init(t, mode);
    return bench_add(t, spec);
}

unsigned bench_add(struct bench *t, const char *spec)
{
    struct i2cemu_error err = {{0}};
    int dev = i2cemu_device_add(t->b, spec, &err);
    if (dev < 0)
        fail_msg("%s: %s", spec, err.msg);
    return (unsigned)dev;
}

unsigned bench_add_type(struct bench *t, const struct i2cemu_device_type *type,
                        const char *spec)
{
    struct i2cemu_error err = {{0}};
    int dev = i2cemu_device_add_custom(t->b, type, spec, &err);
    if (dev < 0)
        fail_msg("%s: %s", spec, err.msg);
    return (unsigned)dev;
}

void bench_refuse(struct bench *t, const char *spec, const char *what)
{
    struct i2cemu_error err = {{0}};
    assert_int_equal(i2cemu_device_add(t->b, spec, &err), -1);
    if (!strstr(err.msg, what))
        fail_msg("%s: error \"%s\" lacks \"%s\"", spec, err.msg, what);
}

void bench_set(struct bench *t, unsigned dev, const char *name,
               const char *value)
{
    struct i2cemu_error err = {{0}};
    if (i2cemu_device_set(t->b, dev, name, value, &err) < 0)
        fail_msg("%s=%s: %s", name, value, err.msg);
}

long long bench_get_num(struct bench *t, unsigned dev, const char *name)
{
    char buf[64], *end;
    struct i2cemu_error err = {{0}};
    int n = i2cemu_device_get(t->b, dev, name, buf, sizeof(buf), &err);
    if (n <= 0 || (size_t)n >= sizeof(buf))
        fail_msg("%s: %s", name, n < 0 ? err.msg : "no value");
    long long v = strtoll(buf, &end, 0);
    if (*end)
        fail_msg("%s: \"%s\" is not a number", name, buf);
    return v;
}

bool bench_line(struct bench *t, unsigned dev, const char *name)
{
    int line = i2cemu_device_line_find(t->b, dev, name);
    if (line < 0)
        fail_msg("no line \"%s\"", name);
    return i2cemu_device_line(t->b, dev, (unsigned)line);
}

unsigned bench_bus(struct bench *t, int number)
{
    int bus = i2cemu_bus_find(t->b, number);
    assert_true(bus >= 0);
    return (unsigned)bus;
}

void bench_done(struct i2cemu_transfer *x)
{
    *(bool *)x->opaque = true;
}

int bench_run(struct bench *t, unsigned bus, struct i2cemu_transfer *x)
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

int bench_transfer(struct bench *t, unsigned bus, struct i2c_msg *msgs,
                   unsigned n)
{
    struct i2cemu_transfer x = { .msgs = msgs, .nmsgs = n };
    return bench_run(t, bus, &x);
}

int bench_xfer(struct bench *t, uint16_t addr, const uint8_t *w,
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
    return bench_transfer(t, bench_bus(t, 1), msgs, n);
}

int bench_smbus(struct bench *t, int number, uint16_t addr, char read_write,
                uint8_t command, int size, union i2c_smbus_data *data)
{
    struct i2cemu_smbus_op op = {
        .addr = addr, .read_write = read_write, .command = command,
        .size = size, .data = data,
    };
    struct i2cemu_transfer x = { .smbus = &op };
    return bench_run(t, bench_bus(t, number), &x);
}

static void job_done(struct i2cemu_transfer *x)
{
    struct bench_job *j = x->opaque;
    j->done = true;
    j->order = ++j->bench->ended;
}

void bench_start(struct bench *t, unsigned bus, struct bench_job *j)
{
    j->done = false;
    j->bench = t;
    j->t.done = job_done;
    j->t.opaque = j;
    i2cemu_transfer_submit(t->b, bus, &j->t);
}

void bench_submit(struct bench *t, unsigned bus, struct bench_job *j,
                  struct i2c_msg *msgs, unsigned n)
{
    memset(j, 0, sizeof(*j));
    j->t.msgs = msgs;
    j->t.nmsgs = n;
    bench_start(t, bus, j);
}

void bench_trace_on(struct bench *t)
{
    assert_null(t->trace);
    t->trace_out = open_memstream(&t->trace_buf, &t->trace_len);
    assert_non_null(t->trace_out);
    t->trace = trace_text_new(t->b, t->trace_out);
    assert_non_null(t->trace);
    trace_text_set_bare(t->trace, true);
}

const char *bench_trace(struct bench *t)
{
    assert_non_null(t->trace);
    assert_int_equal(fflush(t->trace_out), 0);
    return t->trace_buf + t->trace_from;
}

void bench_trace_clear(struct bench *t)
{
    bench_trace(t);
    t->trace_from = t->trace_len;
}
