/* SPDX-License-Identifier: MIT */
/*
 * NXP PCA9555: a 16-bit I/O expander with interrupt (datasheet "PCA9555
 * 16-bit I2C-bus and SMBus I/O port with interrupt": 6.2 "Registers",
 * "Interrupt output", 6.5 "Bus transactions"). The worked example of
 * docs/writing-models.md.
 *
 * Eight 8-bit registers in four pairs, named by the command byte (TI's
 * datasheet: three bits of it select the register): 0-1 input ports,
 * 2-3 output ports, 4-5 polarity inversion, 6-7 configuration (1: input).
 * After each byte, read or written, the pointer moves to the other
 * register of its pair. Power on: outputs 0xFF, polarity 0x00,
 * configuration 0xFF (all inputs).
 *
 * Pins: an input pin's level is the `inputs` property (the pins have
 * pull-ups, so 1 when nothing drives them); an output pin is driven by its
 * output latch. An input register reads its port's pin levels XOR its
 * polarity inversion register; it is read-only, and writes to it are
 * acknowledged and ignored.
 *
 * INT: asserted while an input pin differs from its level when its port
 * was last read; reading the port clears it, and so does the pin going
 * back. Output lines are not modelled yet: INT is the state field "int",
 * evaluated at each bus event of the part and each read of a port.
 */
#include <i2cemu/regmap.h>

#include "devices.h"

enum { IN0, IN1, OUT0, OUT1, POL0, POL1, CFG0, CFG1, NREGS };

struct pca9555_state {
    uint32_t inputs; /* property: levels driven onto the pins */
    struct i2cemu_regmap_state io;
    uint16_t regs[NREGS];
    uint8_t seen[2]; /* each port's pin levels when it was last read */
    bool int_active; /* INT asserted (the open-drain pin low) */
};

/* The levels on port p's pins. */
static uint8_t pins(const struct pca9555_state *s, unsigned p)
{
    unsigned cfg = s->regs[CFG0 + p];
    return (uint8_t)(((s->inputs >> 8 * p) & cfg) |
                     (s->regs[OUT0 + p] & ~cfg));
}

static void update_int(struct pca9555_state *s)
{
    s->int_active = false;
    for (unsigned p = 0; p < 2; p++)
        if ((pins(s, p) ^ s->seen[p]) & s->regs[CFG0 + p])
            s->int_active = true;
}

static uint16_t read_input(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                           uint16_t v)
{
    struct pca9555_state *s = d->state;
    unsigned p = r->addr; /* IN0 or IN1 */
    (void)v;
    s->seen[p] = pins(s, p);
    update_int(s);
    return s->seen[p] ^ s->regs[POL0 + p];
}

static enum i2cemu_result pca9555_event(struct i2cemu_dev *d,
                                        enum i2cemu_event ev)
{
    update_int(d->state);
    return i2cemu_regmap_event(d, ev);
}

static int pca9555_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct pca9555_state *s = d->state;
    uint16_t addr = i2cemu_dev_addr(d);

    if (addr < 0x20 || addr > 0x27) {
        i2cemu_error_set(err, "addr=0x%02x: a pca9555 answers at 0x20-0x27 "
                         "(A2-A0)", addr);
        return -1;
    }
    if (i2cemu_regmap_realize(d, err) < 0)
        return -1;
    s->seen[0] = pins(s, 0);
    s->seen[1] = pins(s, 1);
    return 0;
}

static const struct i2cemu_reg pca9555_regs[] = {
    [IN0] = { .name = "input0", .addr = 0, .read = read_input },
    [IN1] = { .name = "input1", .addr = 1, .read = read_input },
    [OUT0] = { .name = "output0", .addr = 2, .reset = 0xFF, .wmask = 0xFF },
    [OUT1] = { .name = "output1", .addr = 3, .reset = 0xFF, .wmask = 0xFF },
    [POL0] = { .name = "polarity0", .addr = 4, .wmask = 0xFF },
    [POL1] = { .name = "polarity1", .addr = 5, .wmask = 0xFF },
    [CFG0] = { .name = "config0", .addr = 6, .reset = 0xFF, .wmask = 0xFF },
    [CFG1] = { .name = "config1", .addr = 7, .reset = 0xFF, .wmask = 0xFF },
};

static const struct i2cemu_regmap pca9555_map = {
    I2CEMU_REGMAP_REGS(pca9555_regs),
    .pointer_mask = 0x07,
    .step = I2CEMU_REGMAP_INC,
    .wrap = 2, /* the other register of the pair */
    I2CEMU_REGMAP_STATE(struct pca9555_state, io, regs),
};

static const struct i2cemu_prop pca9555_props[] = {
    I2CEMU_PROP_UINT_("inputs", struct pca9555_state, inputs, 0xFFFF, 0,
                      0xFFFF, I2CEMU_PROP_RUNTIME | I2CEMU_PROP_HEX,
                      "levels driven onto the pins: bit n is IO0_n, bit "
                      "8+n IO1_n (pins configured as inputs)"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field pca9555_fields[] = {
    I2CEMU_REGMAP_FIELDS(struct pca9555_state, io, regs),
    I2CEMU_FIELD("seen", struct pca9555_state, seen, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("int", struct pca9555_state, int_active,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD_END,
};

static const char pca9555_doc[] =
    "Source: `src/devices/pca9555.c`, after the NXP PCA9555 datasheet\n"
    "(\"16-bit I2C-bus and SMBus I/O port with interrupt\": \"Registers\",\n"
    "\"Interrupt output\", \"Bus transactions\"). Addresses 0x20-0x27 (A2-A0);\n"
    "others are refused. It is the worked example of\n"
    "[writing-models.md](writing-models.md).\n"
    "\n"
    "Registers (8-bit), selected by the command byte (its three low bits; the\n"
    "others are ignored):\n"
    "\n"
    "| command | register | power on | access |\n"
    "|---|---|---|---|\n"
    "| 0, 1 | input port 0, 1 | the pins | read-only; writes are acknowledged and ignored |\n"
    "| 2, 3 | output port 0, 1 | 0xFF | read/write; reads return the latch |\n"
    "| 4, 5 | polarity inversion 0, 1 | 0x00 | read/write |\n"
    "| 6, 7 | configuration 0, 1 | 0xFF | read/write; 1: input, 0: output |\n"
    "\n"
    "* **Protocol.** The first byte of a write is the command byte. The eight\n"
    "  registers are four pairs: after each byte, read or written, the pointer\n"
    "  moves to the other register of its pair (0<->1, 2<->3, 4<->5, 6<->7),\n"
    "  for any number of bytes. So an SMBus word read of command 0\n"
    "  (`i2cget -y 1 0x20 0 w`) returns input port 0 in the low byte and port\n"
    "  1 in the high byte, and a word write fills a pair, as Linux's\n"
    "  `gpio-pca953x` expects.\n"
    "* **Pins.** A pin configured as an input reads its `inputs` bit (the\n"
    "  default 1 is what the pull-ups give); a pin configured as an output\n"
    "  reads its output latch. An input port reads its pins XOR its polarity\n"
    "  inversion register.\n"
    "* **INT** is asserted while a pin configured as an input differs from its\n"
    "  level when its port was last read, and released by reading that port\n"
    "  (reading the other one does not) or by the pin going back. The INT pin\n"
    "  is not modelled yet (models have no output lines); its state is the\n"
    "  device's state field `int`, evaluated at each bus event of the device\n"
    "  and each read of an input port.\n";

const struct i2cemu_device_type i2cemu_pca9555 = {
    .name = "pca9555",
    .family = "PCA9555",
    .doc = pca9555_doc,
    .help = "PCA9555 16-bit I/O expander with interrupt, at 0x20-0x27",
    .props = pca9555_props,
    .fields = pca9555_fields,
    .state_size = sizeof(struct pca9555_state),
    .realize = pca9555_realize,
    .event = pca9555_event,
    .send = i2cemu_regmap_send,
    .recv = i2cemu_regmap_recv,
    .regmap = &pca9555_map,
};
