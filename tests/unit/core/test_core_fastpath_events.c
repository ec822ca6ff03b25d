// SPDX-License-Identifier: MIT
/*
 * The master's straight-line path (src/core/fastpath.c) and the device
 * callbacks it makes: a callback that ends the transfer it is in (a bus
 * reset, an abort), and a type that lists events it ignores
 * (events_ignored, device.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "core/board_internal.h"
#include "ender.h"
#include "rig.h"

static void count_done(struct i2cemu_transfer *t)
{
    (*(int *)t->opaque)++;
}

/* A device that resets the bus or aborts the transfer from inside one of
 * its callbacks ends the transfer there, on the straight-line path:
 * the result is -EIO or -ECANCELED; the device sees no callback of that
 * transfer after it but the FINISH of the reset or the abort's STOP; the
 * bus is free for the next transfer. Through i2cemu_transfer_submit()
 * `done` runs once; through the synchronous entry,
 * i2cemu_transfer_run_short(), it runs (true) and `done` is not called. */
static void ends_transfer(bool run_short)
{
    /* Callbacks seen, FINISH included, for a write of 1 byte and a read
     * of 2: START_SEND, send, START_RECV, recv, recv, NACK, FINISH. */
    static const struct { uint8_t at; uint32_t calls; } site[] = {
        {AT_SEND, 3}, {AT_START_RECV, 4}, {AT_RECV, 5}, {AT_NACK, 7},
        {AT_FINISH, 8},
    };
    for (size_t i = 0; i < sizeof(site) / sizeof(site[0]); i++) {
        for (int abort = 0; abort < 2; abort++) {
            struct bench r;
            bench_init(&r, I2CEMU_CLOCK_FAST);
            r.b->fastpath = true;
            bench_add_type(&r, &test_ender, "addr=0x30");
            unsigned bus = i2cemu_device_bus(r.b, 0);
            struct ender_state *s = i2cemu_device_state(r.b, 0);
            s->at = site[i].at;
            s->abort = abort;
            s->count = 0x42;
            int dones = 0;
            uint8_t reg = 0x10, buf[2];
            struct i2c_msg m[2] = {
                {.addr = 0x30, .len = 1, .buf = &reg},
                {.addr = 0x30, .flags = I2C_M_RD, .len = 2, .buf = buf},
            };
            struct i2cemu_transfer t = {.msgs = m, .nmsgs = 2,
                                        .done = count_done, .opaque = &dones};
            for (int k = 0; k < 2; k++) {
                if (run_short) {
                    assert_true(i2cemu_transfer_run_short(r.b, bus, &t));
                } else {
                    i2cemu_transfer_submit(r.b, bus, &t);
                    while (i2cemu_loop_run_once(r.loop, false))
                        ;
                }
                assert_int_equal(dones, run_short ? 0 : k + 1);
                assert_null(r.b->rt[bus].owner);
                if (k == 0) {
                    assert_true(s->fired);
                    assert_int_equal(t.result, abort ? -ECANCELED : -EIO);
                    assert_int_equal(s->calls, site[i].calls);
                    assert_int_equal(s->after, 0);
                    /* The bus is free: the next transfer runs to its end. */
                    s->at = AT_NEVER;
                }
            }
            assert_int_equal(t.result, 2);
            assert_int_equal(buf[0], 0x42);
            assert_int_equal(r.b->fastpath_runs, 2);
            assert_false(i2cemu_loop_run_once(r.loop, false));
            bench_fini(&r);
        }
    }
}

static void test_callback_ends_transfer(void **state)
{
    (void)state;
    ends_transfer(false);
}

static void test_callback_ends_run_short(void **state)
{
    (void)state;
    ends_transfer(true);
}

static void ignore_trace(void *opaque, unsigned bus,
                         const struct i2cemu_trace_ev *ev)
{
    (void)opaque;
    (void)bus;
    (void)ev;
}

/* i2cemu_transfer_run_short() declines, leaving the transfer for the
 * submit, whenever the straight-line path may not run it now: the bus is
 * taken, traced, held, loses arbitration or has a fault rule, the path
 * is off, the clock is not FAST, or the generic machine decides the
 * address; and runs it again once nothing of that is left. */
static void test_run_short_declines(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    r.b->fastpath = true;
    bench_add_type(&r, &test_ender, "addr=0x30");
    uint8_t vbuf[1];
    struct i2c_msg vm = {.addr = 0x30, .flags = I2C_M_RD, .len = 1,
                         .buf = vbuf};
    struct i2cemu_transfer vt = {.msgs = &vm, .nmsgs = 1};
    assert_false(i2cemu_transfer_run_short(r.b, i2cemu_device_bus(r.b, 0),
                                           &vt));
    bench_fini(&r);

    bench_init(&r, I2CEMU_CLOCK_FAST);
    r.b->fastpath = true;
    bench_add_type(&r, &test_ender, "addr=0x30");
    unsigned bus = i2cemu_device_bus(r.b, 0);
    uint8_t buf[1];
    struct i2c_msg m = {.addr = 0x30, .flags = I2C_M_RD, .len = 1,
                        .buf = buf};
    struct i2cemu_transfer t = {.msgs = &m, .nmsgs = 1, .result = 7};
    struct i2cemu_transfer other = {0};

    r.b->rt[bus].owner = &other;
    assert_false(i2cemu_transfer_run_short(r.b, bus, &t));
    r.b->rt[bus].owner = NULL;
    i2cemu_bus_set_trace(r.b, bus, ignore_trace, NULL);
    assert_false(i2cemu_transfer_run_short(r.b, bus, &t));
    i2cemu_bus_set_trace(r.b, bus, NULL, NULL);
    i2cemu_bus_inject_hold(r.b, bus, 1000);
    assert_false(i2cemu_transfer_run_short(r.b, bus, &t));
    i2cemu_loop_advance(r.loop, 1000);
    r.b->rt[bus].faults = 1;
    assert_false(i2cemu_transfer_run_short(r.b, bus, &t));
    r.b->rt[bus].faults = 0;
    r.b->fastpath = false;
    assert_false(i2cemu_transfer_run_short(r.b, bus, &t));
    r.b->fastpath = true;
    i2cemu_bus_inject_arbitration_loss(r.b, bus, 1);
    assert_false(i2cemu_transfer_run_short(r.b, bus, &t));
    bus_rec(r.b, bus)->arb_loss = 0;
    m.addr = 0; /* the general call: the generic path decides */
    assert_false(i2cemu_transfer_run_short(r.b, bus, &t));
    assert_int_equal(t.result, 7);
    assert_int_equal(r.b->fastpath_runs, 0);
    assert_null(r.b->rt[bus].owner);
    m.addr = 0x30;
    assert_true(i2cemu_transfer_run_short(r.b, bus, &t));
    assert_int_equal(t.result, 1);
    assert_int_equal(r.b->fastpath_runs, 1);
    bench_fini(&r);
}

/* ---- test-quiet: logs every callback, ignores the master's NACK ----- */

struct quiet_entry {
    uint8_t what; /* enum i2cemu_event, or 'S' send, 'R' recv */
    uint8_t byte;
    uint64_t bus_ns;
};

struct quiet_state {
    uint32_t n;
    struct quiet_entry log[16];
};

static void quiet_log(struct i2cemu_dev *d, uint8_t what, uint8_t byte)
{
    struct quiet_state *s = d->state;
    if (s->n < 16)
        s->log[s->n++] = (struct quiet_entry){
            .what = what, .byte = byte, .bus_ns = i2cemu_dev_bus_time(d)};
}

static enum i2cemu_result quiet_event(struct i2cemu_dev *d,
                                      enum i2cemu_event ev)
{
    quiet_log(d, (uint8_t)ev, 0);
    return I2CEMU_ACK;
}

static enum i2cemu_result quiet_send(struct i2cemu_dev *d, uint8_t byte)
{
    quiet_log(d, 'S', byte);
    return I2CEMU_ACK;
}

static uint8_t quiet_recv(struct i2cemu_dev *d)
{
    quiet_log(d, 'R', 0x5A);
    return 0x5A;
}

static const struct i2cemu_device_type test_quiet = {
    .name = "test-quiet",
    .help = "logs every callback; lists NACK in events_ignored",
    .state_size = sizeof(struct quiet_state),
    .event = quiet_event,
    .events_ignored = I2CEMU_EV_BIT(I2CEMU_EV_NACK),
    .send = quiet_send,
    .recv = quiet_recv,
};

/* A type that lists NACK in events_ignored is not called for it on the
 * straight-line path; every other callback is as on the generic path, in
 * the same order, with the same byte and bus time. */
static void test_events_ignored(void **state)
{
    (void)state;
    struct bench on, off;
    struct quiet_state *s[2];
    int r[2];
    bench_init(&on, I2CEMU_CLOCK_FAST);
    bench_init(&off, I2CEMU_CLOCK_FAST);
    on.b->fastpath = true;
    off.b->fastpath = false;
    struct bench *side[2] = {&on, &off};
    for (int k = 0; k < 2; k++) {
        bench_add_type(side[k], &test_quiet, "addr=0x20");
        struct i2cemu_i2cdev_file f;
        assert_int_equal(i2cemu_i2cdev_open(&f, side[k]->b, 1, O_RDWR), 0);
        assert_int_equal(i2cemu_smbus_set_addr(&f, 0x20), 0);
        r[k] = i2cemu_smbus_read_byte_data(&f, 0x10);
        s[k] = i2cemu_device_state(side[k]->b, 0);
    }
    assert_int_equal(r[0], 0x5A);
    assert_int_equal(r[1], 0x5A);
    /* START_SEND, the command, START_RECV, the byte, [NACK], FINISH. */
    assert_int_equal(s[0]->n, 5);
    assert_int_equal(s[1]->n, 6);
    assert_int_equal(s[1]->log[4].what, I2CEMU_EV_NACK);
    for (unsigned i = 0, j = 0; i < s[0]->n; i++, j++) {
        if (s[1]->log[j].what == I2CEMU_EV_NACK)
            j++;
        assert_int_equal(s[0]->log[i].what, s[1]->log[j].what);
        assert_int_equal(s[0]->log[i].byte, s[1]->log[j].byte);
        assert_int_equal(s[0]->log[i].bus_ns, s[1]->log[j].bus_ns);
    }
    assert_int_equal(on.b->fastpath_runs, 1);
    assert_int_equal(off.b->fastpath_runs, 0);
    bench_fini(&on);
    bench_fini(&off);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_callback_ends_transfer),
        cmocka_unit_test(test_callback_ends_run_short),
        cmocka_unit_test(test_run_short_declines),
        cmocka_unit_test(test_events_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
