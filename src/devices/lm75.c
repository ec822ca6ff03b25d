/* SPDX-License-Identifier: MIT */
/*
 * LM75-family temperature sensors, the parts of Linux's hwmon `lm75`
 * driver (its lm75_i2c_ids and device_params), as register maps
 * (i2cemu/regmap.h): one row of data per part, and the thermostat they
 * share in lm75_alert.c.
 *
 * Every part has four registers behind a pointer (P1-P0): temperature,
 * configuration, T_LOW (T_HYST) and T_HIGH (T_OS), 16-bit registers sent
 * high byte first. The pointer does not auto-increment: longer reads
 * repeat the register, and each byte written lands at once in its half
 * ("All registers are updated byte by byte", TMP102). Temperatures are
 * two's complement, left-justified, truncated to the resolution (a
 * reading never exceeds the temperature). While the part converts, the
 * temperature register follows `temperature`; in shutdown it holds the
 * last conversion.
 */
#include <math.h>

#include "devices.h"
#include "lm75.h"

enum { V_LM75, V_LM75A, V_DS75, V_STDS75, V_PCT2075, V_TMP75, V_TMP100,
       V_TMP101, V_TMP105, V_TMP175, V_TMP275, V_TMP102, V_TMP112 };

/* Conversion times by R1-R0 (µs), from the datasheets' tables (the
 * values Linux's device_params gives as sample times). */
#define TMP75_CONV { 27500, 55000, 110000, 220000 }
#define TMP100_CONV { 40000, 80000, 160000, 320000 }
#define DS75_CONV { 150000, 300000, 600000, 1200000 }

static const struct lm75_variant variants[] = {
    [V_LM75] = { .bits = 9, .conf_wmask = 0x1F, .limit_mask = 0xFF80,
                 .conv_us = { 100000 } },
    [V_LM75A] = { .bits = 9, .conf_wmask = 0x1F, .limit_mask = 0xFF80,
                  .conv_us = { 100000 } },
    [V_DS75] = { .conf_wmask = 0x7F, .limit_mask = 0xFF80,
                 .conv_us = DS75_CONV },
    [V_STDS75] = { .conf_wmask = 0x7F, .limit_mask = 0xFF80,
                   .conv_us = DS75_CONV },
    [V_PCT2075] = { .bits = 11, .conf_wmask = 0x1F, .limit_mask = 0xFF80,
                    .conv_us = { 28000 } },
    [V_TMP75] = { .conf_wmask = 0x7F, .limit_mask = 0xFFFF, .oneshot = true,
                  .conv_us = TMP75_CONV },
    [V_TMP100] = { .conf_wmask = 0x7F, .limit_mask = 0xFFFF, .oneshot = true,
                   .d7_alert = true, .conv_us = TMP100_CONV },
    [V_TMP101] = { .conf_wmask = 0x7F, .limit_mask = 0xFFFF, .oneshot = true,
                   .d7_alert = true, .conv_us = TMP100_CONV },
    [V_TMP105] = { .conf_wmask = 0x7F, .limit_mask = 0xFFFF, .oneshot = true,
                   .conv_us = TMP75_CONV },
    [V_TMP175] = { .conf_wmask = 0x7F, .limit_mask = 0xFFFF, .oneshot = true,
                   .conv_us = TMP75_CONV },
    [V_TMP275] = { .conf_wmask = 0x7F, .limit_mask = 0xFFFF, .oneshot = true,
                   .conv_us = TMP75_CONV },
    [V_TMP102] = { .tmp102 = true, .bits = 12, .oneshot = true,
                   .conv_us = { 26000 } },
    [V_TMP112] = { .tmp102 = true, .bits = 12, .oneshot = true,
                   .conv_us = { 26000 } },
};

const struct lm75_variant *lm75_variant(const struct lm75_state *s)
{
    return &variants[s->variant];
}

uint8_t lm75_conf8(const struct lm75_state *s)
{
    uint16_t c = s->regs[REG_CONF];
    return (uint8_t)(lm75_variant(s)->tmp102 ? c >> 8 : c);
}

static unsigned bits(const struct lm75_state *s)
{
    unsigned b = lm75_variant(s)->bits;
    return b ? b : 9u + ((lm75_conf8(s) & CF_R) >> 5);
}

uint64_t lm75_conv_ns(const struct lm75_state *s)
{
    const struct lm75_variant *v = lm75_variant(s);
    return 1000ull * v->conv_us[v->bits ? 0 : (lm75_conf8(s) & CF_R) >> 5];
}

/* TMP102: CR1-CR0 0.25, 1, 4, 8 Hz. PCT2075: T_idle, 100 ms steps (0 and
 * 1: 100 ms). The others convert back to back. */
uint64_t lm75_period_ns(const struct lm75_state *s)
{
    static const uint64_t cr_ms[4] = { 4000, 1000, 250, 125 };
    if (lm75_variant(s)->tmp102)
        return cr_ms[(s->regs[REG_CONF] >> 6) & 3] * 1000000ull;
    if (s->variant == V_PCT2075) {
        unsigned idle = s->regs[REG_EXTRA] & 0x1F;
        return (idle ? idle : 1) * 100000000ull;
    }
    return lm75_conv_ns(s);
}

/* Clamp to the range of a `bits`-bit two's complement value. */
static int32_t saturate(int32_t v, unsigned bits)
{
    int32_t lim = (int32_t)1 << (bits - 1);
    return v < -lim ? -lim : v > lim - 1 ? lim - 1 : v;
}

/* Temperature in units of 2^-frac °C, truncated, saturated to `bits`. */
static int32_t quantize(double t, unsigned frac, unsigned bits)
{
    return saturate((int32_t)floor(ldexp(t, (int)frac)), bits);
}

/* Left-justify a `bits`-bit two's complement value in 16 bits. */
static uint16_t left_justify(int32_t v, unsigned bits)
{
    return (uint16_t)((uint32_t)v << (16 - bits));
}

void lm75_sample(struct lm75_state *s)
{
    unsigned b = bits(s);
    if (lm75_variant(s)->tmp102)
        s->temp = (int16_t)quantize(s->temperature, 4, 13);
    else
        s->regs[REG_TEMP] = left_justify(quantize(s->temperature, b - 8, b), b);
}

void lm75_levels(const struct lm75_state *s, int32_t *t, int32_t *lo,
                 int32_t *hi)
{
    if (lm75_variant(s)->tmp102) {
        *t = s->temp, *lo = s->low, *hi = s->high;
    } else {
        *t = (int16_t)s->regs[REG_TEMP];
        *lo = (int16_t)s->regs[REG_LOW];
        *hi = (int16_t)s->regs[REG_HIGH];
    }
}

/* Every transaction first catches up with the conversions due; any read
 * releases an interrupt-mode alert. */
static enum i2cemu_result lm75_event(struct i2cemu_dev *d,
                                     enum i2cemu_event ev)
{
    if (ev == I2CEMU_EV_START_SEND || ev == I2CEMU_EV_START_RECV)
        lm75_sync(d);
    if (ev == I2CEMU_EV_START_RECV)
        lm75_read_clears(d);
    return i2cemu_regmap_event(d, ev);
}

/* ---- the 8-bit configuration parts ----------------------------------- */

static uint16_t lm75_read_temp(struct i2cemu_dev *d,
                               const struct i2cemu_reg *r, uint16_t v)
{
    struct lm75_state *s = d->state;
    (void)r;
    (void)v;
    if (!(lm75_conf8(s) & CF_SD))
        lm75_sample(s);
    return s->regs[REG_TEMP];
}

/* TMP100/101: D7 (OS/ALERT) reads the comparator, 1 while inactive when
 * POL=0. The others read D7 as 0. */
static uint16_t lm75_read_conf(struct i2cemu_dev *d,
                               const struct i2cemu_reg *r, uint16_t v)
{
    struct lm75_state *s = d->state;
    (void)r;
    if (lm75_variant(s)->d7_alert && s->falling == !!(v & CF_POL))
        v |= CF_OS;
    return v;
}

static uint16_t lm75_write_conf(struct i2cemu_dev *d,
                                const struct i2cemu_reg *r, uint16_t old,
                                uint16_t v)
{
    struct lm75_state *s = d->state;
    const struct lm75_variant *var = lm75_variant(s);
    (void)r;
    if (!(old & CF_SD))
        lm75_sample(s); /* entering shutdown keeps this conversion */
    s->regs[REG_CONF] = v & var->conf_wmask;
    lm75_conf_changed(d, (uint8_t)old, var->oneshot && (v & CF_OS));
    return s->regs[REG_CONF];
}

static uint16_t lm75_write_limit(struct i2cemu_dev *d,
                                 const struct i2cemu_reg *r, uint16_t old,
                                 uint16_t v)
{
    struct lm75_state *s = d->state;
    (void)old;
    s->regs[r->addr] = v & lm75_variant(s)->limit_mask; /* addr = index */
    lm75_limits_changed(d);
    return s->regs[r->addr];
}

#define LM75_REGS                                                             \
    [REG_TEMP] = { .name = "temperature", .addr = 0, .width = 16,             \
                   .read = lm75_read_temp },                                  \
    [REG_CONF] = { .name = "configuration", .addr = 1, .wmask = 0xFF,         \
                   .read = lm75_read_conf, .write = lm75_write_conf },        \
    [REG_LOW] = { .name = "t_hyst", .addr = 2, .width = 16,                   \
                  .reset = 0x4B00 /* 75 °C */, .wmask = 0xFFFF,               \
                  .write = lm75_write_limit },                                \
    [REG_HIGH] = { .name = "t_os", .addr = 3, .width = 16,                    \
                   .reset = 0x5000 /* 80 °C */, .wmask = 0xFFFF,              \
                   .write = lm75_write_limit }

static const struct i2cemu_reg lm75_regs[] = { LM75_REGS };
/* National LM75A: an ID register, 0xFF at 4-6 (what Linux's lm75_detect
 * checks), the pointer decoded on 3 bits. */
static const struct i2cemu_reg lm75a_regs[] = {
    LM75_REGS,
    [REG_EXTRA] = { .name = "id", .addr = 7, .reset = 0xA1 },
};
/* PCT2075: T_idle, the time between conversions. */
static const struct i2cemu_reg pct2075_regs[] = {
    LM75_REGS,
    [REG_EXTRA] = { .name = "t_idle", .addr = 4, .wmask = 0x1F },
};

#define LM75_MAP(regs_, mask, unknown_)                                       \
    { I2CEMU_REGMAP_REGS(regs_), .pointer_mask = mask,                        \
      .step = I2CEMU_REGMAP_HOLD, .unknown = unknown_,                        \
      I2CEMU_REGMAP_STATE(struct lm75_state, io, regs) }

static const struct i2cemu_regmap lm75_map =
    LM75_MAP(lm75_regs, 0x03, I2CEMU_REGMAP_NACK);
static const struct i2cemu_regmap lm75a_map =
    LM75_MAP(lm75a_regs, 0x07, I2CEMU_REGMAP_READ_FF);
static const struct i2cemu_regmap pct2075_map =
    LM75_MAP(pct2075_regs, 0x07, I2CEMU_REGMAP_NACK);

/* ---- TMP102 and TMP112 ----------------------------------------------- */

/*
 * 16-bit configuration: OS R1 R0 F1 F0 POL TM SD | CR1 CR0 AL EM 0 0 0 0,
 * power-on 0x60A0. 12-bit temperature (D15-D4), or 13-bit (D15-D3) in
 * extended mode, where D0 of the temperature register reads 1. The part
 * stores temperatures, so switching EM reformats T_LOW and T_HIGH.
 */
#define TMP102_OS   0x8000
#define TMP102_R    0x6000 /* converter resolution: reads 11 */
#define TMP102_AL   0x0020
#define TMP102_EM   0x0010
/* F1 F0 POL TM SD CR1 CR0 EM; the rest is read-only or special. */
#define TMP102_WRITABLE 0x1FD0

static unsigned tmp102_bits(const struct lm75_state *s)
{
    return s->regs[REG_CONF] & TMP102_EM ? 13 : 12;
}

/* 12 bits saturate: "12-Bit Temperature Data Format" has 7FF at 128 °C. */
static uint16_t tmp102_format(const struct lm75_state *s, int16_t v)
{
    unsigned b = tmp102_bits(s);
    return left_justify(saturate(v, b), b);
}

static uint16_t tmp102_read_temp(struct i2cemu_dev *d,
                                 const struct i2cemu_reg *r, uint16_t v)
{
    struct lm75_state *s = d->state;
    (void)r;
    (void)v;
    if (!(lm75_conf8(s) & CF_SD))
        lm75_sample(s);
    /* D0 tells the formats apart: 1 in extended mode. */
    s->regs[REG_TEMP] = tmp102_format(s, s->temp) | (tmp102_bits(s) == 13);
    return s->regs[REG_TEMP];
}

/* AL reads the comparator: 1 while inactive when POL=0. */
static uint16_t tmp102_read_conf(struct i2cemu_dev *d,
                                 const struct i2cemu_reg *r, uint16_t v)
{
    struct lm75_state *s = d->state;
    (void)r;
    v |= TMP102_R;
    if (s->falling == !!(lm75_conf8(s) & CF_POL))
        v |= TMP102_AL;
    return s->oneshot_done ? v | TMP102_OS : v;
}

static uint16_t tmp102_write_conf(struct i2cemu_dev *d,
                                  const struct i2cemu_reg *r, uint16_t old,
                                  uint16_t v)
{
    struct lm75_state *s = d->state;
    (void)r;
    if (!(lm75_conf8(s) & CF_SD))
        lm75_sample(s); /* entering shutdown keeps this conversion */
    s->regs[REG_CONF] = v & TMP102_WRITABLE;
    /* The limits are temperatures: EM reformats them. */
    s->regs[REG_LOW] = tmp102_format(s, s->low);
    s->regs[REG_HIGH] = tmp102_format(s, s->high);
    lm75_conf_changed(d, (uint8_t)(old >> 8), v & TMP102_OS);
    return s->regs[REG_CONF];
}

static uint16_t tmp102_write_limit(struct i2cemu_dev *d,
                                   const struct i2cemu_reg *r, uint16_t old,
                                   uint16_t v)
{
    struct lm75_state *s = d->state;
    int16_t *t = r->addr == REG_LOW ? &s->low : &s->high;
    (void)old;
    /* Sign-extend the top bits: 0.0625 °C per LSB. */
    *t = (int16_t)((int32_t)(int16_t)v >> (16 - tmp102_bits(s)));
    lm75_limits_changed(d);
    return tmp102_format(s, *t);
}

static const struct i2cemu_reg tmp102_regs[] = {
    [REG_TEMP] = { .name = "temperature", .addr = 0, .width = 16,
                   .read = tmp102_read_temp },
    /* CR = 4 Hz; R and AL are computed: reads 0x60A0. */
    [REG_CONF] = { .name = "configuration", .addr = 1, .width = 16,
                   .reset = 0x0080, .wmask = TMP102_WRITABLE | TMP102_OS,
                   .read = tmp102_read_conf, .write = tmp102_write_conf },
    [REG_LOW] = { .name = "t_low", .addr = 2, .width = 16,
                  .reset = 0x4B00 /* 75 °C */, .wmask = 0xFFFF,
                  .write = tmp102_write_limit },
    [REG_HIGH] = { .name = "t_high", .addr = 3, .width = 16,
                   .reset = 0x5000 /* 80 °C */, .wmask = 0xFFFF,
                   .write = tmp102_write_limit },
};

static const struct i2cemu_regmap tmp102_map =
    LM75_MAP(tmp102_regs, 0x03, I2CEMU_REGMAP_NACK);

/* ---- the types ------------------------------------------------------- */

static int realize(struct i2cemu_dev *d, struct i2cemu_error *err,
                   unsigned variant)
{
    struct lm75_state *s = d->state;
    s->variant = (uint8_t)variant;
    if (i2cemu_regmap_realize(d, err) < 0)
        return -1;
    s->low = 75 * 16;
    s->high = 80 * 16;
    return lm75_alert_realize(d, err);
}

#define TEMPERATURE(max)                                                      \
    I2CEMU_PROP_FLOAT_("temperature", struct lm75_state, temperature, 25.0,   \
                       -55.0, max, I2CEMU_PROP_RUNTIME,                       \
                       "measured temperature in °C")

static const struct i2cemu_prop lm75_props[] = {
    TEMPERATURE(125.0),
    I2CEMU_PROP_END,
};

static const struct i2cemu_prop tmp102_props[] = {
    TEMPERATURE(150.0),
    I2CEMU_PROP_END,
};

#define FIELD(name) I2CEMU_FIELD(#name, struct lm75_state, name,              \
                                 I2CEMU_FIELD_RUNTIME)
static const struct i2cemu_field lm75_fields[] = {
    I2CEMU_REGMAP_FIELDS(struct lm75_state, io, regs),
    FIELD(last_ns), FIELD(oneshot_end_ns), FIELD(temp), FIELD(low),
    FIELD(high), FIELD(variant), FIELD(faults), FIELD(falling), FIELD(alert),
    FIELD(converting), FIELD(oneshot_done),
    I2CEMU_FIELD_END,
};

/* The O.S. pin of the LM75, DS75 and PCT2075, ALERT of the TI parts. */
static const char *const alert_line[] = { "alert", NULL };

/* The variant indexes variants[], which gives the resolution, masks and
 * conversion times: only the part's own is accepted (state_own). */
#define LM75_TYPE(id, V, map, props_, fam, doc_, help_)                        \
    static int id##_realize(struct i2cemu_dev *d, struct i2cemu_error *err)   \
    {                                                                         \
        return realize(d, err, V);                                            \
    }                                                                         \
    static int id##_state_check(struct i2cemu_dev *d, const void *state,      \
                                struct i2cemu_error *err)                     \
    {                                                                         \
        (void)d;                                                              \
        return state_own("variant",                                           \
                         ((const struct lm75_state *)state)->variant, V, err);\
    }                                                                         \
    const struct i2cemu_device_type i2cemu_##id = {                           \
        .name = #id, .help = help_, .family = fam, .doc = doc_,               \
        .props = props_, .fields = lm75_fields,                                \
        .state_size = sizeof(struct lm75_state), .lines = alert_line,         \
        .changed = lm75_changed, .realize = id##_realize,                     \
        .state_check = id##_state_check,                                      \
        .unrealize = lm75_alert_unrealize, .event = lm75_event,               \
        .send = i2cemu_regmap_send, .recv = i2cemu_regmap_recv,               \
        .regmap = &map,                                                       \
    }

#define LM75_PART(id, V, map, help_)                                          \
    LM75_TYPE(id, V, map, lm75_props, "LM75", lm75_doc, help_)

LM75_PART(lm75, V_LM75, lm75_map,
          "LM75 temperature sensor, 9-bit, -55 to 125 °C");
LM75_PART(lm75a, V_LM75A, lm75a_map,
          "LM75A (National) temperature sensor, 9-bit, ID register 0xA1");
LM75_PART(ds75, V_DS75, lm75_map, "DS75 temperature sensor, 9-12 bit");
LM75_PART(stds75, V_STDS75, lm75_map, "STDS75 temperature sensor, 9-12 bit");
LM75_PART(pct2075, V_PCT2075, pct2075_map,
          "PCT2075 temperature sensor, 11-bit, programmable T_idle");
LM75_PART(tmp75, V_TMP75, lm75_map,
          "TMP75 temperature sensor, 9-12 bit, one-shot");
LM75_PART(tmp100, V_TMP100, lm75_map,
          "TMP100 temperature sensor, 9-12 bit, one-shot");
LM75_PART(tmp101, V_TMP101, lm75_map,
          "TMP101 temperature sensor, 9-12 bit, one-shot");
LM75_PART(tmp105, V_TMP105, lm75_map,
          "TMP105 temperature sensor, 9-12 bit, one-shot");
LM75_PART(tmp175, V_TMP175, lm75_map,
          "TMP175 temperature sensor, 9-12 bit, one-shot");
LM75_PART(tmp275, V_TMP275, lm75_map,
          "TMP275 temperature sensor, 9-12 bit, one-shot");
LM75_TYPE(tmp102, V_TMP102, tmp102_map, tmp102_props, "TMP102",
          tmp102_doc, "TMP102 temperature sensor, 12/13-bit, -55 to 150 °C");
LM75_TYPE(tmp112, V_TMP112, tmp102_map, tmp102_props, "TMP102",
          tmp102_doc, "TMP112 temperature sensor, 12/13-bit, -55 to 150 °C");
