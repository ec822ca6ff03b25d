/* SPDX-License-Identifier: MIT */
/*
 * Maxim MAX34451 PMBus 16-channel V/I monitor and 12-channel sequencer
 * (Linux max34440), on the PMBus base (pmbus.c). The data sheet's page
 * table as QEMU's model (hw/sensor/max34451.c) quotes it (pages 0-15: the
 * ADC channels RS0-RS15; 16: the internal temperature sensor; 17-20:
 * external DS75LV sensors; 255: all pages). Direct format with m = 1, b = 0: voltages R =
 * 3 (mV), currents R = 2 (10 mA), temperatures R = 2 (0.01 C, two's
 * complement), as Linux's max34440.c sets them. Commands, identification
 * and power-on values as QEMU's model and its qtest hold them (the data
 * sheet itself was not at hand).
 */
#include "devices.h"
#include "pmbus.h"

enum {
    VOUT_MARGIN_HIGH = 0x25,
    VOUT_MARGIN_LOW = 0x26,
    VOUT_SCALE_MONITOR = 0x2A,
    POWER_GOOD_ON = 0x5E,
    POWER_GOOD_OFF = 0x5F,
    TON_DELAY = 0x60,
    TON_MAX_FAULT_LIMIT = 0x62,
    TOFF_DELAY = 0x64,
    MFR_MODE = 0xD1,
    MFR_VOUT_PEAK = 0xD4,
    MFR_IOUT_PEAK = 0xD5,
    MFR_TEMPERATURE_PEAK = 0xD6,
    MFR_VOUT_MIN = 0xD7,
    MFR_NV_LOG_CONFIG = 0xD8,
    MFR_IOUT_AVG = 0xE2,
    MFR_CHANNEL_CONFIG = 0xE4,
    MFR_STORE_ALL = 0xEE,
    MFR_RESTORE_ALL = 0xEF,
};

#define NCHAN 16
#define NTEMP 5
#define CH 0x0000FFFFu  /* pages 0-15 */
#define SEQ 0x00000FFFu /* pages 0-11: the sequenced supplies */
#define TS 0x001F0000u  /* pages 16-20 */

struct max34451_state {
    double vout[NCHAN], iout[NCHAN], temp[NTEMP]; /* properties */
    struct pmbus_state pm;
};

#define CMD(c, sz, r, f, pg)                                                  \
    { .code = c, .size = sz, .reset = r, .flags = f, .pages = pg }
#define B(c, r, f, pg) CMD(c, PMBUS_BYTE, r, f, pg)
#define W(c, r, f, pg) CMD(c, PMBUS_WORD, r, f, pg)
#define SEND(c) { .code = c, .size = PMBUS_SEND }
#define RO PMBUS_RO
#define GL PMBUS_GLOBAL

static const struct pmbus_cmd max34451_cmds[] = {
    B(PMBUS_PAGE, 0, 0, 0),
    B(PMBUS_OPERATION, 0x80, 0, CH),
    B(PMBUS_ON_OFF_CONFIG, 0x1A, 0, CH),
    SEND(PMBUS_CLEAR_FAULTS),
    B(PMBUS_WRITE_PROTECT, 0, 0, 0),
    B(PMBUS_CAPABILITY, 0x20, RO, 0),     /* 400 kHz; no PEC */
    B(PMBUS_VOUT_MODE, 0x40, RO, 0),      /* direct */
    W(VOUT_MARGIN_HIGH, 0, 0, SEQ),
    W(VOUT_MARGIN_LOW, 0, 0, SEQ),
    W(VOUT_SCALE_MONITOR, 0x7FFF, 0, CH),
    W(PMBUS_VOUT_OV_FAULT_LIMIT, 0x7FFF, 0, CH),
    W(PMBUS_VOUT_OV_WARN_LIMIT, 0x7FFF, 0, CH),
    W(PMBUS_VOUT_UV_WARN_LIMIT, 0, 0, CH),
    W(PMBUS_VOUT_UV_FAULT_LIMIT, 0, 0, CH),
    W(PMBUS_IOUT_OC_FAULT_LIMIT, 0x7FFF, 0, CH), /* 0x46: the warning */
    W(PMBUS_IOUT_OC_WARN_LIMIT, 0x7FFF, 0, CH),  /* 0x4A: the fault */
    W(PMBUS_OT_FAULT_LIMIT, 0x7FFF, 0, TS),
    W(PMBUS_OT_WARN_LIMIT, 0x7FFF, 0, TS),
    W(POWER_GOOD_ON, 0, 0, CH),
    W(POWER_GOOD_OFF, 0, 0, CH),
    W(TON_DELAY, 0, 0, SEQ),
    W(TON_MAX_FAULT_LIMIT, 0xFFFF, 0, SEQ),
    W(TOFF_DELAY, 0, 0, SEQ),
    B(PMBUS_STATUS_BYTE, 0, RO, 0),
    W(PMBUS_STATUS_WORD, 0, RO, 0),
    B(PMBUS_STATUS_VOUT, 0, 0, CH),
    B(PMBUS_STATUS_IOUT, 0, 0, CH),
    B(PMBUS_STATUS_TEMPERATURE, 0, 0, TS),
    B(PMBUS_STATUS_CML, 0, 0, 0),
    B(PMBUS_STATUS_MFR_SPECIFIC, 0, 0, CH),
    W(PMBUS_READ_VOUT, 0, RO, CH),
    W(PMBUS_READ_IOUT, 0, RO, CH),
    W(PMBUS_READ_TEMPERATURE_1, 0, RO, TS),
    B(PMBUS_REVISION, 0x11, RO, 0),       /* Part I and II rev. 1.1 */
    B(PMBUS_MFR_ID, 0x4D, RO, 0),         /* 'M': Maxim */
    B(PMBUS_MFR_MODEL, 0x59, RO, 0),
    W(PMBUS_MFR_REVISION, 0x0011, RO, 0), /* before MAX34451ETNA6's 0x0012 */
    W(MFR_MODE, 0, GL, 0),
    W(MFR_VOUT_PEAK, 0, 0, CH),
    W(MFR_IOUT_PEAK, 0, 0, CH),
    W(MFR_TEMPERATURE_PEAK, 0, 0, TS),
    W(MFR_VOUT_MIN, 0x7FFF, 0, CH),
    W(MFR_NV_LOG_CONFIG, 0, GL, 0),
    W(MFR_IOUT_AVG, 0, RO, CH),
    W(MFR_CHANNEL_CONFIG, 0x20, 0, CH),   /* voltage monitoring */
    SEND(MFR_STORE_ALL),
    SEND(MFR_RESTORE_ALL),
};

#define IN(pg, sn, m)                                                         \
    { .page = pg, .sensor = sn, .offset = offsetof(struct max34451_state, m) }
#define CHAN(i) IN(i, PMBUS_VOUT, vout[i]), IN(i, PMBUS_IOUT, iout[i])

static const struct pmbus_input max34451_inputs[] = {
    CHAN(0), CHAN(1), CHAN(2), CHAN(3), CHAN(4), CHAN(5), CHAN(6), CHAN(7),
    CHAN(8), CHAN(9), CHAN(10), CHAN(11), CHAN(12), CHAN(13), CHAN(14),
    CHAN(15),
    IN(16, PMBUS_TEMP1, temp[0]), IN(17, PMBUS_TEMP1, temp[1]),
    IN(18, PMBUS_TEMP1, temp[2]), IN(19, PMBUS_TEMP1, temp[3]),
    IN(20, PMBUS_TEMP1, temp[4]),
};

static void max34451_update(struct i2cemu_dev *d);
static bool max34451_read(struct i2cemu_dev *d, const struct pmbus_cmd *c,
                          unsigned page, uint16_t *v, uint8_t *buf);

static const struct pmbus_part max34451 = {
    PMBUS_CMDS(max34451_cmds),
    .npages = NCHAN + NTEMP,
    .all_pages = true,
    .no_pec = true,
    .iout_oc_swapped = true,
    PMBUS_INPUTS(max34451_inputs),
    .pm_offset = offsetof(struct max34451_state, pm),
    .coef = {
        [PMBUS_VOUT] = { .format = PMBUS_DIRECT, .m = 1, .R = 3 },
        [PMBUS_IOUT] = { .format = PMBUS_DIRECT, .m = 1, .R = 2 },
        [PMBUS_TEMP1] = { .format = PMBUS_DIRECT, .m = 1, .R = 2 },
    },
    .update = max34451_update,
    .read = max34451_read,
};

/* The peak and minimum registers (signed codes); a channel reading 0 V
 * is off and leaves its minimum alone. Linux's reset_history writes 0,
 * 0x7FFF (minimum) and 0x8000 (temperature peak). */
static void max34451_update(struct i2cemu_dev *d)
{
    for (unsigned pg = 0; pg < NCHAN + NTEMP; pg++) {
        bool t = pg >= NCHAN;
        int16_t r = (int16_t)pmbus_reading(d, &max34451, pg,
                                           t ? PMBUS_TEMP1 : PMBUS_VOUT);
        uint16_t *peak = pmbus_value(d, &max34451,
                                     t ? MFR_TEMPERATURE_PEAK : MFR_VOUT_PEAK,
                                     pg);
        if (r > (int16_t)*peak)
            *peak = (uint16_t)r;
        if (t)
            continue;
        uint16_t *min = pmbus_value(d, &max34451, MFR_VOUT_MIN, pg);
        if (r != 0 && r < (int16_t)*min)
            *min = (uint16_t)r;
        int16_t i = (int16_t)pmbus_reading(d, &max34451, pg, PMBUS_IOUT);
        uint16_t *ipeak = pmbus_value(d, &max34451, MFR_IOUT_PEAK, pg);
        if (i > (int16_t)*ipeak)
            *ipeak = (uint16_t)i;
    }
}

/* MFR_IOUT_AVG: the current, which the model holds steady. */
static bool max34451_read(struct i2cemu_dev *d, const struct pmbus_cmd *c,
                          unsigned page, uint16_t *v, uint8_t *buf)
{
    (void)buf;
    if (c->code != MFR_IOUT_AVG)
        return false;
    *v = pmbus_reading(d, &max34451, page, PMBUS_IOUT);
    return true;
}

PMBUS_CALLBACKS(max34451)

#define F(n, m, d, lo, hi, h)                                                 \
    I2CEMU_PROP_FLOAT_(n, struct max34451_state, m, d, lo, hi,                \
                       I2CEMU_PROP_RUNTIME, h)
#define V(i)                                                                  \
    F("vout" #i, vout[i], 0, -32.768, 32.767,                                 \
      "channel " #i " voltage (RS" #i ") in V")
#define I(i)                                                                  \
    F("iout" #i, iout[i], 0, -327.68, 327.67, "channel " #i " current in A")

static const struct i2cemu_prop max34451_props[] = {
    V(0), V(1), V(2), V(3), V(4), V(5), V(6), V(7),
    V(8), V(9), V(10), V(11), V(12), V(13), V(14), V(15),
    I(0), I(1), I(2), I(3), I(4), I(5), I(6), I(7),
    I(8), I(9), I(10), I(11), I(12), I(13), I(14), I(15),
    F("temp0", temp[0], 25, -327.68, 327.67,
      "internal temperature sensor (page 16) in degrees C"),
    F("temp1", temp[1], 25, -327.68, 327.67,
      "DS75LV at 0x48 (page 17) in degrees C"),
    F("temp2", temp[2], 25, -327.68, 327.67,
      "DS75LV at 0x49 (page 18) in degrees C"),
    F("temp3", temp[3], 25, -327.68, 327.67,
      "DS75LV at 0x4A (page 19) in degrees C"),
    F("temp4", temp[4], 25, -327.68, 327.67,
      "DS75LV at 0x4B (page 20) in degrees C"),
    PMBUS_ALERT_PROP(struct max34451_state),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field max34451_fields[] = {
    PMBUS_FIELDS(struct max34451_state),
    I2CEMU_FIELD_END,
};

static const char max34451_doc[] =
    "Source: `src/devices/max34451.c` on the PMBus base (see `pmbus`), after "
    "QEMU's\n"
    "model (the data sheet's page table, commands, identification and "
    "power-on\n"
    "values) and Linux's `max34440` driver (formats, MFR_REVISION, channel\n"
    "configuration); the data sheet itself was not at hand. Any address. QEMU's `max34451` qtest expectations "
    "hold,\n"
    "with the two differences below.\n"
    "\n"
    "* **Pages.** 0-15: ADC channels RS0-RS15 (`vout0`-`vout15` in V, "
    "`iout0`-\n"
    "  `iout15` in A); 16: the internal sensor (`temp0`); 17-20: external "
    "DS75LV\n"
    "  sensors (`temp1`-`temp4`, degrees C); 255 writes every page. A "
    "command\n"
    "  is NACKed on a page that does not have it (READ_TEMPERATURE_1 on "
    "page 3,\n"
    "  READ_VOUT on page 16); a read with PAGE 255 is invalid data.\n"
    "* **Formats.** Direct, m = 1, b = 0: READ_VOUT and the VOUT limits in "
    "mV\n"
    "  (R = 3), READ_IOUT in 10 mA (R = 2), temperatures in 0.01 C (R = 2), "
    "all\n"
    "  two's complement and truncated.\n"
    "* **Identification.** MFR_ID 0x4D and MFR_MODEL 0x59 (bytes), "
    "PMBUS_REVISION\n"
    "  0x11, CAPABILITY 0x20 (no PEC: a byte past the data is one too many, "
    "and\n"
    "  reads carry none). MFR_REVISION, a word, is 0x0011: a part before\n"
    "  MAX34451ETNA6 (0x0012), so IOUT_OC_WARN_LIMIT is at 0x46 and the "
    "fault limit\n"
    "  at 0x4A, swapped from PMBus, as Linux expects of it.\n"
    "* **Linux.** max34440's probe reads MFR_REVISION as a word, then sets "
    "each\n"
    "  page 0-15 and reads MFR_CHANNEL_CONFIG (0x20 at power on: voltage\n"
    "  monitoring); the value is stored and selects nothing here (READ_VOUT "
    "and\n"
    "  READ_IOUT both read their property). MFR_VOUT_PEAK, MFR_VOUT_MIN "
    "(channels\n"
    "  at 0 V are off and skipped), MFR_IOUT_PEAK and MFR_TEMPERATURE_PEAK "
    "follow\n"
    "  the readings, signed; MFR_IOUT_AVG reads the current.\n"
    "* **QEMU.** Its qtest reads ON_OFF_CONFIG and MFR_MODE on every page "
    "without\n"
    "  setting the page (PAGE stays 255); the port reads each page. It sets "
    "the\n"
    "  temperature code 0xBE00 and expects MFR_TEMPERATURE_PEAK to follow; "
    "0xBE00\n"
    "  is -168.96 C, below the 25 C seen before, so here the peak stays "
    "(the port\n"
    "  checks the peak with a rising temperature).\n"
    "* **Not modelled:** sequencing, margining and PWM outputs (their "
    "commands are\n"
    "  stored), the fault log and non-volatile store (MFR_STORE_ALL and\n"
    "  MFR_RESTORE_ALL are accepted), VOUT_SCALE_MONITOR, STATUS_MFR_SPECIFIC "
    "bits,\n"
    "  PSEN/TEMP_SENSOR/PWM/SEQ configuration, the 50 us page-change delay.\n";

const struct i2cemu_device_type i2cemu_max34451 = {
    .name = "max34451",
    .help = "MAX34451 16-channel PMBus V/I monitor, 5 temperatures (direct)",
    .family = "MAX34451 (PMBus)",
    .doc = max34451_doc,
    .props = max34451_props,
    .fields = max34451_fields,
    .state_size = sizeof(struct max34451_state),
    .lines = pmbus_lines,
    PMBUS_TYPE_CALLBACKS(max34451),
};
