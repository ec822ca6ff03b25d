// SPDX-License-Identifier: MIT
/* I2C_RDWR argument handling, common to every adapter (i2c-dev-abi.md
 * section 2; checklist 8.8). [ALL] cases run on the i2c fixture, whose
 * trace also shows that a refused call made no bus traffic; [STUB] cases
 * on F-STUB. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define BAD ((uintptr_t)1) /* a pointer the client cannot access */

static void assert_no_traffic(struct h *h)
{
    assert_string_equal(bench_trace(&h->bench), "");
}

/* ---- 8.8 I2C_RDWR ------------------------------------------------------- */

static void C78_rdwr_null_arg(void **state)
{
    assert_int_equal(h_ioctl(*state, I2C_RDWR, 0), -EFAULT);
}

static void C79_rdwr_no_messages(void **state)
{
    struct h *h = *state;
    struct i2c_msg m = { .addr = T_ADDR };

    assert_int_equal(h_rdwr(h, &m, 0), -EINVAL);
    assert_no_traffic(h);
}

static void C80_rdwr_null_msgs(void **state)
{
    assert_int_equal(h_rdwr(*state, NULL, 1), -EINVAL);
}

static void C81_rdwr_43_messages(void **state)
{
    struct h *h = *state;
    struct i2c_msg m[43] = { { .addr = T_ADDR } };

    assert_int_equal(h_rdwr(h, m, 43), -EINVAL);
    assert_no_traffic(h);
}

static void C82_rdwr_42_empty_messages_on_stub(void **state)
{
    struct i2c_msg m[42] = { { 0 } };

    assert_int_equal(h_rdwr(*state, m, 42), -EOPNOTSUPP);
}

static void C83_rdwr_bad_msgs(void **state)
{
    assert_int_equal(h_rdwr(*state, (struct i2c_msg *)BAD, 1), -EFAULT);
}

static void C84_rdwr_len_8193(void **state)
{
    struct h *h = *state;
    static uint8_t buf[8193];
    struct i2c_msg m = { .addr = T_ADDR, .len = 8193, .buf = buf };

    assert_int_equal(h_rdwr(h, &m, 1), -EINVAL);
    assert_no_traffic(h);
}

static void C85_rdwr_len_8192_on_stub(void **state)
{
    static uint8_t buf[8192];
    struct i2c_msg m = { .addr = 0x52, .len = 8192, .buf = buf };

    assert_int_equal(h_rdwr(*state, &m, 1), -EOPNOTSUPP);
}

static void C86_rdwr_read_buffer_is_copied_in(void **state)
{
    struct h *h = *state;
    struct i2c_msg m = { .addr = T_ADDR, .flags = I2C_M_RD, .len = 4,
                         .buf = (uint8_t *)BAD };

    assert_int_equal(h_rdwr(h, &m, 1), -EFAULT);
    assert_no_traffic(h);
}

static void C87_rdwr_earlier_einval_wins(void **state)
{
    static uint8_t buf[8193];
    struct i2c_msg m[2] = {
        { .addr = T_ADDR, .len = 8193, .buf = buf },
        { .addr = T_ADDR, .len = 4, .buf = (uint8_t *)BAD },
    };

    assert_int_equal(h_rdwr(*state, m, 2), -EINVAL);
}

static void C88_rdwr_earlier_efault_wins(void **state)
{
    static uint8_t buf[8193];
    struct i2c_msg m[2] = {
        { .addr = T_ADDR, .len = 4, .buf = (uint8_t *)BAD },
        { .addr = T_ADDR, .len = 8193, .buf = buf },
    };

    assert_int_equal(h_rdwr(*state, m, 2), -EFAULT);
}

static void C89_recv_len_without_rd(void **state)
{
    struct h *h = *state;
    uint8_t buf[40] = { 1 };
    struct i2c_msg m = { .addr = K_ADDR, .flags = I2C_M_RECV_LEN, .len = 40,
                         .buf = buf };

    assert_int_equal(h_rdwr(h, &m, 1), -EINVAL);
    assert_no_traffic(h);
}

static void C90_recv_len_buffer_too_short(void **state)
{
    struct h *h = *state;
    uint8_t buf[32] = { 1 };
    struct i2c_msg m = { .addr = K_ADDR, .flags = I2C_M_RD | I2C_M_RECV_LEN,
                         .len = 32, .buf = buf };

    assert_int_equal(h_rdwr(h, &m, 1), -EINVAL);
    assert_no_traffic(h);
}

static void C91_recv_len_33_on_stub(void **state)
{
    uint8_t buf[33] = { 1 };
    struct i2c_msg m = { .addr = 0x52, .flags = I2C_M_RD | I2C_M_RECV_LEN,
                         .len = 33, .buf = buf };

    assert_int_equal(h_rdwr(*state, &m, 1), -EOPNOTSUPP);
}

static void C92_recv_len_zero_prefix(void **state)
{
    struct h *h = *state;
    uint8_t buf[64] = { 0 };
    struct i2c_msg m = { .addr = K_ADDR, .flags = I2C_M_RD | I2C_M_RECV_LEN,
                         .len = 64, .buf = buf };

    assert_int_equal(h_rdwr(h, &m, 1), -EINVAL);
    assert_no_traffic(h);
}

/* RECV_LEN with len 0 must not read buf[0] ([VER], section 2.7). */
static void recv_len_empty_buffer(void **state)
{
    struct i2c_msg m = { .addr = K_ADDR, .flags = I2C_M_RD | I2C_M_RECV_LEN };

    assert_int_equal(h_rdwr(*state, &m, 1), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        H_TEST(C78_rdwr_null_arg, i2c),
        H_TEST(C79_rdwr_no_messages, i2c),
        H_TEST(C80_rdwr_null_msgs, i2c),
        H_TEST(C81_rdwr_43_messages, i2c),
        H_TEST(C82_rdwr_42_empty_messages_on_stub, stub),
        H_TEST(C83_rdwr_bad_msgs, i2c),
        H_TEST(C84_rdwr_len_8193, i2c),
        H_TEST(C85_rdwr_len_8192_on_stub, stub),
        H_TEST(C86_rdwr_read_buffer_is_copied_in, i2c),
        H_TEST(C87_rdwr_earlier_einval_wins, i2c),
        H_TEST(C88_rdwr_earlier_efault_wins, i2c),
        H_TEST(C89_recv_len_without_rd, i2c),
        H_TEST(C90_recv_len_buffer_too_short, i2c),
        H_TEST(C91_recv_len_33_on_stub, stub),
        H_TEST(C92_recv_len_zero_prefix, i2c),
        H_TEST(recv_len_empty_buffer, i2c),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
