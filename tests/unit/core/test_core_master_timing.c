/* SPDX-License-Identifier: MIT */
/* The bus and the master state machine over time: clock stretching,
 * arbitration, timeouts, queueing, abort and reset, completion, and the
 * timing model (bus time and wall-clock pacing). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>

#include "master_tests.h"

static void stretch_is_acked_when_the_device_is_ready(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    bench_add_type(&r, &test_stretch, "addr=0x40,delay-us=100");
    struct bench_job x;
    struct i2c_msg m[] = {W(0x40, 0x01)};
    bench_submit(&r, 0, &x, m, 1);
    assert_false(x.done);
    i2cemu_loop_advance(r.loop, 50000);
    assert_false(x.done);
    i2cemu_loop_advance(r.loop, 60000);
    assert_true(x.done);
    assert_int_equal(x.t.result, 1);
    /* 1 + 9 + 9 + 1 bits at 100 kHz, plus the 100 us stretch. */
    assert_int_equal(x.t.t_end_ns - x.t.t_start_ns, 200000 + 100000);
    bench_fini(&r);
}

static void stretch_past_the_timeout_gives_etimedout(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    bench_add_type(&r, &test_stretch, "addr=0x40,delay-us=0");
    int dev = bench_add_type(&r, &test_reg, "addr=0x50");
    i2cemu_bus_set_timeout_ms(r.b, 0, 10);
    struct bench_job x;
    struct i2c_msg m[] = {W(0x40, 0x01)};
    bench_submit(&r, 0, &x, m, 1);
    i2cemu_loop_advance(r.loop, 9999999);
    assert_false(x.done);
    i2cemu_loop_advance(r.loop, 1);
    assert_true(x.done);
    assert_int_equal(x.t.result, -ETIMEDOUT);
    /* The bus is free again. */
    struct i2c_msg m2[] = {W(0x50, 0x00, 0x11)};
    assert_int_equal(bench_transfer(&r, 0, m2, 1), 1);
    assert_int_equal(reg(&r, dev)->reg[0], 0x11);
    bench_fini(&r);
}

static void lost_arbitration_is_retried_then_eagain(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int dev = bench_add_type(&r, &test_reg, "addr=0x50");
    struct i2c_msg m[] = {W(0x50, 0x00, 0x5a)};

    /* retries 0 (the default): one attempt only. */
    i2cemu_bus_inject_arbitration_loss(r.b, 0, 1);
    assert_int_equal(bench_transfer(&r, 0, m, 1), -EAGAIN);

    /* retries 2: two losses, the third attempt wins after back-off. */
    i2cemu_bus_set_retries(r.b, 0, 2);
    i2cemu_bus_inject_arbitration_loss(r.b, 0, 2);
    uint64_t t0 = i2cemu_loop_now(r.loop);
    assert_int_equal(bench_transfer(&r, 0, m, 1), 1);
    assert_int_equal(reg(&r, dev)->reg[0], 0x5a);
    /* Back-off of 10 then 20 bit times at 100 kHz happened in bus time. */
    assert_true(i2cemu_loop_now(r.loop) - t0 >= 300000);

    /* Three losses with retries 2: EAGAIN, all three attempts used. */
    i2cemu_bus_inject_arbitration_loss(r.b, 0, 3);
    assert_int_equal(bench_transfer(&r, 0, m, 1), -EAGAIN);
    assert_int_equal(bench_transfer(&r, 0, m, 1), 1);
    bench_fini(&r);
}

static void bus_held_past_the_timeout_gives_ebusy(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    bench_add_type(&r, &test_reg, "addr=0x50");
    struct i2c_msg m[] = {W(0x50, 0x00)};
    i2cemu_bus_inject_hold(r.b, 0, 2000000000ull); /* 2 s > 1 s timeout */
    assert_int_equal(bench_transfer(&r, 0, m, 1), -EBUSY);
    i2cemu_bus_inject_hold(r.b, 0, 5000000); /* 5 ms: wait, then go */
    uint64_t t0 = i2cemu_loop_now(r.loop);
    assert_int_equal(bench_transfer(&r, 0, m, 1), 1);
    assert_true(i2cemu_loop_now(r.loop) - t0 >= 5000000);
    bench_fini(&r);
}

static void transfers_queue_in_order_and_stay_atomic(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    bench_add_type(&r, &test_stretch, "addr=0x40,delay-us=100");
    bench_add_type(&r, &test_reg, "addr=0x50");
    bench_trace_on(&r);
    struct bench_job a, b, c;
    struct i2c_msg ma[] = {W(0x40, 0x01, 0x02)};
    struct i2c_msg mb[] = {W(0x50, 0x00, 0xb0)};
    struct i2c_msg mc[] = {W(0x50, 0x01, 0xc0)};
    bench_submit(&r, 0, &a, ma, 1);
    bench_submit(&r, 0, &b, mb, 1);
    bench_submit(&r, 0, &c, mc, 1);
    assert_false(a.done || b.done || c.done);
    i2cemu_loop_advance(r.loop, 1000000);
    assert_true(a.done && b.done && c.done);
    assert_int_equal(a.order, 1);
    assert_int_equal(b.order, 2);
    assert_int_equal(c.order, 3);
    /* No interleaving: each transfer's bytes sit between its START and STOP. */
    assert_string_equal(bench_trace(&r), "S 40 W A 01 A 02 A P\n"
                                         "S 50 W A 00 A b0 A P\n"
                                         "S 50 W A 01 A c0 A P\n");
    bench_fini(&r);
}

static void abort_frees_the_bus_and_finishes_devices(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    bench_add_type(&r, &test_stretch, "addr=0x40,delay-us=0");
    int dev = bench_add_type(&r, &test_reg, "addr=0x50");
    struct bench_job a, b, c;
    struct i2c_msg ma[] = {W(0x40, 0x01)};
    struct i2c_msg mb[] = {W(0x50, 0x00, 0xb0)};
    struct i2c_msg mc[] = {W(0x50, 0x00, 0xc0)};
    bench_submit(&r, 0, &a, ma, 1);
    bench_submit(&r, 0, &b, mb, 1);
    bench_submit(&r, 0, &c, mc, 1);
    i2cemu_transfer_abort(&b.t); /* queued */
    assert_true(b.done);
    assert_int_equal(b.t.result, -ECANCELED);
    i2cemu_transfer_abort(&a.t); /* running: holding the bus */
    assert_true(a.done);
    assert_int_equal(a.t.result, -ECANCELED);
    while (!c.done && i2cemu_loop_run_once(r.loop, false))
        ;
    assert_int_equal(c.t.result, 1);
    assert_int_equal(reg(&r, dev)->reg[0], 0xc0);
    i2cemu_transfer_abort(&c.t); /* finished: no effect */
    assert_int_equal(c.t.result, 1);
    bench_fini(&r);
}

static void bus_reset_ends_the_transfer_and_finishes_every_device(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    bench_add_type(&r, &test_stretch, "addr=0x40,delay-us=0");
    int dev = bench_add_type(&r, &test_reg, "addr=0x50");
    struct bench_job a;
    struct i2c_msg ma[] = {W(0x40, 0x01)};
    bench_submit(&r, 0, &a, ma, 1);
    i2cemu_bus_reset(r.b, 0);
    assert_true(a.done);
    assert_int_equal(a.t.result, -EIO);
    assert_int_equal(reg(&r, dev)->finishes, 1);
    struct i2c_msg m[] = {W(0x50, 0x00, 0x01)};
    assert_int_equal(bench_transfer(&r, 0, m, 1), 1);
    bench_fini(&r);
}

static void bus_time_follows_the_speed(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    assert_int_equal(i2cemu_bus_add_spec(r.b, "1 speed=400k", &r.err), 0);
    bench_add_type(&r, &test_reg, "addr=0x50");
    struct bench_job x;
    struct i2c_msg m[] = {W(0x50, 0x10, 0xaa)};
    uint64_t t0 = i2cemu_loop_now(r.loop);
    bench_submit(&r, 0, &x, m, 1);
    assert_true(x.done); /* FAST: completes inline */
    /* START + address (10) + 2 bytes (18) + STOP (1) = 29 bits of 2.5 us. */
    assert_int_equal(x.t.t_end_ns - x.t.t_start_ns, 29 * 2500);
    assert_int_equal(i2cemu_loop_now(r.loop) - t0, 29 * 2500);
    bench_fini(&r);
}

static uint64_t wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void realtime_transfers_are_paced_to_the_wall_clock(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_REALTIME);
    assert_int_equal(i2cemu_bus_add_spec(r.b, "1 speed=10000", &r.err), 0);
    bench_add_type(&r, &test_reg, "addr=0x50");
    struct bench_job x;
    struct i2c_msg m[] = {W(0x50, 0x10)}; /* 20 bits at 10 kHz: 2 ms */
    uint64_t t0 = wall_ns();
    bench_submit(&r, 0, &x, m, 1);
    /* Usually still pending here; done at once only if this thread lost
     * the CPU for the 2 ms in between (a loaded host). */
    while (!x.done)
        i2cemu_loop_run_once(r.loop, true);
    assert_int_equal(x.t.result, 1);
    assert_true(wall_ns() - t0 >= 2000000);
    bench_fini(&r);
}

static void free_in_done(struct i2cemu_transfer *t)
{
    ++*(int *)t->opaque;
    free(t);
}

static void done_may_free_the_transfer(void **state)
{
    (void)state;
    struct bench r;
    int calls = 0;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    bench_add_type(&r, &test_reg, "addr=0x50");
    bench_add_type(&r, &test_stretch, "addr=0x40,delay-us=10");
    struct i2c_msg ok[] = {W(0x50, 0x00)}, absent[] = {W(0x60, 0x00)},
                   stretch[] = {W(0x40, 0x01)};
    struct i2c_msg *cases[] = {ok, absent, stretch};
    /* Inline completion, a NACK, a queued transfer started from the loop,
     * and a late ACK: ASan sees any touch after done. */
    for (unsigned i = 0; i < 3; i++) {
        for (unsigned j = 0; j < 2; j++) {
            struct i2cemu_transfer *t = calloc(1, sizeof(*t));
            t->msgs = cases[i];
            t->nmsgs = 1;
            t->done = free_in_done;
            t->opaque = &calls;
            i2cemu_transfer_submit(r.b, 0, t);
        }
        while (i2cemu_loop_run_once(r.loop, false))
            ;
    }
    assert_int_equal(calls, 6);
    bench_fini(&r);
}

/* The synchronous in-process API cannot wait for a VIRTUAL clock that only
 * its caller moves: it cancels instead of spinning, and the bus is free. */
static void sync_call_on_a_virtual_clock_cannot_wait(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    bench_add_type(&r, &test_stretch, "addr=0x40,delay-us=100");
    bench_add_type(&r, &test_reg, "addr=0x50");
    struct i2cemu_i2cdev_file f;
    assert_int_equal(i2cemu_i2cdev_open(&f, r.b, 1, O_RDWR), 0);
    struct i2c_msg m[] = {W(0x40, 0x01)};
    assert_int_equal(i2cemu_rdwr(&f, m, 1), -ECANCELED);
    struct i2c_msg m2[] = {W(0x50, 0x00, 0x11)};
    assert_int_equal(i2cemu_rdwr(&f, m2, 1), 1);
    bench_fini(&r);
}

struct reset_probe {
    struct bench_job x;
    struct bench *r;
    int dev;
    uint32_t finishes_in_done;
    struct bench_job next;
    struct i2c_msg next_msg[1];
    uint8_t next_buf[2];
};

static void reset_probe_done(struct i2cemu_transfer *t)
{
    struct reset_probe *p = t->opaque;
    p->x.done = true;
    p->finishes_in_done = reg(p->r, p->dev)->finishes;
    /* A client that submits again from its callback. */
    p->next_buf[0] = 0x00;
    p->next_buf[1] = 0x99;
    p->next_msg[0] = (struct i2c_msg){.addr = 0x50, .len = 2,
                                      .buf = p->next_buf};
    bench_submit(p->r, 0, &p->next, p->next_msg, 1);
}

/* The reset's FINISH reaches the devices before `done` runs, so a transfer
 * submitted from `done` is not hit by it halfway. */
static void bus_reset_finishes_devices_before_done(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    bench_add_type(&r, &test_stretch, "addr=0x40,delay-us=0");
    struct reset_probe p = {.r = &r};
    p.dev = bench_add_type(&r, &test_reg, "addr=0x50");
    struct i2c_msg ma[] = {W(0x40, 0x01)};
    p.x.t.msgs = ma;
    p.x.t.nmsgs = 1;
    p.x.t.done = reset_probe_done;
    p.x.t.opaque = &p;
    i2cemu_transfer_submit(r.b, 0, &p.x.t);
    assert_false(p.x.done);
    i2cemu_bus_reset(r.b, 0);
    assert_true(p.x.done);
    assert_int_equal(p.x.t.result, -EIO);
    assert_int_equal(p.finishes_in_done, 1);
    assert_true(p.next.done);
    assert_int_equal(p.next.t.result, 1);
    assert_int_equal(reg(&r, p.dev)->reg[0], 0x99);
    /* One FINISH from the reset, one from the new transfer's STOP. */
    assert_int_equal(reg(&r, p.dev)->finishes, 2);
    bench_fini(&r);
}

/* On a general call every listener takes the byte, a stretching one too,
 * and the byte ends when the slowest lets SCL go. */
static void general_call_waits_for_every_stretching_listener(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    int g = bench_add_type(&r, &test_gc, "addr=0x20");
    int s1 = bench_add_type(&r, &test_gc_stretch, "addr=0x21,delay-us=100");
    int s2 = bench_add_type(&r, &test_gc_stretch, "addr=0x22,delay-us=300");
    struct bench_job x;
    struct i2c_msg gc[] = {W(0x00, 0x06)};
    bench_submit(&r, 0, &x, gc, 1);
    assert_false(x.done);
    struct gc_state *gs = i2cemu_device_state(r.b, (unsigned)g);
    struct stretch_state *ss1 = i2cemu_device_state(r.b, (unsigned)s1);
    struct stretch_state *ss2 = i2cemu_device_state(r.b, (unsigned)s2);
    assert_int_equal(gs->n, 1);
    assert_int_equal(ss1->got, 0x06);
    assert_int_equal(ss2->got, 0x06);
    i2cemu_loop_advance(r.loop, 200000); /* s1 has let go, s2 has not */
    assert_false(x.done);
    i2cemu_loop_advance(r.loop, 200000);
    assert_true(x.done);
    assert_int_equal(x.t.result, 1);
    /* 20 bits at 100 kHz, plus the slowest listener's 300 us. */
    assert_int_equal(x.t.t_end_ns - x.t.t_start_ns, 200000 + 300000);
    bench_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stretch_is_acked_when_the_device_is_ready),
        cmocka_unit_test(stretch_past_the_timeout_gives_etimedout),
        cmocka_unit_test(lost_arbitration_is_retried_then_eagain),
        cmocka_unit_test(bus_held_past_the_timeout_gives_ebusy),
        cmocka_unit_test(transfers_queue_in_order_and_stay_atomic),
        cmocka_unit_test(abort_frees_the_bus_and_finishes_devices),
        cmocka_unit_test(bus_reset_ends_the_transfer_and_finishes_every_device),
        cmocka_unit_test(bus_time_follows_the_speed),
        cmocka_unit_test(realtime_transfers_are_paced_to_the_wall_clock),
        cmocka_unit_test(done_may_free_the_transfer),
        cmocka_unit_test(sync_call_on_a_virtual_clock_cannot_wait),
        cmocka_unit_test(bus_reset_finishes_devices_before_done),
        cmocka_unit_test(general_call_waits_for_every_stretching_listener),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
