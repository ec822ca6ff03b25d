/* SPDX-License-Identifier: MIT */
/* PCA954x I2C switches and multiplexers: the control register, channel
 * buses, and transfers on a channel selecting it through the parent. */
#include <errno.h>

#include "devtest.h"

#define MUX 0x70
#define LM75 0x48

static unsigned ctrl(struct bench *t)
{
    uint8_t v;
    assert_int_equal(bench_xfer(t, MUX, NULL, 0, &v, 1), 1);
    return v;
}

/* A word read of the LM75 temperature register on bus index `bus`: the
 * two bytes, or -errno. */
static int temp_on(struct bench *t, unsigned bus)
{
    uint8_t cmd = 0, v[2];
    struct i2c_msg msgs[] = {
        { .addr = LM75, .len = 1, .buf = &cmd },
        { .addr = LM75, .flags = I2C_M_RD, .len = 2, .buf = v },
    };
    int r = bench_transfer(t, bus, msgs, 2);
    return r < 0 ? r : v[0] << 8 | v[1];
}

static void test_control_register(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "pca9548,addr=0x70");
    assert_int_equal(ctrl(&t), 0x00); /* power on: nothing connected */
    bench_write(&t, MUX, 0xA5);
    assert_int_equal(ctrl(&t), 0xA5);
    bench_add(&t, "pca9546,addr=0x77");
    bench_write(&t, 0x77, 0xFF);
    uint8_t v;
    assert_int_equal(bench_xfer(&t, 0x77, NULL, 0, &v, 1), 1);
    assert_int_equal(v, 0x0F); /* bits 7-4: no channel */
    bench_add(&t, "pca9547,addr=0x71");
    bench_write(&t, 0x71, 0xFF);
    assert_int_equal(bench_xfer(&t, 0x71, NULL, 0, &v, 1), 1);
    assert_int_equal(v, 0x0F);
    bench_refuse(&t, "pca9545,addr=0x74", "0x70-0x73");
    bench_refuse(&t, "pca9548,addr=0x68", "0x70-0x77");
    bench_refuse(&t, "pca9548,addr=0x72,irqs=1", "interrupt inputs");
    bench_fini(&t);
}

/* The PCA9545's INT inputs read in bits 7-4 and drive its INT. */
static void test_pca9545_interrupts(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "pca9545,addr=0x70");
    bench_write(&t, MUX, 0xF2);
    assert_int_equal(ctrl(&t), 0x02);
    assert_false(i2cemu_device_line(t.b, dev, 0));
    bench_set(&t, dev, "irqs", "0x9");
    assert_int_equal(ctrl(&t), 0x92);
    assert_true(i2cemu_device_line(t.b, dev, 0));
    bench_set(&t, dev, "irqs", "0");
    assert_false(i2cemu_device_line(t.b, dev, 0));
    bench_fini(&t);
}

/* Channels take the numbers after the highest bus's, or first_bus on;
 * they are named as Linux names mux adapters. */
static void test_channel_buses(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    struct i2cemu_error err = {{0}};
    assert_true(i2cemu_bus_add_spec(t.b, "1", &err) >= 0);
    assert_true(i2cemu_bus_add_spec(t.b, "3", &err) >= 0);
    bench_add(&t, "pca9546,addr=0x70,bus=1");
    /* After 3, not in the holes below it (Linux's dynamic numbers). */
    static const int want[] = {4, 5, 6, 7};
    for (unsigned c = 0; c < 4; c++) {
        unsigned bus = bench_bus(&t, want[c]);
        char name[32];
        snprintf(name, sizeof name, "i2c-1-mux (chan_id %u)", c);
        assert_int_equal(i2cemu_bus_find(t.b, 0), -1);
        assert_string_equal(i2cemu_bus_name(t.b, bus), name);
    }
    bench_add(&t, "pca9548,addr=0x71,bus=1,first_bus=20");
    for (int c = 0; c < 8; c++)
        bench_bus(&t, 20 + c);
    assert_int_equal(i2cemu_bus_find(t.b, 28), -1);
    /* Taken numbers are refused, and the channels made before the one
     * refused go with the mux. */
    unsigned nbuses = i2cemu_bus_count(t.b);
    bench_refuse(&t, "pca9548,addr=0x72,bus=1,first_bus=17", "bus 20");
    assert_int_equal(i2cemu_bus_count(t.b), nbuses);
    assert_int_equal(i2cemu_bus_find(t.b, 17), -1);
    bench_refuse(&t, "pca9546,addr=0x72,bus=1,first_bus=65533", "65535");
    bench_add(&t, "pca9546,addr=0x72,bus=1,first_bus=16");
    assert_int_equal(i2cemu_bus_count(t.b), nbuses + 4);
    bench_bus(&t, 19);
    bench_fini(&t);
}

/* Channels run at the parent's speed: 400 kHz, 2.5 us a bit. */
static void test_channel_speed(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    struct i2cemu_error err = {{0}};
    assert_true(i2cemu_bus_add_spec(t.b, "1 speed=400k", &err) >= 0);
    bench_add(&t, "pca9548,addr=0x70,bus=1,first_bus=10");
    assert_int_equal(i2cemu_bus_speed_hz(t.b, bench_bus(&t, 17)), 400000);
    bench_fini(&t);
}

/* A transfer on a channel writes the control byte first, once. */
static void test_channel_transfer_selects(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "pca9548,addr=0x70,bus=1,first_bus=10");
    bench_add(&t, "lm75,addr=0x48,bus=13,temperature=25");
    bench_add(&t, "lm75,addr=0x48,bus=17,temperature=30");
    bench_trace_on(&t);
    /* Not reachable from the parent while nothing is connected. */
    assert_int_equal(temp_on(&t, bench_bus(&t, 1)), -ENXIO);
    bench_trace_clear(&t);
    assert_int_equal(temp_on(&t, bench_bus(&t, 13)), 0x1900);
    assert_string_equal(bench_trace(&t),
                        "S 70 W A 08 A P\n"
                        "S 48 W A 00 A Sr 48 R A 19 A 00 N P\n");
    assert_int_equal(ctrl(&t), 0x08);
    bench_trace_clear(&t);
    /* Selected already: no control write. */
    assert_int_equal(temp_on(&t, bench_bus(&t, 13)), 0x1900);
    assert_string_equal(bench_trace(&t),
                        "S 48 W A 00 A Sr 48 R A 19 A 00 N P\n");
    assert_int_equal(temp_on(&t, bench_bus(&t, 17)), 0x1E00);
    assert_int_equal(ctrl(&t), 0x80);
    /* Connected, the channel's device answers on the parent too. */
    assert_int_equal(temp_on(&t, bench_bus(&t, 1)), 0x1E00);
    /* An empty channel: the control write, then the address NACK. */
    assert_int_equal(temp_on(&t, bench_bus(&t, 10)), -ENXIO);
    assert_int_equal(ctrl(&t), 0x01);
    bench_fini(&t);
}

/* Two channels connected at once: both devices at 0x48 ACK and their
 * bytes are wired-AND; a transfer on one channel connects it alone. */
static void test_several_channels(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "pca9546,addr=0x70,bus=1,first_bus=10");
    bench_add(&t, "lm75,addr=0x48,bus=10,temperature=25");  /* 0x19 */
    bench_add(&t, "lm75,addr=0x48,bus=11,temperature=30");  /* 0x1e */
    bench_write(&t, MUX, 0x03);
    assert_int_equal(temp_on(&t, bench_bus(&t, 1)), 0x1800);
    /* On channel 1 while both are connected: the driver writes 0x02. */
    bench_trace_on(&t);
    assert_int_equal(temp_on(&t, bench_bus(&t, 11)), 0x1E00);
    assert_non_null(strstr(bench_trace(&t), "S 70 W A 02 A P\n"));
    bench_fini(&t);
}

/* The PCA9547 multiplexer: bits 2-0 pick a channel, bit 3 enables it. */
static void test_pca9547_enable(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "pca9547,addr=0x70,bus=1,first_bus=10");
    bench_add(&t, "lm75,addr=0x48,bus=15,temperature=25");
    bench_write(&t, MUX, 0x05); /* channel 5, not enabled */
    assert_int_equal(temp_on(&t, bench_bus(&t, 1)), -ENXIO);
    bench_write(&t, MUX, 0x0D);
    assert_int_equal(temp_on(&t, bench_bus(&t, 1)), 0x1900);
    bench_write(&t, MUX, 0x0C);
    assert_int_equal(temp_on(&t, bench_bus(&t, 1)), -ENXIO);
    bench_trace_on(&t);
    assert_int_equal(temp_on(&t, bench_bus(&t, 15)), 0x1900);
    assert_non_null(strstr(bench_trace(&t), "S 70 W A 0d A P\n"));
    bench_fini(&t);
}

/* A mux behind a mux: the outer channel is selected first. */
static void test_nested(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "pca9548,addr=0x70,bus=1,first_bus=10");
    bench_add(&t, "pca9547,addr=0x71,bus=12,first_bus=20");
    bench_add(&t, "lm75,addr=0x48,bus=23,temperature=25");
    bench_trace_on(&t);
    assert_int_equal(temp_on(&t, bench_bus(&t, 23)), 0x1900);
    assert_string_equal(bench_trace(&t),
                        "S 70 W A 04 A P\n"
                        "S 71 W A 0b A P\n"
                        "S 48 W A 00 A Sr 48 R A 19 A 00 N P\n");
    bench_fini(&t);
}

/* A control write nobody ACKs fails the transfer with the parent's errno
 * and sends none of its messages. */
static bool deaf_select(struct i2cemu_dev *d, unsigned child, uint8_t *c)
{
    (void)d;
    (void)child;
    *c = 0x01;
    return true;
}

static enum i2cemu_result deaf_event(struct i2cemu_dev *d,
                                     enum i2cemu_event ev)
{
    (void)d;
    return ev == I2CEMU_EV_START_SEND || ev == I2CEMU_EV_START_RECV
               ? I2CEMU_NACK : I2CEMU_ACK;
}

static int deaf_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct i2cemu_bus_config cfg = I2CEMU_BUS_CONFIG_DEFAULT;
    cfg.number = 9;
    return i2cemu_dev_add_child_bus(d, &cfg, err) < 0 ? -1 : 0;
}

static const struct i2cemu_device_type deaf_mux = {
    .name = "deaf-mux",
    .help = "a mux that NACKs its address",
    .realize = deaf_realize,
    .event = deaf_event,
    .select_channel = deaf_select,
};

static void test_select_nack(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    struct i2cemu_error err = {{0}};
    assert_true(i2cemu_bus_add_spec(t.b, "1 nack=EREMOTEIO", &err) >= 0);
    bench_add_type(&t, &deaf_mux, "addr=0x70,bus=1");
    bench_add(&t, "lm75,addr=0x48,bus=9");
    bench_trace_on(&t);
    assert_int_equal(temp_on(&t, bench_bus(&t, 9)), -EREMOTEIO);
    assert_string_equal(bench_trace(&t), "S 70 W N P\n");
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_control_register),
        cmocka_unit_test(test_pca9545_interrupts),
        cmocka_unit_test(test_channel_buses),
        cmocka_unit_test(test_channel_speed),
        cmocka_unit_test(test_channel_transfer_selects),
        cmocka_unit_test(test_several_channels),
        cmocka_unit_test(test_pca9547_enable),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_select_nack),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
