/* SPDX-License-Identifier: MIT */
/* The bus and the master state machine: addressing, ACK/NACK, repeated
 * START, RECV_LEN, 10-bit, general call, muxes, stretching, arbitration,
 * queueing, abort and reset, and the timing model. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>

#include "rig.h"
#include "testdevs.h"

#define W(a, ...) {.addr = a, .flags = 0, .len = sizeof((uint8_t[]){__VA_ARGS__}), \
                   .buf = (uint8_t[]){__VA_ARGS__}}

static struct reg_state *reg(struct bench *r, int dev)
{
    return i2cemu_device_state(r->b, (unsigned)dev);
}

static void write_then_read_with_repeated_start(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int dev = bench_add_type(&r, &test_reg, "addr=0x50");
    bench_trace_on(&r);

    struct i2c_msg w[] = {W(0x50, 0x10, 0xaa, 0xbb)};
    assert_int_equal(bench_transfer(&r, 0, w, 1), 1);
    uint8_t rd[2] = {0};
    struct i2c_msg wr[] = {W(0x50, 0x10),
                           {.addr = 0x50, .flags = I2C_M_RD, .len = 2, .buf = rd}};
    assert_int_equal(bench_transfer(&r, 0, wr, 2), 2);
    assert_int_equal(rd[0], 0xaa);
    assert_int_equal(rd[1], 0xbb);
    /* One STOP per transfer; the read's last byte is NACKed by the master. */
    assert_string_equal(bench_trace(&r), "S 50 W A 10 A aa A bb A P\n"
                                         "S 50 W A 10 A Sr 50 R A aa A bb N P\n");
    assert_int_equal(reg(&r, dev)->finishes, 2);
    assert_int_equal(reg(&r, dev)->nacks, 1);
    assert_int_equal(reg(&r, dev)->starts, 3);
    bench_fini(&r);
}

static void absent_address_gives_the_bus_nack_errno(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    bench_add_type(&r, &test_reg, "addr=0x50");
    assert_int_equal(i2cemu_bus_add_spec(r.b, "2 nack=EREMOTEIO", &r.err), 1);
    bench_trace_on(&r);
    uint8_t rd[2] = {0xAA, 0xAA};
    struct i2c_msg m[] = {W(0x60, 0x00),
                          {.addr = 0x60, .flags = I2C_M_RD, .len = 2, .buf = rd}};
    assert_int_equal(bench_transfer(&r, 0, m, 2), -ENXIO);
    assert_string_equal(bench_trace(&r), "S 60 W N P\n");
    assert_int_equal(rd[0], 0xAA); /* nothing was read */
    assert_int_equal(bench_transfer(&r, 1, m, 1), -EREMOTEIO);
    bench_fini(&r);
}

static void nacked_data_byte_gives_eio(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int dev = bench_add_type(&r, &test_reg, "addr=0x50,nack-after=1");
    bench_trace_on(&r);
    struct i2c_msg m[] = {W(0x50, 0x00, 0x01, 0x02, 0x03)};
    assert_int_equal(bench_transfer(&r, 0, m, 1), -EIO);
    /* The transfer stops at the NACK: 0x03 never goes on the wire. */
    assert_string_equal(bench_trace(&r), "S 50 W A 00 A 01 A 02 N P\n");
    assert_int_equal(reg(&r, dev)->reg[0], 0x01);
    assert_int_equal(reg(&r, dev)->finishes, 1);
    bench_fini(&r);
}

static void recv_len_reads_the_count_then_the_data(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int dev = bench_add_type(&r, &test_reg, "addr=0x53");
    struct reg_state *s = reg(&r, dev);
    memcpy(&s->reg[0x20], (uint8_t[]){3, 0xd1, 0xd2, 0xd3, 0xee}, 5);
    s->reg[0x30] = 0;
    s->reg[0x40] = 33;

    uint8_t buf[40] = {0};
    struct i2c_msg m[] = {W(0x53, 0x20),
                          {.addr = 0x53, .flags = I2C_M_RD | I2C_M_RECV_LEN,
                           .len = 1, .buf = buf}};
    assert_int_equal(bench_transfer(&r, 0, m, 2), 2);
    assert_int_equal(m[1].len, 4);
    assert_memory_equal(buf, ((uint8_t[]){3, 0xd1, 0xd2, 0xd3, 0}), 5);

    for (uint8_t reg_addr = 0x30; reg_addr <= 0x40; reg_addr += 0x10) {
        struct i2c_msg bad[] = {W(0x53, reg_addr),
                                {.addr = 0x53, .flags = I2C_M_RD | I2C_M_RECV_LEN,
                                 .len = 1, .buf = buf}};
        assert_int_equal(bench_transfer(&r, 0, bad, 2), -EPROTO);
    }
    bench_fini(&r);
}

static void ten_bit_addresses_are_their_own_space(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int dev = bench_add_type(&r, &test_reg, "addr=0x150,tenbit=on");
    struct i2c_msg ten[] = {{.addr = 0x150, .flags = I2C_M_TEN, .len = 2,
                             .buf = (uint8_t[]){0x01, 0x77}}};
    assert_int_equal(bench_transfer(&r, 0, ten, 1), 1);
    assert_int_equal(reg(&r, dev)->reg[1], 0x77);
    struct i2c_msg seven[] = {W(0x50, 0x01)};
    assert_int_equal(bench_transfer(&r, 0, seven, 1), -ENXIO);
    bench_fini(&r);
}

static void general_call_reaches_every_listener(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int reg_dev = bench_add_type(&r, &test_reg, "addr=0x50");
    struct i2c_msg gc[] = {W(0x00, 0x06)};
    /* Nobody listens yet: the general call is NACKed. */
    assert_int_equal(bench_transfer(&r, 0, gc, 1), -ENXIO);
    int g1 = bench_add_type(&r, &test_gc, "addr=0x20");
    int g2 = bench_add_type(&r, &test_gc, "addr=0x21");
    assert_int_equal(bench_transfer(&r, 0, gc, 1), 1);
    struct gc_state *s1 = i2cemu_device_state(r.b, (unsigned)g1);
    struct gc_state *s2 = i2cemu_device_state(r.b, (unsigned)g2);
    assert_int_equal(s1->n, 1);
    assert_int_equal(s1->got[0], 0x06);
    assert_int_equal(s2->n, 1);
    assert_int_equal(reg(&r, reg_dev)->starts, 0);
    bench_fini(&r);
}

static void mux_channels_answer_through_the_match_hook(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int mux = bench_add_type(&r, &test_mux, "addr=0x70");
    assert_int_equal(i2cemu_bus_count(r.b), 3);
    struct mux_state *ms = i2cemu_device_state(r.b, (unsigned)mux);
    char spec[64];
    snprintf(spec, sizeof(spec), "addr=0x50,bus=%d",
             i2cemu_bus_number(r.b, ms->child[1]));
    int dev = bench_add_type(&r, &test_reg, spec);

    struct i2c_msg m[] = {W(0x50, 0x05, 0x42)};
    assert_int_equal(bench_transfer(&r, 0, m, 1), -ENXIO); /* channel closed */
    struct i2c_msg sel[] = {W(0x70, 0x02)};
    assert_int_equal(bench_transfer(&r, 0, sel, 1), 1);
    assert_int_equal(bench_transfer(&r, 0, m, 1), 1);
    assert_int_equal(reg(&r, dev)->reg[5], 0x42);
    /* A transfer on the channel's own bus reaches it directly. */
    struct i2c_msg m2[] = {W(0x50, 0x06, 0x43)};
    assert_int_equal(bench_transfer(&r, ms->child[1], m2, 1), 1);
    assert_int_equal(reg(&r, dev)->reg[6], 0x43);
    bench_fini(&r);
}

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
    assert_false(x.done);
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

static void stub_profile_runs_native_smbus(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    assert_int_equal(i2cemu_bus_add_spec(r.b, "3 profile=stub", &r.err), 0);
    bench_add_type(&r, &test_smbus, "addr=0x52,bus=3");
    union i2c_smbus_data data = {0};
    struct i2cemu_smbus_op op = {.addr = 0x52, .read_write = I2C_SMBUS_READ,
                                 .command = 0x0F, .size = I2C_SMBUS_BYTE_DATA,
                                 .data = &data};
    struct bench_job x = {.t.smbus = &op};
    bench_start(&r, 0, &x);
    assert_true(x.done);
    assert_int_equal(x.t.result, 0);
    assert_int_equal(data.byte, 0xF0);
    op.size = I2C_SMBUS_WORD_DATA;
    bench_start(&r, 0, &x);
    assert_int_equal(x.t.result, -EOPNOTSUPP);
    op.addr = 0x40; /* absent: i2c-stub's ENODEV */
    bench_start(&r, 0, &x);
    assert_int_equal(x.t.result, -ENODEV);
    bench_fini(&r);
}

/* ---- review findings ---------------------------------------------------- */

/* An I2C_RDWR may address 42 devices, more than a match list holds: each
 * still sees exactly one FINISH, and nothing is written past the list. */
static void rdwr_to_42_devices_finishes_each_once(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int dev[42];
    uint8_t bytes[42][2];
    struct i2c_msg m[42];
    for (unsigned i = 0; i < 42; i++) {
        char spec[32];
        snprintf(spec, sizeof(spec), "addr=0x%02x", 0x08 + i);
        dev[i] = bench_add_type(&r, &test_reg, spec);
        bytes[i][0] = 0x00;
        bytes[i][1] = (uint8_t)(0x80 + i);
        m[i] = (struct i2c_msg){.addr = (uint16_t)(0x08 + i), .len = 2,
                                .buf = bytes[i]};
    }
    assert_int_equal(bench_transfer(&r, 0, m, 42), 42);
    for (unsigned i = 0; i < 42; i++) {
        assert_int_equal(reg(&r, dev[i])->reg[0], 0x80 + i);
        assert_int_equal(reg(&r, dev[i])->finishes, 1);
    }
    /* The next transfer is back to the per-device list. */
    struct i2c_msg one[] = {W(0x08, 0x01, 0x55)};
    assert_int_equal(bench_transfer(&r, 0, one, 1), 1);
    assert_int_equal(reg(&r, dev[0])->finishes, 2);
    assert_int_equal(reg(&r, dev[1])->finishes, 1);
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

/* Arbitration and a held bus are properties of the wire, which a mux
 * channel shares with its root: injecting them on the channel works. */
static void faults_injected_on_a_mux_channel_reach_the_wire(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int mux = bench_add_type(&r, &test_mux, "addr=0x70");
    struct mux_state *ms = i2cemu_device_state(r.b, (unsigned)mux);
    unsigned child = ms->child[0];
    char spec[64];
    snprintf(spec, sizeof(spec), "addr=0x50,bus=%d",
             i2cemu_bus_number(r.b, child));
    bench_add_type(&r, &test_reg, spec);
    struct i2c_msg sel[] = {W(0x70, 0x01)};
    assert_int_equal(bench_transfer(&r, 0, sel, 1), 1);
    struct i2c_msg m[] = {W(0x50, 0x00, 0x11)};
    assert_int_equal(bench_transfer(&r, child, m, 1), 1);

    i2cemu_bus_inject_arbitration_loss(r.b, child, 1);
    assert_int_equal(bench_transfer(&r, child, m, 1), -EAGAIN);
    assert_int_equal(bench_transfer(&r, child, m, 1), 1);

    /* 5 s: past the 1 s timeout of both transfers below. */
    i2cemu_bus_inject_hold(r.b, child, 5000000000ull);
    assert_int_equal(bench_transfer(&r, child, m, 1), -EBUSY);
    assert_int_equal(bench_transfer(&r, 0, sel, 1), -EBUSY); /* the same wire */
    bench_fini(&r);
}

struct trace_log {
    unsigned n;
    struct i2cemu_trace_ev ev[16];
};

static void trace_log_fn(void *opaque, unsigned bus,
                         const struct i2cemu_trace_ev *ev)
{
    struct trace_log *l = opaque;
    (void)bus;
    if (l->n < 16)
        l->ev[l->n++] = *ev;
}

/* Data bytes are traced under the address and width their START put on
 * the wire, not the raw i2c_msg.addr (which may carry stray bits). */
static void trace_bytes_carry_the_wire_address(void **state)
{
    (void)state;
    struct bench r;
    struct trace_log log = {0};
    bench_init(&r, I2CEMU_CLOCK_FAST);
    bench_add_type(&r, &test_reg, "addr=0x150,tenbit=on");
    bench_add_type(&r, &test_reg, "addr=0x50");
    i2cemu_bus_set_trace(r.b, 0, trace_log_fn, &log);
    uint8_t rd[1];
    struct i2c_msg ten[] = {{.addr = 0x150, .flags = I2C_M_TEN, .len = 1,
                             .buf = (uint8_t[]){0x01}},
                            {.addr = 0x150, .flags = I2C_M_TEN | I2C_M_RD,
                             .len = 1, .buf = rd}};
    assert_int_equal(bench_transfer(&r, 0, ten, 2), 2);
    /* START, byte, START, byte, STOP */
    assert_int_equal(log.n, 5);
    for (unsigned i = 0; i < 4; i++) {
        assert_int_equal(log.ev[i].addr, 0x150);
        assert_true(log.ev[i].tenbit);
    }
    log.n = 0;
    /* 7-bit: only the low 7 bits go on the wire. */
    struct i2c_msg seven[] = {{.addr = 0x1D0, .len = 1,
                               .buf = (uint8_t[]){0x02}}};
    assert_int_equal(bench_transfer(&r, 0, seven, 1), 1);
    assert_int_equal(log.n, 3);
    assert_int_equal(log.ev[0].kind, I2CEMU_TRACE_START);
    assert_int_equal(log.ev[0].addr, 0x50);
    assert_int_equal(log.ev[1].kind, I2CEMU_TRACE_BYTE);
    assert_int_equal(log.ev[1].addr, 0x50);
    assert_false(log.ev[1].tenbit);
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

/* 10-bit: S 11110xx0 A low-byte A (19 bits) to write; a read adds
 * Sr 11110xx1 A (10 more), as i2c-algo-bit sends it. */
static void ten_bit_read_repeats_the_address_header(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    bench_add_type(&r, &test_reg, "addr=0x150,tenbit=on");
    struct bench_job x;
    struct i2c_msg w[] = {{.addr = 0x150, .flags = I2C_M_TEN, .len = 1,
                           .buf = (uint8_t[]){0x00}}};
    bench_submit(&r, 0, &x, w, 1);
    assert_int_equal(x.t.result, 1);
    assert_int_equal(x.t.t_end_ns - x.t.t_start_ns, (19 + 9 + 1) * 10000);
    uint8_t rd[1];
    struct i2c_msg rm[] = {{.addr = 0x150, .flags = I2C_M_TEN | I2C_M_RD,
                            .len = 1, .buf = rd}};
    bench_submit(&r, 0, &x, rm, 1);
    assert_int_equal(x.t.result, 1);
    assert_int_equal(x.t.t_end_ns - x.t.t_start_ns, (29 + 9 + 1) * 10000);
    bench_fini(&r);
}

/* A repeated START reaches a device addressed earlier in the transfer as
 * RESTART when the new message is for another address, and as START_*
 * when it is for the device again. */
static void repeated_start_to_another_address_is_a_restart(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int a = bench_add_type(&r, &test_reg, "addr=0x50");
    int b = bench_add_type(&r, &test_reg, "addr=0x51");
    uint8_t rd[1];
    struct i2c_msg m[] = {W(0x50, 0x00), W(0x51, 0x00),
                          {.addr = 0x50, .flags = I2C_M_RD, .len = 1, .buf = rd}};
    assert_int_equal(bench_transfer(&r, 0, m, 3), 3);
    assert_int_equal(reg(&r, a)->restarts, 1);
    assert_int_equal(reg(&r, b)->restarts, 1);
    assert_int_equal(reg(&r, a)->starts, 2);
    struct i2c_msg same[] = {W(0x50, 0x00),
                             {.addr = 0x50, .flags = I2C_M_RD, .len = 1, .buf = rd}};
    assert_int_equal(bench_transfer(&r, 0, same, 2), 2);
    assert_int_equal(reg(&r, a)->restarts, 1);
    bench_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(write_then_read_with_repeated_start),
        cmocka_unit_test(absent_address_gives_the_bus_nack_errno),
        cmocka_unit_test(nacked_data_byte_gives_eio),
        cmocka_unit_test(recv_len_reads_the_count_then_the_data),
        cmocka_unit_test(ten_bit_addresses_are_their_own_space),
        cmocka_unit_test(general_call_reaches_every_listener),
        cmocka_unit_test(mux_channels_answer_through_the_match_hook),
        cmocka_unit_test(stretch_is_acked_when_the_device_is_ready),
        cmocka_unit_test(stretch_past_the_timeout_gives_etimedout),
        cmocka_unit_test(lost_arbitration_is_retried_then_eagain),
        cmocka_unit_test(bus_held_past_the_timeout_gives_ebusy),
        cmocka_unit_test(transfers_queue_in_order_and_stay_atomic),
        cmocka_unit_test(abort_frees_the_bus_and_finishes_devices),
        cmocka_unit_test(bus_reset_ends_the_transfer_and_finishes_every_device),
        cmocka_unit_test(bus_time_follows_the_speed),
        cmocka_unit_test(realtime_transfers_are_paced_to_the_wall_clock),
        cmocka_unit_test(stub_profile_runs_native_smbus),
        cmocka_unit_test(done_may_free_the_transfer),
        cmocka_unit_test(sync_call_on_a_virtual_clock_cannot_wait),
        cmocka_unit_test(rdwr_to_42_devices_finishes_each_once),
        cmocka_unit_test(bus_reset_finishes_devices_before_done),
        cmocka_unit_test(faults_injected_on_a_mux_channel_reach_the_wire),
        cmocka_unit_test(trace_bytes_carry_the_wire_address),
        cmocka_unit_test(general_call_waits_for_every_stretching_listener),
        cmocka_unit_test(ten_bit_read_repeats_the_address_header),
        cmocka_unit_test(repeated_start_to_another_address_is_a_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
