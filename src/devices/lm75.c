/* SPDX-License-Identifier: MIT */
/*
 * LM75-family temperature sensors: the LM75 (9-bit) and the TMP102
 * (12-bit, 13-bit extended mode), as register maps (i2cemu/regmap.h).
 *
 * Both have four registers behind a pointer (the datasheets' "Pointer
 * Register": P1-P0, the upper bits must be 0 and are ignored), sent high
 * byte first. The pointer does not auto-increment, so longer reads repeat
 * the register, and each byte written lands at once in its half of the
 * register ("All registers are updated byte by byte", TMP102
 * "Configuration Register").
 *
 * Temperatures are two's complement, left-justified in 16 bits and
 * truncated to the resolution (a reading never exceeds the temperature).
 * Conversions are modelled as instantaneous: while the part converts
 * continuously, the temperature register follows the `temperature`
 * property. In shutdown it holds the last conversion.
 */
#include <math.h>

#include <i2cemu/regmap.h>

#include "devices.h"

enum { REG_TEMP, REG_CONF, REG_LOW, REG_HIGH, NREGS }; /* P1-P0 */

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

/* ---- LM75 ------------------------------------------------------------ */

/*
 * TI/National LM75: 9-bit temperature, 0.5 °C per LSB in D15-D7.
 * Configuration (one byte): D0 shutdown, D1 comparator/interrupt,
 * D2 O.S. polarity, D4-D3 fault queue, D7-D5 always 0. Power on:
 * configuration 0, T_HYST 75 °C, T_OS 80 °C, pointer 0.
 */
#define LM75_SHUTDOWN 0x01

struct lm75_state {
    double temperature; /* property */
    struct i2cemu_regmap_state io;
    uint16_t regs[NREGS];
};

static uint16_t lm75_encode(double t)
{
    return left_justify(quantize(t, 1, 9), 9);
}

static void lm75_convert(struct lm75_state *s)
{
    if (!(s->regs[REG_CONF] & LM75_SHUTDOWN))
        s->regs[REG_TEMP] = lm75_encode(s->temperature);
}

static uint16_t lm75_read_temp(struct i2cemu_dev *d,
                               const struct i2cemu_reg *r, uint16_t v)
{
    struct lm75_state *s = d->state;
    (void)r;
    (void)v;
    lm75_convert(s);
    return s->regs[REG_TEMP];
}

/* Entering shutdown keeps the conversion of this instant. */
static uint16_t lm75_write_conf(struct i2cemu_dev *d,
                                const struct i2cemu_reg *r, uint16_t old,
                                uint16_t v)
{
    (void)r;
    (void)old;
    lm75_convert(d->state);
    return v;
}

static int lm75_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    if (i2cemu_regmap_realize(d, err) < 0)
        return -1;
    lm75_convert(d->state);
    return 0;
}

static const struct i2cemu_reg lm75_regs[] = {
    [REG_TEMP] = { .name = "temperature", .addr = 0, .width = 16,
                   .read = lm75_read_temp },
    /* One byte: a 2-byte read repeats it. */
    [REG_CONF] = { .name = "configuration", .addr = 1, .wmask = 0x1F,
                   .write = lm75_write_conf },
    [REG_LOW] = { .name = "t_hyst", .addr = 2, .width = 16,
                  .reset = 0x4B00 /* 75 °C */, .wmask = 0xFF80 },
    [REG_HIGH] = { .name = "t_os", .addr = 3, .width = 16,
                   .reset = 0x5000 /* 80 °C */, .wmask = 0xFF80 },
};

static const struct i2cemu_regmap lm75_map = {
    I2CEMU_REGMAP_REGS(lm75_regs),
    .pointer_mask = 0x03,
    .step = I2CEMU_REGMAP_HOLD,
    I2CEMU_REGMAP_STATE(struct lm75_state, io, regs),
};

static const struct i2cemu_prop lm75_props[] = {
    I2CEMU_PROP_FLOAT_("temperature", struct lm75_state, temperature, 25.0,
                       -55.0, 125.0, I2CEMU_PROP_RUNTIME,
                       "measured temperature in °C"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field lm75_fields[] = {
    I2CEMU_REGMAP_FIELDS(struct lm75_state, io, regs),
    I2CEMU_FIELD_END,
};

static const char lm75_doc[] =
    "Source: `src/devices/lm75.c`, after the TI/National LM75 datasheet\n"
    "(\"Pointer Register\", \"Temperature Register\", \"Configuration "
    "Register\",\n"
    "\"T_HYST and T_OS Registers\").\n"
    "\n"
    "Registers, selected by the pointer (P1-P0):\n"
    "\n"
    "| P | register | size | power on | notes |\n"
    "|---|---|---|---|---|\n"
    "| 0 | temperature | 2 | | read-only; D15-D7, 0.5 °C per LSB |\n"
    "| 1 | configuration | 1 | 0x00 | D0 shutdown, D1 comparator/interrupt, "
    "D2 O.S. polarity, D4-D3 fault queue; D7-D5 read 0 |\n"
    "| 2 | T_HYST | 2 | 0x4B00 (75 °C) | D15-D7; D6-D0 read 0 |\n"
    "| 3 | T_OS | 2 | 0x5000 (80 °C) | D15-D7; D6-D0 read 0 |\n"
    "\n"
    "* **Protocol.** The first byte of a write sets the pointer (P7-P2 must "
    "be\n"
    "  0 and are ignored), the following bytes are the register's high byte\n"
    "  then its low byte; each byte lands in its half of the register at "
    "once.\n"
    "  A read returns the register at the pointer, high byte first; the "
    "pointer\n"
    "  does not auto-increment, so longer reads repeat the register (the "
    "1-byte\n"
    "  configuration repeats itself). Writes to the temperature register are\n"
    "  acknowledged and ignored.\n"
    "* **Encoding.** Two's complement, left-justified in 16 bits, truncated "
    "to\n"
    "  the resolution (floor: a reading never exceeds the temperature): 125 "
    "°C\n"
    "  0x7D00, 25 °C 0x1900, 0.5 °C 0x0080, 0 0x0000, -0.5 °C 0xFF80, -25 °C\n"
    "  0xE700, -55 °C 0xC900 (the datasheet's table).\n"
    "* **Conversions** are modelled as instantaneous: while the part "
    "converts,\n"
    "  the temperature register follows `temperature`. **Shutdown** (D0) "
    "stops\n"
    "  conversions and the register holds the last one.\n"
    "* The O.S. output pin is not modelled; its configuration bits are "
    "stored.\n";

const struct i2cemu_device_type i2cemu_lm75 = {
    .name = "lm75",
    .help = "LM75 temperature sensor, 9-bit, -55 to 125 °C",
    .family = "LM75",
    .doc = lm75_doc,
    .props = lm75_props,
    .fields = lm75_fields,
    .state_size = sizeof(struct lm75_state),
    .realize = lm75_realize,
    .event = i2cemu_regmap_event,
    .send = i2cemu_regmap_send,
    .recv = i2cemu_regmap_recv,
    .regmap = &lm75_map,
};

/* ---- TMP102 ---------------------------------------------------------- */

/*
 * TI TMP102 (datasheet SBOS397, "Temperature Register", "Configuration
 * Register", "High- and Low-Limit Registers"): 12-bit temperature (D15-D4,
 * 0.0625 °C), or 13-bit (D15-D3) in extended mode, where D0 of the
 * temperature register reads 1. T_LOW and T_HIGH use the same format; the
 * part stores temperatures, so switching EM reformats all three.
 * Configuration: OS R1 R0 F1 F0 POL TM SD | CR1 CR0 AL EM 0 0 0 0;
 * power-on 0x60A0, T_LOW 75 °C, T_HIGH 80 °C.
 */
#define TMP102_OS   0x8000
#define TMP102_R    0x6000 /* converter resolution: reads 11 */
#define TMP102_POL  0x0400
#define TMP102_SD   0x0100
#define TMP102_AL   0x0020
#define TMP102_EM   0x0010
/* F1 F0 POL TM SD CR1 CR0 EM; the rest is read-only or special. */
#define TMP102_WRITABLE 0x1FD0
#define TMP102_CONV_NS 26000000ull /* one-shot: typical conversion time */

struct tmp102_state {
    double temperature; /* property */
    struct i2cemu_regmap_state io;
    /* As read, but the configuration holds its writable bits only. */
    uint16_t regs[NREGS];
    uint64_t oneshot_end_ns; /* one-shot conversion in progress until */
    int16_t temp, low, high; /* the temperatures shown: °C * 16, 13 bits */
    bool converting;         /* a one-shot conversion is running */
    bool oneshot_done;       /* OS reads 1: a one-shot has completed */
    bool alert;              /* comparator: T reached T_HIGH */
};

static unsigned tmp102_bits(const struct tmp102_state *s)
{
    return s->regs[REG_CONF] & TMP102_EM ? 13 : 12;
}

static uint16_t tmp102_format(const struct tmp102_state *s, int16_t v)
{
    unsigned bits = tmp102_bits(s);
    /* 12 bits saturate: "12-Bit Temperature Data Format" has 7FF at
     * 128 °C. */
    return left_justify(saturate(v, bits), bits);
}

/*
 * One conversion. The comparator sets the alert at or above T_HIGH and
 * clears it below T_LOW; the fault queue (F1-F0) is stored but a single
 * conversion counts as enough faults.
 */
static void tmp102_convert(struct tmp102_state *s)
{
    s->temp = (int16_t)quantize(s->temperature, 4, 13);
    if (s->temp >= s->high)
        s->alert = true;
    else if (s->temp < s->low)
        s->alert = false;
}

/* Bring the conversion state up to now. */
static void tmp102_sync(struct i2cemu_dev *d, struct tmp102_state *s)
{
    if (!(s->regs[REG_CONF] & TMP102_SD)) {
        tmp102_convert(s);
    } else if (s->converting && i2cemu_dev_now(d) >= s->oneshot_end_ns) {
        tmp102_convert(s);
        s->converting = false;
        s->oneshot_done = true;
    }
}

static uint16_t tmp102_read_temp(struct i2cemu_dev *d,
                                 const struct i2cemu_reg *r, uint16_t v)
{
    struct tmp102_state *s = d->state;
    (void)r;
    (void)v;
    tmp102_sync(d, s);
    /* D0 tells the formats apart: 1 in extended mode. */
    s->regs[REG_TEMP] = tmp102_format(s, s->temp) | (tmp102_bits(s) == 13);
    return s->regs[REG_TEMP];
}

static uint16_t tmp102_read_conf(struct i2cemu_dev *d,
                                 const struct i2cemu_reg *r, uint16_t v)
{
    struct tmp102_state *s = d->state;
    (void)r;
    tmp102_sync(d, s);
    v |= TMP102_R;
    /* AL reads 1 while inactive when POL=0; POL inverts it. */
    if (s->alert == !!(v & TMP102_POL))
        v |= TMP102_AL;
    return s->oneshot_done ? v | TMP102_OS : v;
}

static uint16_t tmp102_write_conf(struct i2cemu_dev *d,
                                  const struct i2cemu_reg *r, uint16_t old,
                                  uint16_t v)
{
    struct tmp102_state *s = d->state;
    (void)r;
    (void)old;
    tmp102_sync(d, s); /* entering shutdown keeps this conversion */
    s->regs[REG_CONF] = v & TMP102_WRITABLE;
    if (!(v & TMP102_SD)) {
        s->converting = false;
        s->oneshot_done = false;
    } else if ((v & TMP102_OS) && !s->converting) {
        /* One-shot: OS reads 0 until the conversion completes. */
        s->oneshot_done = false;
        s->converting = true;
        s->oneshot_end_ns = i2cemu_dev_now(d) +
                            (i2cemu_dev_honours_busy_times(d) ? TMP102_CONV_NS : 0);
        tmp102_sync(d, s);
    }
    /* The limits are temperatures: EM reformats them. */
    s->regs[REG_LOW] = tmp102_format(s, s->low);
    s->regs[REG_HIGH] = tmp102_format(s, s->high);
    return s->regs[REG_CONF];
}

static uint16_t tmp102_write_limit(struct i2cemu_dev *d,
                                   const struct i2cemu_reg *r, uint16_t old,
                                   uint16_t v)
{
    struct tmp102_state *s = d->state;
    int16_t *t = r->addr == REG_LOW ? &s->low : &s->high;
    (void)old;
    /* Sign-extend the top bits: 0.0625 °C per LSB. */
    *t = (int16_t)((int32_t)(int16_t)v >> (16 - tmp102_bits(s)));
    return tmp102_format(s, *t);
}

static int tmp102_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct tmp102_state *s = d->state;
    if (i2cemu_regmap_realize(d, err) < 0)
        return -1;
    s->low = 75 * 16;
    s->high = 80 * 16;
    tmp102_sync(d, s);
    return 0;
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

static const struct i2cemu_regmap tmp102_map = {
    I2CEMU_REGMAP_REGS(tmp102_regs),
    .pointer_mask = 0x03,
    .step = I2CEMU_REGMAP_HOLD,
    I2CEMU_REGMAP_STATE(struct tmp102_state, io, regs),
};

static const struct i2cemu_prop tmp102_props[] = {
    I2CEMU_PROP_FLOAT_("temperature", struct tmp102_state, temperature, 25.0,
                       -55.0, 150.0, I2CEMU_PROP_RUNTIME,
                       "measured temperature in °C"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field tmp102_fields[] = {
    I2CEMU_REGMAP_FIELDS(struct tmp102_state, io, regs),
    I2CEMU_FIELD("oneshot_end_ns", struct tmp102_state, oneshot_end_ns,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("temp", struct tmp102_state, temp, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("low", struct tmp102_state, low, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("high", struct tmp102_state, high, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("converting", struct tmp102_state, converting,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("oneshot_done", struct tmp102_state, oneshot_done,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("alert", struct tmp102_state, alert, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD_END,
};

static const char tmp102_doc[] =
    "Source: `src/devices/lm75.c`, after the TI TMP102 datasheet\n"
    "(SBOS397): \"Pointer Register\", \"Temperature Register\", "
    "\"Configuration\n"
    "Register\", \"High- and Low-Limit Registers\", \"One-Shot/Conversion "
    "Ready\".\n"
    "\n"
    "Registers (all 16-bit), selected by the pointer (P1-P0), with the "
    "LM75's\n"
    "protocol above (\"All registers are updated byte by byte\"):\n"
    "\n"
    "| P | register | power on |\n"
    "|---|---|---|\n"
    "| 0 | temperature | read-only |\n"
    "| 1 | configuration | 0x60A0 |\n"
    "| 2 | T_LOW | 0x4B00 (75 °C) |\n"
    "| 3 | T_HIGH | 0x5000 (80 °C) |\n"
    "\n"
    "Configuration: `OS R1 R0 F1 F0 POL TM SD | CR1 CR0 AL EM 0 0 0 0`.\n"
    "\n"
    "* **Encoding.** 0.0625 °C per LSB, two's complement, truncated. Normal\n"
    "  mode (EM=0): 12 bits in D15-D4; temperatures of 128 °C and above read\n"
    "  0x7FF0 (the datasheet's \"12-Bit Temperature Data Format\" table "
    "gives 7FF\n"
    "  for 128 °C). Extended mode (EM=1, \"13-Bit Temperature Data "
    "Format\"):\n"
    "  13 bits in D15-D3, up to 150 °C, and D0 of the temperature register\n"
    "  reads 1 so the formats can be told apart (150 °C reads 0x4B01). T_LOW "
    "and T_HIGH use\n"
    "  the same format; the part stores temperatures, so setting EM "
    "reformats\n"
    "  all three (80 °C reads 0x5000 in normal mode, 0x2800 in extended "
    "mode).\n"
    "* **R1-R0** read 11 and **AL** is read-only; D3-D0 read 0.\n"
    "* **AL** reflects the comparator, whatever TM says: it changes when the\n"
    "  temperature reaches T_HIGH and changes back when it falls below "
    "T_LOW.\n"
    "  With POL=0 it reads 1 while inactive and 0 while active; POL=1 "
    "inverts\n"
    "  it. The fault queue (F1-F0) is stored, but each conversion counts as\n"
    "  enough consecutive faults. The ALERT pin is not modelled.\n"
    "* **Shutdown** (SD=1) holds the last conversion. **One-shot**: writing\n"
    "  OS=1 while in shutdown (or together with SD=1) starts one conversion;\n"
    "  OS reads 0 during it and 1 after it, and the part stays in shutdown. "
    "It\n"
    "  takes 26 ms (the typical conversion time) on a paced clock and no "
    "time\n"
    "  on the FAST clock. OS=1 without shutdown is ignored; leaving shutdown\n"
    "  clears it.\n"
    "* **CR** (conversion rate) is stored; conversions are modelled as\n"
    "  instantaneous, so the temperature register follows `temperature` "
    "while\n"
    "  the part converts.\n";

const struct i2cemu_device_type i2cemu_tmp102 = {
    .name = "tmp102",
    .help = "TMP102 temperature sensor, 12/13-bit, -55 to 150 °C",
    .family = "TMP102",
    .doc = tmp102_doc,
    .props = tmp102_props,
    .fields = tmp102_fields,
    .state_size = sizeof(struct tmp102_state),
    .realize = tmp102_realize,
    .event = i2cemu_regmap_event,
    .send = i2cemu_regmap_send,
    .recv = i2cemu_regmap_recv,
    .regmap = &tmp102_map,
};
