// SPDX-License-Identifier: MIT
/* PEC: the CRC itself, and the test vectors of i2c-dev-abi.md section
 * 4.3 as they appear on the bus at 0x50 (T stores PEC bytes like data,
 * and answers reads with whatever its registers hold). */
#include <errno.h>
#include <string.h>

#include "i2cdev/pec.h"
#include "harness.h"

static void pec_check_value(void **state)
{
    (void)state;
    assert_int_equal(i2cdev_pec(0, (const uint8_t *)"123456789", 9), 0xF4);
}

/* The address byte is built as for a 7-bit address even when I2C_M_TEN is
 * set: 0x150 gives 0xA0, as 0x50 does. */
static void pec_ten_bit_quirk(void **state)
{
    uint8_t b[2] = { 0x10, 0x55 };
    struct i2c_msg m7 = { .addr = 0x50, .len = 2, .buf = b };
    struct i2c_msg m10 = { .addr = 0x150, .flags = I2C_M_TEN, .len = 2,
                           .buf = b };

    (void)state;
    assert_int_equal(i2cdev_pec_msg(0, &m7, 2), 0xB3);
    assert_int_equal(i2cdev_pec_msg(0, &m10, 2), 0xB3);
}

static void pec_write_vectors(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { .block = { 3, 1, 2, 3 } };

    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    assert_int_equal(h_ioctl(h, I2C_PEC, 1), 0);
    assert_int_equal(h_write_byte_data(h, 0x10, 0x55), 0);
    assert_int_equal(h_send_byte(h, 0x10), 0);
    assert_int_equal(h_write_word(h, 0x10, 0x1234), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0x20, I2C_SMBUS_BLOCK_DATA, &d),
                     0);
    assert_string_equal(bench_trace(&h->bench),
                        "S 50 W A 10 A 55 A b3 A P\n"
                        "S 50 W A 10 A 68 A P\n"
                        "S 50 W A 10 A 34 A 12 A 8e A P\n"
                        "S 50 W A 20 A 03 A 01 A 02 A 03 A c1 A P\n");
}

static void set_regs(struct h *h, uint8_t at, const uint8_t *v, size_t n)
{
    struct reg_state *t = h_dev_state(h, T_ADDR);

    test_reg_load(t, at, v, n);
}

static void pec_read_vectors(void **state)
{
    struct h *h = *state;
    struct reg_state *t = h_dev_state(h, T_ADDR);
    union i2c_smbus_data d;
    const uint8_t want[] = { 3, 1, 2, 3 };

    set_regs(h, 0x10, (const uint8_t[]){ 0xAB, 0x08 }, 2);
    set_regs(h, 0x40, (const uint8_t[]){ 0x34, 0x12, 0x64 }, 3);
    set_regs(h, 0x60, (const uint8_t[]){ 0xAB, 0x55 }, 2);
    set_regs(h, 0x20, (const uint8_t[]){ 3, 1, 2, 3, 0xF3 }, 5);
    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    assert_int_equal(h_ioctl(h, I2C_PEC, 1), 0);

    assert_int_equal(h_read_byte_data(h, 0x10), 0xAB);
    /* The word vector is for command 0x10: move T's registers there. */
    memcpy(&t->reg[0x10], &t->reg[0x40], 3 * sizeof t->reg[0]);
    assert_int_equal(h_read_word(h, 0x10), 0x1234);
    t->io.pointer = 0x60;
    assert_int_equal(h_recv_byte(h), 0xAB);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0x20, I2C_SMBUS_BLOCK_DATA, &d),
                     0);
    assert_memory_equal(d.block, want, 4);
    assert_string_equal(bench_trace(&h->bench),
                        "S 50 W A 10 A Sr 50 R A ab A 08 N P\n"
                        "S 50 W A 10 A Sr 50 R A 34 A 12 A 64 N P\n"
                        "S 50 R A ab A 55 N P\n"
                        "S 50 W A 20 A Sr 50 R A 03 A 01 A 02 A 03 A f3 N P\n");
    /* One bit off: EBADMSG. */
    t->reg[0x12] ^= 1;
    assert_int_equal(h_read_word(h, 0x10), -EBADMSG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pec_check_value),
        cmocka_unit_test(pec_ten_bit_quirk),
        H_TEST(pec_write_vectors, i2c),
        H_TEST(pec_read_vectors, i2c),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
