/* SPDX-License-Identifier: MIT */
/* PCA9555 GPIO expander driven through the bus master. */
#include "devtest.h"

#define ADDR 0x20

static unsigned rd(struct bench *t, uint8_t cmd)
{
    uint8_t v;
    assert_int_equal(bench_xfer(t, ADDR, &cmd, 1, &v, 1), 2);
    return v;
}

/* The INT output, from the model's state field "int". */
static bool int_asserted(struct bench *t, unsigned dev)
{
    const struct i2cemu_field *f = i2cemu_device_type_of(t->b, dev)->fields;
    while (f->name && strcmp(f->name, "int") != 0)
        f++;
    assert_non_null(f->name);
    assert_int_equal(f->size, sizeof(bool));
    return *(const bool *)((const char *)i2cemu_device_state(t->b, dev) +
                           f->offset);
}

static void test_power_on(void **state)
{
    (void)state;
    struct bench t;
    uint8_t buf[16];
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "pca9555,addr=0x20");
    /* Inputs float high (pull-ups); outputs 0xFF, polarity 0, all pins
     * inputs. Three command bits: 8-15 are 0-7 again. */
    for (uint8_t cmd = 0; cmd < 16; cmd++)
        buf[cmd] = (uint8_t)rd(&t, cmd);
    assert_bytes(buf, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0xFF, 0xFF,
                 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0xFF, 0xFF);
    bench_fini(&t);
}

/* Reads and writes toggle within a register pair, for any length. */
static void test_pointer_toggles(void **state)
{
    (void)state;
    struct bench t;
    uint8_t buf[5];
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "pca9555,addr=0x20,inputs=0x1234");
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(0), buf, 3), 2);
    assert_bytes(buf, 0x34, 0x12, 0x34);
    /* From 3, the next byte goes to 2, then 3 again. */
    bench_write(&t, ADDR, 3, 0xA1, 0xB2, 0xC3);
    assert_int_equal(rd(&t, 2), 0xB2);
    assert_int_equal(rd(&t, 3), 0xC3);
    bench_write(&t, ADDR, 4, 0x0F, 0xF0);
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(5), buf, 4), 2);
    assert_bytes(buf, 0xF0, 0x0F, 0xF0, 0x0F);
    /* A current-address read continues where the last one stopped. */
    assert_int_equal(bench_xfer(&t, ADDR, NULL, 0, buf, 1), 1);
    assert_bytes(buf, 0xF0);
    /* Upper command bits are ignored: 0x0E is configuration port 0. */
    bench_write(&t, ADDR, 0x0E, 0x55, 0xAA);
    assert_int_equal(rd(&t, 6), 0x55);
    assert_int_equal(rd(&t, 7), 0xAA);
    bench_fini(&t);
}

/* Input registers: inputs from the property, outputs from the latch,
 * XOR polarity; writes are acknowledged and ignored. */
static void test_pins_and_polarity(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "pca9555,addr=0x20,inputs=0x00F0");
    assert_int_equal(rd(&t, 0), 0xF0);
    assert_int_equal(rd(&t, 1), 0x00);
    bench_write(&t, ADDR, 2, 0x0A); /* output 0 latch */
    bench_write(&t, ADDR, 6, 0xF0); /* IO0_3-0 outputs */
    assert_int_equal(rd(&t, 0), 0xFA);
    assert_int_equal(rd(&t, 2), 0x0A); /* the latch, not the pins */
    bench_write(&t, ADDR, 4, 0x81);
    assert_int_equal(rd(&t, 0), 0x7B);
    bench_write(&t, ADDR, 0, 0x00, 0x00); /* input ports: ignored */
    assert_int_equal(rd(&t, 0), 0x7B);
    assert_int_equal(rd(&t, 1), 0x00);
    bench_set(&t, dev, "inputs", "0x8000");
    assert_int_equal(rd(&t, 1), 0x80);
    bench_refuse(&t, "pca9555,addr=0x21,inputs=0x10000", "inputs");
    bench_refuse(&t, "pca9555,addr=0x28", "0x20-0x27");
    bench_fini(&t);
}

/* INT: an input change asserts it; reading that port clears it, and so
 * does the pin going back. */
static void test_interrupt(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "pca9555,addr=0x27");
    assert_false(int_asserted(&t, dev));
    bench_set(&t, dev, "inputs", "0xFEFF"); /* IO1_0 low */
    assert_int_equal(bench_xfer(&t, 0x27, NULL, 0, NULL, 0), 1);
    assert_true(int_asserted(&t, dev));
    uint8_t cmd = 0, v;
    assert_int_equal(bench_xfer(&t, 0x27, &cmd, 1, &v, 1), 2);
    assert_true(int_asserted(&t, dev)); /* port 0 did not change */
    cmd = 1;
    assert_int_equal(bench_xfer(&t, 0x27, &cmd, 1, &v, 1), 2);
    assert_int_equal(v, 0xFE);
    assert_false(int_asserted(&t, dev));
    /* Back to the level read last: no interrupt. */
    bench_set(&t, dev, "inputs", "0xFFFF");
    assert_int_equal(bench_xfer(&t, 0x27, NULL, 0, NULL, 0), 1);
    assert_true(int_asserted(&t, dev));
    bench_set(&t, dev, "inputs", "0xFEFF");
    assert_int_equal(bench_xfer(&t, 0x27, NULL, 0, NULL, 0), 1);
    assert_false(int_asserted(&t, dev));
    /* Output pins do not interrupt. */
    bench_write(&t, 0x27, 6, 0x00);
    bench_write(&t, 0x27, 2, 0x00);
    bench_set(&t, dev, "inputs", "0xFE00");
    assert_int_equal(bench_xfer(&t, 0x27, NULL, 0, NULL, 0), 1);
    assert_false(int_asserted(&t, dev));
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_on),
        cmocka_unit_test(test_pointer_toggles),
        cmocka_unit_test(test_pins_and_polarity),
        cmocka_unit_test(test_interrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
