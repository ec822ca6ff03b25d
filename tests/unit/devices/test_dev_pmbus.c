/* SPDX-License-Identifier: MIT */
/* The PMBus base through the generic `pmbus` part: PMBus 1.3 Part II's
 * protocol, formats, status and SMBALERT#, and SMBus 3.0's PEC. */
#include "devices/pmbus.h"
#include "pmbus_test.h"

#define A 0x40

static unsigned add(struct bench *t, const char *extra)
{
    char spec[128];
    snprintf(spec, sizeof(spec), "pmbus,addr=0x40%s", extra);
    return bench_add(t, spec);
}

/* Power-on values of the table; status clear, SMBALERT# released. */
static void test_power_on(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = add(&t, "");
    assert_int_equal(pm_byte(&t, A, PMBUS_PAGE), 0);
    assert_int_equal(pm_byte(&t, A, PMBUS_OPERATION), 0x80);
    assert_int_equal(pm_byte(&t, A, PMBUS_ON_OFF_CONFIG), 0x1A);
    assert_int_equal(pm_byte(&t, A, PMBUS_CAPABILITY), 0xB0);
    assert_int_equal(pm_byte(&t, A, PMBUS_VOUT_MODE), 0x17);
    assert_int_equal(pm_byte(&t, A, PMBUS_REVISION), 0x33);
    assert_int_equal(pm_word(&t, A, PMBUS_VIN_OV_FAULT_LIMIT), 0xDA00);
    assert_int_equal(pm_word(&t, A, PMBUS_STATUS_WORD), 0x0000);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), 0x00);
    assert_true(pm_alert_released(&t, dev));
    bench_fini(&t);
}

/* Part II's LINEAR11 (Y x 2^N, the smallest N that holds Y) and VOUT_MODE's
 * LINEAR16 (VOUT_MODE 0x17: 2^-9 V). */
static void test_encodings(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = add(&t, "");
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 0x0200);  /* 512 */
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VIN), 0xD300);   /* 768/64 */
    assert_int_equal(pm_word(&t, A, PMBUS_READ_IOUT), 0xD280);  /* 640/64 */
    assert_int_equal(pm_word(&t, A, PMBUS_READ_TEMPERATURE_1), 0xE280);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_TEMPERATURE_2), 0xE230);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_FAN_SPEED_1), 0x12EE);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_POUT), 0xD280); /* 10 W */
    assert_int_equal(pm_word(&t, A, PMBUS_READ_PIN), 0xD300);  /* 12 W */
    bench_set(&t, dev, "vout", "1.2");
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 614);    /* 614.4 */
    bench_set(&t, dev, "temp1", "-20");
    assert_int_equal(pm_word(&t, A, PMBUS_READ_TEMPERATURE_1), 0xDD80);
    bench_set(&t, dev, "iout", "0.1");                         /* 819/2^13 */
    assert_int_equal(pm_word(&t, A, PMBUS_READ_IOUT), 0x9B33);

    struct pmbus_coef l11 = { .format = PMBUS_LINEAR11 };
    assert_int_equal(pmbus_encode(&l11, 0, 0), 0);
    assert_true(pmbus_decode(&l11, 0, 0xDD80) == -20.0);
    assert_true(pmbus_decode(&l11, 0, 0x12EE) == 3000.0);
    struct pmbus_coef l16 = { .format = PMBUS_LINEAR16 };
    assert_true(pmbus_decode(&l16, -9, 0x0233) == 563.0 / 512);
    assert_int_equal(pmbus_encode(&l16, -9, 200.0), 0xFFFF); /* saturates */
    bench_fini(&t);
}

/* SMBus 3.0 6.4: a read's PEC covers address, command, address and data;
 * a write's PEC is checked, and a wrong one refuses the write. */
static void test_pec(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = add(&t, "");
    assert_int_equal(pm_word_pec(&t, A, PMBUS_READ_VOUT), 0x0200);
    uint8_t b[8];
    assert_int_equal(pm_read(&t, A, PMBUS_MFR_ID, b, 8), 2);
    uint8_t all[] = { A << 1, PMBUS_MFR_ID, A << 1 | 1, 6,
                      'i', '2', 'c', 'e', 'm', 'u' };
    assert_memory_equal(b, all + 3, 7);
    assert_int_equal(b[7], pm_pec(all, sizeof(all)));

    uint8_t w[2] = { 0x00, 0x03 };
    assert_int_equal(pm_write(&t, A, true, PMBUS_VOUT_OV_WARN_LIMIT, w, 2), 1);
    assert_int_equal(pm_word(&t, A, PMBUS_VOUT_OV_WARN_LIMIT), 0x0300);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), 0);
    /* A bad PEC byte: NACKed, nothing written, STATUS_CML's PEC bit. */
    uint8_t bad[] = { PMBUS_VOUT_OV_WARN_LIMIT, 0x33, 0x02, 0x00 };
    uint8_t crc[] = { A << 1, PMBUS_VOUT_OV_WARN_LIMIT, 0x33, 0x02 };
    bad[3] = (uint8_t)(pm_pec(crc, 4) ^ 1);
    assert_true(bench_xfer(&t, A, bad, 4, NULL, 0) < 0);
    assert_int_equal(pm_word(&t, A, PMBUS_VOUT_OV_WARN_LIMIT), 0x0300);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), PMBUS_CML_PEC_FAILED);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_BYTE) & 0x02, 0x02);
    assert_false(pm_alert_released(&t, dev));
    /* A send byte with PEC. */
    assert_int_equal(pm_write(&t, A, true, PMBUS_CLEAR_FAULTS, NULL, 0), 1);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), 0);
    assert_true(pm_alert_released(&t, dev));
    bench_fini(&t);
}

/* Part II 10: an unsupported command is NACKed at its code, a write to
 * a read-only command at its data, an invalid PAGE and too many bytes at
 * the offending byte; each sets its STATUS_CML bit and SMBALERT#. */
static void test_cml_faults(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = add(&t, "");
    uint8_t b[2];
    assert_true(pm_read(&t, A, 0x30, b, 2) < 0); /* no such command */
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), PMBUS_CML_INVALID_CMD);
    assert_int_equal(pm_word(&t, A, PMBUS_STATUS_WORD), 0x0002);
    assert_false(pm_alert_released(&t, dev));
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), 0);
    assert_true(pm_alert_released(&t, dev));

    uint8_t v[3] = { 0x12, 0x34, 0x56 };
    assert_true(pm_write(&t, A, false, PMBUS_READ_VIN, v, 2) < 0);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), PMBUS_CML_INVALID_CMD);
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);

    assert_true(pm_write(&t, A, false, PMBUS_PAGE, (uint8_t[]){ 1 }, 1) < 0);
    assert_int_equal(pm_byte(&t, A, PMBUS_PAGE), 0);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), PMBUS_CML_INVALID_DATA);
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);

    /* Word, PEC, then one byte too many. */
    uint8_t crc[] = { A << 1, PMBUS_VOUT_COMMAND, 1, 2 };
    uint8_t many[] = { PMBUS_VOUT_COMMAND, 1, 2, pm_pec(crc, 4), 0 };
    assert_true(bench_xfer(&t, A, many, 5, NULL, 0) < 0);
    assert_int_equal(pm_word(&t, A, PMBUS_VOUT_COMMAND), 0x0200);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), PMBUS_CML_OTHER_COMM);
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);
    /* Too few bytes: a word command with one byte, then STOP. */
    assert_int_equal(bench_xfer(&t, A, BYTES(PMBUS_VOUT_COMMAND, 9), NULL, 0),
                     1);
    assert_int_equal(pm_word(&t, A, PMBUS_VOUT_COMMAND), 0x0200);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), PMBUS_CML_OTHER_COMM);
    /* Write 1 to clear. */
    pm_set_byte(&t, A, PMBUS_STATUS_CML, PMBUS_CML_OTHER_COMM);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), 0);
    assert_true(pm_alert_released(&t, dev));
    bench_fini(&t);
}

/* Part II 10.2, 17: a limit crossing sets its bit, latched, with the
 * STATUS_BYTE/WORD summaries and SMBALERT#; CLEAR_FAULTS and writing 1
 * clear it, and a condition that holds sets it again. */
static void test_limits(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = add(&t, "");

    bench_set(&t, dev, "vout", "1.12"); /* over the 1.10 V warning */
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_VOUT), 0x40);
    assert_int_equal(pm_word(&t, A, PMBUS_STATUS_WORD), 0x8001);
    assert_false(pm_alert_released(&t, dev));
    bench_set(&t, dev, "vout", "1.0"); /* back: still latched */
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_VOUT), 0x40);
    pm_set_byte(&t, A, PMBUS_STATUS_VOUT, 0x40);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_VOUT), 0);
    assert_true(pm_alert_released(&t, dev));

    bench_set(&t, dev, "vout", "1.2"); /* over the 1.15 V fault too */
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_VOUT), 0xC0);
    /* VOUT_OV_FAULT, and NONE_OF_THE_ABOVE for the warning. */
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_BYTE), 0x21);
    pm_send(&t, A, PMBUS_CLEAR_FAULTS); /* still over: set again */
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_VOUT), 0xC0);
    bench_set(&t, dev, "vout", "0.8"); /* under both under-limits */
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_VOUT), 0x30);
    bench_set(&t, dev, "vout", "1.0");
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);
    assert_int_equal(pm_word(&t, A, PMBUS_STATUS_WORD), 0);

    bench_set(&t, dev, "iout", "35");
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_IOUT), 0x20);
    assert_int_equal(pm_word(&t, A, PMBUS_STATUS_WORD), 0x4001);
    bench_set(&t, dev, "iout", "45"); /* IOUT_OC_FAULT, and the warning */
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_BYTE), 0x11);
    bench_set(&t, dev, "iout", "10");
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);

    bench_set(&t, dev, "temp1", "101");
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_TEMPERATURE), 0x40);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_BYTE), 0x04);
    bench_set(&t, dev, "temp1", "-45");
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_TEMPERATURE), 0x70);
    bench_set(&t, dev, "temp1", "40");
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);

    bench_set(&t, dev, "vin", "8");
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_INPUT), 0x30);
    assert_int_equal(pm_word(&t, A, PMBUS_STATUS_WORD), 0x2008 | 0x01);
    bench_set(&t, dev, "vin", "12");
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);

    /* A limit written below the reading: the crossing is at the write. */
    pm_set_word(&t, A, PMBUS_VIN_OV_WARN_LIMIT, 0xD2C0); /* 11 V */
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_INPUT), 0x40);
    assert_false(pm_alert_released(&t, dev));
    bench_fini(&t);
}

/* `rail`: VOUT_COMMAND and the output's limits follow the nominal
 * output (LINEAR16, 2^-9 V): a 5 V supply's 5.5 V warning. */
static void test_rail(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = add(&t, ",rail=5,vout=5");
    assert_int_equal(pm_word(&t, A, PMBUS_VOUT_COMMAND), 5 * 512);
    assert_int_equal(pm_word(&t, A, PMBUS_VOUT_OV_FAULT_LIMIT), 2944);
    assert_int_equal(pm_word(&t, A, PMBUS_VOUT_OV_WARN_LIMIT), 2816);
    assert_int_equal(pm_word(&t, A, PMBUS_VOUT_UV_WARN_LIMIT), 2304);
    assert_int_equal(pm_word(&t, A, PMBUS_VOUT_UV_FAULT_LIMIT), 2176);
    assert_int_equal(pm_word(&t, A, PMBUS_STATUS_WORD), 0);
    bench_set(&t, dev, "vout", "5.6");
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_VOUT), 0x40);
    assert_false(pm_alert_released(&t, dev));
    bench_fini(&t);
}

/* Part II's OPERATION and ON_OFF_CONFIG: off, the output reads 0,
 * STATUS_BYTE shows OFF and STATUS_WORD POWER_GOOD#, and the output's
 * under-limits are not faults. */
static void test_operation(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    add(&t, "");
    pm_set_byte(&t, A, PMBUS_OPERATION, 0x00);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 0);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_POUT), 0);
    assert_int_equal(pm_word(&t, A, PMBUS_STATUS_WORD), 0x0840);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_VOUT), 0);
    /* ON_OFF_CONFIG without CMD: OPERATION is ignored, the unit is on. */
    pm_set_byte(&t, A, PMBUS_ON_OFF_CONFIG, 0x12);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 0x0200);
    assert_int_equal(pm_word(&t, A, PMBUS_STATUS_WORD), 0);
    pm_set_byte(&t, A, PMBUS_ON_OFF_CONFIG, 0x1A);
    pm_set_byte(&t, A, PMBUS_OPERATION, 0x80);
    assert_int_equal(pm_word(&t, A, PMBUS_READ_VOUT), 0x0200);
    bench_fini(&t);
}

/* MFR_ID/MODEL/REVISION are SMBus block reads, count first; a read of a
 * send-byte command or with no command gives 0xFF. */
static void test_blocks(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    add(&t, "");
    char s[40];
    assert_int_equal(pm_block(&t, A, PMBUS_MFR_MODEL, s), 13);
    assert_string_equal(s, "PMBUS-GENERIC");
    assert_int_equal(pm_block(&t, A, PMBUS_MFR_REVISION, s), 3);
    assert_string_equal(s, "1.0");
    uint8_t b[2];
    assert_int_equal(bench_xfer(&t, A, NULL, 0, b, 2), 1);
    assert_bytes(b, 0xFF, 0xFF);
    assert_int_equal(pm_read(&t, A, PMBUS_CLEAR_FAULTS, b, 1), 2);
    assert_int_equal(b[0], 0xFF);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), PMBUS_CML_INVALID_CMD);
    /* A block write to a read-only string is an invalid command. */
    assert_true(pm_write(&t, A, false, PMBUS_MFR_ID,
                         (const uint8_t[]){ 2, 'a', 'b' }, 3) < 0);
    assert_int_equal(pm_byte(&t, A, PMBUS_STATUS_CML), PMBUS_CML_INVALID_CMD);
    bench_fini(&t);
}

/* pmbus_core's probe as the generic driver runs it (pmbus_init_common,
 * pmbus_identify, pmbus_find_sensor_groups): a command is there if its
 * read succeeds and STATUS_BYTE then shows no CML fault; each check ends
 * with CLEAR_FAULTS. A part without a command NACKs it and flags it. */
static bool check_register(struct bench *t, uint8_t cmd, uint16_t len)
{
    uint8_t b[2];
    bool ok = pm_read(t, A, cmd, b, len) == 2 &&
              !(pm_byte(t, A, PMBUS_STATUS_BYTE) & 0x02);
    if (!ok)
        assert_int_equal(pm_byte(t, A, PMBUS_STATUS_CML),
                         PMBUS_CML_INVALID_CMD);
    pm_send(t, A, PMBUS_CLEAR_FAULTS);
    return ok;
}

static void test_linux_probe(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = add(&t, "");
    assert_true(pm_byte(&t, A, PMBUS_CAPABILITY) & 0x80); /* PEC on */
    assert_int_equal(pm_word_pec(&t, A, PMBUS_STATUS_WORD), 0);
    assert_false(check_register(&t, PMBUS_WRITE_PROTECT, 1));
    assert_int_equal(pm_byte(&t, A, PMBUS_REVISION), 0x33);
    /* Pages: PAGE is there, page 1 is refused. */
    assert_true(check_register(&t, PMBUS_PAGE, 1));
    assert_true(pm_write(&t, A, true, PMBUS_PAGE, BYTES(1)) < 0);
    assert_int_equal(pm_byte(&t, A, PMBUS_PAGE), 0);
    pm_send(&t, A, PMBUS_CLEAR_FAULTS);
    assert_true(check_register(&t, PMBUS_VOUT_MODE, 1));
    assert_int_equal(pm_byte(&t, A, PMBUS_VOUT_MODE) >> 5, 0); /* linear */
    static const uint8_t have[] = {
        PMBUS_READ_VIN, PMBUS_READ_IIN, PMBUS_READ_VOUT, PMBUS_READ_IOUT,
        PMBUS_READ_POUT, PMBUS_READ_PIN, PMBUS_READ_TEMPERATURE_1,
        PMBUS_READ_TEMPERATURE_2, PMBUS_READ_FAN_SPEED_1,
        PMBUS_STATUS_VOUT, PMBUS_STATUS_IOUT, PMBUS_STATUS_INPUT,
        PMBUS_STATUS_TEMPERATURE, PMBUS_STATUS_FANS_1_2,
    };
    for (unsigned i = 0; i < sizeof(have); i++)
        assert_true(check_register(&t, have[i], 2));
    static const uint8_t lack[] = {
        0x8A /* READ_VCAP */, PMBUS_READ_TEMPERATURE_3, 0x91 /* FAN 2 */,
        0x80 /* STATUS_MFR_SPECIFIC */, 0x7F /* STATUS_OTHER */,
        0x50 /* OT_FAULT_RESPONSE */, 0x5D /* IIN_OC_WARN_LIMIT */,
    };
    for (unsigned i = 0; i < sizeof(lack); i++)
        assert_false(check_register(&t, lack[i], 2));
    assert_true(pm_alert_released(&t, dev));
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_on),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_pec),
        cmocka_unit_test(test_cml_faults),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_rail),
        cmocka_unit_test(test_operation),
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_linux_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
