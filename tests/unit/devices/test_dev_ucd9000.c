/* SPDX-License-Identifier: MIT */
/* The UCD90160: Linux ucd9000's probe (DEVICE_ID, NUM_PAGES,
 * MONITOR_CONFIG), its monitors per page, and its gpiochip's GPIO_SELECT/
 * GPIO_CONFIG sequences. */
#include "devices/pmbus.h"
#include "pmbus_test.h"

#define A 0x65

static unsigned gpio_read(struct bench *t, unsigned g)
{
    pm_set_byte(t, A, 0xFA, (uint8_t)g);
    return pm_byte(t, A, 0xFB);
}

static void gpio_write(struct bench *t, uint8_t cfg)
{
    pm_set_byte(t, A, 0xFB, cfg | 0x01); /* ENABLE: apply */
    pm_set_byte(t, A, 0xFB, cfg);        /* and without, as Linux does */
}

static unsigned gpios(struct bench *t, unsigned dev)
{
    char v[32];
    assert_true(i2cemu_device_get(t->b, dev, "gpios", v, sizeof(v), NULL) > 0);
    return (unsigned)strtoul(v, NULL, 0);
}

static void test_linux_probe(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "ucd90160,addr=0x65");
    char s[40];
    assert_int_equal(pm_block(&t, A, 0xFD, s), 26);
    assert_true(strncmp(s, "UCD90160|", 9) == 0);
    assert_int_equal(pm_byte(&t, A, 0xD6), 16); /* NUM_PAGES */
    uint8_t b[34];
    assert_int_equal(pm_read(&t, A, 0xD5, b, 34), 2);
    assert_int_equal(b[0], 18);
    for (unsigned i = 0; i < 16; i++)
        assert_int_equal(b[1 + i], 0x20 | i); /* voltage, page i */
    assert_int_equal(b[17], 0x60);            /* current, page 0 */
    assert_int_equal(b[18], 0x41);            /* temperature, page 1 */
    assert_int_equal(pm_read(&t, A, 0xF3, b, 5), 2); /* MFR_STATUS */
    assert_bytes(b, 4, 0, 0, 0, 0);
    assert_int_equal(pm_byte(&t, A, PMBUS_CAPABILITY), 0xB0);
    assert_int_equal(pm_word_pec(&t, A, PMBUS_STATUS_WORD), 0);
    bench_fini(&t);
}

/* What each page measures, as MONITOR_CONFIG says. */
static void test_monitors(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "ucd90160,addr=0x65,vout7=3.3,iout0=2.5,"
                                 "temp1=45,temp2=30");
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 0x2000); /* 1 V */
    assert_int_equal(pm_word(&t, A, PMBUS_READ_IOUT), 0xC280); /* 2.5 A */
    assert_int_equal(pm_word(&t, A, PMBUS_READ_TEMPERATURE_1), 0xE2D0);
    pm_set_byte(&t, A, PMBUS_PAGE, 7);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 27034); /* 3.3 V */
    uint8_t b[2];
    assert_true(pm_read(&t, A, PMBUS_READ_IOUT, b, 2) < 0);
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);
    /* 3.3 V is over rail 7's 1.2 V fault limit. */
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_VOUT), 0xC0);
    assert_false(pm_alert_released(&t, dev));
    pm_set_byte(&t, A, PMBUS_PAGE, 1);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_TEMPERATURE_2), 0xDBC0);
    bench_set(&t, dev, "temp2", "101");
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_TEMPERATURE), 0x40);
    bench_fini(&t);
}

/* ucd9000_gpio_direction_output(5, 1), _set(5, 0), _get, and an input
 * following gpio_in. */
static void test_gpio(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "ucd90160,addr=0x65,gpio_in=0x20");
    unsigned c = gpio_read(&t, 5);
    assert_int_equal(c, 0x08);             /* input, pulled high */
    gpio_write(&t, (uint8_t)(c | 0x02 | 0x04)); /* output, value 1 */
    assert_int_equal(gpio_read(&t, 5), 0x0E);
    assert_int_equal(gpios(&t, dev) & 0x20, 0x20);
    c = gpio_read(&t, 5);
    gpio_write(&t, (uint8_t)(c & ~0x08u)); /* set(0): STATUS cleared */
    assert_int_equal(gpio_read(&t, 5), 0x02);
    assert_int_equal(gpios(&t, dev) & 0x20, 0);
    /* A write without ENABLE changes nothing. */
    pm_set_byte(&t, A, 0xFB, 0x06);
    assert_int_equal(gpio_read(&t, 5), 0x02);
    /* Back to input: the pin follows gpio_in. */
    gpio_write(&t, 0x00);
    assert_int_equal(gpio_read(&t, 5), 0x08);
    bench_set(&t, dev, "gpio_in", "0");
    assert_int_equal(gpio_read(&t, 5), 0x00);
    assert_int_equal(gpio_read(&t, 25), 0x00);
    assert_int_equal(gpio_read(&t, 26), 0x00); /* no such GPIO */
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linux_probe),
        cmocka_unit_test(test_monitors),
        cmocka_unit_test(test_gpio),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
