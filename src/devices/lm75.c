/* SPDX-License-Identifier: MIT */
/*
 * LM75-family temperature sensors: the LM75 (9-bit) and the TMP102
 * (12-bit, 13-bit extended mode).
 *
 * Both use a pointer register (the LM75 and TMP102 datasheets, "Pointer
 * Register"): the first byte of a write
 * sets the pointer (P1-P0; the upper bits must be 0 and are ignored), the
 * next bytes are the register's high byte then its low byte. A read
 * returns the register at the pointer, high byte first; the pointer does
 * not auto-increment, so longer reads repeat the register. Each byte
 * written lands at once in its half of the register ("All registers are
 * updated byte by byte", TMP102 "Configuration Register").
 *
 * Temperatures are two's complement, left-justified in 16 bits and
 * truncated to the resolution (a reading never exceeds the temperature).
 * Conversions are modelled as instantaneous: while the part converts
 * continuously, the temperature register follows the `temperature`
 * property. In shutdown it holds the last conversion.
 */
#include <math.h>

#include "devices.h"

enum { REG_TEMP, REG_CONF, REG_LOW, REG_HIGH }; /* P1-P0 */

/* The pointer-register protocol shared by both parts. */
struct ptr_io {
    uint8_t ptr;
    bool have_ptr; /* this write's pointer byte has been seen */
    uint8_t pos;   /* data bytes so far in this message */
    uint8_t rd[2]; /* the register latched at the read's START */
};

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

/* The inverse: sign-extend the top `bits` bits of a register. */
static int32_t from_register(uint16_t raw, unsigned bits)
{
    return (int32_t)(int16_t)raw >> (16 - bits);
}

static uint16_t put_byte(uint16_t reg, unsigned pos, uint8_t byte)
{
    return pos ? (uint16_t)((reg & 0xFF00) | byte)
               : (uint16_t)((reg & 0x00FF) | byte << 8);
}

/* Returns true when `byte` is register data for position io->pos. */
static bool io_send(struct ptr_io *io, uint8_t byte)
{
    if (!io->have_ptr) {
        io->ptr = byte & 3;
        io->have_ptr = true;
        io->pos = 0;
        return false;
    }
    return io->pos < 2;
}

static uint8_t io_recv(struct ptr_io *io)
{
    return io->rd[io->pos++ & 1];
}

static void io_latch(struct ptr_io *io, uint16_t reg)
{
    io->rd[0] = (uint8_t)(reg >> 8);
    io->rd[1] = (uint8_t)reg;
    io->pos = 0;
}

/* ---- LM75 ------------------------------------------------------------ */

/*
 * TI/National LM75: 9-bit temperature, 0.5 °C per LSB in D15-D7.
 * Configuration (one byte): D0 shutdown, D1 comparator/interrupt,
 * D2 O.S. polarity, D4-D3 fault queue, D7-D5 always 0. Power on:
 * configuration 0, T_HYST 75 °C, T_OS 80 °C, pointer 0.
 */
#define LM75_SHUTDOWN 0x01
#define LM75_CONF_MASK 0x1F

struct lm75_state {
    double temperature; /* property */
    struct ptr_io io;
    uint16_t temp, hyst, os; /* registers as read */
    uint8_t conf;
};

static uint16_t lm75_encode(double t)
{
    return left_justify(quantize(t, 1, 9), 9);
}

static void lm75_convert(struct lm75_state *s)
{
    if (!(s->conf & LM75_SHUTDOWN))
        s->temp = lm75_encode(s->temperature);
}

static uint16_t lm75_read(struct lm75_state *s)
{
    switch (s->io.ptr) {
    case REG_TEMP:
        lm75_convert(s);
        return s->temp;
    case REG_CONF: /* one byte, so a 2-byte read repeats it */
        return (uint16_t)(s->conf << 8 | s->conf);
    case REG_LOW:
        return s->hyst;
    default:
        return s->os;
    }
}

static enum i2cemu_result lm75_event(struct i2cemu_dev *d,
                                     enum i2cemu_event ev)
{
    struct lm75_state *s = d->state;
    if (ev == I2CEMU_EV_START_SEND)
        s->io.have_ptr = false;
    else if (ev == I2CEMU_EV_START_RECV)
        io_latch(&s->io, lm75_read(s));
    return I2CEMU_ACK;
}

static enum i2cemu_result lm75_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct lm75_state *s = d->state;
    if (!io_send(&s->io, byte))
        return I2CEMU_ACK;
    unsigned pos = s->io.pos++;
    switch (s->io.ptr) {
    case REG_TEMP: /* read-only */
        break;
    case REG_CONF:
        if (pos == 0) {
            lm75_convert(s); /* entering shutdown keeps this conversion */
            s->conf = byte & LM75_CONF_MASK;
        }
        break;
    case REG_LOW:
        s->hyst = put_byte(s->hyst, pos, byte) & 0xFF80;
        break;
    default:
        s->os = put_byte(s->os, pos, byte) & 0xFF80;
        break;
    }
    return I2CEMU_ACK;
}

static uint8_t lm75_recv(struct i2cemu_dev *d)
{
    struct lm75_state *s = d->state;
    return io_recv(&s->io);
}

static int lm75_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct lm75_state *s = d->state;
    (void)err;
    s->hyst = lm75_encode(75.0);
    s->os = lm75_encode(80.0);
    lm75_convert(s);
    return 0;
}

static const struct i2cemu_prop lm75_props[] = {
    I2CEMU_PROP_FLOAT_("temperature", struct lm75_state, temperature, 25.0,
                       -55.0, 125.0, I2CEMU_PROP_RUNTIME,
                       "measured temperature in °C"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field lm75_fields[] = {
    I2CEMU_FIELD("io", struct lm75_state, io, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("temp", struct lm75_state, temp, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("hyst", struct lm75_state, hyst, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("os", struct lm75_state, os, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("conf", struct lm75_state, conf, I2CEMU_FIELD_RUNTIME),
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
    .event = lm75_event,
    .send = lm75_send,
    .recv = lm75_recv,
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
    struct ptr_io io;
    uint64_t oneshot_end_ns; /* one-shot conversion in progress until */
    int16_t temp, low, high; /* °C * 16, 13 bits */
    uint16_t config;         /* the writable bits */
    bool converting;         /* a one-shot conversion is running */
    bool oneshot_done;       /* OS reads 1: a one-shot has completed */
    bool alert;              /* comparator: T reached T_HIGH */
};

static unsigned tmp102_bits(const struct tmp102_state *s)
{
    return s->config & TMP102_EM ? 13 : 12;
}

static uint16_t tmp102_format(const struct tmp102_state *s, int16_t v)
{
    unsigned bits = tmp102_bits(s);
    /* 12 bits saturate: "12-Bit Temperature Data Format" has 7FF at
     * 128 °C. */
    return left_justify(saturate(v, bits), bits);
}

static int16_t tmp102_parse(const struct tmp102_state *s, uint16_t raw)
{
    return (int16_t)from_register(raw, tmp102_bits(s)); /* 0.0625 °C LSB */
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
    if (!(s->config & TMP102_SD)) {
        tmp102_convert(s);
    } else if (s->converting && i2cemu_dev_now(d) >= s->oneshot_end_ns) {
        tmp102_convert(s);
        s->converting = false;
        s->oneshot_done = true;
    }
}

static uint16_t tmp102_config(const struct tmp102_state *s)
{
    uint16_t v = s->config | TMP102_R;
    /* AL reads 1 while inactive when POL=0; POL inverts it. */
    if (s->alert == !!(s->config & TMP102_POL))
        v |= TMP102_AL;
    if (s->oneshot_done)
        v |= TMP102_OS;
    return v;
}

static void tmp102_set_config(struct i2cemu_dev *d, struct tmp102_state *s,
                              uint16_t v)
{
    tmp102_sync(d, s); /* entering shutdown keeps this conversion */
    s->config = v & TMP102_WRITABLE;
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
}

static uint16_t tmp102_read(struct i2cemu_dev *d, struct tmp102_state *s)
{
    tmp102_sync(d, s);
    switch (s->io.ptr) {
    case REG_TEMP: {
        uint16_t raw = tmp102_format(s, s->temp);
        /* D0 tells the formats apart: 1 in extended mode. */
        return s->config & TMP102_EM ? raw | 1 : raw;
    }
    case REG_CONF:
        return tmp102_config(s);
    case REG_LOW:
        return tmp102_format(s, s->low);
    default:
        return tmp102_format(s, s->high);
    }
}

static enum i2cemu_result tmp102_event(struct i2cemu_dev *d,
                                       enum i2cemu_event ev)
{
    struct tmp102_state *s = d->state;
    if (ev == I2CEMU_EV_START_SEND)
        s->io.have_ptr = false;
    else if (ev == I2CEMU_EV_START_RECV)
        io_latch(&s->io, tmp102_read(d, s));
    return I2CEMU_ACK;
}

static enum i2cemu_result tmp102_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct tmp102_state *s = d->state;
    if (!io_send(&s->io, byte))
        return I2CEMU_ACK;
    unsigned pos = s->io.pos++;
    switch (s->io.ptr) {
    case REG_TEMP: /* read-only */
        break;
    case REG_CONF:
        tmp102_set_config(d, s, put_byte(tmp102_config(s) & ~TMP102_OS, pos,
                                         byte));
        break;
    case REG_LOW:
        s->low = tmp102_parse(s, put_byte(tmp102_format(s, s->low), pos, byte));
        break;
    default:
        s->high =
            tmp102_parse(s, put_byte(tmp102_format(s, s->high), pos, byte));
        break;
    }
    return I2CEMU_ACK;
}

static uint8_t tmp102_recv(struct i2cemu_dev *d)
{
    struct tmp102_state *s = d->state;
    return io_recv(&s->io);
}

static int tmp102_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct tmp102_state *s = d->state;
    (void)err;
    s->config = 0x00A0 & TMP102_WRITABLE; /* CR = 4 Hz; R and AL are read */
    s->low = 75 * 16;
    s->high = 80 * 16;
    tmp102_sync(d, s);
    return 0;
}

static const struct i2cemu_prop tmp102_props[] = {
    I2CEMU_PROP_FLOAT_("temperature", struct tmp102_state, temperature, 25.0,
                       -55.0, 150.0, I2CEMU_PROP_RUNTIME,
                       "measured temperature in °C"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field tmp102_fields[] = {
    I2CEMU_FIELD("io", struct tmp102_state, io, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("oneshot_end_ns", struct tmp102_state, oneshot_end_ns,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("temp", struct tmp102_state, temp, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("low", struct tmp102_state, low, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("high", struct tmp102_state, high, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("config", struct tmp102_state, config, I2CEMU_FIELD_RUNTIME),
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
    .event = tmp102_event,
    .send = tmp102_send,
    .recv = tmp102_recv,
};
