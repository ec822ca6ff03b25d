/* SPDX-License-Identifier: MIT */
/*
 * Renesas (Intersil) ISL68137 digital dual-output multiphase PWM
 * controller (Linux isl68137, its raa_dmpvr1_2rail variant), on the PMBus
 * base (pmbus.c). Two pages, one per output rail; the input and the
 * temperatures on page 0. Direct format with m = 1, b = 0 and the
 * driver's exponents: VIN and VOUT R = 3 (mV), IIN R = 2 (10 mA), IOUT
 * R = 1 (100 mA), PIN and POUT R = 0 (W), temperatures R = 0 (C).
 */
#include "devices.h"
#include "pmbus.h"

#define P0 0x1u /* page 0 only */
#define AVS 0x30u /* OPERATION: VOUT from AVSBus (Linux avsN_enable) */

struct isl68137_state {
    double vin, iin, temp1, temp2, temp3; /* properties, page 0 */
    double vout[2], iout[2];              /* properties, per rail */
    struct pmbus_state pm;
};

#define CMD(c, sz, r, f, pg)                                                  \
    { .code = c, .size = sz, .reset = r, .flags = f, .pages = pg }
#define B(c, r, f, pg) CMD(c, PMBUS_BYTE, r, f, pg)
#define W(c, r, f, pg) CMD(c, PMBUS_WORD, r, f, pg)
#define RO PMBUS_RO

static const struct pmbus_cmd isl68137_cmds[] = {
    B(PMBUS_PAGE, 0, 0, 0),
    B(PMBUS_OPERATION, 0x80, 0, 0),        /* on, VOUT_COMMAND */
    B(PMBUS_ON_OFF_CONFIG, 0x1A, 0, 0),
    { .code = PMBUS_CLEAR_FAULTS, .size = PMBUS_SEND },
    B(PMBUS_WRITE_PROTECT, 0, 0, 0),
    B(PMBUS_CAPABILITY, 0xB0, RO, 0),      /* PEC, 400 kHz, SMBALERT# */
    B(PMBUS_VOUT_MODE, 0x40, RO, 0),       /* direct */
    W(PMBUS_VOUT_COMMAND, 1000, 0, 0),     /* mV */
    W(PMBUS_VOUT_OV_FAULT_LIMIT, 1500, 0, 0),
    W(PMBUS_VOUT_UV_FAULT_LIMIT, 500, 0, 0),
    W(PMBUS_IOUT_OC_FAULT_LIMIT, 1000, 0, 0), /* 100 A */
    W(PMBUS_OT_FAULT_LIMIT, 125, 0, 0),
    W(PMBUS_OT_WARN_LIMIT, 105, 0, 0),
    W(PMBUS_VIN_OV_FAULT_LIMIT, 14000, 0, P0),
    W(PMBUS_VIN_UV_FAULT_LIMIT, 8000, 0, P0),
    B(PMBUS_STATUS_BYTE, 0, RO, 0),
    W(PMBUS_STATUS_WORD, 0, RO, 0),
    B(PMBUS_STATUS_VOUT, 0, 0, 0),
    B(PMBUS_STATUS_IOUT, 0, 0, 0),
    B(PMBUS_STATUS_INPUT, 0, 0, P0),
    B(PMBUS_STATUS_TEMPERATURE, 0, 0, 0),
    B(PMBUS_STATUS_CML, 0, 0, 0),
    W(PMBUS_READ_VIN, 0, RO, P0),
    W(PMBUS_READ_IIN, 0, RO, P0),
    W(PMBUS_READ_VOUT, 0, RO, 0),
    W(PMBUS_READ_IOUT, 0, RO, 0),
    W(PMBUS_READ_TEMPERATURE_1, 0, RO, P0),
    W(PMBUS_READ_TEMPERATURE_2, 0, RO, P0),
    W(PMBUS_READ_TEMPERATURE_3, 0, RO, P0),
    W(PMBUS_READ_POUT, 0, RO, 0),
    W(PMBUS_READ_PIN, 0, RO, P0),
    B(PMBUS_REVISION, 0x33, RO, 0),
};

#define IN(pg, sn, m)                                                         \
    { .page = pg, .sensor = sn, .offset = offsetof(struct isl68137_state, m) }

static const struct pmbus_input isl68137_inputs[] = {
    IN(0, PMBUS_VIN, vin), IN(0, PMBUS_IIN, iin), IN(0, PMBUS_TEMP1, temp1),
    IN(0, PMBUS_TEMP2, temp2), IN(0, PMBUS_TEMP3, temp3),
    IN(0, PMBUS_VOUT, vout[0]), IN(0, PMBUS_IOUT, iout[0]),
    IN(1, PMBUS_VOUT, vout[1]), IN(1, PMBUS_IOUT, iout[1]),
    IN(1, PMBUS_TEMP1, temp1), /* page 1's OT limits watch it too */
};

static const struct pmbus_part isl68137 = {
    PMBUS_CMDS(isl68137_cmds),
    .npages = 2,
    .all_pages = true,
    PMBUS_INPUTS(isl68137_inputs),
    .pm_offset = offsetof(struct isl68137_state, pm),
    .coef = {
        [PMBUS_VIN] = { .format = PMBUS_DIRECT, .m = 1, .R = 3 },
        [PMBUS_VOUT] = { .format = PMBUS_DIRECT, .m = 1, .R = 3 },
        [PMBUS_IIN] = { .format = PMBUS_DIRECT, .m = 1, .R = 2 },
        [PMBUS_IOUT] = { .format = PMBUS_DIRECT, .m = 1, .R = 1 },
        [PMBUS_PIN] = { .format = PMBUS_DIRECT, .m = 1, .R = 0 },
        [PMBUS_POUT] = { .format = PMBUS_DIRECT, .m = 1, .R = 0 },
        [PMBUS_TEMP1] = { .format = PMBUS_DIRECT, .m = 1, .R = 0 },
        [PMBUS_TEMP2] = { .format = PMBUS_DIRECT, .m = 1, .R = 0 },
        [PMBUS_TEMP3] = { .format = PMBUS_DIRECT, .m = 1, .R = 0 },
    },
};

PMBUS_CALLBACKS(isl68137)

#define F(n, m, d, lo, hi, h)                                                 \
    I2CEMU_PROP_FLOAT_(n, struct isl68137_state, m, d, lo, hi,                \
                       I2CEMU_PROP_RUNTIME, h)

static const struct i2cemu_prop isl68137_props[] = {
    F("vin", vin, 12.0, 0, 32.767, "input voltage in V"),
    F("iin", iin, 2.0, -327.68, 327.67, "input current in A"),
    F("vout0", vout[0], 1.0, 0, 32.767, "rail 0 (page 0) output in V"),
    F("vout1", vout[1], 1.0, 0, 32.767, "rail 1 (page 1) output in V"),
    F("iout0", iout[0], 20.0, -3276.8, 3276.7, "rail 0 output current in A"),
    F("iout1", iout[1], 10.0, -3276.8, 3276.7, "rail 1 output current in A"),
    F("temp1", temp1, 40.0, -273, 500, "temperature 1 in degrees C"),
    F("temp2", temp2, 40.0, -273, 500, "temperature 2 in degrees C"),
    F("temp3", temp3, 40.0, -273, 500, "temperature 3 in degrees C"),
    PMBUS_ALERT_PROP(struct isl68137_state),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field isl68137_fields[] = {
    PMBUS_FIELDS(struct isl68137_state),
    I2CEMU_FIELD_END,
};

static const char isl68137_doc[] =
    "Source: `src/devices/isl68137.c` on the PMBus base (see `pmbus`), after "
    "Linux's\n"
    "`isl68137` driver (its `raa_dmpvr1_2rail` table). Any address.\n"
    "\n"
    "* **Pages.** 0 and 1, one per output rail (`vout0`/`iout0`, `vout1`/\n"
    "  `iout1`); the input (`vin`, `iin`) and the three temperatures "
    "(`temp1`-\n"
    "  `temp3`) are page 0's, and a page-0 command read on page 1 is NACKed. "
    "PAGE\n"
    "  255 writes both rails.\n"
    "* **Formats.** Direct, m = 1, b = 0, truncated: VIN and VOUT in mV (R = "
    "3),\n"
    "  IIN in 10 mA (R = 2), IOUT in 100 mA (R = 1), PIN (vin x iin) and POUT\n"
    "  (vout x iout) in W, temperatures in C (R = 0); VOUT_MODE 0x40 (direct), "
    "which\n"
    "  the PMBus core checks against the driver's format.\n"
    "* **OPERATION** is a plain byte per rail: Linux's `avsN_enable` sets "
    "and reads\n"
    "  bits 5-4 (0x30, VOUT from AVSBus) and writes VOUT_COMMAND first; bit 7 "
    "off\n"
    "  turns the rail off (VOUT, IOUT and POUT read 0).\n"
    "* **Limits** (VOUT OV/UV fault, IOUT OC fault, OT fault/warn on each "
    "page;\n"
    "  VIN OV/UV fault on page 0) as in the base, in the readings' codes. The "
    "OT\n"
    "  limits watch `temp1`.\n"
    "* **Not checked against the data sheet**, which was not at hand: the "
    "power-on\n"
    "  values of OPERATION, ON_OFF_CONFIG, CAPABILITY (0xB0), PMBUS_REVISION "
    "(0x33)\n"
    "  and the limits are this model's.\n"
    "* **Not modelled:** AVSBus, IC_DEVICE_ID/IC_DEVICE_REV and the "
    "MFR-specific\n"
    "  commands (configuration store, black box), phases, loop "
    "compensation,\n"
    "  VOUT_COMMAND driving the output (`voutN` is the output).\n";

const struct i2cemu_device_type i2cemu_isl68137 = {
    .name = "isl68137",
    .help = "ISL68137 dual-rail multiphase PMBus regulator (direct)",
    .family = "ISL68137 (PMBus)",
    .doc = isl68137_doc,
    .props = isl68137_props,
    .fields = isl68137_fields,
    .state_size = sizeof(struct isl68137_state),
    .lines = pmbus_lines,
    PMBUS_TYPE_CALLBACKS(isl68137),
};
