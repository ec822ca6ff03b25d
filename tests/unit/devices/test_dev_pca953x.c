/* SPDX-License-Identifier: MIT */
/* PCA953x GPIO expanders driven through the bus master. */
#include "devtest.h"

#define ADDR 0x20

static unsigned rd(struct bench *t, uint8_t cmd)
{
    uint8_t v;
    assert_int_equal(bench_xfer(t, ADDR, &cmd, 1, &v, 1), 2);
    return v;
}

/* Every change of a line, as the board's listener hears it. */
struct line_log {
    unsigned n;
    bool level[16];
};

static void log_line(void *opaque, unsigned dev, unsigned line, bool level)
{
    struct line_log *l = opaque;
    (void)dev;
    (void)line;
    if (l->n < 16)
        l->level[l->n++] = level;
}

static void test_power_on(void **state)
{
    (void)state;
    struct bench t;
    uint8_t buf[16];
    bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "pca9555,addr=0x20");
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
    bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "pca9555,addr=0x20,inputs=0x1234");
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
    unsigned dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL,
                                  "pca9555,addr=0x20,inputs=0x00F0");
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

/* INT: an input change asserts it at once (the `changed` hook); reading
 * that port clears it, and so does the pin going back. */
static void test_interrupt(void **state)
{
    (void)state;
    struct bench t;
    struct line_log log = {0};
    unsigned dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL,
                                  "pca9555,addr=0x27");
    i2cemu_board_set_line_listener(t.b, log_line, &log);
    assert_int_equal(i2cemu_device_line_find(t.b, dev, "int"), 0);
    assert_false(bench_line(&t, dev, "int"));
    bench_set(&t, dev, "inputs", "0xFEFF"); /* IO1_0 low */
    assert_true(bench_line(&t, dev, "int"));
    uint8_t cmd = 0, v;
    assert_int_equal(bench_xfer(&t, 0x27, &cmd, 1, &v, 1), 2);
    assert_true(bench_line(&t, dev, "int")); /* port 0 did not change */
    cmd = 1;
    assert_int_equal(bench_xfer(&t, 0x27, &cmd, 1, &v, 1), 2);
    assert_int_equal(v, 0xFE);
    assert_false(bench_line(&t, dev, "int"));
    /* Back to the level read last: no interrupt. */
    bench_set(&t, dev, "inputs", "0xFFFF");
    assert_true(bench_line(&t, dev, "int"));
    bench_set(&t, dev, "inputs", "0xFEFF");
    assert_false(bench_line(&t, dev, "int"));
    assert_int_equal(log.n, 4);
    assert_true(log.level[0] && !log.level[1] && log.level[2] && !log.level[3]);
    /* Output pins do not interrupt. */
    bench_write(&t, 0x27, 6, 0x00);
    bench_write(&t, 0x27, 2, 0x00);
    bench_set(&t, dev, "inputs", "0xFE00");
    assert_false(bench_line(&t, dev, "int"));
    assert_int_equal(log.n, 4);
    bench_fini(&t);
}

/* `outputs`: the latch on output pins, 1 on input pins. */
static void test_outputs_property(void **state)
{
    (void)state;
    struct bench t;
    unsigned dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL,
                                  "pca9555,addr=0x20");
    assert_int_equal(bench_get_num(&t, dev, "outputs"), 0xFFFF);
    bench_write(&t, ADDR, 2, 0x00, 0x5A); /* latches: port 0 0x00, 1 0x5A */
    /* Still inputs. */
    assert_int_equal(bench_get_num(&t, dev, "outputs"), 0xFFFF);
    bench_write(&t, ADDR, 6, 0xF0, 0x00);
    assert_int_equal(bench_get_num(&t, dev, "outputs"), 0x5AF0);
    assert_int_equal(i2cemu_device_set(t.b, dev, "outputs", "0", &t.err),
                     -1);
    bench_fini(&t);
}

/* The 8-bit parts: four registers, the pointer stays on one. */
static void test_8bit_parts(void **state)
{
    (void)state;
    static const struct { const char *spec; uint16_t addr; } parts[] = {
        {"pca9554,addr=0x20", 0x20}, {"pca9554,addr=0x3f", 0x3F},
        {"pca9534,addr=0x38", 0x38}, {"pca9538,addr=0x73", 0x73},
        {"tca9554,addr=0x27", 0x27},
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        struct bench t;
        uint8_t buf[4];
        unsigned dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, parts[i].spec);
        uint16_t a = parts[i].addr;
        /* Power on: pins high, output 0xFF, polarity 0, all inputs; two
         * command bits (4-7 are 0-3 again); a read repeats. */
        for (uint8_t cmd = 0; cmd < 8; cmd++) {
            assert_int_equal(bench_xfer(&t, a, &cmd, 1, buf, 3), 2);
            uint8_t want = cmd % 4 == 2 ? 0x00 : 0xFF;
            assert_bytes(buf, want, want, want);
        }
        /* Written bytes all go to the register named (the last stays). */
        bench_write(&t, a, 3, 0x0F, 0x00);
        assert_int_equal(bench_xfer(&t, a, BYTES(3), buf, 1), 2);
        assert_int_equal(buf[0], 0x00);
        bench_write(&t, a, 1, 0xA5);
        bench_write(&t, a, 2, 0x01);
        bench_set(&t, dev, "inputs", "0x00");
        assert_int_equal(bench_xfer(&t, a, BYTES(0), buf, 1), 2);
        assert_int_equal(buf[0], 0xA4); /* output pins XOR polarity bit 0 */
        assert_int_equal(bench_get_num(&t, dev, "outputs"), 0xA5);
        bench_refuse(&t, "pca9554,addr=0x21,inputs=0x100", "inputs");
        bench_fini(&t);
    }
}

/* Each variant's power-on state and the addresses it refuses. */
static void test_variants(void **state)
{
    (void)state;
    static const struct { const char *ok, *bad, *range; unsigned in; } v[] = {
        {"pca9535,addr=0x20", "pca9535,addr=0x28", "0x20-0x27", 0xFFFF},
        {"pca9539,addr=0x74", "pca9539,addr=0x20", "0x74-0x77", 0xFFFF},
        {"tca6416,addr=0x21", "tca6416,addr=0x22", "0x20-0x21", 0xFFFF},
        {"pca9554,addr=0x38", "pca9554,addr=0x30", "0x38-0x3f", 0xFF},
        {"pca9538,addr=0x70", "pca9538,addr=0x74", "0x70-0x73", 0xFF},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        struct bench t;
        unsigned dev = bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, v[i].ok);
        assert_int_equal(bench_get_num(&t, dev, "inputs"), v[i].in);
        assert_int_equal(i2cemu_device_line_find(t.b, dev, "int"), 0);
        assert_false(bench_line(&t, dev, "int"));
        bench_refuse(&t, v[i].bad, v[i].range);
        bench_fini(&t);
    }
    struct bench t;
    uint8_t buf[8];
    bench_init_dev(&t, I2CEMU_CLOCK_VIRTUAL, "pca9539,addr=0x77,inputs=0x1234");
    for (uint8_t cmd = 0; cmd < 8; cmd++)
        assert_int_equal(bench_xfer(&t, 0x77, &cmd, 1, &buf[cmd], 1), 2);
    assert_bytes(buf, 0x34, 0x12, 0xFF, 0xFF, 0x00, 0x00, 0xFF, 0xFF);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_on),
        cmocka_unit_test(test_pointer_toggles),
        cmocka_unit_test(test_pins_and_polarity),
        cmocka_unit_test(test_interrupt),
        cmocka_unit_test(test_outputs_property),
        cmocka_unit_test(test_8bit_parts),
        cmocka_unit_test(test_variants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
