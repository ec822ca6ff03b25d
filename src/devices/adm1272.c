/* SPDX-License-Identifier: MIT */
/*
 * Analog Devices ADM1272 hot-swap controller and digital power monitor
 * (Linux adm1275), on the PMBus base (pmbus.c). The command set, the
 * identification and the power-on values are QEMU's model's
 * (hw/sensor/adm1272.c) and its qtest's; the direct-format coefficients
 * and PMON_CONFIG's range bits are the data sheet's as Linux's adm1275.c
 * tabulates them. The data sheet itself was not at hand.
 */
#include "devices.h"
#include "pmbus.h"

enum {
    RESTART_TIME = 0xCC,
    PEAK_IOUT = 0xD0,
    PEAK_VIN = 0xD1,
    PEAK_VOUT = 0xD2,
    PMON_CONTROL = 0xD3,
    PMON_CONFIG = 0xD4,
    ALERT1_CONFIG = 0xD5,
    ALERT2_CONFIG = 0xD6,
    PEAK_TEMPERATURE = 0xD7,
    DEVICE_CONFIG = 0xD8,
    POWER_CYCLE = 0xD9,
    PEAK_PIN = 0xDA,
    HYSTERESIS_LOW = 0xF2,
    HYSTERESIS_HIGH = 0xF3,
    STATUS_HYSTERESIS = 0xF4,
    STATUS_GPIO = 0xF5,
    STRT_UP_IOUT_LIM = 0xF6,
    MFR_DATE = 0x9D,
};

#define VRANGE 0x0020u /* PMON_CONFIG: 1: 0-100 V, 0: 0-60 V */
#define IRANGE 0x0001u /* PMON_CONFIG: 1: 0-30 mV, 0: 0-15 mV */

struct adm1272_state {
    double shunt;                  /* property, ohms */
    double vin, vout, iout, temp1; /* properties */
    struct pmbus_state pm;
};

#define B(c, r, f) { .code = c, .size = PMBUS_BYTE, .reset = r, .flags = f }
#define W(c, r, f) { .code = c, .size = PMBUS_WORD, .reset = r, .flags = f }
#define STR(c, s)                                                             \
    { .code = c, .size = PMBUS_BLOCK, .flags = PMBUS_RO, .str = s }
#define RO PMBUS_RO

/* The command reference, with the power-on values. */
static const struct pmbus_cmd adm1272_cmds[] = {
    B(PMBUS_OPERATION, 0x80, 0),
    { .code = PMBUS_CLEAR_FAULTS, .size = PMBUS_SEND },
    B(PMBUS_CAPABILITY, 0xB0, RO),          /* PEC, 400 kHz, SMBALERT# */
    B(PMBUS_VOUT_MODE, 0x40, RO),           /* direct */
    W(PMBUS_VOUT_OV_WARN_LIMIT, 0x0FFF, 0),
    W(PMBUS_VOUT_UV_WARN_LIMIT, 0x0000, 0),
    W(PMBUS_IOUT_OC_WARN_LIMIT, 0x0FFF, 0),
    W(PMBUS_OT_FAULT_LIMIT, 0x0FFF, 0),
    W(PMBUS_OT_WARN_LIMIT, 0x0FFF, 0),
    W(PMBUS_VIN_OV_WARN_LIMIT, 0x0FFF, 0),
    W(PMBUS_VIN_UV_WARN_LIMIT, 0x0000, 0),
    W(PMBUS_PIN_OP_WARN_LIMIT, 0x7FFF, 0),
    B(PMBUS_STATUS_BYTE, 0, RO),
    W(PMBUS_STATUS_WORD, 0, RO),
    B(PMBUS_STATUS_VOUT, 0, 0),
    B(PMBUS_STATUS_IOUT, 0, 0),
    B(PMBUS_STATUS_INPUT, 0, 0),
    B(PMBUS_STATUS_TEMPERATURE, 0, 0),
    B(PMBUS_STATUS_CML, 0, 0),
    B(PMBUS_STATUS_MFR_SPECIFIC, 0, 0),
    W(PMBUS_READ_VIN, 0, RO),
    W(PMBUS_READ_VOUT, 0, RO),
    W(PMBUS_READ_IOUT, 0, RO),
    W(PMBUS_READ_TEMPERATURE_1, 0, RO),
    W(PMBUS_READ_PIN, 0, RO),
    B(PMBUS_REVISION, 0x22, RO),            /* Part I 1.2, Part II 1.2 */
    STR(PMBUS_MFR_ID, "ADI"),
    STR(PMBUS_MFR_MODEL, "ADM1272-A1"),
    STR(PMBUS_MFR_REVISION, "25"),
    STR(MFR_DATE, "160301"),
    B(RESTART_TIME, 0x64, 0),
    W(PEAK_IOUT, 0, 0),
    W(PEAK_VIN, 0, 0),
    W(PEAK_VOUT, 0, 0),
    B(PMON_CONTROL, 0x01, 0),               /* continuous conversions */
    W(PMON_CONFIG, 0x3F35, 0),              /* 100 V, 30 mV ranges */
    W(ALERT1_CONFIG, 0, 0),
    W(ALERT2_CONFIG, 0, 0),
    W(PEAK_TEMPERATURE, 0, 0),
    W(DEVICE_CONFIG, 0x0008, 0),
    { .code = POWER_CYCLE, .size = PMBUS_SEND },
    W(PEAK_PIN, 0, 0),
    W(HYSTERESIS_LOW, 0, 0),
    W(HYSTERESIS_HIGH, 0xFFFF, 0),
    B(STATUS_HYSTERESIS, 0, RO),
    B(STATUS_GPIO, 0, RO),
    W(STRT_UP_IOUT_LIM, 0x000F, 0),
};

#define IN(sn, m)                                                             \
    { .page = 0, .sensor = sn,                                                \
      .offset = offsetof(struct adm1272_state, m) }

static const struct pmbus_input adm1272_inputs[] = {
    IN(PMBUS_VIN, vin), IN(PMBUS_VOUT, vout), IN(PMBUS_IOUT, iout),
    IN(PMBUS_TEMP1, temp1),
};

/* The direct-format coefficients (Linux adm1275.c's adm1272_coefficients):
 * m scales with the sense resistor in milliohms for current and power. */
static void adm1272_coef(struct i2cemu_dev *d, unsigned page, unsigned sensor,
                         struct pmbus_coef *c);

static void adm1272_update(struct i2cemu_dev *d);
static bool adm1272_write(struct i2cemu_dev *d, const struct pmbus_cmd *c,
                          unsigned page, uint16_t v);

static const struct pmbus_part adm1272 = {
    PMBUS_CMDS(adm1272_cmds),
    .npages = 1,
    PMBUS_INPUTS(adm1272_inputs),
    .pm_offset = offsetof(struct adm1272_state, pm),
    .coef_hook = adm1272_coef,
    .update = adm1272_update,
    .write = adm1272_write,
};

static void adm1272_coef(struct i2cemu_dev *d, unsigned page, unsigned sensor,
                         struct pmbus_coef *c)
{
    const struct adm1272_state *s = d->state;
    unsigned cfg = *pmbus_value(d, &adm1272, PMON_CONFIG, page);
    bool v100 = cfg & VRANGE, i30 = cfg & IRANGE;
    double mohm = s->shunt * 1000;
    static const double power[2][2] = { { 3512, 17561 }, { 21071, 10535 } };
    static const int power_r[2][2] = { { -2, -3 }, { -3, -3 } };

    *c = (struct pmbus_coef){ .format = PMBUS_DIRECT, .max = 0x0FFF };
    switch (sensor) {
    case PMBUS_VIN: case PMBUS_VOUT:
        c->m = v100 ? 4062 : 6770;
        c->R = -2;
        break;
    case PMBUS_IOUT:
        c->m = (i30 ? 663 : 1326) * mohm;
        c->b = 20480;
        c->R = -1;
        break;
    case PMBUS_PIN:
        c->m = power[v100][i30] * mohm;
        c->R = power_r[v100][i30];
        c->max = 0x7FFF;
        break;
    default: /* temperature */
        c->m = 42;
        c->b = 31871;
        c->R = -1;
        break;
    }
}

/* The peak registers hold the highest code since they were last written
 * (Linux's reset_history writes 0). */
static void adm1272_update(struct i2cemu_dev *d)
{
    static const struct { uint8_t code, sensor; } peaks[] = {
        { PEAK_IOUT, PMBUS_IOUT }, { PEAK_VIN, PMBUS_VIN },
        { PEAK_VOUT, PMBUS_VOUT }, { PEAK_TEMPERATURE, PMBUS_TEMP1 },
        { PEAK_PIN, PMBUS_PIN },
    };
    for (unsigned i = 0; i < sizeof(peaks) / sizeof(*peaks); i++) {
        uint16_t *v = pmbus_value(d, &adm1272, peaks[i].code, 0);
        uint16_t r = pmbus_reading(d, &adm1272, 0, peaks[i].sensor);
        if (r > *v)
            *v = r;
    }
}

static bool adm1272_write(struct i2cemu_dev *d, const struct pmbus_cmd *c,
                          unsigned page, uint16_t v)
{
    (void)d;
    (void)page;
    (void)v;
    if (c->code != POWER_CYCLE)
        return false;
    /* The FET turns off for 5 s (RESTART_TIME) and on again: the
     * controller restarts with its registers as they were. */
    return true;
}

PMBUS_CALLBACKS(adm1272)

static int adm1272_realize_checked(struct i2cemu_dev *d,
                                   struct i2cemu_error *err)
{
    const struct adm1272_state *s = d->state;
    if (s->shunt <= 0) {
        i2cemu_error_set(err, "shunt=%g: the sense resistor must be above 0",
                         s->shunt);
        return -1;
    }
    return adm1272_realize(d, err);
}

#define F(n, m, d, lo, hi, fl, h)                                             \
    I2CEMU_PROP_FLOAT_(n, struct adm1272_state, m, d, lo, hi, fl, h)

static const struct i2cemu_prop adm1272_props[] = {
    F("shunt", shunt, 0.001, 0.00001, 1.0, 0,
      "sense resistor in ohms (a board part: fixed while the board runs)"),
    F("vin", vin, 12.0, 0, 100, I2CEMU_PROP_RUNTIME, "VIN (SENSE+) in V"),
    F("vout", vout, 12.0, 0, 100, I2CEMU_PROP_RUNTIME, "VOUT (source) in V"),
    F("iout", iout, 25.0, -1000, 1000, I2CEMU_PROP_RUNTIME,
      "load current through the sense resistor in A"),
    F("temp1", temp1, 25.0, -40, 150, I2CEMU_PROP_RUNTIME,
      "die temperature in degrees C"),
    PMBUS_ALERT_PROP(struct adm1272_state),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field adm1272_fields[] = {
    PMBUS_FIELDS(struct adm1272_state),
    I2CEMU_FIELD_END,
};

static const char adm1272_doc[] =
    "Source: `src/devices/adm1272.c` on the PMBus base (see `pmbus` for the\n"
    "protocol, PEC, status and SMBALERT#). The commands, identification and\n"
    "power-on values follow QEMU's model and its qtest, whose expectations "
    "hold\n"
    "(power-on values, read/write and read-only commands, voltage "
    "warnings); the\n"
    "direct-format coefficients are the data sheet's as Linux's `adm1275` "
    "driver\n"
    "tabulates them (the data sheet itself was not at hand). Any address. "
    "MFR_ID\n"
    "\"ADI\", MFR_MODEL \"ADM1272-A1\", MFR_REVISION \"25\", MFR_DATE "
    "\"160301\",\n"
    "PMBUS_REVISION 0x22, CAPABILITY 0xB0 (PEC, 400 kHz, SMBALERT#).\n"
    "\n"
    "* **Readings**, direct format Y = (m X + b) 10^R, truncated to the "
    "ADC's\n"
    "  code (12 bits; PIN 15): VIN and VOUT m = 4062 (100 V range) or 6770 (60 V), R = "
    "-2;\n"
    "  IOUT m = 663 (30 mV range) or 1326 (15 mV) times the sense resistor in "
    "mOhm,\n"
    "  b = 20480, R = -1 (bipolar: 0 A reads 2048); PIN = VIN x IOUT with the "
    "power\n"
    "  coefficient of the two ranges (m = 10535 x mOhm, R = -3 for 100 V / 30 "
    "mV);\n"
    "  temperature m = 42, b = 31871, R = -1. PMON_CONFIG's VRANGE (bit 5) "
    "and\n"
    "  IRANGE (bit 0) pick them as Linux's adm1275 does; 0x3F35 at power on.\n"
    "* **Inputs.** `shunt` (ohms, 1 mOhm as Linux's default), `vin`, `vout`,\n"
    "  `iout`, `temp1`. OPERATION bit 7 off turns the FET off: VOUT, IOUT and "
    "PIN\n"
    "  read 0 (and 0 A reads 2048).\n"
    "* **Limits.** VOUT OV/UV warn, IOUT OC warn, OT fault and warn, VIN OV/"
    "UV\n"
    "  warn, PIN OP warn, in the readings' codes. PEAK_IOUT/VIN/VOUT/"
    "TEMPERATURE/\n"
    "  PIN hold the highest reading since written (Linux's reset_history "
    "writes 0).\n"
    "* **Linux.** adm1275's probe reads MFR_ID (must be \"ADI\") and "
    "MFR_MODEL\n"
    "  (prefix \"ADM1272\") as blocks, then PMON_CONFIG and DEVICE_CONFIG as "
    "bytes\n"
    "  (their low bytes).\n"
    "* **Not modelled:** READ_EIN/READ_PIN_EXT/READ_EIN_EXT energy "
    "accumulation,\n"
    "  averaging (PMON_CONFIG's AVG bits), the hot-swap timer and fault "
    "actions,\n"
    "  ALERT1/ALERT2 pins and GPIO, hysteresis comparisons; POWER_CYCLE is\n"
    "  accepted and changes nothing. QEMU defines CAPABILITY 0xB0 but resets "
    "it\n"
    "  to 0x30 (no PEC); this model keeps 0xB0, so Linux turns PEC on.\n";

const struct i2cemu_device_type i2cemu_adm1272 = {
    .name = "adm1272",
    .help = "ADM1272 hot-swap controller and power monitor (PMBus, direct)",
    .family = "ADM1272 (PMBus)",
    .doc = adm1272_doc,
    .props = adm1272_props,
    .fields = adm1272_fields,
    .state_size = sizeof(struct adm1272_state),
    .lines = pmbus_lines,
    .realize = adm1272_realize_checked,
    .event = adm1272_event,
    .send = adm1272_send,
    .recv = adm1272_recv,
    .changed = adm1272_changed,
    .state_check = adm1272_state_check,
};
