/* SPDX-License-Identifier: MIT */
/* PCF857x quasi-bidirectional GPIO expanders. */
#include "devtest.h"

/* A pin reads latch AND external level; power on: all released, high. */
static void test_pcf8574_pins(void **state)
{
    (void)state;
    struct bench t;
    uint8_t buf[3];
    unsigned dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL,
                                  "pcf8574,addr=0x38");
    assert_int_equal(bench_xfer(&t, 0x38, NULL, 0, buf, 2), 1);
    assert_bytes(buf, 0xFF, 0xFF);
    bench_set(&t, dev, "inputs", "0x0F");
    assert_int_equal(bench_xfer(&t, 0x38, NULL, 0, buf, 1), 1);
    assert_int_equal(buf[0], 0x0F);
    /* Drive P0 and P7 low: they read 0 whatever is outside. */
    bench_write(&t, 0x38, 0x7E);
    assert_int_equal(bench_get_num(&t, dev, "outputs"), 0x7E);
    assert_int_equal(bench_xfer(&t, 0x38, NULL, 0, buf, 1), 1);
    assert_int_equal(buf[0], 0x0E);
    /* Every written byte is the latch; the last one stays. */
    bench_write(&t, 0x38, 0x00, 0xF0);
    assert_int_equal(bench_get_num(&t, dev, "outputs"), 0xF0);
    bench_refuse(&t, "pcf8574,addr=0x30", "0x20-0x27 or 0x38-0x3f");
    bench_refuse(&t, "pcf8574,addr=0x21,inputs=0x100", "inputs");
    bench_fini(&t);
}

/* The PCF8575: P0 then P1, alternately, for reads and writes. */
static void test_pcf8575_ports(void **state)
{
    (void)state;
    struct bench t;
    uint8_t buf[3];
    unsigned dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL,
                                  "pcf8575,addr=0x20,inputs=0xA55A");
    assert_int_equal(bench_xfer(&t, 0x20, NULL, 0, buf, 3), 1);
    assert_bytes(buf, 0x5A, 0xA5, 0x5A);
    bench_write(&t, 0x20, 0x0F, 0xF0);
    assert_int_equal(bench_get_num(&t, dev, "outputs"), 0xF00F);
    assert_int_equal(bench_xfer(&t, 0x20, NULL, 0, buf, 2), 1);
    assert_bytes(buf, 0x0A, 0xA0);
    bench_refuse(&t, "pcf8575,addr=0x38", "0x20-0x27");
    bench_fini(&t);
}

/* INT: a released pin changing asserts it at once; a read or a write of
 * the port clears it; a pin driven low does not interrupt. */
static void test_interrupt(void **state)
{
    (void)state;
    struct bench t;
    uint8_t v;
    unsigned dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL,
                                  "pcf8574,addr=0x20");
    assert_false(bench_line(&t, dev, "int"));
    bench_set(&t, dev, "inputs", "0xFE");
    assert_true(bench_line(&t, dev, "int"));
    assert_int_equal(bench_xfer(&t, 0x20, NULL, 0, &v, 1), 1);
    assert_int_equal(v, 0xFE);
    assert_false(bench_line(&t, dev, "int"));
    bench_set(&t, dev, "inputs", "0xFF");
    assert_true(bench_line(&t, dev, "int"));
    bench_write(&t, 0x20, 0xFF);
    assert_false(bench_line(&t, dev, "int"));
    bench_set(&t, dev, "inputs", "0xFE");
    assert_true(bench_line(&t, dev, "int"));
    bench_set(&t, dev, "inputs", "0xFF"); /* back: released */
    assert_false(bench_line(&t, dev, "int"));
    bench_write(&t, 0x20, 0xFE); /* P0 driven low */
    bench_set(&t, dev, "inputs", "0xFE");
    assert_false(bench_line(&t, dev, "int"));
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pcf8574_pins),
        cmocka_unit_test(test_pcf8575_ports),
        cmocka_unit_test(test_interrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
