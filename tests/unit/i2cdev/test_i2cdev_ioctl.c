// SPDX-License-Identifier: MIT
/* i2c-dev argument handling, common to every adapter (i2c-dev-abi.md
 * sections 1, 2 and 3; checklist 8.1 to 8.5), and 32-bit callers. [ALL]
 * cases run on the i2c fixture, whose trace also shows that a refused call
 * made no bus traffic; [STUB] cases on F-STUB. I2C_RDWR:
 * test_i2cdev_rdwr.c; the NEED protocol: test_i2cdev_need.c. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "harness.h"

#define BAD ((uintptr_t)1) /* a pointer the client cannot access */

static void assert_no_traffic(struct h *h)
{
    assert_string_equal(bench_trace(&h->bench), "");
}

/* ---- 8.1 file operations ---------------------------------------------- */

static void C1_open_gives_a_fresh_client(void **state)
{
    struct h *h = *state;
    struct i2cemu_i2cdev_file f;

    h_open(h, &f);
    assert_int_equal(f.addr, 0);
    assert_int_equal(f.flags, 0);
    assert_true(f.readable && f.writable);
    assert_int_equal(i2cemu_i2cdev_open(&f, h->bench.b, 42, O_RDWR), -ENODEV);
    assert_no_traffic(h);
}

static void C2_unknown_ioctl_is_enotty(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, 0x0709, 0), -ENOTTY);
    assert_int_equal(h_ioctl(h, 0x0721, 0), -ENOTTY);
}

static void C3_tcgets_is_enotty(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, 0x5401 /* TCGETS */, 0), -ENOTTY);
}

/* The syscall takes the request as an unsigned int: upper bits of an
 * unsigned long request are dropped. */
static void ioctl_request_is_an_unsigned_int(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, 0x100000000ul | I2C_SLAVE, 0x50), 0);
    assert_int_equal(h->f.addr, 0x50);
}

static void C6_rdonly_file_takes_ioctls_but_not_write(void **state)
{
    struct h *h = *state;
    unsigned long funcs = 0;
    uint8_t b = 0;

    assert_int_equal(i2cemu_i2cdev_open(&h->f, h->bench.b, 1, O_RDONLY), 0);
    assert_int_equal(h_ioctl(h, I2C_FUNCS, (uintptr_t)&funcs), 0);
    assert_int_equal(funcs, 0x0FFF8009);
    assert_int_equal(h_write(h, &b, 1), -EBADF);
    /* and the other way round */
    assert_int_equal(i2cemu_i2cdev_open(&h->f, h->bench.b, 1, O_WRONLY), 0);
    assert_int_equal(h_read(h, &b, 1), -EBADF);
    /* Access mode 3 (O_ACCMODE) opens for ioctls only: the VFS grants
     * neither FMODE_READ nor FMODE_WRITE ((flags + 1) & O_ACCMODE). */
    assert_int_equal(i2cemu_i2cdev_open(&h->f, h->bench.b, 1, O_ACCMODE), 0);
    assert_int_equal(h_ioctl(h, I2C_FUNCS, (uintptr_t)&funcs), 0);
    assert_int_equal(h_read(h, &b, 1), -EBADF);
    assert_int_equal(h_write(h, &b, 1), -EBADF);
    assert_no_traffic(h);
}

/* ---- 8.2 I2C_FUNCS ---------------------------------------------------- */

static unsigned long funcs_of_new_bus(struct h *h, const char *spec)
{
    struct i2cemu_error err = { "" };
    struct i2cemu_i2cdev_file f;
    unsigned long funcs = 0;

    if (i2cemu_bus_add_spec(h->bench.b, spec, &err) < 0)
        fail_msg("%s: %s", spec, err.msg);
    assert_int_equal(i2cemu_i2cdev_open(&f, h->bench.b, atoi(spec), O_RDWR), 0);
    assert_int_equal(h_ioctl_on(h, &f, I2C_FUNCS, (uintptr_t)&funcs), 0);
    return funcs;
}

static void C7_stub_default_funcs(void **state)
{
    assert_int_equal(funcs_of_new_bus(*state, "7 profile=stub"), 0x0C7F0000);
}

static void C8_stub_funcs_are_clipped(void **state)
{
    assert_int_equal(funcs_of_new_bus(*state, "8 profile=stub funcs=0xFFFFFFFF"),
                     0x0F7F0000);
}

static void C9_i2c_funcs(void **state)
{
    struct h *h = *state;
    unsigned long funcs = 0;

    assert_int_equal(h_ioctl(h, I2C_FUNCS, (uintptr_t)&funcs), 0);
    assert_int_equal(funcs, 0x0FFF8009);
}

static void C10_funcs_null_is_efault(void **state)
{
    assert_int_equal(h_ioctl(*state, I2C_FUNCS, 0), -EFAULT);
}

static void C11_funcs_writes_a_long(void **state)
{
    struct h *h = *state;
    uint8_t buf[16];
    unsigned long want = 0x0FFF8009;

    memset(buf, 0xAA, sizeof buf);
    assert_int_equal(h_ioctl(h, I2C_FUNCS, (uintptr_t)buf), 0);
    assert_memory_equal(buf, &want, 8);
    for (int i = 8; i < 16; i++)
        assert_int_equal(buf[i], 0xAA);
}

/* ---- 8.3 I2C_SLAVE, I2C_SLAVE_FORCE, I2C_TENBIT -------------------------- */

static void C12_slave_sets_the_address(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x52), 0);
    assert_int_equal(h->f.addr, 0x52);
    assert_no_traffic(h);
}

static void C13_slave_0x80_without_tenbit(void **state)
{
    assert_int_equal(h_ioctl(*state, I2C_SLAVE, 0x80), -EINVAL);
}

static void C14_no_reserved_address_filter(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x00), 0);
    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x7F), 0);
    assert_int_equal(h->f.addr, 0x7F);
}

static void C15_slave_minus_one(void **state)
{
    assert_int_equal(h_ioctl(*state, I2C_SLAVE, (uintptr_t)-1), -EINVAL);
}

static void C16_force_checks_the_range_too(void **state)
{
    assert_int_equal(h_ioctl(*state, I2C_SLAVE_FORCE, 0x80), -EINVAL);
}

static void C17_tenbit_range(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_TENBIT, 1), 0);
    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x3FF), 0);
    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x400), -EINVAL);
    assert_int_equal(h->f.addr, 0x3FF);
}

static void C18_tenbit_any_nonzero(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_TENBIT, 2), 0);
    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x100), 0);
}

static void C19_tenbit_cleared(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_TENBIT, 1), 0);
    assert_int_equal(h_ioctl(h, I2C_TENBIT, 0), 0);
    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x80), -EINVAL);
}

static void C22_slave_on_driver_bound_address(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x52), -EBUSY);
    assert_int_equal(h->f.addr, 0);
}

static void C23_force_on_driver_bound_address(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_SLAVE_FORCE, 0x52), 0);
    assert_int_equal(h->f.addr, 0x52);
}

static void C24_slave_on_client_without_driver(void **state)
{
    assert_int_equal(h_ioctl(*state, I2C_SLAVE, 0x08), 0);
}

static void C25_stub_quick_without_slave(void **state)
{
    struct h *h = *state;

    h_open(h, &h->f); /* a new fd: address 0x00 */
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0, I2C_SMBUS_QUICK, NULL),
                     -ENODEV);
}

static void C26_i2c_write_without_slave(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_write(h, "\x01", 1), -ENXIO);
    assert_string_equal(bench_trace(&h->bench), "S 00 W N P\n");
}

/* ---- 8.4 I2C_PEC, I2C_RETRIES, I2C_TIMEOUT --------------------------- */

static void C27_pec_never_fails(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_PEC, 1), 0);
    assert_int_equal(h->f.flags, 0x0004);
    assert_int_equal(h_ioctl(h, I2C_PEC, 0), 0);
    assert_int_equal(h->f.flags, 0);
}

/* Retries are adapter-wide: set through one file, they count for another;
 * lost arbitration is retried `retries` times (section 4.6). */
static void C28_retries(void **state)
{
    struct h *h = *state;
    struct i2cemu_i2cdev_file other;

    h_open(h, &other);
    assert_int_equal(h_ioctl(h, I2C_RETRIES, 3), 0);
    i2cemu_bus_inject_arbitration_loss(h->bench.b, h->bus, 3);
    assert_int_equal(h_ioctl_on(h, &other, I2C_SLAVE, 0x50), 0);
    h->f = other;
    assert_int_equal(h_write(h, "", 0), 0);
    assert_int_equal(h_ioctl(h, I2C_RETRIES, 0), 0);
    i2cemu_bus_inject_arbitration_loss(h->bench.b, h->bus, 1);
    assert_int_equal(h_write(h, "", 0), -EAGAIN);
}

static void C29_retries_above_int_max(void **state)
{
    assert_int_equal(h_ioctl(*state, I2C_RETRIES, 0x80000000u), -EINVAL);
}

static void C30_timeout(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_TIMEOUT, 100), 0);
    assert_int_equal(h_ioctl(h, I2C_TIMEOUT, 0), 0);
}

static void C31_timeout_above_int_max(void **state)
{
    assert_int_equal(h_ioctl(*state, I2C_TIMEOUT, 0x80000000u), -EINVAL);
}

static void C32_timeout_newest_bound(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_TIMEOUT, INT_MAX / 10 + 1), -EINVAL);
    assert_int_equal(h_ioctl(h, I2C_TIMEOUT, INT_MAX / 10), 0);
}

/* ---- 8.5 I2C_SMBUS argument handling ------------------------------------ */

static void C33_smbus_null_arg(void **state)
{
    assert_int_equal(h_ioctl(*state, I2C_SMBUS, 0), -EFAULT);
}

static void C34_smbus_bad_size(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { 0 };

    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0, 9, &d), -EINVAL);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0, 0xFFFFFFFF, &d), -EINVAL);
    assert_no_traffic(h);
}

static void C35_smbus_bad_direction(void **state)
{
    struct h *h = *state;
    union i2c_smbus_data d = { 0 };

    assert_int_equal(h_smbus(h, 2, 0, I2C_SMBUS_BYTE_DATA, &d), -EINVAL);
    assert_no_traffic(h);
}

static void C36_quick_bad_direction(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_smbus(h, 2, 0, I2C_SMBUS_QUICK, NULL), -EINVAL);
    assert_no_traffic(h);
}

static void C40_receive_byte_null_data(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_READ, 0, I2C_SMBUS_BYTE, NULL),
                     -EINVAL);
    assert_no_traffic(h);
}

static void C42_write_byte_data_null_data(void **state)
{
    struct h *h = *state;

    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0, I2C_SMBUS_BYTE_DATA, NULL),
                     -EINVAL);
    assert_no_traffic(h);
}

/* ---- compat (32-bit callers, section 0.3) -------------------------------- */

static void compat_funcs_writes_4_bytes(void **state)
{
    struct h *h = *state;
    uint8_t buf[8];
    uint32_t want = 0x0FFF8009;

    memset(buf, 0xAA, sizeof buf);
    h->compat = true;
    assert_int_equal(h_ioctl(h, I2C_FUNCS, (uintptr_t)buf), 0);
    assert_memory_equal(buf, &want, 4);
    for (int i = 4; i < 8; i++)
        assert_int_equal(buf[i], 0xAA);
}

/* Memory a 32-bit pointer can reach. */
static uint8_t *low_page(void)
{
#ifdef MAP_32BIT
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

    return p == MAP_FAILED ? NULL : p;
#else
    return NULL;
#endif
}

static void compat_smbus_and_rdwr(void **state)
{
    struct h *h = *state;
    uint8_t *low = low_page();
    struct msg32 { uint16_t addr, flags, len; uint32_t buf; } *m;
    uint32_t rdwr[2];
    union i2c_smbus_data *d;

    if (!low)
        skip();
    h->compat = true;
    assert_int_equal(h_ioctl(h, I2C_SLAVE, T_ADDR), 0);
    /* I2C_SMBUS: write word 0x10 = 0x1234 */
    d = (union i2c_smbus_data *)low;
    d->word = 0x1234;
    assert_int_equal(h_smbus(h, I2C_SMBUS_WRITE, 0x10, I2C_SMBUS_WORD_DATA, d),
                     0);
    /* I2C_RDWR [W 0x50: 10] [R 0x50: 2] */
    m = (struct msg32 *)(low + 64);
    low[128] = 0x10;
    m[0] = (struct msg32){ T_ADDR, 0, 1, (uint32_t)(uintptr_t)(low + 128) };
    m[1] = (struct msg32){ T_ADDR, I2C_M_RD, 2,
                           (uint32_t)(uintptr_t)(low + 130) };
    rdwr[0] = (uint32_t)(uintptr_t)m;
    rdwr[1] = 2;
    assert_int_equal(h_ioctl(h, I2C_RDWR, (uintptr_t)rdwr), 2);
    assert_int_equal(low[130], 0x34);
    assert_int_equal(low[131], 0x12);
    assert_string_equal(bench_trace(&h->bench), "S 50 W A 10 A 34 A 12 A P\n"
                                    "S 50 W A 10 A Sr 50 R A 34 A 12 N P\n");
    munmap(low, 4096);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        H_TEST(C1_open_gives_a_fresh_client, i2c),
        H_TEST(C2_unknown_ioctl_is_enotty, i2c),
        H_TEST(C3_tcgets_is_enotty, i2c),
        H_TEST(ioctl_request_is_an_unsigned_int, i2c),
        H_TEST(C6_rdonly_file_takes_ioctls_but_not_write, i2c),
        H_TEST(C7_stub_default_funcs, stub),
        H_TEST(C8_stub_funcs_are_clipped, stub),
        H_TEST(C9_i2c_funcs, i2c),
        H_TEST(C10_funcs_null_is_efault, i2c),
        H_TEST(C11_funcs_writes_a_long, i2c),
        H_TEST(C12_slave_sets_the_address, i2c),
        H_TEST(C13_slave_0x80_without_tenbit, i2c),
        H_TEST(C14_no_reserved_address_filter, i2c),
        H_TEST(C15_slave_minus_one, i2c),
        H_TEST(C16_force_checks_the_range_too, i2c),
        H_TEST(C17_tenbit_range, i2c),
        H_TEST(C18_tenbit_any_nonzero, i2c),
        H_TEST(C19_tenbit_cleared, i2c),
        H_TEST(C22_slave_on_driver_bound_address, busy),
        H_TEST(C23_force_on_driver_bound_address, busy),
        H_TEST(C24_slave_on_client_without_driver, busy),
        H_TEST(C25_stub_quick_without_slave, stub),
        H_TEST(C26_i2c_write_without_slave, i2c),
        H_TEST(C27_pec_never_fails, i2c),
        H_TEST(C28_retries, i2c),
        H_TEST(C29_retries_above_int_max, i2c),
        H_TEST(C30_timeout, i2c),
        H_TEST(C31_timeout_above_int_max, i2c),
        H_TEST(C32_timeout_newest_bound, i2c),
        H_TEST(C33_smbus_null_arg, i2c),
        H_TEST(C34_smbus_bad_size, i2c),
        H_TEST(C35_smbus_bad_direction, i2c),
        H_TEST(C36_quick_bad_direction, i2c),
        H_TEST(C40_receive_byte_null_data, i2c),
        H_TEST(C42_write_byte_data_null_data, i2c),
        H_TEST(compat_funcs_writes_4_bytes, i2c),
        H_TEST(compat_smbus_and_rdwr, i2c),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
