// SPDX-License-Identifier: MIT
/* The in-process API (i2cemu.h) and the synchronous helpers (i2cdev.h):
 * libi2c's conventions, the syscall's return values and errno. */
#include <errno.h>
#include <string.h>

#include "harness.h"

static void api_smbus_helpers(void **state)
{
    struct h *h = *state;
    struct i2cemu_i2cdev_file *f = &h->f;
    uint8_t v[4] = { 0 };

    assert_int_equal(i2cemu_smbus_set_addr(f, 0x80), -EINVAL);
    assert_int_equal(i2cemu_smbus_set_addr(f, T_ADDR), 0);
    assert_int_equal(i2cemu_smbus_write_quick(f, I2C_SMBUS_WRITE), 0);
    assert_int_equal(i2cemu_smbus_write_byte_data(f, 0x10, 0xAB), 0);
    assert_int_equal(i2cemu_smbus_read_byte_data(f, 0x10), 0xAB);
    assert_int_equal(i2cemu_smbus_write_word_data(f, 0x20, 0xBEEF), 0);
    assert_int_equal(i2cemu_smbus_read_word_data(f, 0x20), 0xBEEF);
    assert_int_equal(i2cemu_smbus_write_byte(f, 0x10), 0);
    assert_int_equal(i2cemu_smbus_read_byte(f), 0xAB);
    assert_int_equal(i2cemu_smbus_write_i2c_block_data(f, 0x30, 3,
                                                       (const uint8_t *)"xyz"),
                     0);
    assert_int_equal(i2cemu_smbus_read_i2c_block_data(f, 0x30, 3, v), 3);
    assert_memory_equal(v, "xyz", 3);
    assert_string_equal(bench_trace(&h->bench),
                        "S 50 W A P\n"
                        "S 50 W A 10 A ab A P\n"
                        "S 50 W A 10 A Sr 50 R A ab N P\n"
                        "S 50 W A 20 A ef A be A P\n"
                        "S 50 W A 20 A Sr 50 R A ef A be N P\n"
                        "S 50 W A 10 A P\n"
                        "S 50 R A ab N P\n"
                        "S 50 W A 30 A 78 A 79 A 7a A P\n"
                        "S 50 W A 30 A Sr 50 R A 78 A 79 A 7a N P\n");
    assert_int_equal(i2cemu_smbus_set_addr(f, ABSENT_I2C), 0);
    assert_int_equal(i2cemu_smbus_read_byte_data(f, 0), -ENXIO);
}

/* libi2c reads 32 bytes with the legacy size 6, and always writes with it. */
static void api_i2c_block_32(void **state)
{
    struct h *h = *state;
    uint8_t v[40];

    memset(v, 0x11, sizeof v);
    assert_int_equal(i2cemu_smbus_set_addr(&h->f, T_ADDR), 0);
    assert_int_equal(i2cemu_smbus_write_i2c_block_data(&h->f, 0, 40, v), 0);
    memset(v, 0, sizeof v);
    assert_int_equal(i2cemu_smbus_read_i2c_block_data(&h->f, 0, 40, v), 32);
    assert_int_equal(v[31], 0x11);
    assert_int_equal(v[32], 0);
}

static void api_smbus_access_on_stub(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { .word = 1 };

    assert_int_equal(i2cemu_smbus_access(&h->f, I2C_SMBUS_WRITE, 0,
                                         I2C_SMBUS_PROC_CALL, &d),
                     -EOPNOTSUPP);
    assert_int_equal(i2cemu_smbus_write_byte_data(&h->f, 0x10, 0x99), 0);
    assert_int_equal(i2cemu_smbus_read_byte_data(&h->f, 0x10), 0x99);
}

static void api_rdwr(void **state)
{
    struct h *h = *state;
    uint8_t w[3] = { 0x10, 1, 2 }, r[2] = { 0 };
    struct i2c_msg m[2] = {
        { .addr = T_ADDR, .len = 3, .buf = w },
        { .addr = T_ADDR, .flags = I2C_M_RD, .len = 2, .buf = r },
    };

    assert_int_equal(i2cemu_rdwr(&h->f, m, 1), 1);
    m[0].len = 1;
    assert_int_equal(i2cemu_rdwr(&h->f, m, 2), 2);
    assert_memory_equal(r, "\x01\x02", 2);
    assert_int_equal(i2cemu_rdwr(&h->f, NULL, 1), -EINVAL);
    m[1].addr = ABSENT_I2C;
    assert_int_equal(i2cemu_rdwr(&h->f, &m[1], 1), -ENXIO);
}

/* The sync helpers return like the syscall: -1 and errno. */
static void sync_helpers(void **state)
{
    struct h *h = *state;
    uint8_t b[2] = { 0 };
    unsigned long funcs = 0;

    assert_int_equal(i2cemu_i2cdev_ioctl_sync(&h->f, I2C_FUNCS, &funcs), 0);
    assert_int_equal(funcs, 0x0FFF8009);
    errno = 0;
    assert_int_equal(i2cemu_i2cdev_ioctl_sync(&h->f, I2C_FUNCS, NULL), -1);
    assert_int_equal(errno, EFAULT);
    assert_int_equal(i2cemu_i2cdev_ioctl_sync(&h->f, 0x0709, NULL), -1);
    assert_int_equal(errno, ENOTTY);
    assert_int_equal(i2cemu_i2cdev_ioctl_sync(&h->f, I2C_SLAVE, (void *)T_ADDR), 0);
    assert_int_equal(i2cemu_i2cdev_write_sync(&h->f, "\x40\x07\x08", 3), 3);
    assert_int_equal(i2cemu_i2cdev_write_sync(&h->f, "\x40", 1), 1);
    assert_int_equal(i2cemu_i2cdev_read_sync(&h->f, b, 2), 2);
    assert_memory_equal(b, "\x07\x08", 2);
    assert_int_equal(i2cemu_i2cdev_ioctl_sync(&h->f, I2C_SLAVE, (void *)ABSENT_I2C),
                     0);
    assert_int_equal(i2cemu_i2cdev_read_sync(&h->f, b, 2), -1);
    assert_int_equal(errno, ENXIO);
}

/* Two requests queued on one bus complete in order; cancelling the second
 * before it runs still calls its done with ECANCELED. */
static void done_count(struct i2cemu_i2cdev_req *req)
{
    (*(int *)req->opaque)++;
}

static void cancel_queued_request(void **state)
{
    struct h *h = *state;
    struct i2cemu_umem *um = &h->umem;
    struct i2cemu_i2cdev_req a, b;
    int na = 0, nb = 0;

    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    /* Another master holds the bus, so both requests wait. */
    i2cemu_bus_inject_hold(h->bench.b, h->bus, 1000000);
    i2cemu_i2cdev_req_init(&a, I2CEMU_I2CDEV_OP_WRITE);
    i2cemu_i2cdev_req_init(&b, I2CEMU_I2CDEV_OP_WRITE);
    a.count = b.count = 1;
    a.wbuf = (const uint8_t *)"\x10";
    b.wbuf = (const uint8_t *)"\x20";
    assert_int_equal(i2cemu_i2cdev_prepare(&h->f, &a, um), I2CEMU_I2CDEV_SUBMIT);
    assert_int_equal(i2cemu_i2cdev_prepare(&h->f, &b, um), I2CEMU_I2CDEV_SUBMIT);
    a.opaque = &na;
    b.opaque = &nb;
    i2cemu_i2cdev_submit(&h->f, &a, done_count);
    i2cemu_i2cdev_submit(&h->f, &b, done_count);
    i2cemu_i2cdev_cancel(&b);
    assert_int_equal(nb, 1);
    assert_int_equal(b.result, -ECANCELED);
    while (!na)
        i2cemu_loop_run_once(h->bench.loop, true);
    assert_int_equal(a.result, 1);
    assert_string_equal(bench_trace(&h->bench), "S 50 W A 10 A P\n");
    i2cemu_i2cdev_req_release(&a);
    i2cemu_i2cdev_req_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(api_smbus_helpers, setup_i2c, teardown),
        cmocka_unit_test_setup_teardown(api_i2c_block_32, setup_i2c, teardown),
        cmocka_unit_test_setup_teardown(api_smbus_access_on_stub, setup_stub,
                                        teardown),
        cmocka_unit_test_setup_teardown(api_rdwr, setup_i2c, teardown),
        cmocka_unit_test_setup_teardown(sync_helpers, setup_i2c, teardown),
        cmocka_unit_test_setup_teardown(cancel_queued_request, setup_i2c,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
