/* SPDX-License-Identifier: MIT */
/* The MAX34451: QEMU's tests/qtest/max34451-test.c assertions, ported
 * (QEMU's properties are raw codes; here they are V, A and C), and Linux
 * max34440's probe. */
#include "devices/pmbus.h"
#include "pmbus_test.h"

#define A 0x4E

static void page(struct bench *t, unsigned p)
{
    pm_set_byte(t, A, PMBUS_PAGE, (uint8_t)p);
}

static void set(struct bench *t, unsigned dev, const char *fmt, unsigned i,
                double v)
{
    char name[16], value[32];
    snprintf(name, sizeof(name), fmt, i);
    snprintf(value, sizeof(value), "%.6f", v);
    bench_set(t, dev, name, value);
}

/* qtest test_defaults. */
static void test_qemu_defaults(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "max34451,addr=0x4e");
    for (unsigned i = 0; i < 5; i++) {
        page(&t, 16 + i);
        assert_int_equal(pm_word(&t, A, PMBUS_READ_TEMPERATURE_1), 2500);
        assert_int_equal(pm_word(&t, A, PMBUS_OT_FAULT_LIMIT), 0x7FFF);
        assert_int_equal(pm_word(&t, A, PMBUS_OT_WARN_LIMIT), 0x7FFF);
    }
    for (unsigned i = 0; i < 16; i++) {
        page(&t, i);
        assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 0);
        assert_int_equal(pm_word(&t, A, PMBUS_VOUT_OV_FAULT_LIMIT), 0x7FFF);
        assert_int_equal(pm_word(&t, A, PMBUS_VOUT_OV_WARN_LIMIT), 0x7FFF);
        assert_int_equal(pm_word(&t, A, PMBUS_VOUT_UV_WARN_LIMIT), 0);
        assert_int_equal(pm_word(&t, A, PMBUS_VOUT_UV_FAULT_LIMIT), 0);
        assert_int_equal(pm_word(&t, A, 0xD7), 0x7FFF); /* MFR_VOUT_MIN */
    }
    assert_int_equal(pm_byte(&t, A, PMBUS_VOUT_MODE), 0x40);
    assert_int_equal(pm_byte(&t, A, PMBUS_REVISION), 0x11);
    bench_fini(&t);
}

/* qtest test_temperature: the code 0xBE00 + i (two's complement:
 * -168.96 C + i / 100) reads back. Its peak follows a rising
 * temperature (0x3E00 + i: 158.72 C + i / 100). */
static void test_qemu_temperature(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "max34451,addr=0x4e");
    for (unsigned i = 0; i < 5; i++)
        set(&t, dev, "temp%u", i, (int16_t)(0xBE00 + i) / 100.0);
    for (unsigned i = 0; i < 5; i++) {
        page(&t, 16 + i);
        assert_int_equal(pm_word(&t, A, PMBUS_READ_TEMPERATURE_1),
                         0xBE00 + i);
        assert_int_equal(pm_word(&t, A, 0xD6), 2500); /* the 25 C seen */
    }
    for (unsigned i = 0; i < 5; i++)
        set(&t, dev, "temp%u", i, (0x3E00 + i) / 100.0);
    for (unsigned i = 0; i < 5; i++) {
        page(&t, 16 + i);
        assert_int_equal(pm_word(&t, A, PMBUS_READ_TEMPERATURE_1),
                         0x3E00 + i);
        assert_int_equal(pm_word(&t, A, 0xD6), 0x3E00 + i);
    }
    bench_fini(&t);
}

/* qtest test_voltage: 3000 + i mV reads back, with the peak and the
 * minimum (the channels were off at 0 V before). */
static void test_qemu_voltage(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "max34451,addr=0x4e");
    for (unsigned i = 0; i < 16; i++)
        set(&t, dev, "vout%u", i, (3000 + i) / 1000.0);
    for (unsigned i = 0; i < 16; i++) {
        page(&t, i);
        assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 3000 + i);
        assert_int_equal(pm_word(&t, A, 0xD4), 3000 + i); /* VOUT_PEAK */
        assert_int_equal(pm_word(&t, A, 0xD7), 3000 + i); /* VOUT_MIN */
    }
    bench_fini(&t);
}

/* qtest test_rw_regs, on page 11. */
static void test_qemu_rw_regs(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "max34451,addr=0x4e");
    page(&t, 11);
    assert_int_equal(pm_byte(&t, A, PMBUS_PAGE), 11);
    pm_set_byte(&t, A, PMBUS_OPERATION, 1);
    assert_int_equal(pm_byte(&t, A, PMBUS_OPERATION), 1);
    static const struct { uint8_t cmd; uint16_t v; } words[] = {
        { 0x25, 5000 }, { 0x26, 4000 }, /* VOUT_MARGIN_HIGH, _LOW */
        { PMBUS_VOUT_OV_FAULT_LIMIT, 5500 }, { PMBUS_VOUT_OV_WARN_LIMIT, 5600 },
        { PMBUS_VOUT_UV_FAULT_LIMIT, 5700 }, { PMBUS_VOUT_UV_WARN_LIMIT, 5800 },
        { 0x5E, 5900 }, { 0x5F, 6100 },  /* POWER_GOOD_ON, _OFF */
    };
    for (unsigned i = 0; i < sizeof(words) / sizeof(*words); i++) {
        pm_set_word(&t, A, words[i].cmd, words[i].v);
        assert_int_equal(pm_word(&t, A, words[i].cmd), words[i].v);
    }
    bench_fini(&t);
}

/* qtest test_ro_regs (the writes are NACKed). */
static void test_qemu_ro_regs(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "max34451,addr=0x4e,vout1=1.2,temp0=30");
    page(&t, 1);
    unsigned cap = pm_byte(&t, A, PMBUS_CAPABILITY);
    assert_true(pm_write(&t, A, false, PMBUS_CAPABILITY, BYTES(0xF9)) < 0);
    assert_int_equal(pm_byte(&t, A, PMBUS_CAPABILITY), cap);
    assert_true(pm_write(&t, A, false, PMBUS_READ_VOUT, BYTES(0xAD, 0xDE)) < 0);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 1200);
    page(&t, 16);
    assert_true(pm_write(&t, A, false, PMBUS_READ_TEMPERATURE_1,
                         BYTES(0xBA, 0xAB)) < 0);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_TEMPERATURE_1), 3000);
    bench_fini(&t);
}

/* qtest test_ov_faults and test_ot_faults. */
static void test_qemu_faults(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "max34451,addr=0x4e");
    for (unsigned i = 0; i < 16; i++) {
        page(&t, i);
        pm_set_word(&t, A, PMBUS_VOUT_OV_FAULT_LIMIT, 5000);
        set(&t, dev, "vout%u", i, 5.1);
        assert_true(pm_word(&t, A, PMBUS_STATUS_WORD) & 0x8000);
        assert_true(pm_byte(&t, A, PMBUS_STATUS_VOUT) & 0x80);
    }
    for (unsigned i = 0; i < 5; i++) {
        page(&t, 16 + i);
        pm_set_word(&t, A, PMBUS_OT_FAULT_LIMIT, 6000);
        set(&t, dev, "temp%u", i, 61);
        assert_true(pm_word(&t, A, PMBUS_STATUS_WORD) & 0x04);
        assert_true(pm_byte(&t, A, PMBUS_STATUS_TEMPERATURE) & 0x80);
    }
    assert_false(pm_alert_released(&t, dev));
    bench_fini(&t);
}

/* qtest test_all_pages: writes with PAGE 255 land on every page (the
 * port reads each page; a read at PAGE 255 is invalid data). */
static void test_qemu_all_pages(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "max34451,addr=0x4e");
    page(&t, 0xFF);
    pm_set_byte(&t, A, PMBUS_ON_OFF_CONFIG, 0x12);
    pm_set_word(&t, A, 0xD1, 0x3456); /* MFR_MODE */
    uint8_t b[1];
    assert_int_equal(pm_read(&t, A, PMBUS_ON_OFF_CONFIG, b, 1), 2);
    assert_int_equal(b[0], 0xFF);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), PMBUS_CML_INVALID_DATA);
    for (unsigned i = 0; i < 16; i++) {
        page(&t, i);
        assert_int_equal(pm_byte(&t, A, PMBUS_ON_OFF_CONFIG), 0x12);
        assert_int_equal(pm_word(&t, A, 0xD1), 0x3456);
    }
    for (unsigned i = 16; i < 21; i++) {
        page(&t, i);
        assert_int_equal(pm_word(&t, A, 0xD1), 0x3456);
    }
    bench_fini(&t);
}

/* Linux max34440's probe: MFR_REVISION as a word, then each page's
 * MFR_CHANNEL_CONFIG; commands a page lacks are NACKed; the IOUT OC
 * limits at the MAX344xx's swapped addresses; no PEC. */
static void test_linux_probe(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "max34451,addr=0x4e");
    assert_int_equal(pm_word(&t, A, PMBUS_MFR_REVISION), 0x0011);
    for (unsigned i = 0; i < 16; i++) {
        page(&t, i);
        assert_int_equal(pm_word(&t, A, 0xE4), 0x0020);
    }
    assert_true(pm_write(&t, A, false, PMBUS_PAGE, BYTES(21)) < 0);
    assert_int_equal(pm_byte(&t, A, PMBUS_PAGE), 15);
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);
    uint8_t b[2];
    assert_true(pm_read(&t, A, PMBUS_READ_TEMPERATURE_1, b, 2) < 0);
    page(&t, 16);
    assert_true(pm_read(&t, A, PMBUS_READ_VOUT, b, 2) < 0);
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);

    /* 0x46 is the warning (STATUS_IOUT bit 5), 0x4A the fault (bit 7);
     * 1.5 A reads 150. */
    page(&t, 2);
    set(&t, dev, "iout%u", 2, 1.5);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_IOUT), 150);
    assert_int_equal(pm_word(&t, A, 0xE2), 150); /* MFR_IOUT_AVG */
    pm_set_word(&t, A, 0x46, 100);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_IOUT), 0x20);
    pm_set_word(&t, A, 0x4A, 120);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_IOUT), 0xA0);
    /* CAPABILITY says no PEC: a PEC byte is one byte too many. */
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);
    assert_true(pm_write(&t, A, true, 0x25, BYTES(1, 2)) < 0);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), PMBUS_CML_OTHER_COMM);
    uint8_t w[3];
    assert_int_equal(pm_read(&t, A, PMBUS_READ_IOUT, w, 3), 2);
    assert_int_equal(w[2], 0xFF);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qemu_defaults),
        cmocka_unit_test(test_qemu_temperature),
        cmocka_unit_test(test_qemu_voltage),
        cmocka_unit_test(test_qemu_rw_regs),
        cmocka_unit_test(test_qemu_ro_regs),
        cmocka_unit_test(test_qemu_faults),
        cmocka_unit_test(test_qemu_all_pages),
        cmocka_unit_test(test_linux_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
