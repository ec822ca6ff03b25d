/* SPDX-License-Identifier: MIT */
/*
 * The PCA953x register-based GPIO expanders that Linux's gpio-pca953x
 * drives as PCA953X_TYPE parts with PCA_INT: 16-bit pca9555, pca9535,
 * pca9539, tca6416 and 8-bit pca9554, pca9534, pca9538, tca9554
 * (datasheets: NXP PCA9555 "16-bit I2C-bus and SMBus I/O port with
 * interrupt" 6.2 "Registers", 6.3 "Interrupt output", 6.5 "Bus
 * transactions"; NXP PCA9554/PCA9554A 6.1 "Registers", 6.4, 7; TI
 * TCA6416, TCA9554, PCA9538, PCA9539, PCA9534, PCA9535). The worked
 * example of docs/writing-models.md.
 *
 * Four registers per port, named by the command byte: input ports,
 * output ports, polarity inversion, configuration (1: input). Register
 * `kind * nports + port`: a 16-bit part has pairs (0-1 input, 2-3 output,
 * 4-5 polarity, 6-7 configuration) and its pointer toggles within the
 * pair after each byte; an 8-bit part has 0-3 and its pointer stays on
 * the register named by the command byte. Power on: outputs 0xFF,
 * polarity 0x00, configuration 0xFF (all inputs).
 *
 * Pins: an input pin's level is the `inputs` property; an output pin is
 * driven by its output latch. An input register reads its port's pin
 * levels XOR its polarity inversion register; it is read-only, and writes
 * to it are acknowledged and ignored. `outputs` (read-only) is what the
 * part drives: the latch on output pins, 1 (released) on input pins.
 *
 * INT (output line "int", 1 while asserted: the open-drain pin low):
 * asserted while an input pin differs from its level when its port was
 * last read; reading the port clears it, and so does the pin going back.
 */
#include <i2cemu/regmap.h>

#include "devices.h"

enum { KIND_IN, KIND_OUT, KIND_POL, KIND_CFG };
enum { MAX_PORTS = 2, MAX_REGS = 4 * MAX_PORTS };

struct pca953x_state {
    uint32_t inputs;  /* property: levels driven onto the pins */
    uint32_t outputs; /* read-only property: levels the part drives */
    uint8_t nports;
    uint8_t seen[MAX_PORTS]; /* each port's pin levels when last read */
    struct i2cemu_regmap_state io;
    uint16_t regs[MAX_REGS];
};

static unsigned reg(const struct pca953x_state *s, unsigned kind, unsigned p)
{
    return s->regs[kind * s->nports + p];
}

/* The levels on port p's pins. */
static uint8_t pins(const struct pca953x_state *s, unsigned p)
{
    unsigned cfg = reg(s, KIND_CFG, p);
    return (uint8_t)(((s->inputs >> 8 * p) & cfg) |
                     (reg(s, KIND_OUT, p) & ~cfg));
}

/* Recompute what follows from the pins and registers: INT and outputs. */
static void refresh(struct i2cemu_dev *d)
{
    struct pca953x_state *s = d->state;
    bool irq = false;
    s->outputs = 0;
    for (unsigned p = 0; p < s->nports; p++) {
        unsigned cfg = reg(s, KIND_CFG, p);
        if ((pins(s, p) ^ s->seen[p]) & cfg)
            irq = true;
        s->outputs |= (uint32_t)((reg(s, KIND_OUT, p) | cfg) & 0xFF) << 8 * p;
    }
    i2cemu_dev_line_set(d, 0, irq);
}

static uint16_t read_input(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                           uint16_t v)
{
    struct pca953x_state *s = d->state;
    unsigned p = r->addr; /* input port registers are 0 .. nports-1 */
    (void)v;
    s->seen[p] = pins(s, p);
    refresh(d);
    return s->seen[p] ^ reg(s, KIND_POL, p);
}

/* Output and configuration writes move pins: store, then re-evaluate. */
static uint16_t write_pins(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                           uint16_t old, uint16_t v)
{
    struct pca953x_state *s = d->state;
    (void)old;
    s->regs[r->addr] = v; /* table index == command */
    refresh(d);
    return v;
}

static void pca953x_changed(struct i2cemu_dev *d, const struct i2cemu_prop *p)
{
    (void)p; /* only `inputs` is runtime */
    refresh(d);
}

/* Table index == command byte, as write_pins relies on. */
static const struct i2cemu_reg pca953x_regs16[] = {
    [0] = { .name = "input0", .addr = 0, .read = read_input },
    [1] = { .name = "input1", .addr = 1, .read = read_input },
    [2] = { .name = "output0", .addr = 2, .reset = 0xFF, .wmask = 0xFF,
            .write = write_pins },
    [3] = { .name = "output1", .addr = 3, .reset = 0xFF, .wmask = 0xFF,
            .write = write_pins },
    [4] = { .name = "polarity0", .addr = 4, .wmask = 0xFF },
    [5] = { .name = "polarity1", .addr = 5, .wmask = 0xFF },
    [6] = { .name = "config0", .addr = 6, .reset = 0xFF, .wmask = 0xFF,
            .write = write_pins },
    [7] = { .name = "config1", .addr = 7, .reset = 0xFF, .wmask = 0xFF,
            .write = write_pins },
};

static const struct i2cemu_regmap pca953x_map16 = {
    I2CEMU_REGMAP_REGS(pca953x_regs16),
    .pointer_mask = 0x07,
    .step = I2CEMU_REGMAP_INC,
    .wrap = 2, /* the other register of the pair */
    I2CEMU_REGMAP_STATE(struct pca953x_state, io, regs),
};

/* 8-bit parts: the pointer stays where the command byte put it (each
 * register's `next` is itself): reads repeat it, written bytes each
 * update it. */
static const struct i2cemu_reg pca953x_regs8[] = {
    [0] = { .name = "input", .addr = 0, .next = 0, .read = read_input },
    [1] = { .name = "output", .addr = 1, .next = 1, .reset = 0xFF,
            .wmask = 0xFF, .write = write_pins },
    [2] = { .name = "polarity", .addr = 2, .next = 2, .wmask = 0xFF },
    [3] = { .name = "config", .addr = 3, .next = 3, .reset = 0xFF,
            .wmask = 0xFF, .write = write_pins },
};

static const struct i2cemu_regmap pca953x_map8 = {
    I2CEMU_REGMAP_REGS(pca953x_regs8),
    .pointer_mask = 0x03,
    .step = I2CEMU_REGMAP_NEXT,
    I2CEMU_REGMAP_STATE(struct pca953x_state, io, regs),
};

/* Addresses a variant answers: one range, or two (an "A" version). */
struct variant {
    uint8_t ports, lo, hi, lo2, hi2;
};

static int realize(struct i2cemu_dev *d, const char *name,
                   const struct variant *v, struct i2cemu_error *err)
{
    struct pca953x_state *s = d->state;
    uint16_t addr = i2cemu_dev_addr(d);

    if (!(addr >= v->lo && addr <= v->hi) &&
        !(v->lo2 && addr >= v->lo2 && addr <= v->hi2)) {
        if (v->lo2)
            i2cemu_error_set(err, "addr=0x%02x: a %s answers at "
                             "0x%02x-0x%02x or 0x%02x-0x%02x", addr, name,
                             v->lo, v->hi, v->lo2, v->hi2);
        else
            i2cemu_error_set(err, "addr=0x%02x: a %s answers at "
                             "0x%02x-0x%02x", addr, name, v->lo, v->hi);
        return -1;
    }
    if (i2cemu_regmap_realize(d, err) < 0)
        return -1;
    s->nports = v->ports;
    for (unsigned p = 0; p < v->ports; p++)
        s->seen[p] = pins(s, p);
    refresh(d);
    return 0;
}

static const struct i2cemu_prop pca953x_props16[] = {
    I2CEMU_PROP_UINT_("inputs", struct pca953x_state, inputs, 0xFFFF, 0,
                      0xFFFF, I2CEMU_PROP_RUNTIME | I2CEMU_PROP_HEX,
                      "levels driven onto the pins configured as inputs: "
                      "bit n is IO0_n (IO_n), bit 8+n IO1_n"),
    I2CEMU_PROP_UINT_("outputs", struct pca953x_state, outputs, 0xFFFF, 0,
                      0xFFFF, I2CEMU_PROP_READONLY | I2CEMU_PROP_HEX,
                      "levels the part drives: the output latch on output "
                      "pins, 1 (released) on input pins"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_prop pca953x_props8[] = {
    I2CEMU_PROP_UINT_("inputs", struct pca953x_state, inputs, 0xFF, 0, 0xFF,
                      I2CEMU_PROP_RUNTIME | I2CEMU_PROP_HEX,
                      "levels driven onto the pins configured as inputs: "
                      "bit n is IO0_n (IO_n), bit 8+n IO1_n"),
    I2CEMU_PROP_UINT_("outputs", struct pca953x_state, outputs, 0xFF, 0, 0xFF,
                      I2CEMU_PROP_READONLY | I2CEMU_PROP_HEX,
                      "levels the part drives: the output latch on output "
                      "pins, 1 (released) on input pins"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field pca953x_fields[] = {
    I2CEMU_FIELD("nports", struct pca953x_state, nports, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("seen", struct pca953x_state, seen, I2CEMU_FIELD_RUNTIME),
    I2CEMU_REGMAP_FIELDS(struct pca953x_state, io, regs),
    I2CEMU_FIELD_END,
};

static const char *const pca953x_lines[] = {"int", NULL};

static const char pca953x_doc[] =
    "Source: `src/devices/pca953x.c`, after the NXP PCA9555 and PCA9554/\n"
    "PCA9554A datasheets (\"Registers\", \"Interrupt output\", \"Bus\n"
    "transactions\") and TI's TCA6416, TCA9554, PCA9534, PCA9535, PCA9538\n"
    "and PCA9539 datasheets; the types are Linux `gpio-pca953x` ids, all\n"
    "`PCA953X_TYPE | PCA_INT`. The PCA9555 is the worked example of\n"
    "[writing-models.md](writing-models.md). Other addresses than the\n"
    "part's are refused.\n"
    "\n"
    "| type | pins | addresses | internal pull-ups | RESET pin |\n"
    "|---|---|---|---|---|\n"
    "| pca9555 | 16 | 0x20-0x27 | yes | no |\n"
    "| pca9535 | 16 | 0x20-0x27 | no | no |\n"
    "| pca9539 | 16 | 0x74-0x77 | no | yes |\n"
    "| tca6416 | 16 | 0x20-0x21 | no | yes |\n"
    "| pca9554 | 8 | 0x20-0x27, 0x38-0x3f (PCA9554A) | yes | no |\n"
    "| pca9534 | 8 | 0x20-0x27, 0x38-0x3f (PCA9534A) | no | no |\n"
    "| pca9538 | 8 | 0x70-0x73 | no | yes |\n"
    "| tca9554 | 8 | 0x20-0x27, 0x38-0x3f (TCA9554A) | yes | no |\n"
    "\n"
    "Registers (8-bit), selected by the command byte; power on: output\n"
    "0xFF, polarity inversion 0x00, configuration 0xFF (all pins inputs):\n"
    "\n"
    "| 16-bit parts | 8-bit parts | register | access |\n"
    "|---|---|---|---|\n"
    "| 0, 1 | 0 | input port (0, 1) | read-only; writes are acknowledged and ignored |\n"
    "| 2, 3 | 1 | output port | read/write; reads return the latch |\n"
    "| 4, 5 | 2 | polarity inversion | read/write |\n"
    "| 6, 7 | 3 | configuration | read/write; 1: input, 0: output |\n"
    "\n"
    "* **Pointer.** 16-bit parts decode three command bits: the eight\n"
    "  registers are four pairs and after each byte, read or written, the\n"
    "  pointer moves to the other register of its pair, for any number of\n"
    "  bytes; so `i2cget -y 1 0x20 0 w` returns input port 0 in the low byte\n"
    "  and port 1 in the high byte, and a word write fills a pair, as\n"
    "  `gpio-pca953x`'s bulk accesses expect. 8-bit parts decode two command\n"
    "  bits and the pointer stays on the register the command byte named:\n"
    "  reads repeat it (\"the register that was addressed will continue to be\n"
    "  accessed by reads until a new command byte has been sent\"), and every\n"
    "  written byte updates it.\n"
    "* **Pins.** A pin configured as an input reads its `inputs` bit, one\n"
    "  configured as an output its output latch; an input port reads its pins\n"
    "  XOR its polarity inversion register. `inputs` defaults to all ones:\n"
    "  the internal pull-ups where the part has them, and the external\n"
    "  pull-ups a board fits where it does not (a floating CMOS input has no\n"
    "  defined level; set `inputs` to what the board drives). `outputs`\n"
    "  (read-only) is what the part drives: the latch on output pins, 1\n"
    "  (high impedance) on input pins; `i2cemu ctl get` or `wait` reads it.\n"
    "* **INT** (output line `int`, 1 while asserted) is asserted while a pin\n"
    "  configured as an input differs from its level when its port was last\n"
    "  read, and released by reading that port (reading the other one does\n"
    "  not) or by the pin going back. A change of `inputs` through the control\n"
    "  plane re-evaluates it at once.\n"
    "* **Not modelled:** the RESET pin (the part resets only at power on),\n"
    "  the pins' electrical behaviour (drive strength, an output shorted to\n"
    "  an external level reads the latch), the PCA9555's 100 kOhm pull-ups\n"
    "  as a current, the INT glitch filter and its tiv/tir delays.\n";

/* The port count scales the register index of each kind (a count over
 * 2 reads past the registers): only the part's own is accepted. */
static int pca953x_state_check8(struct i2cemu_dev *d, const void *state,
                                struct i2cemu_error *err)
{
    (void)d;
    return state_own("nports", ((const struct pca953x_state *)state)->nports,
                     1, err);
}

static int pca953x_state_check16(struct i2cemu_dev *d, const void *state,
                                 struct i2cemu_error *err)
{
    (void)d;
    return state_own("nports", ((const struct pca953x_state *)state)->nports,
                     2, err);
}

#define PCA953X(id, bits, help_, ...)                                         \
    static int id##_realize(struct i2cemu_dev *d, struct i2cemu_error *err)   \
    {                                                                         \
        static const struct variant v = {__VA_ARGS__};                        \
        return realize(d, #id, &v, err);                                      \
    }                                                                         \
    const struct i2cemu_device_type i2cemu_##id = {                           \
        .name = #id,                                                          \
        .family = "PCA953x GPIO expanders",                                   \
        .doc = pca953x_doc,                                                   \
        .help = help_,                                                        \
        .props = pca953x_props##bits,                                         \
        .fields = pca953x_fields,                                             \
        .state_size = sizeof(struct pca953x_state),                           \
        .lines = pca953x_lines,                                               \
        .changed = pca953x_changed,                                           \
        .realize = id##_realize,                                              \
        .state_check = pca953x_state_check##bits,                             \
        .event = i2cemu_regmap_event,                                         \
        .send = i2cemu_regmap_send,                                           \
        .recv = i2cemu_regmap_recv,                                           \
        .regmap = &pca953x_map##bits,                                         \
    }

PCA953X(pca9555, 16, "PCA9555 16-bit I/O expander, pull-ups, at 0x20-0x27",
        2, 0x20, 0x27, 0, 0);
PCA953X(pca9535, 16, "PCA9535 16-bit I/O expander, no pull-ups, at 0x20-0x27",
        2, 0x20, 0x27, 0, 0);
PCA953X(pca9539, 16, "PCA9539 16-bit I/O expander with reset, at 0x74-0x77",
        2, 0x74, 0x77, 0, 0);
PCA953X(tca6416, 16, "TCA6416 16-bit I/O expander with reset, at 0x20-0x21",
        2, 0x20, 0x21, 0, 0);
PCA953X(pca9554, 8, "PCA9554/PCA9554A 8-bit I/O expander, at 0x20-0x27 "
        "or 0x38-0x3f", 1, 0x20, 0x27, 0x38, 0x3F);
PCA953X(pca9534, 8, "PCA9534/PCA9534A 8-bit I/O expander, no pull-ups, at "
        "0x20-0x27 or 0x38-0x3f", 1, 0x20, 0x27, 0x38, 0x3F);
PCA953X(pca9538, 8, "PCA9538 8-bit I/O expander with reset, at 0x70-0x73",
        1, 0x70, 0x73, 0, 0);
PCA953X(tca9554, 8, "TCA9554/TCA9554A 8-bit I/O expander, at 0x20-0x27 or "
        "0x38-0x3f", 1, 0x20, 0x27, 0x38, 0x3F);
