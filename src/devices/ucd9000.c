/* SPDX-License-Identifier: MIT */
/*
 * TI UCD90160 16-rail power sequencer and system health controller
 * (Linux ucd9000), on the PMBus base (pmbus.c): the standard PMBus
 * monitoring of its 16 rails (pages), and the manufacturer commands the
 * driver uses: DEVICE_ID, NUM_PAGES, MONITOR_CONFIG, MFR_STATUS and the
 * GPIO_SELECT/GPIO_CONFIG pair behind its gpiochip.
 */
#include <string.h>

#include "devices.h"
#include "pmbus.h"

enum {
    POWER_GOOD_ON = 0x5E,
    POWER_GOOD_OFF = 0x5F,
    TON_DELAY = 0x60,
    TON_MAX_FAULT_LIMIT = 0x62,
    TOFF_DELAY = 0x64,
    MONITOR_CONFIG = 0xD5,
    NUM_PAGES = 0xD6,
    MFR_STATUS = 0xF3,
    GPIO_SELECT = 0xFA,
    GPIO_CONFIG = 0xFB,
    DEVICE_ID = 0xFD,
};

/* GPIO_CONFIG bits (Linux ucd9000.c). */
#define G_ENABLE 0x01u /* write: apply this configuration */
#define G_OE     0x02u /* output enabled */
#define G_OV     0x04u /* output value */
#define G_STATUS 0x08u /* read: the pin's level; write: the level to drive */

#define NRAILS 16
#define NGPIO 26
#define P0 0x1u
#define P1 0x2u

struct ucd9000_state {
    double vout[NRAILS], iout0, temp1, temp2; /* properties */
    uint32_t gpio_in; /* property: levels driven onto the GPIO pins */
    uint32_t gpios;   /* read-only property: the pins' levels */
    uint8_t gpio_cfg[NGPIO]; /* OE and OV of each GPIO */
    struct pmbus_state pm;
    uint8_t gpio_select;
};

#define CMD(c, sz, r, f, pg)                                                  \
    { .code = c, .size = sz, .reset = r, .flags = f, .pages = pg }
#define B(c, r, f, pg) CMD(c, PMBUS_BYTE, r, f, pg)
#define W(c, r, f, pg) CMD(c, PMBUS_WORD, r, f, pg)
#define BLK(c) { .code = c, .size = PMBUS_BLOCK, .flags = PMBUS_RO }
#define RO PMBUS_RO
#define GL PMBUS_GLOBAL

/* VOUT_MODE 0x13: LINEAR16, 2^-13 V; limits at 1.2/1.1/0.9/0.8 V. */
static const struct pmbus_cmd ucd9000_cmds[] = {
    B(PMBUS_PAGE, 0, 0, 0),
    B(PMBUS_OPERATION, 0x80, 0, 0),
    B(PMBUS_ON_OFF_CONFIG, 0x1A, 0, 0),
    { .code = PMBUS_CLEAR_FAULTS, .size = PMBUS_SEND },
    B(PMBUS_WRITE_PROTECT, 0, 0, 0),
    B(PMBUS_CAPABILITY, 0xB0, RO, 0),
    B(PMBUS_VOUT_MODE, 0x13, RO, 0),
    W(PMBUS_VOUT_COMMAND, 0x2000, 0, 0),
    W(PMBUS_VOUT_OV_FAULT_LIMIT, 0x2666, 0, 0),
    W(PMBUS_VOUT_OV_WARN_LIMIT, 0x2333, 0, 0),
    W(PMBUS_VOUT_UV_WARN_LIMIT, 0x1CCD, 0, 0),
    W(PMBUS_VOUT_UV_FAULT_LIMIT, 0x199A, 0, 0),
    W(PMBUS_IOUT_OC_FAULT_LIMIT, 0xDA00, 0, P0), /* 16 A */
    W(PMBUS_IOUT_OC_WARN_LIMIT, 0xD300, 0, P0),  /* 12 A */
    W(PMBUS_OT_FAULT_LIMIT, 0xEBE8, 0, P0 | P1), /* 125 C */
    W(PMBUS_OT_WARN_LIMIT, 0xEB20, 0, P0 | P1),  /* 100 C */
    W(POWER_GOOD_ON, 0x1E66, 0, 0),              /* 0.95 V */
    W(POWER_GOOD_OFF, 0x1B33, 0, 0),             /* 0.85 V */
    W(TON_DELAY, 0, 0, 0),
    W(TON_MAX_FAULT_LIMIT, 0, 0, 0),
    W(TOFF_DELAY, 0, 0, 0),
    B(PMBUS_STATUS_BYTE, 0, RO, 0),
    W(PMBUS_STATUS_WORD, 0, RO, 0),
    B(PMBUS_STATUS_VOUT, 0, 0, 0),
    B(PMBUS_STATUS_IOUT, 0, 0, P0),
    B(PMBUS_STATUS_TEMPERATURE, 0, 0, P0 | P1),
    B(PMBUS_STATUS_CML, 0, 0, 0),
    W(PMBUS_READ_VOUT, 0, RO, 0),
    W(PMBUS_READ_IOUT, 0, RO, P0),
    W(PMBUS_READ_TEMPERATURE_1, 0, RO, P0),
    W(PMBUS_READ_TEMPERATURE_2, 0, RO, P1),
    B(PMBUS_REVISION, 0x11, RO, 0),
    BLK(MONITOR_CONFIG),
    B(NUM_PAGES, NRAILS, RO, 0),
    BLK(MFR_STATUS),
    B(GPIO_SELECT, 0, GL, 0),
    B(GPIO_CONFIG, 0, GL, 0),
    BLK(DEVICE_ID),
};

#define IN(pg, sn, m)                                                         \
    { .page = pg, .sensor = sn, .offset = offsetof(struct ucd9000_state, m) }

static const struct pmbus_input ucd9000_inputs[] = {
    IN(0, PMBUS_VOUT, vout[0]), IN(1, PMBUS_VOUT, vout[1]),
    IN(2, PMBUS_VOUT, vout[2]), IN(3, PMBUS_VOUT, vout[3]),
    IN(4, PMBUS_VOUT, vout[4]), IN(5, PMBUS_VOUT, vout[5]),
    IN(6, PMBUS_VOUT, vout[6]), IN(7, PMBUS_VOUT, vout[7]),
    IN(8, PMBUS_VOUT, vout[8]), IN(9, PMBUS_VOUT, vout[9]),
    IN(10, PMBUS_VOUT, vout[10]), IN(11, PMBUS_VOUT, vout[11]),
    IN(12, PMBUS_VOUT, vout[12]), IN(13, PMBUS_VOUT, vout[13]),
    IN(14, PMBUS_VOUT, vout[14]), IN(15, PMBUS_VOUT, vout[15]),
    IN(0, PMBUS_IOUT, iout0), IN(0, PMBUS_TEMP1, temp1),
    IN(1, PMBUS_TEMP1, temp2), /* page 1's OT limits watch its sensor */
    IN(1, PMBUS_TEMP2, temp2),
};

/* MONITOR_CONFIG: one byte per monitor, type << 5 | page (1 voltage,
 * 2 temperature, 3 current): the 16 rails' voltages, a current on rail
 * 0 and a temperature on rail 1. */
static const uint8_t monitors[] = {
    0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
    0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F,
    0x60, 0x41,
};

static const char device_id[] = "UCD90160|2.3.4.0000|110603";

static bool ucd9000_read(struct i2cemu_dev *d, const struct pmbus_cmd *c,
                         unsigned page, uint16_t *v, uint8_t *buf);
static bool ucd9000_write(struct i2cemu_dev *d, const struct pmbus_cmd *c,
                          unsigned page, uint16_t v);

static const struct pmbus_part ucd90160 = {
    PMBUS_CMDS(ucd9000_cmds),
    .npages = NRAILS,
    .all_pages = true,
    PMBUS_INPUTS(ucd9000_inputs),
    .pm_offset = offsetof(struct ucd9000_state, pm),
    .coef = { [PMBUS_VOUT] = { .format = PMBUS_LINEAR16 } },
    .read = ucd9000_read,
    .write = ucd9000_write,
};

static bool level(const struct ucd9000_state *s, unsigned g)
{
    if (s->gpio_cfg[g] & G_OE)
        return s->gpio_cfg[g] & G_OV;
    return s->gpio_in >> g & 1;
}

static void refresh(struct ucd9000_state *s)
{
    s->gpios = 0;
    for (unsigned g = 0; g < NGPIO; g++)
        s->gpios |= (uint32_t)level(s, g) << g;
}

static bool ucd9000_read(struct i2cemu_dev *d, const struct pmbus_cmd *c,
                         unsigned page, uint16_t *v, uint8_t *buf)
{
    const struct ucd9000_state *s = d->state;
    unsigned g = s->gpio_select;
    (void)page;
    switch (c->code) {
    case GPIO_CONFIG:
        *v = g < NGPIO ? (uint16_t)(s->gpio_cfg[g] |
                                    (level(s, g) ? G_STATUS : 0))
                       : 0;
        return true;
    case MONITOR_CONFIG:
        memcpy(buf, monitors, sizeof(monitors));
        *v = sizeof(monitors);
        return true;
    case MFR_STATUS: /* no faults, no GPI alarms */
        memset(buf, 0, 4);
        *v = 4;
        return true;
    case DEVICE_ID:
        memcpy(buf, device_id, sizeof(device_id) - 1);
        *v = sizeof(device_id) - 1;
        return true;
    default:
        return false;
    }
}

/* GPIO_CONFIG takes effect when written with ENABLE. An output whose
 * STATUS is written with the other level drives it (Linux's gpio set);
 * otherwise OUT_VALUE is the level (its direction_output). */
static bool ucd9000_write(struct i2cemu_dev *d, const struct pmbus_cmd *c,
                          unsigned page, uint16_t v)
{
    struct ucd9000_state *s = d->state;
    unsigned g = s->gpio_select;
    (void)page;
    if (c->code == GPIO_SELECT) {
        s->gpio_select = (uint8_t)v;
        return true;
    }
    if (c->code != GPIO_CONFIG)
        return false;
    if (!(v & G_ENABLE) || g >= NGPIO)
        return true;
    uint8_t cfg = v & (G_OE | G_OV);
    if ((v & G_OE) && !(v & G_STATUS) != !level(s, g))
        cfg = (uint8_t)((cfg & ~G_OV) | (v & G_STATUS ? G_OV : 0));
    s->gpio_cfg[g] = cfg;
    refresh(s);
    return true;
}

PMBUS_CALLBACKS(ucd90160)

static void ucd9000_changed(struct i2cemu_dev *d, const struct i2cemu_prop *p)
{
    refresh(d->state);
    ucd90160_changed(d, p);
}

static int ucd9000_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    refresh(d->state);
    return ucd90160_realize(d, err);
}

#define F(n, m, d, lo, hi, h)                                                 \
    I2CEMU_PROP_FLOAT_(n, struct ucd9000_state, m, d, lo, hi,                 \
                       I2CEMU_PROP_RUNTIME, h)
#define V(i)                                                                  \
    F("vout" #i, vout[i], 1.0, 0, 7.999,                                      \
      "rail " #i " voltage (page " #i ") in V")

static const struct i2cemu_prop ucd9000_props[] = {
    V(0), V(1), V(2), V(3), V(4), V(5), V(6), V(7),
    V(8), V(9), V(10), V(11), V(12), V(13), V(14), V(15),
    F("iout0", iout0, 5.0, -1000, 1000, "rail 0 current in A"),
    F("temp1", temp1, 40.0, -273, 500,
      "internal temperature sensor in degrees C"),
    F("temp2", temp2, 35.0, -273, 500,
      "rail 1's temperature monitor in degrees C"),
    I2CEMU_PROP_UINT_("gpio_in", struct ucd9000_state, gpio_in, 0, 0,
                      0x3FFFFFF, I2CEMU_PROP_RUNTIME | I2CEMU_PROP_HEX,
                      "levels driven onto the 26 GPIO pins (bit n: GPIO n)"),
    I2CEMU_PROP_UINT_("gpios", struct ucd9000_state, gpios, 0, 0, 0x3FFFFFF,
                      I2CEMU_PROP_READONLY | I2CEMU_PROP_HEX,
                      "the 26 GPIO pins' levels"),
    PMBUS_ALERT_PROP(struct ucd9000_state),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field ucd9000_fields[] = {
    I2CEMU_FIELD("gpio_select", struct ucd9000_state, gpio_select,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("gpio_config", struct ucd9000_state, gpio_cfg,
                 I2CEMU_FIELD_RUNTIME),
    PMBUS_FIELDS(struct ucd9000_state),
    I2CEMU_FIELD_END,
};

static const char ucd9000_doc[] =
    "Source: `src/devices/ucd9000.c` on the PMBus base (see `pmbus`), after "
    "Linux's\n"
    "`ucd9000` driver: what its probe, hwmon, gpiochip and debugfs use. Any "
    "address.\n"
    "\n"
    "* **Identification.** DEVICE_ID (0xFD), a block: "
    "`UCD90160|2.3.4.0000|110603`\n"
    "  (device, firmware, date; the driver matches the prefix). NUM_PAGES "
    "(0xD6):\n"
    "  16. MONITOR_CONFIG (0xD5), a block of one byte per monitor, type << 5 "
    "| page:\n"
    "  the 16 rails' voltages (0x20-0x2F), a current on rail 0 (0x60) and a\n"
    "  temperature on rail 1 (0x41). MFR_STATUS (0xF3): 4 bytes, no faults.\n"
    "* **Rails.** Pages 0-15, `vout0`-`vout15`: READ_VOUT LINEAR16 with "
    "VOUT_MODE\n"
    "  0x13 (2^-13 V), VOUT limits 1.2/1.1/0.9/0.8 V. Page 0 has READ_IOUT "
    "(`iout0`)\n"
    "  and READ_TEMPERATURE_1 (the internal sensor, `temp1`), page 1\n"
    "  READ_TEMPERATURE_2 (`temp2`), all LINEAR11; a rail without a monitor "
    "NACKs\n"
    "  them.\n"
    "* **GPIO.** GPIO_SELECT (0xFA) picks one of 26 GPIOs for GPIO_CONFIG "
    "(0xFB):\n"
    "  bit 1 output enable, bit 2 output value, bit 3 the pin's level (read). "
    "A\n"
    "  write takes effect with bit 0 (ENABLE) set: an output whose bit 3 is "
    "written\n"
    "  with the other level drives that level (Linux's `set`), else bit 2's "
    "(its\n"
    "  `direction_output`). Inputs read `gpio_in`; `gpios` is every pin's "
    "level.\n"
    "* **Not checked against TI's data sheet and PMBus command reference**, "
    "which\n"
    "  were not at hand: the GPIO_CONFIG semantics beyond what the driver "
    "does, the\n"
    "  firmware string, the power-on limits and PMBUS_REVISION (0x11).\n"
    "* **Not modelled:** sequencing (TON/TOFF and POWER_GOOD commands are "
    "stored),\n"
    "  fault responses, margining, the fault log, fans (UCD90124), writing\n"
    "  MONITOR_CONFIG or the pin configuration (GPIO pins are not muxed), "
    "GPI\n"
    "  alarms in MFR_STATUS, VOUT_COMMAND driving a rail.\n";

const struct i2cemu_device_type i2cemu_ucd90160 = {
    .name = "ucd90160",
    .help = "UCD90160 16-rail PMBus sequencer and monitor, 26 GPIOs",
    .family = "UCD90160 (PMBus)",
    .doc = ucd9000_doc,
    .props = ucd9000_props,
    .fields = ucd9000_fields,
    .state_size = sizeof(struct ucd9000_state),
    .lines = pmbus_lines,
    .realize = ucd9000_realize,
    .event = ucd90160_event,
    .send = ucd90160_send,
    .recv = ucd90160_recv,
    .changed = ucd9000_changed,
    .state_check = ucd90160_state_check,
};
