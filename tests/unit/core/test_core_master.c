/* SPDX-License-Identifier: MIT */
/* The bus and the master state machine: what a transfer puts on the wire
 * (addressing, ACK/NACK, repeated START, RECV_LEN, 10-bit, general call,
 * muxes, the stub profile, tracing). Stretching, arbitration, timeouts,
 * queueing, abort and reset, and the timing model:
 * test_core_master_timing.c. */
#include <errno.h>
#include <stdlib.h>

#include "master_tests.h"

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
    test_reg_load(s, 0x20, (uint8_t[]){3, 0xd1, 0xd2, 0xd3, 0xee}, 5);
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
        cmocka_unit_test(stub_profile_runs_native_smbus),
        cmocka_unit_test(rdwr_to_42_devices_finishes_each_once),
        cmocka_unit_test(faults_injected_on_a_mux_channel_reach_the_wire),
        cmocka_unit_test(trace_bytes_carry_the_wire_address),
        cmocka_unit_test(ten_bit_read_repeats_the_address_header),
        cmocka_unit_test(repeated_start_to_another_address_is_a_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
