// SPDX-License-Identifier: MIT
/* The stub profile: an SMBus-only adapter with i2c-stub chips (F-STUB,
 * i2c-dev-abi.md sections 2.8 and 6; checklist 8.3, 8.5 to 8.7, 8.9).
 * The fd has I2C_SLAVE 0x52 unless a case says otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "harness.h"

#define BAD ((uintptr_t)1)

static void fill(union i2c_smbus_data *d)
{
    memset(d, 0xAA, sizeof *d);
}

static void assert_aa_from(const union i2c_smbus_data *d, size_t from)
{
    for (size_t i = from; i < sizeof *d; i++)
        assert_int_equal(d->block[i], 0xAA);
}

static long i2c_block(struct h *h, uint8_t rw, uint8_t cmd, uint32_t size,
                      union i2c_smbus_data *d)
{
    return h_smbus(h, rw, cmd, size, d);
}

static long block_write(struct h *h, uint8_t cmd, const uint8_t *v, uint8_t n)
{
    union i2c_smbus_data d;

    d.block[0] = n;
    if (n)
        memcpy(&d.block[1], v, n);
    return h_smbus(h, I2C_SMBUS_WRITE, cmd, I2C_SMBUS_BLOCK_DATA, &d);
}

/* ---- 8.3 ---------------------------------------------------------------- */

static void C20_stub_ignores_tenbit(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_TENBIT, 1), 0);
    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x52), 0);
    assert_int_equal(h_read_byte_data(h, 0x00), 0);
}

static void C21_failed_slave_keeps_the_address(void **state)
{
    struct h *h = *state;
    struct i2cemu_i2cdev_file f2;

    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x52), 0);
    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x80), -EINVAL);
    assert_int_equal(h_write_byte_data(h, 0x10, 0x5A), 0);
    h_open(h, &f2);
    h->f = f2;
    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x52), 0);
    assert_int_equal(h_read_byte_data(h, 0x10), 0x5A);
}

/* ---- 8.5 ---------------------------------------------------------------- */

static void C37_quick_ignores_data(void **state)
{
    assert_int_equal(h_smbus(*state, I2C_SMBUS_WRITE, 0, I2C_SMBUS_QUICK,
                             (void *)BAD), 0);
}

static void C38_quick_read(void **state)
{
    assert_int_equal(h_smbus(*state, I2C_SMBUS_READ, 0, I2C_SMBUS_QUICK, NULL),
                     0);
}

static void C39_send_byte_ignores_data(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_write_byte_data(h, 0x20, 0x11), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0x20, I2C_SMBUS_BYTE, NULL),
                     0);
    assert_int_equal(h_recv_byte(h), 0x11);
}

static void C41_failed_receive_byte_makes_no_traffic(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_write_byte_data(h, 0x20, 0x11), 0);
    assert_int_equal(h_send_byte(h, 0x20), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0, I2C_SMBUS_BYTE, NULL),
                     -EINVAL);
    assert_int_equal(h_recv_byte(h), 0x11);
}

static void C43_write_bad_data_is_efault_before_traffic(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0x10, I2C_SMBUS_BYTE_DATA,
                             (void *)BAD), -EFAULT);
    assert_int_equal(h_read_byte_data(h, 0x10), 0);
}

static void C44_read_efault_after_the_transfer(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d;

    assert_int_equal(h_write_byte_data(h, 0x40, 0x44), 0);
    assert_int_equal(h_write_byte_data(h, 0x41, 0x45), 0);
    assert_int_equal(h_send_byte(h, 0x00), 0);
    h->ro_addr = (uintptr_t)&d;
    h->ro_len = sizeof d;
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0x40, I2C_SMBUS_BYTE_DATA, &d),
                     -EFAULT);
    h->ro_len = 0;
    assert_int_equal(h_recv_byte(h), 0x45);
}

static void C45_byte_data_read_copies_one_byte(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d;

    assert_int_equal(h_write_byte_data(h, 0x10, 0x5C), 0);
    fill(&d);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0x10, I2C_SMBUS_BYTE_DATA, &d),
                     0);
    assert_int_equal(d.byte, 0x5C);
    assert_aa_from(&d, 1);
}

static void C46_word_read_copies_two_bytes(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d;

    assert_int_equal(h_write_word(h, 0x10, 0x1234), 0);
    fill(&d);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0x10, I2C_SMBUS_WORD_DATA, &d),
                     0);
    assert_int_equal(d.word, 0x1234);
    assert_aa_from(&d, 2);
}

static void C47_smbus_success_is_zero(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { .byte = 7 };

    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0x10, I2C_SMBUS_BYTE_DATA, &d),
                     0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0x10, I2C_SMBUS_BYTE_DATA, &d),
                     0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0x10, I2C_SMBUS_WORD_DATA, &d),
                     0);
    d.block[0] = 4;
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0x10,
                             I2C_SMBUS_I2C_BLOCK_DATA, &d), 0);
}

/* ---- 8.6 i2c-stub register semantics ------------------------------------ */

static void C48_byte_data_round_trip(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_write_byte_data(h, 0x10, 0xAB), 0);
    assert_int_equal(h_read_byte_data(h, 0x10), 0xAB);
}

static void C49_byte_is_the_low_half_of_a_word(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_write_byte_data(h, 0x10, 0xAB), 0);
    assert_int_equal(h_read_word(h, 0x10), 0x00AB);
}

static void C50_word_round_trip(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_write_word(h, 0x10, 0x1234), 0);
    assert_int_equal(h_read_byte_data(h, 0x10), 0x34);
    assert_int_equal(h_read_word(h, 0x10), 0x1234);
}

static void C51_receive_byte_advances(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_write_byte_data(h, 0x20, 0x11), 0);
    assert_int_equal(h_write_byte_data(h, 0x21, 0x22), 0);
    assert_int_equal(h_send_byte(h, 0x20), 0);
    assert_int_equal(h_recv_byte(h), 0x11);
    assert_int_equal(h_recv_byte(h), 0x22);
}

static void C52_byte_data_moves_the_pointer(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_write_byte_data(h, 0x40, 0x44), 0);
    assert_int_equal(h_write_byte_data(h, 0x41, 0x45), 0);
    assert_int_equal(h_read_byte_data(h, 0x40), 0x44);
    assert_int_equal(h_recv_byte(h), 0x45);
}

static void C53_word_leaves_the_pointer(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_write_byte_data(h, 0x60, 0x66), 0);
    assert_int_equal(h_send_byte(h, 0x60), 0);
    assert_int_equal(h_write_word(h, 0x10, 0x1234), 0);
    assert_int_equal(h_read_word(h, 0x10), 0x1234);
    assert_int_equal(h_recv_byte(h), 0x66);
}

static void C54_receive_byte_wraps(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_write_byte_data(h, 0xFF, 0xF0), 0);
    assert_int_equal(h_write_byte_data(h, 0x00, 0x0A), 0);
    assert_int_equal(h_send_byte(h, 0xFF), 0);
    assert_int_equal(h_recv_byte(h), 0xF0);
    assert_int_equal(h_recv_byte(h), 0x0A);
}

static void C55_byte_data_pointer_wraps(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_write_byte_data(h, 0xFF, 0xF0), 0);
    assert_int_equal(h_write_byte_data(h, 0x00, 0x0A), 0);
    assert_int_equal(h_read_byte_data(h, 0xFF), 0xF0);
    assert_int_equal(h_recv_byte(h), 0x0A);
}

static void C56_quick_at_absent_address(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x40), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0, I2C_SMBUS_QUICK, NULL),
                     -ENODEV);
}

static void C57_byte_data_at_absent_address(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x40), 0);
    assert_int_equal(h_read_byte_data(h, 0x00), -ENODEV);
}

static void C58_proc_call_unsupported(void **state)
{
    union i2c_smbus_data d = { .word = 0x1234 };

    assert_int_equal(h_smbus(*state, I2C_SMBUS_WRITE, 0x10, I2C_SMBUS_PROC_CALL,
                             &d), -EOPNOTSUPP);
}

static void C59_block_proc_call_unsupported(void **state)
{
    union i2c_smbus_data d = { .block = { 2, 5, 6 } };

    assert_int_equal(h_smbus(*state, I2C_SMBUS_WRITE, 0x10,
                             I2C_SMBUS_BLOCK_PROC_CALL, &d), -EOPNOTSUPP);
}

static void C60_pec_ignored(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_PEC, 1), 0);
    assert_int_equal(h_write_byte_data(h, 0x10, 0x77), 0);
    assert_int_equal(h_read_byte_data(h, 0x10), 0x77);
}

static void C61_chips_are_independent(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_write_byte_data(h, 0x10, 0x99), 0);
    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x77), 0);
    assert_int_equal(h_read_byte_data(h, 0x10), 0);
}

static void C62_state_outlives_the_file(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_write_byte_data(h, 0x10, 0x42), 0);
    h_open(h, &h->f); /* close, and open again */
    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x52), 0);
    assert_int_equal(h_read_byte_data(h, 0x10), 0x42);
}

static void C63_functionality_is_not_a_gate(void **state)
{
    struct h *h = *state;
    struct i2cemu_error err = { "" };
    union i2c_smbus_data d = { 0 };
    unsigned long funcs = 0;
    const uint8_t v[] = { 1, 2, 3 };

    assert_true(i2cemu_bus_add_spec(h->bench.b, "9 profile=stub", &err) >= 0);
    assert_true(i2cemu_device_add(h->bench.b, "regbank,addr=0x52,bus=9",
                                  &err) >= 0);
    assert_int_equal(i2cemu_i2cdev_open(&h->f, h->bench.b, 9, O_RDWR), 0);
    assert_int_equal(h_ioctl(h, I2C_FUNCS, (uintptr_t)&funcs), 0);
    assert_int_equal(funcs, 0x0C7F0000);
    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x52), 0);
    assert_int_equal(block_write(h, 0x30, v, 3), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0x30, I2C_SMBUS_BLOCK_DATA, &d),
                     0);
    assert_int_equal(d.block[0], 3);
    assert_memory_equal(&d.block[1], v, 3);
}

/* ---- 8.7 block transfers ------------------------------------------------ */

static void C64_i2c_block_round_trip(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { .block = { 4, 0xDE, 0xAD, 0xBE, 0xEF } };
    union i2c_smbus_data r = { .block = { 4 } };

    assert_int_equal(i2c_block(h, I2C_SMBUS_WRITE, 0x80,
                               I2C_SMBUS_I2C_BLOCK_DATA, &d), 0);
    assert_int_equal(i2c_block(h, I2C_SMBUS_READ, 0x80,
                               I2C_SMBUS_I2C_BLOCK_DATA, &r), 0);
    assert_memory_equal(r.block, d.block, 5);
}

static void C65_i2c_block_read_keeps_the_tail(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d;

    fill(&d);
    d.block[0] = 4;
    assert_int_equal(i2c_block(h, I2C_SMBUS_READ, 0x80,
                               I2C_SMBUS_I2C_BLOCK_DATA, &d), 0);
    assert_int_equal(d.block[0], 4);
    assert_aa_from(&d, 5);
}

static void C66_i2c_block_read_is_clamped(void **state)
{
    union i2c_smbus_data d = { .block = { 32 } };

    assert_int_equal(i2c_block(*state, I2C_SMBUS_READ, 0xF8,
                               I2C_SMBUS_I2C_BLOCK_DATA, &d), 0);
    assert_int_equal(d.block[0], 8);
}

static void C67_i2c_block_write_does_not_wrap(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d;

    d.block[0] = 32;
    memset(&d.block[1], 0x5A, 32);
    assert_int_equal(i2c_block(h, I2C_SMBUS_WRITE, 0xF0,
                               I2C_SMBUS_I2C_BLOCK_DATA, &d), 0);
    assert_int_equal(h_read_byte_data(h, 0xFF), 0x5A);
    assert_int_equal(h_read_byte_data(h, 0x00), 0x00);
}

static void C68_broken_read_is_32_bytes(void **state)
{
    union i2c_smbus_data d = { .block = { 5 } };

    assert_int_equal(i2c_block(*state, I2C_SMBUS_READ, 0x00,
                               I2C_SMBUS_I2C_BLOCK_BROKEN, &d), 0);
    assert_int_equal(d.block[0], 32);
}

static void C69_broken_write_round_trip(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data w = { .block = { 3, 7, 8, 9 } };
    union i2c_smbus_data r = { .block = { 3 } };

    assert_int_equal(i2c_block(h, I2C_SMBUS_WRITE, 0x90,
                               I2C_SMBUS_I2C_BLOCK_BROKEN, &w), 0);
    assert_int_equal(i2c_block(h, I2C_SMBUS_READ, 0x90,
                               I2C_SMBUS_I2C_BLOCK_DATA, &r), 0);
    assert_memory_equal(r.block, w.block, 4);
}

static void C70_i2c_block_read_of_zero(void **state)
{
    union i2c_smbus_data d = { .block = { 0 } };

    assert_int_equal(i2c_block(*state, I2C_SMBUS_READ, 0x00,
                               I2C_SMBUS_I2C_BLOCK_DATA, &d), -EINVAL);
}

static void C71_block_write_of_zero(void **state)
{
    assert_int_equal(block_write(*state, 0x30, NULL, 0), -EINVAL);
}

static void C72_block_write_of_33(void **state)
{
    uint8_t v[33] = { 0 };

    assert_int_equal(block_write(*state, 0x30, v, 33), -EINVAL);
}

static void C73_block_read_never_written(void **state)
{
    union i2c_smbus_data d = { 0 };

    assert_int_equal(h_smbus(*state, I2C_SMBUS_READ, 0x31, I2C_SMBUS_BLOCK_DATA,
                             &d), -EOPNOTSUPP);
}

static void C74_block_write_keeps_the_longer_tail(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { 0 };
    const uint8_t a[] = { 1, 2, 3 }, b[] = { 9 }, want[] = { 3, 9, 2, 3 };

    assert_int_equal(block_write(h, 0x30, a, 3), 0);
    assert_int_equal(block_write(h, 0x30, b, 1), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0x30, I2C_SMBUS_BLOCK_DATA, &d),
                     0);
    assert_memory_equal(d.block, want, 4);
}

static void C75_block_write_sets_the_word(void **state)
{
    struct h *h = *state;
    const uint8_t v[] = { 0xAA, 0xBB };

    assert_int_equal(block_write(h, 0x31, v, 2), 0);
    assert_int_equal(h_read_word(h, 0x31), 0xAA02);
    assert_int_equal(h_read_byte_data(h, 0x31), 0x02);
}

static void select_bank2_on_0x33(struct h *h)
{
    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x33), 0);
    assert_int_equal(h_write_byte_data(h, 0x55, 0x11), 0);
    assert_int_equal(h_write_byte_data(h, 0x4e, 0x02), 0);
    assert_int_equal(h_write_byte_data(h, 0x55, 0x22), 0);
    assert_int_equal(h_read_byte_data(h, 0x55), 0x22);
}

static void C76_banks(void **state)
{
    struct h *h = *state;

    select_bank2_on_0x33(h);
    assert_int_equal(h_write_byte_data(h, 0x4e, 0x00), 0);
    assert_int_equal(h_read_byte_data(h, 0x55), 0x11);
}

static void C77_block_ignores_banks(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { .block = { 1 } };

    select_bank2_on_0x33(h);
    assert_int_equal(i2c_block(h, I2C_SMBUS_READ, 0x55,
                               I2C_SMBUS_I2C_BLOCK_DATA, &d), 0);
    assert_int_equal(d.block[1], 0x11);
}

/* ---- 8.9 and 8.11 ------------------------------------------------------- */

static void C93_read_write_unsupported(void **state)
{
    struct h *h = *state;
    uint8_t b[1] = { 0 };

    assert_int_equal(h_read(h, b, 1), -EOPNOTSUPP);
    assert_int_equal(h_write(h, b, 1), -EOPNOTSUPP);
    assert_int_equal(h_write(h, b, 0), -EOPNOTSUPP);
}

/* The write buffer is copied before the adapter refuses (section 3). */
static void stub_write_copies_first(void **state)
{
    assert_int_equal(h_write(*state, (void *)BAD, 1), -EFAULT);
}

/* Two files keep their own address (section 1). A dup() shares the open
 * file description, which is the frontend's business: it maps both fds to
 * one struct i2cemu_i2cdev_file. */
static void C116_files_are_independent(void **state)
{
    struct h *h = *state;
    struct i2cemu_i2cdev_file fd1 = h->f, fd2;

    h_open(h, &fd2);
    assert_int_equal(h_ioctl_on(h, &fd2, I2C_SLAVE, 0x77), 0);
    assert_int_equal(h_write_byte_data(h, 0x10, 0x52), 0);
    h->f = fd2;
    assert_int_equal(h_read_byte_data(h, 0x10), 0x00);
    assert_int_equal(h_write_byte_data(h, 0x10, 0x77), 0);
    h->f = fd1;
    assert_int_equal(h_read_byte_data(h, 0x10), 0x52);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        H_TEST(C20_stub_ignores_tenbit, stub),
        H_TEST(C21_failed_slave_keeps_the_address, stub),
        H_TEST(C37_quick_ignores_data, stub),
        H_TEST(C38_quick_read, stub),
        H_TEST(C39_send_byte_ignores_data, stub),
        H_TEST(C41_failed_receive_byte_makes_no_traffic, stub),
        H_TEST(C43_write_bad_data_is_efault_before_traffic, stub),
        H_TEST(C44_read_efault_after_the_transfer, stub),
        H_TEST(C45_byte_data_read_copies_one_byte, stub),
        H_TEST(C46_word_read_copies_two_bytes, stub),
        H_TEST(C47_smbus_success_is_zero, stub),
        H_TEST(C48_byte_data_round_trip, stub),
        H_TEST(C49_byte_is_the_low_half_of_a_word, stub),
        H_TEST(C50_word_round_trip, stub),
        H_TEST(C51_receive_byte_advances, stub),
        H_TEST(C52_byte_data_moves_the_pointer, stub),
        H_TEST(C53_word_leaves_the_pointer, stub),
        H_TEST(C54_receive_byte_wraps, stub),
        H_TEST(C55_byte_data_pointer_wraps, stub),
        H_TEST(C56_quick_at_absent_address, stub),
        H_TEST(C57_byte_data_at_absent_address, stub),
        H_TEST(C58_proc_call_unsupported, stub),
        H_TEST(C59_block_proc_call_unsupported, stub),
        H_TEST(C60_pec_ignored, stub),
        H_TEST(C61_chips_are_independent, stub),
        H_TEST(C62_state_outlives_the_file, stub),
        H_TEST(C63_functionality_is_not_a_gate, stub),
        H_TEST(C64_i2c_block_round_trip, stub),
        H_TEST(C65_i2c_block_read_keeps_the_tail, stub),
        H_TEST(C66_i2c_block_read_is_clamped, stub),
        H_TEST(C67_i2c_block_write_does_not_wrap, stub),
        H_TEST(C68_broken_read_is_32_bytes, stub),
        H_TEST(C69_broken_write_round_trip, stub),
        H_TEST(C70_i2c_block_read_of_zero, stub),
        H_TEST(C71_block_write_of_zero, stub),
        H_TEST(C72_block_write_of_33, stub),
        H_TEST(C73_block_read_never_written, stub),
        H_TEST(C74_block_write_keeps_the_longer_tail, stub),
        H_TEST(C75_block_write_sets_the_word, stub),
        H_TEST(C76_banks, stub),
        H_TEST(C77_block_ignores_banks, stub),
        H_TEST(C93_read_write_unsupported, stub),
        H_TEST(stub_write_copies_first, stub),
        H_TEST(C116_files_are_independent, stub),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
