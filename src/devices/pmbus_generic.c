/* SPDX-License-Identifier: MIT */
/*
 * `pmbus`: a generic single-page regulator on the PMBus base (pmbus.c),
 * with the standard command set that Linux's generic pmbus driver
 * (drivers/hwmon/pmbus/pmbus.c, pmbus_identify) accepts.
 */
#include <math.h>

#include "devices.h"
#include "pmbus.h"

#define B(c, r, f) { .code = c, .size = PMBUS_BYTE, .reset = r, .flags = f }
#define W(c, r, f) { .code = c, .size = PMBUS_WORD, .reset = r, .flags = f }
#define S(c) { .code = c, .size = PMBUS_SEND }
#define STR(c, s)                                                             \
    { .code = c, .size = PMBUS_BLOCK, .flags = PMBUS_RO, .str = s }
#define RO PMBUS_RO

/* The status commands every part has (STATUS_BYTE/WORD are summaries). */
#define STATUS_CMDS                                                           \
    B(PMBUS_STATUS_BYTE, 0, RO), W(PMBUS_STATUS_WORD, 0, RO),                 \
    B(PMBUS_STATUS_VOUT, 0, 0), B(PMBUS_STATUS_IOUT, 0, 0),                   \
    B(PMBUS_STATUS_INPUT, 0, 0), B(PMBUS_STATUS_TEMPERATURE, 0, 0),           \
    B(PMBUS_STATUS_CML, 0, 0)

/* ---- pmbus: a generic regulator ---------------------------------------- */

struct generic_state {
    double vin, iin, vout, iout, temp1, temp2, fan1; /* properties */
    double rail; /* the nominal output voltage */
    struct pmbus_state pm;
};

#define FAN_CONFIG_1_2 0x3A

static const struct pmbus_cmd generic_cmds[] = {
    B(PMBUS_PAGE, 0, 0),
    B(PMBUS_OPERATION, 0x80, 0),        /* on */
    B(PMBUS_ON_OFF_CONFIG, 0x1A, 0),    /* PU, CMD: OPERATION switches */
    S(PMBUS_CLEAR_FAULTS),
    B(PMBUS_CAPABILITY, 0xB0, RO),      /* PEC, 400 kHz, SMBALERT# */
    B(PMBUS_VOUT_MODE, 0x17, RO),       /* LINEAR16, exponent -9 */
    W(PMBUS_VOUT_COMMAND, 0x0200, 0),   /* 1.0 V */
    B(FAN_CONFIG_1_2, 0x90, 0),         /* fan 1 installed, 2 pulses */
    W(PMBUS_VOUT_OV_FAULT_LIMIT, 0x024D, 0), /* 1.15 V */
    W(PMBUS_VOUT_OV_WARN_LIMIT, 0x0233, 0),  /* 1.10 V */
    W(PMBUS_VOUT_UV_WARN_LIMIT, 0x01CD, 0),  /* 0.90 V */
    W(PMBUS_VOUT_UV_FAULT_LIMIT, 0x01B3, 0), /* 0.85 V */
    W(PMBUS_IOUT_OC_FAULT_LIMIT, 0xE280, 0), /* 40 A */
    W(PMBUS_IOUT_OC_WARN_LIMIT, 0xDBC0, 0),  /* 30 A */
    W(PMBUS_OT_FAULT_LIMIT, 0xEBE8, 0),      /* 125 C */
    W(PMBUS_OT_WARN_LIMIT, 0xEB20, 0),       /* 100 C */
    W(PMBUS_UT_WARN_LIMIT, 0xDD80, 0),       /* -20 C */
    W(PMBUS_UT_FAULT_LIMIT, 0xE580, 0),      /* -40 C */
    W(PMBUS_VIN_OV_FAULT_LIMIT, 0xDA00, 0),  /* 16 V */
    W(PMBUS_VIN_OV_WARN_LIMIT, 0xD380, 0),   /* 14 V */
    W(PMBUS_VIN_UV_WARN_LIMIT, 0xD2A0, 0),   /* 10.5 V */
    W(PMBUS_VIN_UV_FAULT_LIMIT, 0xD240, 0),  /* 9 V */
    STATUS_CMDS,
    B(PMBUS_STATUS_FANS_1_2, 0, 0),
    W(PMBUS_READ_VIN, 0, RO), W(PMBUS_READ_IIN, 0, RO),
    W(PMBUS_READ_VOUT, 0, RO), W(PMBUS_READ_IOUT, 0, RO),
    W(PMBUS_READ_TEMPERATURE_1, 0, RO), W(PMBUS_READ_TEMPERATURE_2, 0, RO),
    W(PMBUS_READ_FAN_SPEED_1, 0, RO),
    W(PMBUS_READ_POUT, 0, RO), W(PMBUS_READ_PIN, 0, RO),
    B(PMBUS_REVISION, 0x33, RO),        /* Part I and II rev. 1.3 */
    STR(PMBUS_MFR_ID, "i2cemu"),
    STR(PMBUS_MFR_MODEL, "PMBUS-GENERIC"),
    STR(PMBUS_MFR_REVISION, "1.0"),
};

#define IN(pg, sn, st, m)                                                     \
    { .page = pg, .sensor = sn, .offset = offsetof(st, m) }

static const struct pmbus_input generic_inputs[] = {
    IN(0, PMBUS_VIN, struct generic_state, vin),
    IN(0, PMBUS_IIN, struct generic_state, iin),
    IN(0, PMBUS_VOUT, struct generic_state, vout),
    IN(0, PMBUS_IOUT, struct generic_state, iout),
    IN(0, PMBUS_TEMP1, struct generic_state, temp1),
    IN(0, PMBUS_TEMP2, struct generic_state, temp2),
    IN(0, PMBUS_FAN1, struct generic_state, fan1),
};

static void generic_power_on(struct i2cemu_dev *d);

static const struct pmbus_part generic = {
    PMBUS_CMDS(generic_cmds),
    .npages = 1,
    PMBUS_INPUTS(generic_inputs),
    .pm_offset = offsetof(struct generic_state, pm),
    .coef = { [PMBUS_VOUT] = { .format = PMBUS_LINEAR16 } },
    .power_on = generic_power_on,
};

/* VOUT_COMMAND and the output's limits follow the rail (the table's
 * values are those of a 1.0 V rail): faults at +-15 %, warnings at
 * +-10 %, as the table's. */
static void generic_power_on(struct i2cemu_dev *d)
{
    static const struct { uint8_t code; double k; } at[] = {
        { PMBUS_VOUT_COMMAND, 1.0 },
        { PMBUS_VOUT_OV_FAULT_LIMIT, 1.15 }, { PMBUS_VOUT_OV_WARN_LIMIT, 1.10 },
        { PMBUS_VOUT_UV_WARN_LIMIT, 0.90 }, { PMBUS_VOUT_UV_FAULT_LIMIT, 0.85 },
    };
    const struct generic_state *s = d->state;
    for (unsigned i = 0; i < sizeof at / sizeof at[0]; i++)
        *pmbus_value(d, &generic, at[i].code, 0) = pmbus_encode(
            &generic.coef[PMBUS_VOUT], -9, at[i].k * s->rail);
}

PMBUS_CALLBACKS(generic)

#define F(n, m, d, lo, hi, h)                                                 \
    I2CEMU_PROP_FLOAT_(n, struct generic_state, m, d, lo, hi,                 \
                       I2CEMU_PROP_RUNTIME, h)

static const struct i2cemu_prop generic_props[] = {
    F("vin", vin, 12.0, 0, 1000, "input voltage in V"),
    F("iin", iin, 1.0, -1000, 1000, "input current in A"),
    F("vout", vout, 1.0, 0, 1000, "output voltage in V"),
    I2CEMU_PROP_FLOAT_("rail", struct generic_state, rail, 1.0, 0.1, 55, 0,
                       "nominal output in V: VOUT_COMMAND and the VOUT "
                       "limits (+-10 %, +-15 %) at power on"),
    F("iout", iout, 10.0, -1000, 1000, "output current in A"),
    F("temp1", temp1, 40.0, -273, 1000, "temperature 1 in degrees C"),
    F("temp2", temp2, 35.0, -273, 1000, "temperature 2 in degrees C"),
    F("fan1", fan1, 3000.0, 0, 1e6, "fan 1 speed in rpm"),
    PMBUS_ALERT_PROP(struct generic_state),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field generic_fields[] = {
    PMBUS_FIELDS(struct generic_state),
    I2CEMU_FIELD_END,
};

static const char generic_doc[] =
    "Source: `src/devices/pmbus_generic.c` on the PMBus base "
    "`src/devices/pmbus.c`,\n"
    "after PMBus 1.3 Part II (10 \"Fault Management And Reporting\", the "
    "data\n"
    "formats, 17 the status commands, and the other commands) and SMBus 3.0 "
    "(6.4\n"
    "PEC). Any address.\n"
    "\n"
    "* **Protocol.** Send byte, read/write byte and word (low byte first), "
    "block\n"
    "  reads (count first) of MFR_ID, MFR_MODEL and MFR_REVISION, each with "
    "an\n"
    "  optional PEC byte (CRC-8, poly 0x07, over the whole transaction, "
    "addresses\n"
    "  included): `i2cget -y 1 0x40 0x8b wp` works. A write takes effect at "
    "the\n"
    "  STOP. A command the part does not have is NACKed at its code; a "
    "write to a\n"
    "  read-only command, a bad PAGE, too many bytes or a wrong PEC is NACKed "
    "at\n"
    "  that byte; each sets its STATUS_CML bit (invalid command 7, invalid "
    "data 6,\n"
    "  PEC 5, other 1) and the CML bit of STATUS_BYTE, and nothing is "
    "executed.\n"
    "* **Rail.** `rail` (default 1.0 V) is the nominal output: VOUT_COMMAND "
    "and\n"
    "  the VOUT limits power on at it, +-10 % (warnings) and +-15 % (faults).\n"
    "* **Formats.** READ_VOUT and the VOUT limits are LINEAR16 with "
    "VOUT_MODE's\n"
    "  exponent (0x17: 2^-9 V); the other readings LINEAR11 with the "
    "smallest\n"
    "  exponent that holds the value (the most precision), rounded.\n"
    "* **Inputs.** `vin`, `iin`, `vout`, `iout`, `temp1`, `temp2` (degrees "
    "C),\n"
    "  `fan1` (rpm); READ_POUT is vout x iout, READ_PIN vin x iin. With "
    "OPERATION's\n"
    "  ON bit clear (ON_OFF_CONFIG 0x1A: OPERATION switches the output) the "
    "output\n"
    "  and the currents read 0, STATUS_BYTE shows OFF and STATUS_WORD "
    "POWER_GOOD#.\n"
    "* **Limits and status.** The VOUT, IOUT, temperature and VIN warn and "
    "fault\n"
    "  limits are compared with the readings whenever an input, a limit or "
    "the\n"
    "  on/off state changes: a reading above an over-limit (below an "
    "under-limit)\n"
    "  sets its STATUS_VOUT/IOUT/INPUT/TEMPERATURE bit, latched, and the "
    "summary\n"
    "  bits of STATUS_BYTE/STATUS_WORD follow. Under-limits of an output "
    "that is\n"
    "  off are not checked. CLEAR_FAULTS clears every page's status and "
    "STATUS_CML,\n"
    "  a 1 written to a STATUS_x bit clears it; a condition that still "
    "holds sets\n"
    "  its bit again at once. The `smbalert` line and read-only property "
    "are\n"
    "  SMBALERT#'s level: 1 released, 0 while any status bit is set.\n"
    "* **Linux.** The generic `pmbus` driver probes CAPABILITY (and turns "
    "PEC on),\n"
    "  STATUS_WORD, PAGE (page 1 is refused: one page), VOUT_MODE and each "
    "READ_x\n"
    "  and STATUS_x, reading STATUS_CML after each; FAN_CONFIG_1_2 says fan 1 "
    "is\n"
    "  installed.\n"
    "* **Not modelled:** SMBALERT_MASK and the alert response address, "
    "WRITE_PROTECT,\n"
    "  VOUT_COMMAND driving the output (it is stored; `vout` is the "
    "output),\n"
    "  fan limits and fan commands, QUERY, COEFFICIENTS, PAGE_PLUS_READ/"
    "WRITE,\n"
    "  writes to STATUS_BYTE/STATUS_WORD (read-only here), writable MFR "
    "strings,\n"
    "  timing (BUSY never sets).\n";

const struct i2cemu_device_type i2cemu_pmbus = {
    .name = "pmbus",
    .help = "generic PMBus regulator (LINEAR11/16, PEC, limits, SMBALERT#)",
    .family = "PMBus (generic)",
    .doc = generic_doc,
    .props = generic_props,
    .fields = generic_fields,
    .state_size = sizeof(struct generic_state),
    .lines = pmbus_lines,
    PMBUS_TYPE_CALLBACKS(generic),
};
