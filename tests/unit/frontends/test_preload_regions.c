/* SPDX-License-Identifier: MIT */
/* The shim's view of what a daemon may touch (regions.c): exactly the
 * kernel's copy_from_user and copy_to_user ranges for the caller's own
 * arguments, and results the call can return; hostile replies asking for
 * anything else are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <linux/i2c-dev.h>
#include <linux/i2c.h>

#include "frontends/preload/regions.h"

#define UNMAPPED 0x10u /* an address the fake client memory faults on */

/* Client memory is this process's own, except UNMAPPED. */
static bool peek(uint64_t addr, void *buf, size_t len)
{
    if (addr == UNMAPPED)
        return false;
    memcpy(buf, (const void *)(uintptr_t)addr, len);
    return true;
}

static uint64_t at(const void *p)
{
    return (uintptr_t)p;
}

static void read_write(void **state)
{
    uint8_t buf[32];
    struct shim_req q;

    (void)state;
    shim_req_rw(&q, SHIM_OUT, at(buf), 16);
    assert_true(shim_req_allows(&q, SHIM_OUT, at(buf), 16));
    assert_true(shim_req_allows(&q, SHIM_OUT, at(buf) + 4, 12));
    assert_false(shim_req_allows(&q, SHIM_OUT, at(buf), 17));
    assert_false(shim_req_allows(&q, SHIM_OUT, at(buf) + 16, 1));
    assert_false(shim_req_allows(&q, SHIM_OUT, at(buf) - 1, 2));
    assert_false(shim_req_allows(&q, SHIM_OUT, at(buf), 0));
    assert_false(shim_req_allows(&q, SHIM_IN, at(buf), 1)); /* a read */
    assert_true(shim_req_result_ok(&q, 16));
    assert_true(shim_req_result_ok(&q, 0));
    assert_true(shim_req_result_ok(&q, -4095));
    assert_false(shim_req_result_ok(&q, 17));
    assert_false(shim_req_result_ok(&q, -4096));
    assert_false(shim_req_result_ok(&q, INT64_MIN));

    /* One message at most: 8192 bytes. */
    shim_req_rw(&q, SHIM_IN, 0x100000, 100000);
    assert_true(shim_req_allows(&q, SHIM_IN, 0x100000, 8192));
    assert_false(shim_req_allows(&q, SHIM_IN, 0x100000 + 8192, 1));
    assert_false(shim_req_allows(&q, SHIM_OUT, 0x100000, 1));
    assert_false(shim_req_result_ok(&q, 8193));

    /* No wrap-around past the top of the address space. */
    shim_req_rw(&q, SHIM_OUT, UINT64_MAX - 7, 8);
    assert_true(shim_req_allows(&q, SHIM_OUT, UINT64_MAX - 7, 8));
    assert_false(shim_req_allows(&q, SHIM_OUT, UINT64_MAX - 3, 8));
    assert_false(shim_req_allows(&q, SHIM_OUT, UINT64_MAX, UINT32_MAX));
}

static void plain_ioctls(void **state)
{
    unsigned long funcs;
    struct shim_req q;

    (void)state;
    shim_req_ioctl(&q, I2C_FUNCS, at(&funcs), peek);
    assert_true(shim_req_allows(&q, SHIM_OUT, at(&funcs), sizeof funcs));
    assert_false(shim_req_allows(&q, SHIM_OUT, at(&funcs), sizeof funcs + 1));
    assert_false(shim_req_allows(&q, SHIM_IN, at(&funcs), 1));
    assert_false(shim_req_result_ok(&q, 1));

    /* Integer arguments, or a command i2c-dev does not know: nothing. */
    shim_req_ioctl(&q, I2C_SLAVE, at(&funcs), peek);
    assert_int_equal(q.n, 0);
    shim_req_ioctl(&q, 0x5401 /* TCGETS */, at(&funcs), peek);
    assert_int_equal(q.n, 0);
    assert_true(shim_req_result_ok(&q, -25));
    assert_false(shim_req_result_ok(&q, 1));
}

static void smbus(void **state)
{
    union i2c_smbus_data d;
    struct i2c_smbus_ioctl_data a = { I2C_SMBUS_READ, 0x10,
                                      I2C_SMBUS_BYTE_DATA, &d };
    struct shim_req q;

    (void)state;
    /* A byte read: the argument in, one byte of data out. */
    shim_req_ioctl(&q, I2C_SMBUS, at(&a), peek);
    assert_true(shim_req_allows(&q, SHIM_IN, at(&a), sizeof a));
    assert_int_equal(q.r[0].len, sizeof a);
    assert_non_null(q.r[0].data);
    assert_memory_equal(q.r[0].data, &a, sizeof a);
    assert_null(q.r[1].data); /* the data: read when the request is sent */
    assert_true(shim_req_allows(&q, SHIM_OUT, at(&d), 1));
    assert_false(shim_req_allows(&q, SHIM_OUT, at(&d), 2));
    assert_false(shim_req_allows(&q, SHIM_IN, at(&d), 1));
    assert_false(shim_req_allows(&q, SHIM_OUT, at(&a), 1));

    /* A word write: two bytes in, nothing out. */
    a = (struct i2c_smbus_ioctl_data){ I2C_SMBUS_WRITE, 0, I2C_SMBUS_WORD_DATA,
                                       &d };
    shim_req_ioctl(&q, I2C_SMBUS, at(&a), peek);
    assert_true(shim_req_allows(&q, SHIM_IN, at(&d), 2));
    assert_false(shim_req_allows(&q, SHIM_IN, at(&d), 3));
    assert_false(shim_req_allows(&q, SHIM_OUT, at(&d), 1));

    /* A block process call: the whole union both ways. */
    a.size = I2C_SMBUS_BLOCK_PROC_CALL;
    shim_req_ioctl(&q, I2C_SMBUS, at(&a), peek);
    assert_true(shim_req_allows(&q, SHIM_IN | SHIM_OUT, at(&d), sizeof d));
    assert_true(shim_req_allows(&q, SHIM_OUT, at(&d), sizeof d));
    assert_false(shim_req_allows(&q, SHIM_OUT, at(&d), sizeof d + 1));

    /* QUICK, a bad size or direction: data is never touched. */
    a.size = I2C_SMBUS_QUICK;
    shim_req_ioctl(&q, I2C_SMBUS, at(&a), peek);
    assert_false(shim_req_allows(&q, SHIM_IN, at(&d), 1));
    a.size = 9;
    shim_req_ioctl(&q, I2C_SMBUS, at(&a), peek);
    assert_false(shim_req_allows(&q, SHIM_IN, at(&d), 1));

    /* An argument that faults: only itself, which the daemon will find
     * unreadable. */
    shim_req_ioctl(&q, I2C_SMBUS, UNMAPPED, peek);
    assert_int_equal(q.n, 1);
    assert_null(q.r[0].data);
    assert_true(shim_req_allows(&q, SHIM_IN, UNMAPPED, sizeof a));
}

static void rdwr(void **state)
{
    uint8_t w[3], r[40];
    struct i2c_msg m[] = {
        { 0x50, 0, sizeof w, w },
        { 0x50, I2C_M_RD, sizeof r, r },
        { 0x50, I2C_M_RD, 8193, r }, /* over-long: refused untouched */
    };
    struct i2c_rdwr_ioctl_data a = { m, 3 };
    struct shim_req q;

    (void)state;
    shim_req_ioctl(&q, I2C_RDWR, at(&a), peek);
    assert_true(shim_req_allows(&q, SHIM_IN, at(&a), sizeof a));
    assert_true(shim_req_allows(&q, SHIM_IN, at(m), sizeof m));
    /* The argument and the array as read, for the request to carry. */
    assert_memory_equal(q.r[0].data, &a, sizeof a);
    assert_memory_equal(q.r[1].data, m, sizeof m);
    assert_null(q.r[2].data);
    assert_false(shim_req_allows(&q, SHIM_OUT, at(m), sizeof m));
    assert_false(shim_req_allows(&q, SHIM_IN, at(m), sizeof m + 1));
    /* A write's buffer in only, a read's both ways. */
    assert_true(shim_req_allows(&q, SHIM_IN, at(w), sizeof w));
    assert_false(shim_req_allows(&q, SHIM_OUT, at(w), 1));
    assert_true(shim_req_allows(&q, SHIM_OUT, at(r), sizeof r));
    assert_false(shim_req_allows(&q, SHIM_OUT, at(r), sizeof r + 1));
    assert_true(shim_req_result_ok(&q, 3));
    assert_false(shim_req_result_ok(&q, 4));

    /* Too many messages: the array is not read. */
    a.nmsgs = I2C_RDWR_IOCTL_MAX_MSGS + 1;
    shim_req_ioctl(&q, I2C_RDWR, at(&a), peek);
    assert_int_equal(q.n, 1);
    assert_false(shim_req_result_ok(&q, 1));

    /* An array that faults: itself, no buffer. */
    a = (struct i2c_rdwr_ioctl_data){ (struct i2c_msg *)UNMAPPED, 2 };
    shim_req_ioctl(&q, I2C_RDWR, at(&a), peek);
    assert_int_equal(q.n, 2);
    assert_false(shim_req_allows(&q, SHIM_OUT, at(r), 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(read_write),
        cmocka_unit_test(plain_ioctls),
        cmocka_unit_test(smbus),
        cmocka_unit_test(rdwr),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
