/* SPDX-License-Identifier: MIT */
/* The ADM1272: QEMU's tests/qtest/adm1272-test.c assertions, ported, and
 * the data sheet's direct-format coefficients and Linux adm1275's probe. */
#include <math.h>

#include "devices/pmbus.h"
#include "pmbus_test.h"

#define A 0x10
/* QEMU's qtest board: a 300 uOhm shunt. */
#define QEMU_SPEC "adm1272,addr=0x10,shunt=0.0003"

/* The qtest's conversions, as it writes them (integer m scaled by the
 * shunt, values in mV, mA, W). */
struct qcoef { int m, b, R; };
static const struct qcoef q_volt = { 4062, 0, -2 }, q_curr = { 663, 20480, -1 },
                          q_pwr = { 10535, 0, -3 };

static uint16_t q_to_direct(struct qcoef c, uint32_t v)
{
    return (uint16_t)((c.m * (double)v + c.b) * pow(10, c.R));
}

static uint32_t q_from_direct(struct qcoef c, uint16_t v)
{
    return (uint32_t)((v / pow(10, c.R) - c.b) / c.m);
}

static struct qcoef q_mv(void)
{
    return (struct qcoef){ q_volt.m, q_volt.b * 1000, q_volt.R - 3 };
}

static struct qcoef q_ma(void)
{
    return (struct qcoef){ q_curr.m * 300 / 1000, q_curr.b * 1000,
                           q_curr.R - 3 };
}

static struct qcoef q_w(void)
{
    return (struct qcoef){ q_pwr.m * 300 / 1000, q_pwr.b, q_pwr.R };
}

/* qtest test_defaults. */
static void test_qemu_defaults(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, QEMU_SPEC);
    int err = 12000 - (int)q_from_direct(q_mv(), (uint16_t)pm_word(&t, A,
                                                       PMBUS_READ_VOUT));
    assert_true(abs(err) < 12000 / 20);
    assert_int_equal(pm_byte(&t, A, PMBUS_OPERATION), 0x80);
    assert_int_equal(pm_byte(&t, A, PMBUS_VOUT_MODE), 0x40);
    assert_int_equal(pm_word(&t, A, PMBUS_VOUT_OV_WARN_LIMIT), 0x0FFF);
    assert_int_equal(pm_word(&t, A, PMBUS_VOUT_UV_WARN_LIMIT), 0);
    assert_int_equal(pm_word(&t, A, PMBUS_IOUT_OC_WARN_LIMIT), 0x0FFF);
    assert_int_equal(pm_word(&t, A, PMBUS_OT_FAULT_LIMIT), 0x0FFF);
    assert_int_equal(pm_word(&t, A, PMBUS_OT_WARN_LIMIT), 0x0FFF);
    assert_int_equal(pm_word(&t, A, PMBUS_VIN_OV_WARN_LIMIT), 0x0FFF);
    assert_int_equal(pm_word(&t, A, PMBUS_VIN_UV_WARN_LIMIT), 0);
    assert_int_equal(pm_word(&t, A, PMBUS_PIN_OP_WARN_LIMIT), 0x7FFF);
    assert_int_equal(pm_byte(&t, A, PMBUS_REVISION), 0x22);
    assert_int_equal(pm_byte(&t, A, 0xD3), 0x01);     /* PMON_CONTROL */
    assert_int_equal(pm_word(&t, A, 0xD4), 0x3F35);   /* PMON_CONFIG */
    assert_int_equal(pm_word(&t, A, 0xD8), 0x0008);   /* DEVICE_CONFIG */
    assert_int_equal(pm_word(&t, A, 0xF3), 0xFFFF);   /* HYSTERESIS_HIGH */
    assert_int_equal(pm_word(&t, A, 0xF6), 0x000F);   /* STRT_UP_IOUT_LIM */
    bench_fini(&t);
}

/* qtest test_tx_rx: a value set reads back through the part's direct
 * format with the qtest's loss. QEMU's `pin` property is VIN x IOUT
 * here: 16 V x 20 A. */
static void test_qemu_tx_rx(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, QEMU_SPEC);
    bench_set(&t, dev, "vin", "1.0");
    assert_int_equal(q_from_direct(q_mv(), (uint16_t)pm_word(&t, A,
                                                      PMBUS_READ_VIN)),
                     q_from_direct(q_mv(), q_to_direct(q_mv(), 1000)));
    bench_set(&t, dev, "vout", "1.5");
    assert_int_equal(q_from_direct(q_mv(), (uint16_t)pm_word(&t, A,
                                                      PMBUS_READ_VOUT)),
                     q_from_direct(q_mv(), q_to_direct(q_mv(), 1500)));
    bench_set(&t, dev, "iout", "1.6");
    assert_int_equal(q_from_direct(q_ma(), (uint16_t)pm_word(&t, A,
                                                      PMBUS_READ_IOUT)),
                     q_from_direct(q_ma(), q_to_direct(q_ma(), 1600)));
    bench_set(&t, dev, "vin", "16");
    bench_set(&t, dev, "iout", "20");
    assert_int_equal(pm_word(&t, A, PMBUS_READ_PIN),
                     q_to_direct(q_w(), 320));
    assert_int_equal(q_from_direct(q_w(), (uint16_t)pm_word(&t, A,
                                                     PMBUS_READ_PIN)),
                     q_from_direct(q_w(), q_to_direct(q_w(), 320)));
    bench_fini(&t);
}

/* qtest test_rw_regs. QEMU writes OPERATION with a word; on the part the
 * second byte is a PEC byte (wrong: refused), so this writes a byte. */
static void test_qemu_rw_regs(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, QEMU_SPEC);
    static const struct { uint8_t cmd; uint16_t v; } words[] = {
        { PMBUS_VOUT_OV_WARN_LIMIT, 0xABCD },
        { PMBUS_VOUT_UV_WARN_LIMIT, 0xCDEF },
        { PMBUS_IOUT_OC_WARN_LIMIT, 0x1234 }, { PMBUS_OT_FAULT_LIMIT, 0x5678 },
        { PMBUS_OT_WARN_LIMIT, 0xABDC }, { PMBUS_VIN_OV_WARN_LIMIT, 0xCDEF },
        { PMBUS_VIN_UV_WARN_LIMIT, 0x2345 }, { 0xD4, 0xDEF0 }, { 0xD5, 0x0123 },
        { 0xD6, 0x9876 }, { 0xD8, 0x3456 }, { 0xF2, 0xCABA }, { 0xF3, 0x6789 },
        { 0xF6, 0x9876 },
    };
    for (unsigned i = 0; i < sizeof(words) / sizeof(*words); i++) {
        pm_set_word(&t, A, words[i].cmd, words[i].v);
        assert_int_equal(pm_word(&t, A, words[i].cmd), words[i].v);
    }
    pm_set_byte(&t, A, 0xCC, 0xF8); /* RESTART_TIME */
    assert_int_equal(pm_byte(&t, A, 0xCC), 0xF8);
    pm_set_byte(&t, A, 0xD3, 0); /* PMON_CONTROL */
    assert_int_equal(pm_byte(&t, A, 0xD3), 0);
    pm_set_byte(&t, A, PMBUS_OPERATION, 0x0A);
    assert_int_equal(pm_byte(&t, A, PMBUS_OPERATION), 0x0A);
    bench_fini(&t);
}

/* qtest test_ro_regs: the readings are read-only (here the write is
 * NACKed, as an invalid command). */
static void test_qemu_ro_regs(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, QEMU_SPEC);
    static const struct { uint8_t cmd; uint16_t v; } ro[] = {
        { PMBUS_READ_VIN, 0xBEEF }, { PMBUS_READ_VOUT, 0x1234 },
        { PMBUS_READ_IOUT, 0x6547 }, { PMBUS_READ_TEMPERATURE_1, 0x1597 },
        { PMBUS_READ_PIN, 0xDEAD },
    };
    for (unsigned i = 0; i < sizeof(ro) / sizeof(*ro); i++) {
        unsigned before = pm_word(&t, A, ro[i].cmd);
        uint8_t b[2] = { (uint8_t)ro[i].v, (uint8_t)(ro[i].v >> 8) };
        assert_true(pm_write(&t, A, false, ro[i].cmd, b, 2) < 0);
        assert_int_equal(pm_word(&t, A, ro[i].cmd), before);
    }
    bench_fini(&t);
}

/* qtest test_voltage_faults (CLEAR_FAULTS as a send byte: QEMU's extra
 * data byte would be a wrong PEC on the part). */
static void test_qemu_voltage_faults(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, QEMU_SPEC);
    pm_set_word(&t, A, PMBUS_VOUT_OV_WARN_LIMIT, q_to_direct(q_mv(), 5000));
    bench_set(&t, dev, "vout", "5.1");
    assert_true(pm_word(&t, A, PMBUS_STATUS_WORD) & 0x8000);
    assert_true(pm_byte(&t, A, PMBUS_STATUS_VOUT) & 0x40);
    assert_false(pm_alert_released(&t, dev));
    bench_set(&t, dev, "vout", "4.5");
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);
    assert_false(pm_byte(&t, A, PMBUS_STATUS_VOUT) & 0x40);
    pm_set_word(&t, A, PMBUS_VOUT_UV_WARN_LIMIT, q_to_direct(q_mv(), 4600));
    assert_true(pm_word(&t, A, PMBUS_STATUS_WORD) & 0x8000);
    assert_true(pm_byte(&t, A, PMBUS_STATUS_VOUT) & 0x20);
    bench_fini(&t);
}

/* The coefficients by PMON_CONFIG's ranges, at stated values. */
static void test_coefficients(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "adm1272,addr=0x10,iout=5,vin=12");
    /* 100 V, 30 mV, 1 mOhm: 4062 x 12 / 100; (663 x 5 + 20480) / 10;
     * 10535 x 60 / 1000; (42 x 25 + 31871) / 10. */
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VIN), 487);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_IOUT), 2379);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_PIN), 632);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_TEMPERATURE_1), 3292);
    /* 60 V, 15 mV: 6770 x 12 / 100; (1326 x 5 + 20480) / 10; 3512 x 60 /
     * 100. */
    pm_set_word(&t, A, 0xD4, 0x3F14);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VIN), 812);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_IOUT), 2711);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_PIN), 2107);
    /* Saturation at the 12-bit ADC's full scale; a reverse current. */
    bench_set(&t, dev, "iout", "20");
    assert_int_equal(pm_word(&t, A, PMBUS_READ_IOUT), 0x0FFF);
    bench_set(&t, dev, "iout", "-5");
    assert_int_equal(pm_word(&t, A, PMBUS_READ_IOUT), 1385);
    /* FET off: no current (2048 is 0 A) and no output. */
    pm_set_word(&t, A, 0xD4, 0x3F35);
    pm_set_byte(&t, A, PMBUS_OPERATION, 0);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_IOUT), 2048);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 0);
    bench_refuse(&t, "adm1272,addr=0x11,shunt=0", "shunt");
    bench_fini(&t);
}

/* Linux adm1275's probe: MFR_ID and MFR_MODEL blocks, then PMON_CONFIG
 * and DEVICE_CONFIG as bytes; the peak registers and their reset. */
static void test_linux_probe_and_peaks(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "adm1272,addr=0x10");
    char s[40];
    assert_int_equal(pm_block(&t, A, PMBUS_MFR_ID, s), 3);
    assert_string_equal(s, "ADI");
    assert_int_equal(pm_block(&t, A, PMBUS_MFR_MODEL, s), 10);
    assert_string_equal(s, "ADM1272-A1");
    assert_int_equal(pm_byte(&t, A, 0xD4), 0x35);
    assert_int_equal(pm_byte(&t, A, 0xD8), 0x08);
    assert_int_equal(pm_byte(&t, A, PMBUS_CAPABILITY), 0xB0);
    assert_int_equal(pm_word_pec(&t, A, PMBUS_STATUS_WORD), 0);

    assert_int_equal(pm_word(&t, A, 0xD1), 487); /* PEAK_VIN: 12 V */
    bench_set(&t, dev, "vin", "14");
    bench_set(&t, dev, "vin", "12");
    assert_int_equal(pm_word(&t, A, 0xD1), 568);
    pm_set_word(&t, A, 0xD1, 0);
    assert_int_equal(pm_word(&t, A, 0xD1), 487);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qemu_defaults),
        cmocka_unit_test(test_qemu_tx_rx),
        cmocka_unit_test(test_qemu_rw_regs),
        cmocka_unit_test(test_qemu_ro_regs),
        cmocka_unit_test(test_qemu_voltage_faults),
        cmocka_unit_test(test_coefficients),
        cmocka_unit_test(test_linux_probe_and_peaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
