/* SPDX-License-Identifier: MIT */
/*
 * NXP PCF8574/PCF8574A and PCF8575: quasi-bidirectional I/O expanders,
 * Linux's gpio-pcf857x (datasheets: PCF8574 "Remote 8-bit I/O expander
 * for I2C-bus with interrupt" 8.1 "Quasi-bidirectional I/Os", 8.3
 * "Interrupt output", 9 "I2C-bus"; PCF8575 "Remote 16-bit I/O expander"
 * 8.2, 8.3, 8.4).
 *
 * No registers: a written byte sets the port latch of the next port (for
 * the 16-bit part P0 then P1, alternately); a read returns the pins, the
 * next port each byte. A latch bit 0 drives its pin low; a latch bit 1
 * releases it to a weak pull-up (an input), so the pin reads the external
 * level, the `inputs` property (default high). Power on: latches all 1.
 *
 * INT (output line "int", 1 while asserted): asserted while a released
 * pin differs from its level when its port was last read or written;
 * reading or writing the port clears it, and so does the pin going back.
 */
#include "devices.h"

enum { MAX_PORTS = 2 };

struct pcf857x_state {
    uint32_t inputs;  /* property: external levels on the pins */
    uint32_t outputs; /* read-only property: the latches */
    uint8_t nports;
    uint8_t pos; /* port of the next byte in this message */
    uint8_t seen[MAX_PORTS];
    uint8_t latch[MAX_PORTS];
};

static uint8_t pins(const struct pcf857x_state *s, unsigned p)
{
    return (uint8_t)(s->latch[p] & (s->inputs >> 8 * p));
}

static void refresh(struct i2cemu_dev *d)
{
    struct pcf857x_state *s = d->state;
    bool irq = false;
    s->outputs = 0;
    for (unsigned p = 0; p < s->nports; p++) {
        if ((pins(s, p) ^ s->seen[p]) & s->latch[p])
            irq = true;
        s->outputs |= (uint32_t)s->latch[p] << 8 * p;
    }
    i2cemu_dev_line_set(d, 0, irq);
}

static enum i2cemu_result pcf857x_event(struct i2cemu_dev *d,
                                        enum i2cemu_event ev)
{
    struct pcf857x_state *s = d->state;
    if (ev == I2CEMU_EV_START_SEND || ev == I2CEMU_EV_START_RECV)
        s->pos = 0;
    return I2CEMU_ACK;
}

static enum i2cemu_result pcf857x_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct pcf857x_state *s = d->state;
    unsigned p = s->pos;
    s->pos = (uint8_t)((p + 1) % s->nports);
    s->latch[p] = byte;
    s->seen[p] = pins(s, p);
    refresh(d);
    return I2CEMU_ACK;
}

static uint8_t pcf857x_recv(struct i2cemu_dev *d)
{
    struct pcf857x_state *s = d->state;
    unsigned p = s->pos;
    s->pos = (uint8_t)((p + 1) % s->nports);
    s->seen[p] = pins(s, p);
    refresh(d);
    return s->seen[p];
}

static void pcf857x_changed(struct i2cemu_dev *d, const struct i2cemu_prop *p)
{
    (void)p; /* only `inputs` is runtime */
    refresh(d);
}

static int realize(struct i2cemu_dev *d, const char *name, unsigned nports,
                   uint16_t lo, uint16_t hi, uint16_t lo2, uint16_t hi2,
                   struct i2cemu_error *err)
{
    struct pcf857x_state *s = d->state;
    uint16_t addr = i2cemu_dev_addr(d);
    if (!(addr >= lo && addr <= hi) && !(addr >= lo2 && addr <= hi2)) {
        if (lo2 == lo)
            i2cemu_error_set(err, "addr=0x%02x: a %s answers at "
                             "0x%02x-0x%02x", addr, name, lo, hi);
        else
            i2cemu_error_set(err, "addr=0x%02x: a %s answers at "
                             "0x%02x-0x%02x or 0x%02x-0x%02x", addr, name,
                             lo, hi, lo2, hi2);
        return -1;
    }
    s->nports = (uint8_t)nports;
    for (unsigned p = 0; p < nports; p++) {
        s->latch[p] = 0xFF;
        s->seen[p] = pins(s, p);
    }
    refresh(d);
    return 0;
}

/* The port count is what the port index wraps at (a 0 divides by zero)
 * and bounds the latches it indexes: only the part's own is accepted. */
static int pcf8574_state_check(struct i2cemu_dev *d, const void *state,
                               struct i2cemu_error *err)
{
    (void)d;
    return state_own("nports", ((const struct pcf857x_state *)state)->nports,
                     1, err);
}

static int pcf8575_state_check(struct i2cemu_dev *d, const void *state,
                               struct i2cemu_error *err)
{
    (void)d;
    return state_own("nports", ((const struct pcf857x_state *)state)->nports,
                     2, err);
}

/* PCF8574 0x20-0x27, PCF8574A 0x38-0x3f: one Linux id for both. */
static int pcf8574_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    return realize(d, "pcf8574", 1, 0x20, 0x27, 0x38, 0x3F, err);
}

/* PCF8575: A2-A0 give 0x20-0x27 (one range: passed twice). */
static int pcf8575_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    return realize(d, "pcf8575", 2, 0x20, 0x27, 0x20, 0x27, err);
}

static const struct i2cemu_prop pcf8574_props[] = {
    I2CEMU_PROP_UINT_("inputs", struct pcf857x_state, inputs, 0xFF, 0, 0xFF,
                      I2CEMU_PROP_RUNTIME | I2CEMU_PROP_HEX,
                      "external levels on the pins: bit n is P0n (Pn), "
                      "bit 8+n P1n (high: nothing pulls it low)"),
    I2CEMU_PROP_UINT_("outputs", struct pcf857x_state, outputs, 0xFF, 0, 0xFF,
                      I2CEMU_PROP_READONLY | I2CEMU_PROP_HEX,
                      "the port latches: 0 drives the pin low, 1 releases "
                      "it to the weak pull-up"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_prop pcf8575_props[] = {
    I2CEMU_PROP_UINT_("inputs", struct pcf857x_state, inputs, 0xFFFF, 0,
                      0xFFFF, I2CEMU_PROP_RUNTIME | I2CEMU_PROP_HEX,
                      "external levels on the pins: bit n is P0n (Pn), "
                      "bit 8+n P1n (high: nothing pulls it low)"),
    I2CEMU_PROP_UINT_("outputs", struct pcf857x_state, outputs, 0xFFFF, 0,
                      0xFFFF, I2CEMU_PROP_READONLY | I2CEMU_PROP_HEX,
                      "the port latches: 0 drives the pin low, 1 releases "
                      "it to the weak pull-up"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field pcf857x_fields[] = {
    I2CEMU_FIELD("nports", struct pcf857x_state, nports, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("pos", struct pcf857x_state, pos, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("seen", struct pcf857x_state, seen, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("latch", struct pcf857x_state, latch, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD_END,
};

static const char *const pcf857x_lines[] = {"int", NULL};

static const char pcf857x_doc[] =
    "Source: `src/devices/pcf857x.c`, after the NXP PCF8574/PCF8574A\n"
    "(\"Quasi-bidirectional I/Os\", \"Interrupt output\", \"I2C-bus\") and\n"
    "PCF8575 datasheets; the types are Linux `gpio-pcf857x` ids. Addresses:\n"
    "`pcf8574` 0x20-0x27 (PCF8574) or 0x38-0x3f (PCF8574A), `pcf8575`\n"
    "0x20-0x27; others are refused.\n"
    "\n"
    "* **No registers.** Every written byte is a port latch: a write's first\n"
    "  byte sets P7-P0 (P07-P00), the PCF8575's second P17-P10, and so on\n"
    "  alternately for further bytes. Every read byte is the pins of the\n"
    "  next port the same way (the PCF8574 repeats its one port).\n"
    "* **Quasi-bidirectional pins.** A latch bit 0 drives its pin low; a 1\n"
    "  releases it to the weak pull-up, and the pin then reads the external\n"
    "  level, the runtime property `inputs` (default high, the pull-up's\n"
    "  level). So a pin reads `latch AND inputs`: to use a pin as an input,\n"
    "  write 1 to it (the power-on state of every pin). `outputs` (read-only)\n"
    "  is the latch.\n"
    "* **INT** (output line `int`, 1 while asserted) is asserted while a\n"
    "  released pin differs from its level when its port was last read or\n"
    "  written, and released by a read or write of that port or by the pin\n"
    "  going back. A change of `inputs` re-evaluates it at once.\n"
    "* **Not modelled:** the strong pull-up pulse on a 0-to-1 latch change,\n"
    "  currents, the INT's tiv/tir delays; a read's pins are sampled at the\n"
    "  byte, not at the acknowledge clock.\n";

#define PCF857X(id, help_, props_)                                            \
    const struct i2cemu_device_type i2cemu_##id = {                           \
        .name = #id,                                                          \
        .family = "PCF857x quasi-bidirectional GPIO expanders",               \
        .doc = pcf857x_doc,                                                   \
        .help = help_,                                                        \
        .props = props_,                                                      \
        .fields = pcf857x_fields,                                             \
        .state_size = sizeof(struct pcf857x_state),                           \
        .lines = pcf857x_lines,                                               \
        .changed = pcf857x_changed,                                           \
        .realize = id##_realize,                                              \
        .state_check = id##_state_check,                                      \
        .event = pcf857x_event,                                               \
        .send = pcf857x_send,                                                 \
        .recv = pcf857x_recv,                                                 \
    }

PCF857X(pcf8574, "PCF8574/PCF8574A 8-bit quasi-bidirectional I/O expander, "
        "at 0x20-0x27 or 0x38-0x3f", pcf8574_props);
PCF857X(pcf8575, "PCF8575 16-bit quasi-bidirectional I/O expander, at "
        "0x20-0x27", pcf8575_props);
