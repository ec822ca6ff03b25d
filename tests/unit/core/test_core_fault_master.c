/* SPDX-License-Identifier: MIT */
/* Fault rules acting on transfers (src/core/fault_board.c and
 * fault_master.c): each kind's outcome on the master, with its errno, and
 * the matching, counting and removal of rules on a board. */
#include <errno.h>

#include "master_tests.h"

#define R(a, n, b) {.addr = a, .flags = I2C_M_RD, .len = n, .buf = b}

static unsigned add(struct bench *r, const char *spec)
{
    int id = i2cemu_fault_add(r->b, spec, &r->err);
    if (id < 0)
        fail_msg("%s: %s", spec, r->err.msg);
    return (unsigned)id;
}

static const struct i2cemu_fault *rule(struct bench *r, unsigned i)
{
    const struct i2cemu_fault *f = i2cemu_fault_at(r->b, i);
    assert_non_null(f);
    return f;
}

/* A register read: [W 0x50: reg] Sr [R 0x50: n bytes into buf]. */
static int read_reg(struct bench *r, uint8_t reg_addr, uint8_t *buf,
                    uint16_t n)
{
    return bench_xfer(r, 0x50, &reg_addr, 1, buf, n);
}

static void addr_nack_gives_enxio_and_the_device_sees_nothing(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int dev = bench_add_type(&r, &test_reg, "addr=0x50");
    assert_false(i2cemu_bus_faults_armed(r.b, 0));
    add(&r, "addr-nack,addr=0x50,once");
    assert_true(i2cemu_bus_faults_armed(r.b, 0));
    bench_trace_on(&r);
    struct i2c_msg m[] = {W(0x50, 0x00, 0x11)};
    assert_int_equal(bench_transfer(&r, 0, m, 1), -ENXIO);
    assert_string_equal(bench_trace(&r), "fault addr-nack (rule 1) 50 W\n"
                                        "S 50 W N P\n");
    assert_int_equal(reg(&r, dev)->starts, 0);
    /* once: the next one goes through. */
    assert_int_equal(bench_transfer(&r, 0, m, 1), 1);
    assert_int_equal(reg(&r, dev)->reg[0], 0x11);
    assert_int_equal(rule(&r, 0)->matched, 2);
    assert_int_equal(rule(&r, 0)->hits, 1);
    bench_fini(&r);
}

static void data_nack_at_byte_n_gives_eio(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int dev = bench_add_type(&r, &test_reg, "addr=0x50");
    add(&r, "data-nack,addr=0x50,byte=2");
    bench_trace_on(&r);
    struct i2c_msg m[] = {W(0x50, 0x04, 0xa1, 0xa2, 0xa3)};
    assert_int_equal(bench_transfer(&r, 0, m, 1), -EIO);
    assert_string_equal(bench_trace(&r), "fault data-nack (rule 1) 50 W\n"
                                        "S 50 W A 04 A a1 A a2 N P\n");
    /* The bytes before it were taken, the NACKed one was not. */
    assert_int_equal(reg(&r, dev)->reg[4], 0xa1);
    assert_int_equal(reg(&r, dev)->reg[5], 0x00);
    /* A write too short to have byte 2 is not a match. */
    struct i2c_msg m2[] = {W(0x50, 0x07, 0xb1)};
    assert_int_equal(bench_transfer(&r, 0, m2, 1), 1);
    assert_int_equal(rule(&r, 0)->matched, 1);
    bench_fini(&r);
}

static void arbitration_loss_is_retried_then_eagain(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int dev = bench_add_type(&r, &test_reg, "addr=0x50");
    add(&r, "arb-loss,addr=0x50,byte=1");
    struct i2c_msg m[] = {W(0x50, 0x00, 0x5a)};
    /* Every attempt of the transfer loses: with 2 retries, 3 attempts. */
    i2cemu_bus_set_retries(r.b, 0, 2);
    uint64_t t0 = i2cemu_loop_now(r.loop);
    assert_int_equal(bench_transfer(&r, 0, m, 1), -EAGAIN);
    /* Back-off of 10 then 20 bit times at 100 kHz, in bus time. */
    assert_true(i2cemu_loop_now(r.loop) - t0 >= 300000);
    /* Each lost attempt ended for the device (the other master's STOP),
     * and each counted as a transfer the rule matched. */
    assert_int_equal(reg(&r, dev)->finishes, 3);
    assert_int_equal(rule(&r, 0)->matched, 3);
    assert_int_equal(rule(&r, 0)->hits, 3);
    /* A rule that fires once: the retry wins. */
    i2cemu_fault_clear(r.b);
    add(&r, "arb-loss,addr=0x50,once");
    assert_int_equal(bench_transfer(&r, 0, m, 1), 1);
    assert_int_equal(reg(&r, dev)->reg[0], 0x5a);
    assert_int_equal(rule(&r, 0)->matched, 2);
    bench_fini(&r);
}

static void a_rule_deleted_in_flight_acts_no_more(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    /* It stretches SCL 100 us on each byte: the transfer waits there. */
    int dev = bench_add_type(&r, &test_stretch, "addr=0x40,delay-us=100");
    i2cemu_bus_set_retries(r.b, 0, 3);
    unsigned id = add(&r, "arb-loss,addr=0x40,byte=1");
    struct i2c_msg m[] = {W(0x40, 0x01, 0x02)};
    struct bench_job x;
    bench_submit(&r, 0, &x, m, 1);
    i2cemu_loop_advance(r.loop, 150000); /* byte 0 taken, byte 1 lost */
    assert_false(x.done);
    assert_int_equal(rule(&r, 0)->hits, 1);
    assert_int_equal(i2cemu_fault_del(r.b, id), 0);
    i2cemu_loop_advance(r.loop, 10 * MS);
    assert_true(x.done);
    assert_int_equal(x.t.result, 1);
    struct stretch_state *s = i2cemu_device_state(r.b, (unsigned)dev);
    assert_int_equal(s->got, 0x02); /* the retry wrote byte 1 too */
    bench_fini(&r);
}

static void stretch_is_slower_then_etimedout(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    bench_add_type(&r, &test_reg, "addr=0x50");
    i2cemu_bus_set_timeout_ms(r.b, 0, 10);
    unsigned id = add(&r, "stretch,addr=0x50,time=5ms");
    struct i2c_msg m[] = {W(0x50, 0x00)};
    struct bench_job x;
    bench_submit(&r, 0, &x, m, 1);
    i2cemu_loop_advance(r.loop, 20 * MS);
    assert_true(x.done);
    assert_int_equal(x.t.result, 1);
    /* 1 + 9 + 9 + 1 bits at 100 kHz, plus the 5 ms stretch. */
    assert_int_equal(x.t.t_end_ns - x.t.t_start_ns, 200000 + 5 * MS);
    assert_int_equal(i2cemu_fault_del(r.b, id), 0);
    add(&r, "stretch,addr=0x50,byte=0,time=10ms");
    bench_submit(&r, 0, &x, m, 1);
    i2cemu_loop_advance(r.loop, 20 * MS);
    assert_true(x.done);
    assert_int_equal(x.t.result, -ETIMEDOUT);
    bench_fini(&r);
}

static void stuck_sda_gives_ebusy_until_reset_or_recovery(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    bench_add_type(&r, &test_reg, "addr=0x50");
    bench_add_type(&r, &test_reg, "addr=0x51");
    add(&r, "sda-stuck,addr=0x50,once");
    struct i2c_msg m[] = {W(0x50, 0x00)}, m51[] = {W(0x51, 0x00)};
    assert_int_equal(bench_transfer(&r, 0, m, 1), -EBUSY);
    /* The whole bus is stuck, not only the device that fired. */
    assert_int_equal(bench_transfer(&r, 0, m51, 1), -EBUSY);
    i2cemu_bus_reset(r.b, 0);
    assert_int_equal(bench_transfer(&r, 0, m51, 1), 1);
    /* A device that lets go within the nine recovery clocks: the
     * adapter's recovery frees the bus and the transfer goes through. */
    i2cemu_fault_clear(r.b);
    add(&r, "sda-stuck,addr=0x50,clocks=9,once");
    assert_int_equal(bench_transfer(&r, 0, m, 1), 1);
    assert_int_equal(bench_transfer(&r, 0, m51, 1), 1);
    i2cemu_fault_clear(r.b);
    assert_false(i2cemu_bus_faults_armed(r.b, 0));
    bench_fini(&r);
}

static void bad_pec_and_bitflip_change_what_is_read(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int dev = bench_add_type(&r, &test_reg, "addr=0x50");
    test_reg_load(reg(&r, dev), 0x10, (uint8_t[]){0x11, 0x22, 0x33}, 3);
    uint8_t buf[3];
    unsigned id = add(&r, "bad-pec,addr=0x50");
    assert_int_equal(read_reg(&r, 0x10, buf, 3), 2);
    assert_bytes(buf, 0x11, 0x22, 0x33 ^ 0xFF);
    i2cemu_fault_del(r.b, id);
    id = add(&r, "bitflip,addr=0x50,byte=1,bit=4");
    assert_int_equal(read_reg(&r, 0x10, buf, 3), 2);
    assert_bytes(buf, 0x11, 0x22 ^ 0x10, 0x33);
    /* A write-only transfer has no read byte to flip: not a match. */
    bench_write(&r, 0x50, 0x20, 0x01);
    assert_int_equal(rule(&r, 0)->matched, 1);
    bench_fini(&r);
}

static void block_count_out_of_range_gives_eproto(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int dev = bench_add_type(&r, &test_reg, "addr=0x50");
    test_reg_load(reg(&r, dev), 0x20, (uint8_t[]){2, 0xd1, 0xd2}, 3);
    add(&r, "block-count,addr=0x50,count=40,once");
    bench_trace_on(&r);
    uint8_t buf[40];
    struct i2c_msg m[] = {W(0x50, 0x20),
                          {.addr = 0x50, .flags = I2C_M_RD | I2C_M_RECV_LEN,
                           .len = 1, .buf = buf}};
    assert_int_equal(bench_transfer(&r, 0, m, 2), -EPROTO);
    assert_string_equal(bench_trace(&r), "fault block-count (rule 1) 50 R\n"
                                        "S 50 W A 20 A Sr 50 R A 28 N P\n");
    m[1].len = 1;
    assert_int_equal(bench_transfer(&r, 0, m, 2), 2);
    assert_int_equal(m[1].len, 3);
    bench_fini(&r);
}

static void a_gone_device_nacks_for_its_time(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    bench_add_type(&r, &test_reg, "addr=0x50,id=ee");
    add(&r, "gone,dev=ee,time=10ms,once");
    struct i2c_msg m[] = {W(0x50, 0x00)};
    assert_int_equal(bench_transfer(&r, 0, m, 1), -ENXIO);
    i2cemu_loop_advance(r.loop, 5 * MS);
    assert_int_equal(bench_transfer(&r, 0, m, 1), -ENXIO);
    i2cemu_loop_advance(r.loop, 5 * MS);
    assert_int_equal(bench_transfer(&r, 0, m, 1), 1);
    assert_int_equal(rule(&r, 0)->hits, 2);
    bench_fini(&r);
}

static void slow_adds_latency_to_each_transfer(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    bench_add_type(&r, &test_reg, "addr=0x50");
    add(&r, "slow,addr=0x50,time=3ms");
    struct i2c_msg m[] = {W(0x50, 0x00)};
    for (int i = 0; i < 2; i++) {
        struct bench_job x;
        bench_submit(&r, 0, &x, m, 1);
        i2cemu_loop_advance(r.loop, 10 * MS);
        assert_true(x.done);
        assert_int_equal(x.t.result, 1);
        assert_int_equal(x.t.t_end_ns - x.t.t_start_ns, 200000 + 3 * MS);
    }
    bench_fini(&r);
}

static void rules_match_by_register_direction_and_device(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    bench_add_type(&r, &test_reg, "addr=0x50");
    bench_add_type(&r, &test_reg, "addr=0x51");
    add(&r, "addr-nack,dev=test-reg@1-0051,reg=0x10,dir=read");
    uint8_t buf[1];
    /* 0x50, a write, another register: none of them match. */
    assert_int_equal(read_reg(&r, 0x10, buf, 1), 2);
    assert_int_equal(bench_xfer(&r, 0x51, BYTES(0x10, 0x01), NULL, 0), 1);
    assert_int_equal(bench_xfer(&r, 0x51, BYTES(0x11), buf, 1), 2);
    /* Register 0x10 of 0x51, read: the read message's address NACKed. */
    assert_int_equal(bench_xfer(&r, 0x51, BYTES(0x10), buf, 1), -ENXIO);
    assert_int_equal(rule(&r, 0)->matched, 1);
    /* A device that does not exist is refused, with nothing added. */
    assert_int_equal(i2cemu_fault_add(r.b, "addr-nack,dev=1-0052", &r.err), -1);
    assert_non_null(strstr(r.err.msg, "dev=1-0052: no such device"));
    assert_int_equal(i2cemu_fault_add(r.b, "addr-nack,dev=lm75@1-0051", &r.err),
                     -1);
    assert_int_equal(i2cemu_fault_add(r.b, "addr-nack,bus=7", &r.err), -1);
    assert_non_null(strstr(r.err.msg, "no bus 7"));
    assert_null(i2cemu_fault_at(r.b, 1));
    bench_fini(&r);
}

static void the_first_rule_that_fires_acts(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    bench_add_type(&r, &test_reg, "addr=0x50");
    unsigned a = add(&r, "data-nack,every=2");
    unsigned b = add(&r, "addr-nack");
    assert_int_equal(b, a + 1);
    struct i2c_msg m[] = {W(0x50, 0x00)};
    assert_int_equal(bench_transfer(&r, 0, m, 1), -ENXIO);
    assert_int_equal(bench_transfer(&r, 0, m, 1), -EIO);
    assert_int_equal(i2cemu_fault_del(r.b, a), 0);
    assert_int_equal(i2cemu_fault_del(r.b, a), -1);
    assert_int_equal(rule(&r, 0)->id, b);
    assert_int_equal(rule(&r, 0)->hits, 1);
    /* Ids are never reused. */
    i2cemu_fault_clear(r.b);
    assert_null(i2cemu_fault_at(r.b, 0));
    assert_int_equal(add(&r, "slow,time=1us"), b + 1);
    bench_fini(&r);
}

static void a_stub_bus_takes_the_address_faults(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    assert_true(i2cemu_bus_add_spec(r.b, "2 profile=stub", &r.err) >= 0);
    bench_add(&r, "regbank,bus=2,addr=0x50");
    add(&r, "addr-nack,bus=2,reg=0x05,once");
    add(&r, "data-nack,bus=2");
    union i2c_smbus_data d = {.byte = 0x42};
    assert_int_equal(bench_smbus(&r, 2, 0x50, I2C_SMBUS_WRITE, 0x04,
                                 I2C_SMBUS_BYTE_DATA, &d), 0);
    assert_int_equal(bench_smbus(&r, 2, 0x50, I2C_SMBUS_WRITE, 0x05,
                                 I2C_SMBUS_BYTE_DATA, &d), -ENODEV);
    assert_int_equal(bench_smbus(&r, 2, 0x50, I2C_SMBUS_WRITE, 0x05,
                                 I2C_SMBUS_BYTE_DATA, &d), 0);
    assert_int_equal(rule(&r, 1)->matched, 0);
    bench_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(addr_nack_gives_enxio_and_the_device_sees_nothing),
        cmocka_unit_test(data_nack_at_byte_n_gives_eio),
        cmocka_unit_test(arbitration_loss_is_retried_then_eagain),
        cmocka_unit_test(a_rule_deleted_in_flight_acts_no_more),
        cmocka_unit_test(stretch_is_slower_then_etimedout),
        cmocka_unit_test(stuck_sda_gives_ebusy_until_reset_or_recovery),
        cmocka_unit_test(bad_pec_and_bitflip_change_what_is_read),
        cmocka_unit_test(block_count_out_of_range_gives_eproto),
        cmocka_unit_test(a_gone_device_nacks_for_its_time),
        cmocka_unit_test(slow_adds_latency_to_each_transfer),
        cmocka_unit_test(rules_match_by_register_direction_and_device),
        cmocka_unit_test(the_first_rule_that_fires_acts),
        cmocka_unit_test(a_stub_bus_takes_the_address_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
