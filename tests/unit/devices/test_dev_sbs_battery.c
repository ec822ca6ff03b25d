/* SPDX-License-Identifier: MIT */
/* Smart Battery (SBS 1.1): the word commands at power on, PEC on reads
 * and writes, block strings, error codes, CAPACITY_MODE, and the charge
 * simulation with its status bits on the VIRTUAL clock. */
#include "devtest.h"

#define ADDR 0x0B
#define MINUTE (60ull * 1000 * MS)

/* SMBus PEC, bit by bit (SMBus 1.1 7.4: CRC-8, x^8 + x^2 + x + 1). */
static uint8_t crc8(const uint8_t *p, unsigned n)
{
    uint8_t c = 0;
    while (n--) {
        c ^= *p++;
        for (int i = 0; i < 8; i++)
            c = (uint8_t)(c & 0x80 ? (c << 1) ^ 0x07 : c << 1);
    }
    return c;
}

/* A read word with PEC: the third byte must be the PEC. */
static unsigned word(struct bench *t, uint8_t cmd)
{
    uint8_t b[3];
    assert_int_equal(bench_xfer(t, ADDR, &cmd, 1, b, 3), 2);
    uint8_t msg[5] = { ADDR << 1, cmd, ADDR << 1 | 1, b[0], b[1] };
    assert_int_equal(b[2], crc8(msg, 5));
    return (unsigned)b[1] << 8 | b[0];
}

static int write_word(struct bench *t, uint8_t cmd, uint16_t v, bool pec,
                      bool good)
{
    uint8_t m[5] = { ADDR << 1, cmd, (uint8_t)v, (uint8_t)(v >> 8) };
    m[4] = (uint8_t)(crc8(m, 4) ^ !good);
    return bench_xfer(t, ADDR, m + 1, pec ? 4 : 3, NULL, 0);
}

static void test_power_on(void **state)
{
    (void)state;
    static const unsigned want[][2] = {
        { 0x00, 0 }, { 0x01, 440 }, { 0x02, 10 }, { 0x03, 0 }, { 0x04, 0 },
        { 0x05, 65535 }, { 0x06, 65535 }, { 0x07, 1 },
        { 0x08, 2982 },  /* 298.15 K */
        { 0x09, 11400 }, { 0x0A, 0 }, { 0x0B, 0 }, { 0x0C, 1 },
        { 0x0D, 80 }, { 0x0E, 76 }, /* 3360 of 4400 mAh */
        { 0x0F, 3360 }, { 0x10, 4200 }, { 0x11, 65535 }, { 0x12, 65535 },
        { 0x13, 65535 }, { 0x14, 2200 }, { 0x15, 12600 },
        { 0x16, 0x00C0 }, /* INITIALIZED, DISCHARGING (not charging) */
        { 0x17, 12 }, { 0x18, 4400 }, { 0x19, 11100 },
        { 0x1A, 0x0031 }, /* version 3: 1.1 with PEC; revision 1 */
        { 0x1B, 44 << 9 | 6 << 5 | 15 }, /* 2024-06-15 */
        { 0x1C, 0x0001 },
    };
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_refuse(&t, "sbs-battery,addr=0x0c", "0x0b");
    bench_refuse(&t, "sbs-battery,addr=0x0b,year=1970", "year");
    bench_add(&t, "sbs-battery,addr=0x0b");
    for (unsigned i = 0; i < sizeof(want) / sizeof(*want); i++)
        assert_int_equal(word(&t, (uint8_t)want[i][0]), want[i][1]);
    bench_fini(&t);
}

/* Block reads: the count, the string, then the PEC over all of it. */
static void test_blocks(void **state)
{
    (void)state;
    static const struct { uint8_t cmd; const char *s; } want[] = {
        { 0x20, "i2cemu" }, { 0x21, "Pack-2" }, { 0x22, "LION" },
    };
    struct bench t;
    uint8_t b[40], msg[40];
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "sbs-battery,addr=0x0b,device_name=Pack-2");
    for (unsigned i = 0; i < 3; i++) {
        unsigned n = (unsigned)strlen(want[i].s);
        assert_int_equal(bench_xfer(&t, ADDR, &want[i].cmd, 1, b, 2 + n), 2);
        assert_int_equal(b[0], n);
        assert_memory_equal(b + 1, want[i].s, n);
        msg[0] = ADDR << 1, msg[1] = want[i].cmd, msg[2] = ADDR << 1 | 1;
        memcpy(msg + 3, b, 1 + n);
        assert_int_equal(b[1 + n], crc8(msg, 4 + n));
    }
    bench_fini(&t);
}

/* Writes: with or without PEC, a wrong PEC NACKed and dropped; data to a
 * read-only command and unknown commands NACKed, with their error codes
 * in BatteryStatus 3:0 until the next good command. */
static void test_writes_and_errors(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "sbs-battery,addr=0x0b");
    assert_int_equal(write_word(&t, 0x02, 25, false, true), 1);
    assert_int_equal(word(&t, 0x02), 25);
    assert_int_equal(write_word(&t, 0x02, 30, true, true), 1);
    assert_int_equal(word(&t, 0x02), 30);
    assert_true(write_word(&t, 0x02, 35, true, false) < 0);
    assert_int_equal(word(&t, 0x02), 30);
    /* Linux's sbs_disable_charger_broadcasts(): CHARGER_MODE; the
     * read-only bits stay. */
    assert_int_equal(write_word(&t, 0x03, 0x40FF, true, true), 1);
    assert_int_equal(word(&t, 0x03), 0x4000);
    assert_true(write_word(&t, 0x09, 1000, false, true) < 0);
    assert_int_equal(word(&t, 0x16), 0x00C4); /* AccessDenied */
    assert_int_equal(word(&t, 0x16), 0x00C0);
    assert_int_equal(word(&t, 0x09), 11400);
    uint8_t b[3];
    assert_true(bench_xfer(&t, ADDR, BYTES(0x1D), b, 3) < 0);
    assert_true(bench_xfer(&t, ADDR, BYTES(0x23), b, 3) < 0);
    assert_int_equal(word(&t, 0x16), 0x00C3); /* UnsupportedCommand */
    bench_fini(&t);
}

/* CAPACITY_MODE: capacities in 10 mWh at the 11.1 V design voltage. */
static void test_capacity_mode(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "sbs-battery,addr=0x0b");
    assert_int_equal(write_word(&t, 0x03, 0x8000, true, true), 1);
    assert_int_equal(word(&t, 0x0F), 3730); /* 3360 mAh x 11.1 V / 10 */
    assert_int_equal(word(&t, 0x10), 4662);
    assert_int_equal(word(&t, 0x18), 4884);
    assert_int_equal(word(&t, 0x01), 488);
    assert_int_equal(word(&t, 0x0D), 80); /* percentages do not change */
    assert_int_equal(write_word(&t, 0x01, 1110, true, true), 1);
    /* AtRate -1110 (10 mW) is -1000 mA: 3360 mAh last 201 minutes. */
    assert_int_equal(write_word(&t, 0x04, (uint16_t)-1110, true, true), 1);
    assert_int_equal(word(&t, 0x06), 201);
    assert_int_equal(write_word(&t, 0x03, 0x0000, true, true), 1);
    assert_int_equal(word(&t, 0x01), 1000);
    assert_int_equal(word(&t, 0x0F), 3360);
    assert_int_equal(word(&t, 0x04), (uint16_t)-1110);
    assert_int_equal(word(&t, 0x06), 181); /* now -1110 mA */
    bench_fini(&t);
}

/* Discharge at 0.5 C, then charge at 1 C, on the board clock. */
static void test_simulation(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "sbs-battery,addr=0x0b");
    bench_set(&t, dev, "current", "-2100");
    assert_int_equal(word(&t, 0x0A), (uint16_t)-2100);
    assert_int_equal(word(&t, 0x11), 96); /* 3360 mAh at 2100 mA */
    i2cemu_loop_advance(t.loop, 60 * MINUTE);
    assert_int_equal(word(&t, 0x0D), 30);
    assert_int_equal(word(&t, 0x0F), 1260);
    assert_int_equal(word(&t, 0x11), 36);
    assert_int_equal(word(&t, 0x16), 0x00C0);
    i2cemu_loop_advance(t.loop, 24 * MINUTE); /* 420 mAh < 440 */
    assert_int_equal(word(&t, 0x16), 0x02C0);
    i2cemu_loop_advance(t.loop, 7 * MINUTE); /* 175 mAh: 5 min left */
    assert_int_equal(word(&t, 0x16), 0x03C0);
    i2cemu_loop_advance(t.loop, 10 * MINUTE);
    assert_int_equal(word(&t, 0x0D), 0);
    assert_int_equal(word(&t, 0x16), 0x0BD0); /* empty, still drawn */
    bench_set(&t, dev, "current", "4200");
    assert_int_equal(word(&t, 0x16), 0x0090); /* charging */
    assert_int_equal(word(&t, 0x13), 60);
    i2cemu_loop_advance(t.loop, 6 * MINUTE);
    assert_int_equal(word(&t, 0x0D), 10);
    assert_int_equal(word(&t, 0x16), 0x0090); /* until 20% */
    i2cemu_loop_advance(t.loop, 7 * MINUTE); /* 21.7% */
    assert_int_equal(word(&t, 0x16), 0x0080);
    i2cemu_loop_advance(t.loop, 60 * MINUTE);
    assert_int_equal(word(&t, 0x0D), 100);
    assert_int_equal(word(&t, 0x16), 0xC0A0);
    assert_int_equal(word(&t, 0x14), 0);
    assert_int_equal(word(&t, 0x15), 0);
    bench_set(&t, dev, "current", "0");
    assert_int_equal(word(&t, 0x16), 0x00E0);
    /* A new charge holds from when it is set. */
    bench_set(&t, dev, "charge", "50");
    i2cemu_loop_advance(t.loop, 60 * MINUTE);
    assert_int_equal(word(&t, 0x0D), 50);
    bench_set(&t, dev, "temperature", "60");
    assert_int_equal(word(&t, 0x08), 3332);
    assert_int_equal(word(&t, 0x16) & 0xF000, 0x5000);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_on),
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_writes_and_errors),
        cmocka_unit_test(test_capacity_mode),
        cmocka_unit_test(test_simulation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
