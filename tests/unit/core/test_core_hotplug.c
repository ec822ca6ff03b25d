/* SPDX-License-Identifier: MIT */
/* Device ids (id=) and hot-unplug: i2cemu_device_remove() and the
 * tombstone it leaves (docs/control.md, "add" and "del"). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "rig.h"
#include "testdevs.h"

static void ids_name_devices(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    unsigned a = bench_add(&r, "tmp102,addr=0x48,id=cpu-temp_1");
    unsigned b = bench_add(&r, "tmp102,addr=0x49");
    assert_string_equal(i2cemu_device_id(r.b, a), "cpu-temp_1");
    assert_string_equal(i2cemu_device_id(r.b, b), "");
    assert_int_equal(i2cemu_device_find_id(r.b, "cpu-temp_1"), a);
    assert_int_equal(i2cemu_device_find_id(r.b, "cpu"), -1);
    assert_int_equal(i2cemu_device_find_id(r.b, ""), -1);
    bench_refuse(&r, "tmp102,addr=0x4a,id=cpu-temp_1",
                 "id=cpu-temp_1: another device already has that id");
    bench_refuse(&r, "tmp102,addr=0x4a,id=1-0048", "id=1-0048: expected a "
                 "letter then letters, digits, '_' or '-', at most 31");
    bench_refuse(&r, "tmp102,addr=0x4a,id=a.b", "id=a.b: expected");
    bench_refuse(&r, "tmp102,addr=0x4a,id=", "id=: expected");
    bench_refuse(&r, "tmp102,addr=0x4a,id=abcdefghijabcdefghijabcdefghijab",
                 "at most 31");
    bench_add(&r, "tmp102,addr=0x4a,id=abcdefghijabcdefghijabcdefghija");
    /* A removed device's id is free again. */
    assert_int_equal(i2cemu_device_remove(r.b, a, &r.err), 0);
    assert_int_equal(i2cemu_device_find_id(r.b, "cpu-temp_1"), -1);
    bench_add(&r, "tmp102,addr=0x4b,id=cpu-temp_1");
    bench_fini(&r);
}

static void a_removed_device_nacks_and_is_skipped(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add_type(&r, &test_reg, "addr=0x50");
    unsigned other = bench_add_type(&r, &test_reg, "addr=0x51");
    bench_write(&r, 0x50, 0x00, 0x11);
    assert_int_equal(i2cemu_device_remove(r.b, dev, &r.err), 0);
    assert_false(i2cemu_device_present(r.b, dev));
    assert_true(i2cemu_device_present(r.b, other));
    assert_false(i2cemu_device_present(r.b, 99));
    assert_int_equal(i2cemu_device_find(r.b, 0, 0x50), -1);
    assert_int_equal(bench_xfer(&r, 0x50, BYTES(0x00), NULL, 0), -ENXIO);
    bench_write(&r, 0x51, 0x00, 0x22);
    /* Indices never move: the other device is where it was. */
    assert_int_equal(i2cemu_device_find(r.b, 0, 0x51), other);
    assert_int_equal(i2cemu_device_remove(r.b, dev, &r.err), -1);
    assert_string_equal(r.err.msg, "device 0 is already removed");
    /* Its address is free for a new device, which answers at once. */
    unsigned again = bench_add_type(&r, &test_reg, "addr=0x50");
    assert_int_not_equal(again, dev);
    bench_write(&r, 0x50, 0x00, 0x33);
    struct reg_state *s = i2cemu_device_state(r.b, again);
    assert_int_equal(s->reg[0], 0x33);
    bench_fini(&r);
}

/* A transfer in flight completes first; the device goes at its end. */
static void removal_waits_for_the_transfer_in_flight(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    unsigned st = bench_add_type(&r, &test_stretch, "addr=0x40,delay-us=100");
    unsigned reg = bench_add_type(&r, &test_reg, "addr=0x50");
    uint8_t b1[] = {0x01, 0x02}, b2[] = {0x00, 0x44};
    struct i2c_msg m[] = {{.addr = 0x40, .len = 2, .buf = b1},
                          {.addr = 0x50, .len = 2, .buf = b2}};
    struct bench_job j = {0};
    bench_submit(&r, 0, &j, m, 2);
    assert_false(j.done);
    /* Both the device holding the clock and one the transfer has yet to
     * address stay until its STOP. */
    assert_int_equal(i2cemu_device_remove(r.b, st, &r.err), 1);
    assert_int_equal(i2cemu_device_remove(r.b, reg, &r.err), 1);
    assert_true(i2cemu_device_present(r.b, st));
    assert_int_equal(i2cemu_device_remove(r.b, reg, &r.err), -1);
    i2cemu_loop_advance(r.loop, 1 * MS);
    assert_true(j.done);
    assert_int_equal(j.t.result, 2);
    assert_false(i2cemu_device_present(r.b, st));
    assert_false(i2cemu_device_present(r.b, reg));
    assert_int_equal(bench_xfer(&r, 0x50, BYTES(0x00), NULL, 0), -ENXIO);
    bench_fini(&r);
}

static void a_mux_is_not_removed(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_VIRTUAL);
    unsigned mux = bench_add_type(&r, &test_mux, "addr=0x70");
    assert_int_equal(i2cemu_device_remove(r.b, mux, &r.err), -1);
    assert_non_null(strstr(r.err.msg, "a mux cannot be removed"));
    assert_true(i2cemu_device_present(r.b, mux));
    bench_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ids_name_devices),
        cmocka_unit_test(a_removed_device_nacks_and_is_skipped),
        cmocka_unit_test(removal_waits_for_the_transfer_in_flight),
        cmocka_unit_test(a_mux_is_not_removed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
