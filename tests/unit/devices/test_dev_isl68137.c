/* SPDX-License-Identifier: MIT */
/* The ISL68137: Linux isl68137's direct coefficients at stated values,
 * its two pages, the AVS bits of OPERATION, per-rail limits. */
#include "devices/pmbus.h"
#include "pmbus_test.h"

#define A 0x60

static void page(struct bench *t, unsigned p)
{
    pm_set_byte(t, A, PMBUS_PAGE, (uint8_t)p);
}

/* raa_dmpvr1_2rail: VIN/VOUT mV, IIN 10 mA, IOUT 100 mA, P in W, T in C. */
static void test_encodings(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "isl68137,addr=0x60,vin=12.05,iin=3.21,vout0=1.8,"
                  "iout0=45.6,vout1=0.9,iout1=12.3,temp1=41,temp2=-5,"
                  "temp3=60.7");
    assert_int_equal(pm_byte(&t, A, PMBUS_VOUT_MODE), 0x40);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VIN), 12050);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_IIN), 321);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 1800);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_IOUT), 456);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_POUT), 82);   /* 82.08 W */
    assert_int_equal(pm_word(&t, A, PMBUS_READ_PIN), 38);    /* 38.68 W */
    assert_int_equal(pm_word(&t, A, PMBUS_READ_TEMPERATURE_1), 41);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_TEMPERATURE_2), 0xFFFB);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_TEMPERATURE_3), 60);
    page(&t, 1);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 900);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_IOUT), 123);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_POUT), 11);   /* 11.07 W */
    /* Page 0's input is not on page 1. */
    uint8_t b[2];
    assert_true(pm_read(&t, A, PMBUS_READ_VIN, b, 2) < 0);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), PMBUS_CML_INVALID_CMD);
    assert_true(pm_write(&t, A, false, PMBUS_PAGE, BYTES(2)) < 0);
    assert_int_equal(pm_byte(&t, A, PMBUS_PAGE), 1);
    bench_fini(&t);
}

/* Linux's avs1_enable: VOUT_COMMAND read and written back, then
 * OPERATION's bits 5-4 set; the rail stays on. Bit 7 off turns it off. */
static void test_operation_avs(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "isl68137,addr=0x60");
    page(&t, 1);
    unsigned v = pm_word(&t, A, PMBUS_VOUT_COMMAND);
    pm_set_word(&t, A, PMBUS_VOUT_COMMAND, (uint16_t)v);
    unsigned op = pm_byte(&t, A, PMBUS_OPERATION);
    pm_set_byte(&t, A, PMBUS_OPERATION, (uint8_t)(op | 0x30));
    assert_int_equal(pm_byte(&t, A, PMBUS_OPERATION), 0xB0);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 1000);
    page(&t, 0);
    assert_int_equal(pm_byte(&t, A, PMBUS_OPERATION), 0x80);
    page(&t, 1);
    pm_set_byte(&t, A, PMBUS_OPERATION, 0x00);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 0);
    assert_int_equal(pm_word(&t, A, PMBUS_STATUS_WORD), 0x0840);
    page(&t, 0);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 1000);
    assert_int_equal(pm_word(&t, A, PMBUS_STATUS_WORD), 0);
    bench_fini(&t);
}

/* Limits per rail; the input's on page 0; PAGE 255 writes both. */
static void test_limits(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "isl68137,addr=0x60");
    bench_set(&t, dev, "iout1", "120");
    page(&t, 1);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_IOUT), 0x80);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_BYTE), 0x10);
    page(&t, 0);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_IOUT), 0);
    assert_false(pm_alert_released(&t, dev));
    /* CLEAR_FAULTS on page 0 clears page 1's status too. */
    bench_set(&t, dev, "iout1", "10");
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);
    assert_true(pm_alert_released(&t, dev));
    page(&t, 1);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_IOUT), 0);
    page(&t, 0);
    bench_set(&t, dev, "vin", "7");
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_INPUT), 0x10);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_BYTE), 0x08);
    bench_set(&t, dev, "temp1", "110");
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_TEMPERATURE), 0x40);
    bench_set(&t, dev, "iout1", "10");
    bench_set(&t, dev, "vin", "12");
    bench_set(&t, dev, "temp1", "40");
    page(&t, 0xFF);
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);
    pm_set_word(&t, A, PMBUS_VOUT_OV_FAULT_LIMIT, 1100);
    page(&t, 1);
    assert_int_equal(pm_word(&t, A, PMBUS_STATUS_WORD), 0);
    assert_int_equal(pm_word(&t, A, PMBUS_VOUT_OV_FAULT_LIMIT), 1100);
    page(&t, 0);
    assert_int_equal(pm_word(&t, A, PMBUS_VOUT_OV_FAULT_LIMIT), 1100);
    assert_true(pm_alert_released(&t, dev));
    assert_int_equal(pm_word_pec(&t, A, PMBUS_READ_VOUT), 1000);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_operation_avs),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
