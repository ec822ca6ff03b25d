// SPDX-License-Identifier: MIT
/* The i2c profile: I2C_RDWR, read(), write() and SMBus emulated with I2C
 * messages (F-I2C, i2c-dev-abi.md sections 2.7, 3, 4; checklist 8.10 and
 * 8.11). Every case checks the bus trace. */
#include <errno.h>
#include <string.h>

#include "harness.h"

#define BAD ((uintptr_t)1)

static struct reg_state *T(struct h *h)
{
    return h_dev_state(h, T_ADDR);
}

static struct block_state *K(struct h *h)
{
    return h_dev_state(h, K_ADDR);
}

/* ---- 8.10 --------------------------------------------------------------- */

static void C94_rdwr_is_one_combined_transaction(void **state)
{
    struct h *h = *state;
    uint8_t w[1] = { 0x10 }, r[2] = { 0 };
    struct i2c_msg m[2] = {
        { .addr = T_ADDR, .len = 1, .buf = w },
        { .addr = T_ADDR, .flags = I2C_M_RD, .len = 2, .buf = r },
    };

    T(h)->reg[0x10] = 0xAB;
    T(h)->reg[0x11] = 0xCD;
    assert_int_equal(h_rdwr(h, m, 2), 2);
    assert_int_equal(r[0], 0xAB);
    assert_int_equal(r[1], 0xCD);
    assert_string_equal(bench_trace(&h->bench),
                        "S 50 W A 10 A Sr 50 R A ab A cd N P\n");
}

static void C95_rdwr_nack_leaves_read_buffers(void **state)
{
    struct h *h = *state;
    uint8_t w[1] = { 0 }, r[2] = { 0xAA, 0xAA };
    struct i2c_msg m[2] = {
        { .addr = ABSENT_I2C, .len = 1, .buf = w },
        { .addr = ABSENT_I2C, .flags = I2C_M_RD, .len = 2, .buf = r },
    };

    assert_int_equal(h_rdwr(h, m, 2), -ENXIO);
    assert_int_equal(r[0], 0xAA);
    assert_int_equal(r[1], 0xAA);
    assert_string_equal(bench_trace(&h->bench), "S 60 W N P\n");
}

/* Read buffers go back last message first, up to the first that cannot
 * be written (i2cdev_ioctl_rdwr's copy loop): a fault in the last one
 * leaves the earlier ones untouched. */
static void rdwr_copies_back_last_message_first(void **state)
{
    struct h *h = *state;
    uint8_t w[1] = { 0x10 }, r0[2] = { 0xAA, 0xAA }, r1[2] = { 0xAA, 0xAA };
    struct i2c_msg m[3] = {
        { .addr = T_ADDR, .len = 1, .buf = w },
        { .addr = T_ADDR, .flags = I2C_M_RD, .len = 2, .buf = r0 },
        { .addr = T_ADDR, .flags = I2C_M_RD, .len = 2, .buf = r1 },
    };

    T(h)->reg[0x10] = 0x01;
    T(h)->reg[0x11] = 0x02;
    T(h)->reg[0x12] = 0x03;
    T(h)->reg[0x13] = 0x04;
    h->ro_addr = (uintptr_t)r1;
    h->ro_len = sizeof r1;
    assert_int_equal(h_rdwr(h, m, 3), -EFAULT);
    assert_int_equal(r0[0], 0xAA);
    assert_int_equal(r0[1], 0xAA);
    /* The transfer happened all the same. */
    assert_string_equal(bench_trace(&h->bench),
                        "S 50 W A 10 A Sr 50 R A 01 A 02 N "
                        "Sr 50 R A 03 A 04 N P\n");
    /* Two buffers that overlap end with the first message's bytes. */
    h->ro_len = 0;
    bench_trace_clear(&h->bench);
    m[2].buf = r0;
    assert_int_equal(h_rdwr(h, m, 3), 3);
    assert_int_equal(r0[0], 0x01);
    assert_int_equal(r0[1], 0x02);
}

static void C96_write_then_read(void **state)
{
    struct h *h = *state;
    uint8_t b[3] = { 0 };

    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    assert_int_equal(h_write(h, "\x20\x01\x02\x03", 4), 4);
    assert_int_equal(h_write(h, "\x20", 1), 1);
    assert_int_equal(h_read(h, b, 3), 3);
    assert_memory_equal(b, "\x01\x02\x03", 3);
    assert_string_equal(bench_trace(&h->bench),
                        "S 50 W A 20 A 01 A 02 A 03 A P\n"
                        "S 50 W A 20 A P\n"
                        "S 50 R A 01 A 02 A 03 N P\n");
}

static void C97_read_write_are_clamped(void **state)
{
    struct h *h = *state;
    static uint8_t buf[10000];
    const char *t;

    memset(buf, 0x5A, sizeof buf);
    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    assert_int_equal(h_write(h, buf, 9000), 8192);
    /* One message: "S 50 W A", 8192 x " 5a A", one STOP " P". */
    t = bench_trace(&h->bench);
    assert_int_equal(strlen(t), 8 + 8192 * 5 + 2 + 1);
    assert_non_null(strstr(t, "S 50 W A 5a A 5a A"));
    assert_ptr_equal(strchr(t, '\n'), t + 8 + 8192 * 5 + 2);
    memset(buf, 0xEE, sizeof buf);
    bench_trace_clear(&h->bench);
    assert_int_equal(h_read(h, buf, 10000), 8192);
    assert_int_equal(buf[8191], 0x5A);
    assert_int_equal(buf[8192], 0xEE);
}

static void C98_write_bad_buffer(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    assert_int_equal(h_write(h, (void *)BAD, 4), -EFAULT);
    assert_string_equal(bench_trace(&h->bench), "");
}

static void C99_pec_on_write_byte_data(void **state)
{
    struct h *h = *state;
    struct pec_state *p = h_dev_state(h, P_ADDR);

    assert_int_equal(h_ioctl(h, I2C_SLAVE, P_ADDR), 0);
    assert_int_equal(h_ioctl(h, I2C_PEC, 1), 0);
    assert_int_equal(h_write_byte_data(h, 0x10, 0x55), 0);
    assert_string_equal(bench_trace(&h->bench), "S 51 W A 10 A 55 A 65 A P\n");
    assert_int_equal(p->reg[0x10], 0x55);
    /* The PEC covers the address byte: at 0x50 it is 0xB3 (section 4.3). */
    bench_trace_clear(&h->bench);
    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    assert_int_equal(h_write_byte_data(h, 0x10, 0x55), 0);
    assert_string_equal(bench_trace(&h->bench), "S 50 W A 10 A 55 A b3 A P\n");
}

static void C100_bad_pec_is_ebadmsg(void **state)
{
    struct h *h = *state;
    struct pec_state *p = h_dev_state(h, P_ADDR);
    union i2c_smbus_data d, aa;

    p->reg[0x10] = 0x42;
    assert_int_equal(h_ioctl(h, I2C_SLAVE, P_ADDR), 0);
    assert_int_equal(h_ioctl(h, I2C_PEC, 1), 0);
    assert_int_equal(h_read_byte_data(h, 0x10), 0x42);
    p->corrupt = true;
    memset(&d, 0xAA, sizeof d);
    aa = d;
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0x10, I2C_SMBUS_BYTE_DATA, &d),
                     -EBADMSG);
    assert_memory_equal(&d, &aa, sizeof d);
    /* The transaction took place, PEC byte included. */
    assert_non_null(strstr(bench_trace(&h->bench),
                           "S 51 W A 10 A Sr 51 R A 42 A "));
}

static void C101_no_pec_for_quick_and_i2c_block(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { .block = { 2, 0xD1, 0xD2 } };

    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    assert_int_equal(h_ioctl(h, I2C_PEC, 1), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0, I2C_SMBUS_QUICK, NULL), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0x0C,
                             I2C_SMBUS_I2C_BLOCK_DATA, &d), 0);
    assert_string_equal(bench_trace(&h->bench),
                        "S 50 W A P\nS 50 W A 0c A d1 A d2 A P\n");
}

/* ---- 8.11 --------------------------------------------------------------- */

static long block_read(struct h *h, uint8_t cmd, union i2c_smbus_data *d)
{
    return h_smbus(h, I2C_SMBUS_READ, cmd, I2C_SMBUS_BLOCK_DATA, d);
}

static void C102_block_read(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d;
    const uint8_t want[] = { 3, 0xD1, 0xD2, 0xD3 };

    K(h)->cnt = 3;
    assert_int_equal(h_ioctl(h, I2C_SLAVE, K_ADDR), 0);
    memset(&d, 0xAA, sizeof d);
    assert_int_equal(block_read(h, K_BLOCK_READ, &d), 0);
    assert_memory_equal(d.block, want, 4);
    /* The kernel's zeroed buffer goes back whole (section 2.8). */
    for (size_t i = 4; i < sizeof d.block; i++)
        assert_int_equal(d.block[i], 0);
    assert_string_equal(bench_trace(&h->bench),
                        "S 53 W A 20 A Sr 53 R A 03 A d1 A d2 A d3 N P\n");
}

static void C103_block_count_out_of_range(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d;

    assert_int_equal(h_ioctl(h, I2C_SLAVE, K_ADDR), 0);
    K(h)->cnt = 33;
    assert_int_equal(block_read(h, K_BLOCK_READ, &d), -EPROTO);
    K(h)->cnt = 0;
    assert_int_equal(block_read(h, K_BLOCK_READ, &d), -EPROTO);
}

static void C104_proc_call(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { .word = 0x1234 };

    assert_int_equal(h_ioctl(h, I2C_SLAVE, K_ADDR), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, K_PROC_CALL,
                             I2C_SMBUS_PROC_CALL, &d), 0);
    assert_int_equal(d.word, 0xEDCB);
    assert_string_equal(bench_trace(&h->bench),
                        "S 53 W A 40 A 34 A 12 A Sr 53 R A cb A ed N P\n");
}

static void C105_block_proc_call(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { .block = { 33 } };
    const uint8_t want[] = { 2, 6, 5 };

    assert_int_equal(h_ioctl(h, I2C_SLAVE, K_ADDR), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, K_BLOCK_PROC,
                             I2C_SMBUS_BLOCK_PROC_CALL, &d), -EINVAL);
    assert_string_equal(bench_trace(&h->bench), "");
    d = (union i2c_smbus_data){ .block = { 2, 5, 6 } };
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, K_BLOCK_PROC,
                             I2C_SMBUS_BLOCK_PROC_CALL, &d), 0);
    assert_memory_equal(d.block, want, 3);
    assert_string_equal(bench_trace(&h->bench),
                        "S 53 W A 60 A 02 A 05 A 06 A "
                        "Sr 53 R A 02 A 06 A 05 N P\n");
}

static void C106_rdwr_recv_len(void **state)
{
    struct h *h = *state;
    uint8_t w[1] = { K_BLOCK_READ }, r[33];
    struct i2c_msg m[2] = {
        { .addr = K_ADDR, .len = 1, .buf = w },
        { .addr = K_ADDR, .flags = I2C_M_RD | I2C_M_RECV_LEN, .len = 33,
          .buf = r },
    };
    const uint8_t want[] = { 3, 0xD1, 0xD2, 0xD3 };

    K(h)->cnt = 3;
    memset(r, 0xEE, sizeof r);
    r[0] = 1;
    assert_int_equal(h_rdwr(h, m, 2), 2);
    assert_memory_equal(r, want, 4);
    for (size_t i = 4; i < sizeof r; i++)
        assert_int_equal(r[i], 0xEE);
    assert_int_equal(m[1].len, 33); /* i2c_msg is never written back */
    assert_string_equal(bench_trace(&h->bench),
                        "S 53 W A 20 A Sr 53 R A 03 A d1 A d2 A d3 N P\n");
}

static void C107_zero_length_write_probes(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    assert_int_equal(h_write(h, "", 0), 0);
    assert_int_equal(h_ioctl(h, I2C_SLAVE, ABSENT_I2C), 0);
    assert_int_equal(h_write(h, "", 0), -ENXIO);
    assert_string_equal(bench_trace(&h->bench), "S 50 W A P\nS 60 W N P\n");
}

/* ---- [ALL] block cases, emulated --------------------------------------- */

static void C68_broken_read_is_32_bytes_emulated(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { .block = { 5 } };

    for (int i = 0; i < 32; i++)
        T(h)->reg[i] = (uint8_t)i;
    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0x00,
                             I2C_SMBUS_I2C_BLOCK_BROKEN, &d), 0);
    assert_int_equal(d.block[0], 32);
    assert_int_equal(d.block[32], 31);
    assert_int_equal(d.block[33], 0);
}

static void C69_broken_write_round_trip_emulated(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data w = { .block = { 3, 7, 8, 9 } };
    union i2c_smbus_data r = { .block = { 3 } };

    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0x90,
                             I2C_SMBUS_I2C_BLOCK_BROKEN, &w), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0x90,
                             I2C_SMBUS_I2C_BLOCK_DATA, &r), 0);
    assert_memory_equal(r.block, w.block, 4);
}

/* n == 0 and n > 32 are refused before any traffic (section 4.2). */
static void C70_C72_block_lengths_emulated(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { .block = { 0 } };

    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0, I2C_SMBUS_I2C_BLOCK_DATA,
                             &d), -EINVAL);
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0, I2C_SMBUS_I2C_BLOCK_DATA,
                             &d), -EINVAL);
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0, I2C_SMBUS_BLOCK_DATA, &d),
                     -EINVAL);
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0, I2C_SMBUS_BLOCK_PROC_CALL,
                             &d), -EINVAL);
    d.block[0] = 33;
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0, I2C_SMBUS_BLOCK_DATA, &d),
                     -EINVAL);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0, I2C_SMBUS_I2C_BLOCK_DATA,
                             &d), -EINVAL);
    assert_string_equal(bench_trace(&h->bench), "");
}

/* ---- message layouts and errors (sections 4.2, 4.4) --------------------- */

static void smbus_message_layouts(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d;

    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    T(h)->reg[0x10] = 0x55;
    T(h)->reg[0x11] = 0x66;
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0, I2C_SMBUS_QUICK, NULL), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0, I2C_SMBUS_QUICK, NULL), 0);
    assert_int_equal(h_send_byte(h, 0x10), 0);
    assert_int_equal(h_recv_byte(h), 0x55);
    assert_int_equal(h_read_byte_data(h, 0x10), 0x55);
    assert_int_equal(h_read_word(h, 0x10), 0x6655);
    assert_int_equal(h_write_byte_data(h, 0x20, 0x01), 0);
    assert_int_equal(h_write_word(h, 0x20, 0x0302), 0);
    d = (union i2c_smbus_data){ .block = { 3, 1, 2, 3 } };
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0x20, I2C_SMBUS_BLOCK_DATA, &d),
                     0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0x20,
                             I2C_SMBUS_I2C_BLOCK_DATA, &d), 0);
    d.block[0] = 2;
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0x20,
                             I2C_SMBUS_I2C_BLOCK_DATA, &d), 0);
    assert_string_equal(bench_trace(&h->bench),
                        "S 50 W A P\n"
                        "S 50 R A P\n"
                        "S 50 W A 10 A P\n"
                        "S 50 R A 55 N P\n"
                        "S 50 W A 10 A Sr 50 R A 55 N P\n"
                        "S 50 W A 10 A Sr 50 R A 55 A 66 N P\n"
                        "S 50 W A 20 A 01 A P\n"
                        "S 50 W A 20 A 02 A 03 A P\n"
                        "S 50 W A 20 A 03 A 01 A 02 A 03 A P\n"
                        "S 50 W A 20 A 01 A 02 A 03 A P\n"
                        "S 50 W A 20 A Sr 50 R A 01 A 02 N P\n");
}

/* A data byte NACKed while writing is EIO (section 4.5): P refuses a
 * third byte that is not the PEC of the first two. */
static void data_nack_is_eio(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_SLAVE, P_ADDR), 0);
    assert_int_equal(h_write(h, "\x10\x55\x00", 3), -EIO);
    assert_string_equal(bench_trace(&h->bench), "S 51 W A 10 A 55 A 00 N P\n");
}

/* The ten-bit flag goes down with read(), write() and SMBus (2.2). */
static void tenbit_flag_reaches_the_bus(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_TENBIT, 1), 0);
    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    assert_int_equal(h_write(h, "", 0), -ENXIO); /* T is 7-bit */
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0, I2C_SMBUS_QUICK, NULL),
                     -ENXIO);
    assert_int_equal(h_ioctl(h, I2C_TENBIT, 0), 0);
    assert_int_equal(h_write(h, "", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        H_TEST(C94_rdwr_is_one_combined_transaction, i2c),
        H_TEST(C95_rdwr_nack_leaves_read_buffers, i2c),
        H_TEST(rdwr_copies_back_last_message_first, i2c),
        H_TEST(C96_write_then_read, i2c),
        H_TEST(C97_read_write_are_clamped, i2c),
        H_TEST(C98_write_bad_buffer, i2c),
        H_TEST(C99_pec_on_write_byte_data, i2c),
        H_TEST(C100_bad_pec_is_ebadmsg, i2c),
        H_TEST(C101_no_pec_for_quick_and_i2c_block, i2c),
        H_TEST(C102_block_read, i2c),
        H_TEST(C103_block_count_out_of_range, i2c),
        H_TEST(C104_proc_call, i2c),
        H_TEST(C105_block_proc_call, i2c),
        H_TEST(C106_rdwr_recv_len, i2c),
        H_TEST(C107_zero_length_write_probes, i2c),
        H_TEST(C68_broken_read_is_32_bytes_emulated, i2c),
        H_TEST(C69_broken_write_round_trip_emulated, i2c),
        H_TEST(C70_C72_block_lengths_emulated, i2c),
        H_TEST(smbus_message_layouts, i2c),
        H_TEST(data_nack_is_eio, i2c),
        H_TEST(tenbit_flag_reaches_the_bus, i2c),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
