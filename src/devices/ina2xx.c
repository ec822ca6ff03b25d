/* SPDX-License-Identifier: MIT */
/*
 * TI INA219 and INA226 current/power monitors, as register maps
 * (i2cemu/regmap.h). Datasheets: INA219 SBOS448 (8.5 "Programming",
 * 8.6 "Register Maps"), INA226 SBOS547 (6.3.1 "Basic ADC Functions",
 * 6.5 "Programming", 7 "Registers").
 *
 * 16-bit registers behind an 8-bit pointer, high byte first; a write
 * takes effect when both bytes are in, the pointer does not step (longer
 * reads repeat the register). The INA219 decodes only P2-P0 (a real
 * part's i2cdump shows its eight registers repeat every 8).
 *
 * The world is three properties: the shunt resistance (a board part, not
 * runtime), the bus voltage at IN- and the load current. The shunt
 * voltage is current x shunt. A conversion quantizes them (rounded to the
 * nearest LSB, saturated at the range) into the shunt and bus voltage
 * registers, and the part's own integer formulas give current and power
 * from the calibration register.
 *
 * Timing: conversions take the configured conversion times (x averages)
 * on a paced clock and complete at once on the FAST clock. State is
 * brought up to date lazily at each bus event and property change, and
 * (INA226) by a timer at the end of a conversion while an alert function
 * is enabled.
 */
#include <math.h>
#include <stdlib.h>

#include <i2cemu/board.h>
#include <i2cemu/regmap.h>

#include "devices.h"

enum { CONF, SHUNT, BUS, POWER, CURRENT, CAL, MASK, LIMIT, MFR, DIE, NREGS };

#define RST 0x8000u
/* Mask/Enable (INA226) */
#define ME_FUNCS 0xFC00u /* SOL SUL BOL BUL POL CNVR */
#define ME_CNVR  0x0400u
#define ME_AFF   0x0010u
#define ME_CVRF  0x0008u
#define ME_OVF   0x0004u
#define ME_APOL  0x0002u
#define ME_LEN   0x0001u

struct ina2xx_state {
    double shunt_ohms;  /* property */
    double bus_voltage; /* property, V */
    double current;     /* property, A */
    bool alert;         /* property, read-only: the ALERT pin's level */
    struct i2cemu_regmap_state io;
    uint16_t regs[NREGS];
    uint64_t t0_ns; /* start of the conversions (config write) */
    uint64_t done;  /* continuous conversions accounted for */
    bool pending;   /* a triggered conversion runs */
    bool cnvr;      /* conversion ready (INA219 CNVR, INA226 CVRF) */
    bool ovf;       /* math overflow */
    bool aff;       /* INA226 alert function flag */
};

/* INA226: a timer that brings the conversions up to date at the end of
 * the next one while an alert function is enabled, so that ALERT moves on
 * a paced clock with nobody reading the part. */
struct ina226_priv {
    struct i2cemu_timer timer;
    struct i2cemu_board *board;
    unsigned index;
};

static bool is_226(const struct i2cemu_dev *d)
{
    return i2cemu_device_type_of(d->board, d->index) == &i2cemu_ina226;
}

static long quantize(double v, double lsb, long lo, long hi)
{
    double q = round(v / lsb);
    return q < lo ? lo : q > hi ? hi : (long)q;
}

/* One conversion cycle, in ns. */
static uint64_t conv_ns(const struct i2cemu_dev *d,
                        const struct ina2xx_state *s)
{
    static const uint32_t adc219_us[16] = {
        84, 148, 276, 532, 84, 148, 276, 532,
        532, 1060, 2130, 4260, 8510, 17020, 34050, 68100 };
    static const uint32_t ct226_us[8] = {
        140, 204, 332, 588, 1100, 2116, 4156, 8244 };
    static const uint32_t avg226[8] = { 1, 4, 16, 64, 128, 256, 512, 1024 };
    unsigned c = s->regs[CONF], mode = c & 7;
    uint64_t us = 0;

    if (!i2cemu_dev_honours_busy_times(d))
        return 0;
    if (is_226(d)) {
        us = ((mode & 1) ? ct226_us[c >> 3 & 7] : 0) +
             ((mode & 2) ? ct226_us[c >> 6 & 7] : 0);
        us *= avg226[c >> 9 & 7];
    } else {
        us = ((mode & 1) ? adc219_us[c >> 3 & 15] : 0) +
             ((mode & 2) ? adc219_us[c >> 7 & 15] : 0);
    }
    return us * 1000;
}

static uint16_t clamp_ovf(struct ina2xx_state *s, long v, long lo, long hi)
{
    if (v < lo || v > hi) {
        s->ovf = true;
        return (uint16_t)(v < lo ? lo : hi);
    }
    return (uint16_t)v;
}

/* ALERT (INA226): the open-drain pin, low when asserted unless APOL. */
static void update_pin(struct i2cemu_dev *d, struct ina2xx_state *s)
{
    unsigned me = s->regs[MASK];
    bool asserted = (me & ME_FUNCS) == ME_CNVR ? s->cnvr : s->aff;
    s->alert = (me & ME_APOL) ? asserted : !asserted;
    i2cemu_dev_line_set(d, 0, s->alert);
}

/* The alert function after a conversion: the highest enabled bit. */
static void alert_check(struct ina2xx_state *s)
{
    unsigned me = s->regs[MASK], lim = s->regs[LIMIT];
    int16_t sh = (int16_t)s->regs[SHUNT];
    bool fault = false;

    if (me & 0x8000)
        fault = sh > (int16_t)lim;
    else if (me & 0x4000)
        fault = sh < (int16_t)lim;
    else if (me & 0x2000)
        fault = s->regs[BUS] > lim;
    else if (me & 0x1000)
        fault = s->regs[BUS] < lim;
    else if (me & 0x0800)
        fault = s->regs[POWER] > lim;
    s->aff = (me & ME_LEN) ? s->aff || fault : fault;
}

/* One conversion of what the mode converts, and the math after it. */
static void convert(struct i2cemu_dev *d, struct ina2xx_state *s)
{
    unsigned c = s->regs[CONF], mode = c & 7;
    double vshunt = s->current * s->shunt_ohms;
    long cur, pow, bus;

    if (is_226(d)) {
        if (mode & 1)
            s->regs[SHUNT] = (uint16_t)quantize(vshunt, 2.5e-6, -32768, 32767);
        if (mode & 2)
            s->regs[BUS] = (uint16_t)quantize(s->bus_voltage, 1.25e-3, 0,
                                              0x7FFF);
        bus = s->regs[BUS];
        s->ovf = false;
        cur = (long)(int16_t)s->regs[SHUNT] * s->regs[CAL] / 2048;
        s->regs[CURRENT] = clamp_ovf(s, cur, -32768, 32767);
        pow = labs((long)(int16_t)s->regs[CURRENT]) * bus / 20000;
        s->regs[POWER] = clamp_ovf(s, pow, 0, 0xFFFF);
        alert_check(s);
    } else {
        /* PG1-PG0: +-40 mV << PG, 10 uV per LSB, sign-extended. */
        long fs = 4000L << (c >> 11 & 3);
        if (mode & 1)
            s->regs[SHUNT] = (uint16_t)quantize(vshunt, 10e-6, -fs, fs);
        if (mode & 2) /* BRNG: 16 or 32 V full scale, 4 mV, bits 15-3 */
            s->regs[BUS] = (uint16_t)(quantize(s->bus_voltage, 4e-3, 0,
                                               c & 0x2000 ? 8000 : 4000)
                                      << 3);
        bus = s->regs[BUS] >> 3;
        s->ovf = false;
        cur = (long)(int16_t)s->regs[SHUNT] * s->regs[CAL] / 4096;
        s->regs[CURRENT] = clamp_ovf(s, cur, -32768, 32767);
        pow = labs((long)(int16_t)s->regs[CURRENT]) * bus / 5000;
        s->regs[POWER] = clamp_ovf(s, pow, 0, 0xFFFF);
    }
    s->cnvr = true;
}

static void arm(struct i2cemu_dev *d, const struct ina2xx_state *s)
{
    struct ina226_priv *p = d->priv;
    unsigned mode = s->regs[CONF] & 7;
    uint64_t t = conv_ns(d, s);

    if (!p)
        return;
    if (!t || !(s->regs[MASK] & ME_FUNCS) || mode == 0 || mode == 4 ||
        (mode < 4 && !s->pending))
        i2cemu_timer_stop(i2cemu_dev_loop(d), &p->timer);
    else
        i2cemu_timer_start(i2cemu_dev_loop(d), &p->timer,
                           s->t0_ns + (mode < 4 ? 1 : s->done + 1) * t);
}

/* Bring the conversions up to now. */
static void sync(struct i2cemu_dev *d, struct ina2xx_state *s)
{
    unsigned mode = s->regs[CONF] & 7;
    uint64_t t = conv_ns(d, s), now = i2cemu_dev_now(d);

    if (mode == 0 || mode == 4) { /* power-down, ADC off: hold */
        arm(d, s);
        return;
    }
    if (mode < 4) { /* triggered */
        if (s->pending && now >= s->t0_ns + t) {
            s->pending = false;
            convert(d, s);
        }
    } else {
        uint64_t n = t ? (now - s->t0_ns) / t : s->done + 1;
        if (n > s->done) {
            s->done = n;
            convert(d, s);
        }
    }
    if (is_226(d))
        update_pin(d, s);
    arm(d, s);
}

static void fire(struct i2cemu_timer *tm)
{
    struct ina226_priv *p = tm->opaque;
    struct i2cemu_dev d = { .board = p->board, .index = p->index,
                            .state = i2cemu_device_state(p->board, p->index),
                            .priv = p };
    sync(&d, d.state);
}

static void reset(struct i2cemu_dev *d, struct ina2xx_state *s)
{
    const struct i2cemu_regmap *m = i2cemu_device_type_of(d->board,
                                                          d->index)->regmap;
    for (unsigned i = 0; i < m->nregs; i++)
        s->regs[i] = m->regs[i].reset;
    s->t0_ns = i2cemu_dev_now(d);
    s->done = 0;
    s->pending = s->cnvr = s->ovf = s->aff = false;
    if (is_226(d))
        update_pin(d, s);
    arm(d, s);
}

static uint16_t write_conf(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                           uint16_t old, uint16_t v)
{
    struct ina2xx_state *s = d->state;
    unsigned mode = v & 7;
    (void)r;
    (void)old;
    if (v & RST) {
        reset(d, s);
        return s->regs[CONF];
    }
    sync(d, s);
    /* A new mode restarts the conversions and clears the flag (INA219:
     * except power-down and ADC off; INA226: any configuration write). */
    if (is_226(d) || (mode != 0 && mode != 4))
        s->cnvr = false;
    s->t0_ns = i2cemu_dev_now(d);
    s->done = 0;
    s->pending = mode != 0 && mode < 4;
    s->regs[CONF] = v; /* for arm() */
    if (is_226(d))
        update_pin(d, s);
    arm(d, s);
    return v;
}

static uint16_t read_data(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                          uint16_t v)
{
    struct ina2xx_state *s = d->state;
    (void)v;
    sync(d, s);
    if (r->addr == BUS && !is_226(d))
        return (uint16_t)(s->regs[BUS] | s->cnvr << 1 | s->ovf);
    if (r->addr == POWER && !is_226(d))
        s->cnvr = false; /* INA219: reading power clears CNVR */
    return s->regs[r->addr];
}

/* INA226 Mask/Enable: the flags are composed; reading clears CVRF, and
 * AFF in latch mode. */
static uint16_t read_mask(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                          uint16_t v)
{
    struct ina2xx_state *s = d->state;
    (void)r;
    sync(d, s);
    v = (uint16_t)(v | (s->aff ? ME_AFF : 0) | (s->cnvr ? ME_CVRF : 0) |
                   (s->ovf ? ME_OVF : 0));
    s->cnvr = false;
    if (s->regs[MASK] & ME_LEN)
        s->aff = false;
    update_pin(d, s);
    return v;
}

static uint16_t write_mask(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                           uint16_t old, uint16_t v)
{
    struct ina2xx_state *s = d->state;
    (void)r;
    (void)old;
    s->regs[MASK] = v;
    update_pin(d, s); /* APOL applies at once, the functions next time */
    arm(d, s);
    return v;
}

static enum i2cemu_result ina2xx_event(struct i2cemu_dev *d,
                                       enum i2cemu_event ev)
{
    sync(d, d->state);
    return i2cemu_regmap_event(d, ev);
}

static void ina2xx_changed(struct i2cemu_dev *d, const struct i2cemu_prop *p)
{
    (void)p;
    sync(d, d->state);
}

static int ina2xx_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    uint16_t addr = i2cemu_dev_addr(d);
    if (addr < 0x40 || addr > 0x4F) {
        i2cemu_error_set(err, "addr=0x%02x: an %s answers at 0x40-0x4F "
                         "(A1-A0)", addr, is_226(d) ? "ina226" : "ina219");
        return -1;
    }
    if (i2cemu_regmap_realize(d, err) < 0)
        return -1;
    reset(d, d->state);
    if (!is_226(d))
        return 0;
    struct ina226_priv *p = calloc(1, sizeof(*p));
    if (!p) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }
    p->board = d->board;
    p->index = d->index;
    i2cemu_timer_init(&p->timer, fire, p);
    d->priv = p;
    return 0;
}

static void ina2xx_unrealize(struct i2cemu_dev *d)
{
    struct ina226_priv *p = d->priv;
    if (!p)
        return;
    i2cemu_timer_stop(i2cemu_dev_loop(d), &p->timer);
    free(p);
    d->priv = NULL;
}

#define DATA(n, a) { .name = n, .addr = a, .width = 16, .read = read_data }

static const struct i2cemu_reg ina219_regs[] = {
    [CONF] = { .name = "configuration", .addr = CONF, .width = 16,
               .flags = I2CEMU_REG_WHOLE, .reset = 0x399F, .wmask = 0xBFFF,
               .write = write_conf },
    [SHUNT] = DATA("shunt_voltage", SHUNT),
    [BUS] = DATA("bus_voltage", BUS),
    [POWER] = DATA("power", POWER),
    [CURRENT] = DATA("current", CURRENT),
    [CAL] = { .name = "calibration", .addr = CAL, .width = 16,
              .flags = I2CEMU_REG_WHOLE, .wmask = 0xFFFE },
};

static const struct i2cemu_reg ina226_regs[] = {
    /* D14 reads 1, D13-D12 read 0. */
    [CONF] = { .name = "configuration", .addr = CONF, .width = 16,
               .flags = I2CEMU_REG_WHOLE, .reset = 0x4127, .wmask = 0x8FFF,
               .write = write_conf },
    [SHUNT] = DATA("shunt_voltage", SHUNT),
    [BUS] = DATA("bus_voltage", BUS),
    [POWER] = DATA("power", POWER),
    [CURRENT] = DATA("current", CURRENT),
    [CAL] = { .name = "calibration", .addr = CAL, .width = 16,
              .flags = I2CEMU_REG_WHOLE, .wmask = 0x7FFF },
    [MASK] = { .name = "mask_enable", .addr = MASK, .width = 16,
               .flags = I2CEMU_REG_WHOLE, .wmask = ME_FUNCS | ME_APOL | ME_LEN,
               .read = read_mask, .write = write_mask },
    [LIMIT] = { .name = "alert_limit", .addr = LIMIT, .width = 16,
                .flags = I2CEMU_REG_WHOLE, .wmask = 0xFFFF },
    [MFR] = { .name = "manufacturer_id", .addr = 0xFE, .width = 16,
              .reset = 0x5449 /* "TI" */ },
    [DIE] = { .name = "die_id", .addr = 0xFF, .width = 16, .reset = 0x2260 },
};

static const struct i2cemu_regmap ina219_map = {
    I2CEMU_REGMAP_REGS(ina219_regs),
    .pointer_mask = 0x07,
    .step = I2CEMU_REGMAP_HOLD,
    .unknown = I2CEMU_REGMAP_READ_00, /* 6 and 7 */
    I2CEMU_REGMAP_STATE(struct ina2xx_state, io, regs),
};

static const struct i2cemu_regmap ina226_map = {
    I2CEMU_REGMAP_REGS(ina226_regs),
    .step = I2CEMU_REGMAP_HOLD,
    .unknown = I2CEMU_REGMAP_READ_00,
    I2CEMU_REGMAP_STATE(struct ina2xx_state, io, regs),
};

#define PROPS(vmax)                                                           \
    I2CEMU_PROP_FLOAT_("shunt", struct ina2xx_state, shunt_ohms, 0.01,        \
                       0.0001, 100.0, 0,                                      \
                       "shunt resistance in ohms (a board part: fixed "       \
                       "while the board runs)"),                             \
    I2CEMU_PROP_FLOAT_("bus_voltage", struct ina2xx_state, bus_voltage, 0.0,  \
                       0.0, vmax, I2CEMU_PROP_RUNTIME,                        \
                       "bus voltage at IN- (VBUS) in V"),                     \
    I2CEMU_PROP_FLOAT_("current", struct ina2xx_state, current, 0.0, -100.0,  \
                       100.0, I2CEMU_PROP_RUNTIME,                            \
                       "load current through the shunt in A (IN+ to IN-)")

static const struct i2cemu_prop ina219_props[] = { PROPS(26.0),
                                                   I2CEMU_PROP_END };
static const struct i2cemu_prop ina226_props[] = {
    PROPS(36.0),
    I2CEMU_PROP_BOOL_("alert", struct ina2xx_state, alert, true,
                      I2CEMU_PROP_READONLY,
                      "the ALERT pin's level (open drain: 1 when released, "
                      "unless APOL)"),
    I2CEMU_PROP_END,
};

#define FIELDS                                                                \
    I2CEMU_REGMAP_FIELDS(struct ina2xx_state, io, regs),                      \
    I2CEMU_FIELD("t0_ns", struct ina2xx_state, t0_ns, I2CEMU_FIELD_RUNTIME),  \
    I2CEMU_FIELD("done", struct ina2xx_state, done, I2CEMU_FIELD_RUNTIME),    \
    I2CEMU_FIELD("pending", struct ina2xx_state, pending,                     \
                 I2CEMU_FIELD_RUNTIME),                                       \
    I2CEMU_FIELD("cnvr", struct ina2xx_state, cnvr, I2CEMU_FIELD_RUNTIME),    \
    I2CEMU_FIELD("ovf", struct ina2xx_state, ovf, I2CEMU_FIELD_RUNTIME),      \
    I2CEMU_FIELD("aff", struct ina2xx_state, aff, I2CEMU_FIELD_RUNTIME)

/* The INA219 has no ALERT pin: its `alert` member is plain state. */
static const struct i2cemu_field ina219_fields[] = {
    FIELDS,
    I2CEMU_FIELD("alert", struct ina2xx_state, alert, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD_END,
};
static const struct i2cemu_field ina226_fields[] = { FIELDS,
                                                     I2CEMU_FIELD_END };

static const char *const ina226_lines[] = { "alert", NULL };

static const char ina219_doc[] =
    "Source: `src/devices/ina2xx.c`, after the TI INA219 datasheet (SBOS448:\n"
    "8.5 \"Programming\", 8.6 \"Register Maps\"). Addresses 0x40-0x4F (A1-A0).\n"
    "\n"
    "| P | register | power on | notes |\n"
    "|---|---|---|---|\n"
    "| 0 | configuration | 0x399F | RST BRNG PG1-0 BADC4-1 SADC4-1 MODE3-1; "
    "D14 reads 0 |\n"
    "| 1 | shunt voltage | the input | 10 uV per LSB, sign-extended, saturated "
    "at the PGA range (+-40 mV << PG) |\n"
    "| 2 | bus voltage | the input | D15-D3: 4 mV per LSB, saturated at 16 or "
    "32 V (BRNG); D1 CNVR, D0 OVF |\n"
    "| 3 | power | 0x0000 | \\|Current\\| x Bus / 5000 |\n"
    "| 4 | current | 0x0000 | Shunt x Calibration / 4096 |\n"
    "| 5 | calibration | 0x0000 | D0 reads 0 |\n"
    "\n"
    "* **Protocol.** 16-bit registers, high byte first, behind an 8-bit "
    "pointer\n"
    "  of which the part decodes P2-P0 (the eight registers repeat every 8, as "
    "a\n"
    "  real part's `i2cdump` shows); 6 and 7 are undocumented and read 0 here.\n"
    "  A write takes effect when both bytes are in; the pointer does not "
    "step,\n"
    "  so longer reads repeat the register. On SMBus, `i2cget ... w` shows "
    "the\n"
    "  low byte first: the configuration reads 0x9f39.\n"
    "* **Inputs.** `bus_voltage` (at IN-), `current` and `shunt` (ohms, a "
    "board\n"
    "  part, not runtime); the shunt voltage is current x shunt. A conversion\n"
    "  rounds each to the nearest LSB. The current and power registers are "
    "the\n"
    "  part's integer formulas (8.5.1), truncated; a result out of range "
    "sets\n"
    "  OVF and saturates. The datasheet's Configure/Measure/Calculate "
    "Example\n"
    "  (10 A, 2 mOhm, 11.98 V, calibration 20480) reads shunt 0x07D0, bus "
    "0x5D98\n"
    "  (with CNVR: 0x5D9A), current 0x2710, power 0x1766.\n"
    "* **Modes and timing.** MODE 7-5 convert continuously, 3-1 once per\n"
    "  configuration write (triggered), 0 and 4 hold the registers. A cycle "
    "takes\n"
    "  the SADC and BADC times of the converted inputs (84 us to 68.1 ms) on "
    "a\n"
    "  paced clock, no time on the FAST clock. CNVR sets when a cycle "
    "completes\n"
    "  and clears on reading power or writing a mode. RST resets every "
    "register.\n"
    "* **Not modelled:** ADC resolution below 12 bits (SADC/BADC pick only "
    "the\n"
    "  time), averaging noise, the 4 us write-to-read delay above 1 MHz.\n"
    "  Results are sampled when a conversion is first observed (a bus access, "
    "a\n"
    "  property change, or on the INA226 with an alert function enabled, a\n"
    "  timer at the conversion's end), not at its exact end.\n";

static const char ina226_doc[] =
    "Source: `src/devices/ina2xx.c`, after the TI INA226 datasheet (SBOS547:\n"
    "6.3.1 \"Basic ADC Functions\", 6.3.1.2 \"Alert Pin\", 6.5 \"Programming\",\n"
    "7 \"Registers\"). Addresses 0x40-0x4F. The protocol, inputs and timing "
    "are\n"
    "the INA219's above, with a full 8-bit pointer (undocumented registers "
    "read\n"
    "0):\n"
    "\n"
    "| P | register | power on | notes |\n"
    "|---|---|---|---|\n"
    "| 0x00 | configuration | 0x4127 | RST, AVG, VBUSCT, VSHCT, MODE; D14 "
    "reads 1 |\n"
    "| 0x01 | shunt voltage | the input | 2.5 uV per LSB, saturated at +-81.92 "
    "mV |\n"
    "| 0x02 | bus voltage | the input | 1.25 mV per LSB, D15 reads 0 |\n"
    "| 0x03 | power | 0x0000 | \\|Current\\| x Bus / 20000 |\n"
    "| 0x04 | current | 0x0000 | Shunt x Calibration / 2048 |\n"
    "| 0x05 | calibration | 0x0000 | D15 reads 0 |\n"
    "| 0x06 | mask/enable | 0x0000 | SOL SUL BOL BUL POL CNVR, AFF CVRF OVF "
    "(read-only), APOL LEN |\n"
    "| 0x07 | alert limit | 0x0000 | |\n"
    "| 0xFE | manufacturer id | 0x5449 | |\n"
    "| 0xFF | die id | 0x2260 | |\n"
    "\n"
    "* **Example.** The datasheet's Configure/Measure/Calculate Example (10 "
    "A,\n"
    "  2 mOhm, 11.98 V, calibration 0x0A00) reads shunt 0x1F40, bus 0x2570,\n"
    "  current 0x2710, power 0x12B8.\n"
    "* **Timing.** A cycle takes AVG x (VSHCT + VBUSCT) of the converted "
    "inputs\n"
    "  (140 us to 8.244 ms each, 1 to 1024 averages): 2.2 ms at power on.\n"
    "* **Alert.** After each conversion the highest enabled function of\n"
    "  D15-D11 compares the shunt voltage (signed), bus voltage or power with "
    "the\n"
    "  alert limit (over: above it; under: below it) and sets AFF. In\n"
    "  transparent mode (LEN=0) AFF follows each conversion; latched (LEN=1) "
    "it\n"
    "  stays set until Mask/Enable is read. CNVR (D10) asserts the pin while\n"
    "  CVRF is set; reading Mask/Enable or writing the configuration clears "
    "CVRF.\n"
    "  The `alert` line and read-only property are the open-drain pin's "
    "level:\n"
    "  1 (released) while inactive, 0 when asserted; APOL=1 inverts it. On a\n"
    "  paced clock it moves at the end of the conversion, with nobody reading\n"
    "  the part.\n"
    "* **Not modelled:** the SMBus alert response, averaging noise.\n";

const struct i2cemu_device_type i2cemu_ina219 = {
    .name = "ina219",
    .help = "INA219 current/power monitor, 26 V, at 0x40-0x4F",
    .family = "INA219",
    .doc = ina219_doc,
    .props = ina219_props,
    .fields = ina219_fields,
    .state_size = sizeof(struct ina2xx_state),
    .changed = ina2xx_changed,
    .realize = ina2xx_realize,
    .unrealize = ina2xx_unrealize,
    .event = ina2xx_event,
    .send = i2cemu_regmap_send,
    .recv = i2cemu_regmap_recv,
    .regmap = &ina219_map,
};

const struct i2cemu_device_type i2cemu_ina226 = {
    .name = "ina226",
    .help = "INA226 current/power monitor with ALERT, 36 V, at 0x40-0x4F",
    .family = "INA226",
    .doc = ina226_doc,
    .props = ina226_props,
    .fields = ina226_fields,
    .state_size = sizeof(struct ina2xx_state),
    .lines = ina226_lines,
    .changed = ina2xx_changed,
    .realize = ina2xx_realize,
    .unrealize = ina2xx_unrealize,
    .event = ina2xx_event,
    .send = i2cemu_regmap_send,
    .recv = i2cemu_regmap_recv,
    .regmap = &ina226_map,
};
