// SPDX-License-Identifier: MIT
/* The NEED protocol (i2cdev.h): which client memory a request asks for,
 * in which order, and which it lists as outputs, as the kernel copies it
 * in and out. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define BAD ((uintptr_t)1) /* a pointer the client cannot access */

static void assert_no_traffic(struct h *h)
{
    assert_string_equal(bench_trace(&h->bench), "");
}

/* ---- the NEED protocol ------------------------------------------------- */

/* Regions come in the kernel's order: the argument, the message array,
 * then the buffers. The preload shim fetches them one at a time; CUSE
 * fetches the buffers of both messages at once (nothing between their
 * copies can fail but by EFAULT). Only the last pass reaches the bus. */
static void rdwr_fetches_in_kernel_order(void **state)
{
    struct h *h = *state;
    uint8_t w[1] = { 0x10 }, r[2];
    struct i2c_msg m[2] = {
        { .addr = T_ADDR, .len = 1, .buf = w },
        { .addr = T_ADDR, .flags = I2C_M_RD, .len = 2, .buf = r },
    };

    assert_int_equal(h_rdwr(h, m, 2), 2);
    assert_int_equal(h->passes, h->fetch ? (h->fetch_one ? 5 : 4) : 1);
    assert_string_equal(bench_trace(&h->bench),
                        "S 50 W A 10 A Sr 50 R A 00 A 00 N P\n");
}

/* Decoded once however many passes it takes (i2cdev.h): after NEED,
 * prepare continues where it stopped, so the argument, the message array
 * and each buffer are copied once, as the kernel copies them. */
static void rdwr_copies_each_region_once(void **state)
{
    struct h *h = *state;
    uint8_t w[1] = { 0x10 }, r[2], blk[34] = { 1 };
    struct i2c_msg m[3] = {
        { .addr = T_ADDR, .len = 1, .buf = w },
        { .addr = T_ADDR, .flags = I2C_M_RD, .len = 2, .buf = r },
        { .addr = K_ADDR, .flags = I2C_M_RD | I2C_M_RECV_LEN, .len = 34,
          .buf = blk },
    };

    assert_int_equal(h_rdwr(h, m, 2), 2);
    assert_int_equal(h->copies, 4);
    /* A failure in a later pass too: the RECV_LEN check of message 2. */
    blk[0] = 0;
    assert_int_equal(h_rdwr(h, m, 3), -EINVAL);
    assert_int_equal(h->copies, 5);
}

/* I2C_SMBUS too: the argument and the data are each copied once, however
 * many passes (CUSE: two NEEDs, the argument then the data). */
static void smbus_copies_each_region_once(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { .block = { 4 } };

    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    /* A fault at the data, in the pass after the argument's. */
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0x10, I2C_SMBUS_BYTE_DATA,
                             (void *)BAD), -EFAULT);
    assert_int_equal(h->copies, 1);
    assert_no_traffic(h);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0x00,
                             I2C_SMBUS_I2C_BLOCK_DATA, &d), 0);
    assert_int_equal(h->copies, 2);
    assert_int_equal(d.block[0], 4);
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0x10, I2C_SMBUS_BYTE_DATA,
                             &d), 0);
    assert_int_equal(h->copies, 2);
}

/* A fault in a later message, or a check of an earlier one, decides as in
 * the kernel however many buffers a NEED asks for: the RECV_LEN check of a
 * message comes before the next message's copy, and a copy before the next
 * message's checks. */
static void rdwr_checks_between_copies_keep_their_order(void **state)
{
    struct h *h = *state;
    uint8_t w[1] = { 0x10 }, bad_prefix[40] = { 0 }, good_prefix[40] = { 1 };
    struct i2c_msg m[3] = {
        { .addr = K_ADDR, .len = 1, .buf = w },
        { .addr = K_ADDR, .flags = I2C_M_RD | I2C_M_RECV_LEN, .len = 40,
          .buf = bad_prefix },
        { .addr = K_ADDR, .len = 4, .buf = (uint8_t *)BAD },
    };

    assert_int_equal(h_rdwr(h, m, 3), -EINVAL); /* m[2] is never copied */
    m[1].buf = good_prefix;
    assert_int_equal(h_rdwr(h, m, 3), -EFAULT);
    /* A fault before a failing RECV_LEN check wins. */
    m[1] = (struct i2c_msg){ .addr = K_ADDR, .len = 4,
                             .buf = (uint8_t *)BAD };
    m[2] = (struct i2c_msg){ .addr = K_ADDR,
                             .flags = I2C_M_RD | I2C_M_RECV_LEN, .len = 40,
                             .buf = bad_prefix };
    assert_int_equal(h_rdwr(h, m, 3), -EFAULT);
    assert_no_traffic(h);
}

/* Client memory with only the regions listed; the rest is to be fetched. */
struct some_mem {
    struct i2cemu_umem umem;
    struct { const void *p; size_t len; } r[2];
};

static int some_mem_read(struct i2cemu_umem *um, uint64_t addr, void *dst,
                         size_t len)
{
    struct some_mem *m = (struct some_mem *)um;

    for (unsigned i = 0; i < 2; i++)
        if (addr == (uintptr_t)m->r[i].p && len == m->r[i].len) {
            memcpy(dst, m->r[i].p, len);
            return 0;
        }
    return -EAGAIN;
}

/* Which buffers one NEED lists (i2cdev.h): from the missing one on, up to
 * and with the first RECV_LEN message, short of an over-long one, leaving
 * out empty ones; and the read buffers are already listed as outputs, last
 * message first. */
static void rdwr_need_lists_the_buffers_copied_next(void **state)
{
    struct h *h = *state;
    static uint8_t a[1], b[4], c[40], d[2], e[8193];
    struct i2c_msg m[5] = {
        { .addr = T_ADDR, .len = 1, .buf = a },
        { .addr = T_ADDR, .flags = I2C_M_RD, .len = 0, .buf = d },
        { .addr = T_ADDR, .flags = I2C_M_RD, .len = 4, .buf = b },
        { .addr = T_ADDR, .flags = I2C_M_RD | I2C_M_RECV_LEN, .len = 40,
          .buf = c },
        { .addr = T_ADDR, .flags = I2C_M_RD, .len = 2, .buf = d },
    };
    struct i2c_rdwr_ioctl_data arg = { .msgs = m, .nmsgs = 5 };
    struct some_mem mem = { { some_mem_read },
                            { { &arg, sizeof arg }, { m, sizeof m } } };
    struct i2cemu_i2cdev_req req;

    i2cemu_i2cdev_req_init(&req, I2CEMU_I2CDEV_OP_IOCTL);
    req.cmd = I2C_RDWR;
    req.arg = (uintptr_t)&arg;
    assert_int_equal(i2cemu_i2cdev_prepare(&h->f, &req, &mem.umem), I2CEMU_I2CDEV_NEED);
    assert_int_equal(req.nneed, 3);
    assert_true(req.needs[0].addr == (uintptr_t)a && req.needs[0].len == 1);
    assert_true(req.needs[1].addr == (uintptr_t)b && req.needs[1].len == 4);
    assert_true(req.needs[2].addr == (uintptr_t)c && req.needs[2].len == 40);
    assert_int_equal(req.nout, 3);
    assert_true(req.out[0].addr == (uintptr_t)d && req.out[0].len == 2);
    assert_true(req.out[1].addr == (uintptr_t)c && req.out[1].len == 40);
    assert_true(req.out[2].addr == (uintptr_t)b && req.out[2].len == 4);

    /* A RECV_LEN message first: alone. (A new request each time: after
     * NEED, prepare continues the same one.) */
    m[0] = m[3];
    i2cemu_i2cdev_req_release(&req);
    assert_int_equal(i2cemu_i2cdev_prepare(&h->f, &req, &mem.umem), I2CEMU_I2CDEV_NEED);
    assert_int_equal(req.nneed, 1);
    assert_true(req.needs[0].addr == (uintptr_t)c);

    /* An over-long message ends the list, and its read buffer and the
     * later ones are no outputs: the call fails with EINVAL. */
    m[0] = (struct i2c_msg){ .addr = T_ADDR, .len = 1, .buf = a };
    m[2] = (struct i2c_msg){ .addr = T_ADDR, .flags = I2C_M_RD,
                             .len = 8193, .buf = e };
    i2cemu_i2cdev_req_release(&req);
    assert_int_equal(i2cemu_i2cdev_prepare(&h->f, &req, &mem.umem), I2CEMU_I2CDEV_NEED);
    assert_int_equal(req.nneed, 1);
    assert_true(req.needs[0].addr == (uintptr_t)a);
    assert_int_equal(req.nout, 0);
    i2cemu_i2cdev_req_release(&req);
}

/* I2C_SMBUS lists `data` as an output as soon as the argument is decoded,
 * while it asks for it as an input (I2C block read). */
static void smbus_need_lists_the_output(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { .block = { 4 } };
    struct i2c_smbus_ioctl_data arg = {
        .read_write = I2C_SMBUS_READ, .size = I2C_SMBUS_I2C_BLOCK_DATA,
        .data = &d,
    };
    struct some_mem mem = { { some_mem_read }, { { &arg, sizeof arg } } };
    struct i2cemu_i2cdev_req req;

    i2cemu_i2cdev_req_init(&req, I2CEMU_I2CDEV_OP_IOCTL);
    req.cmd = I2C_SMBUS;
    req.arg = (uintptr_t)&arg;
    assert_int_equal(i2cemu_i2cdev_prepare(&h->f, &req, &mem.umem), I2CEMU_I2CDEV_NEED);
    assert_int_equal(req.nneed, 1);
    assert_true(req.needs[0].addr == (uintptr_t)&d);
    assert_int_equal(req.needs[0].len, sizeof d);
    assert_int_equal(req.nout, 1);
    assert_true(req.out[0].addr == (uintptr_t)&d);
    assert_int_equal(req.out[0].len, sizeof d);
    i2cemu_i2cdev_req_release(&req);
}

/* I2C_SMBUS fetches the argument, then `data` only when the kernel copies
 * it in (section 2.8): never for QUICK, send byte or a plain read. */
static void smbus_fetches_what_the_kernel_copies(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { .block = { 1 } };
    const struct { uint8_t rw; uint32_t size; unsigned passes; } c[] = {
        { I2C_SMBUS_WRITE, I2C_SMBUS_QUICK, 2 },
        { I2C_SMBUS_WRITE, I2C_SMBUS_BYTE, 2 },
        { I2C_SMBUS_READ, I2C_SMBUS_BYTE, 2 },
        { I2C_SMBUS_READ, I2C_SMBUS_BYTE_DATA, 2 },
        { I2C_SMBUS_WRITE, I2C_SMBUS_BYTE_DATA, 3 },
        { I2C_SMBUS_READ, I2C_SMBUS_WORD_DATA, 2 },
        { I2C_SMBUS_READ, I2C_SMBUS_PROC_CALL, 3 },
        { I2C_SMBUS_READ, I2C_SMBUS_I2C_BLOCK_BROKEN, 2 },
        { I2C_SMBUS_READ, I2C_SMBUS_I2C_BLOCK_DATA, 3 },
    };

    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        assert_int_equal(h_smbus(h, c[i].rw, 0, c[i].size, &d), 0);
        assert_int_equal(h->passes, h->fetch ? c[i].passes : 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        H_TEST(rdwr_fetches_in_kernel_order, i2c),
        H_TEST(rdwr_copies_each_region_once, i2c),
        H_TEST(smbus_copies_each_region_once, i2c),
        H_TEST(smbus_fetches_what_the_kernel_copies, i2c),
        H_TEST(rdwr_checks_between_copies_keep_their_order, i2c),
        cmocka_unit_test_setup_teardown(
            rdwr_need_lists_the_buffers_copied_next, setup_i2c, teardown),
        cmocka_unit_test_setup_teardown(smbus_need_lists_the_output,
                                        setup_i2c, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
