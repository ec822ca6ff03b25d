/* SPDX-License-Identifier: MIT */
/*
 * NXP PCA954x I2C switches and multiplexers, Linux's i2c-mux-pca954x
 * (datasheets: PCA9548A "8-channel I2C-bus switch with reset", PCA9546A,
 * PCA9545A "4-channel I2C-bus switch with interrupt logic and reset",
 * PCA9547 "8-channel I2C-bus multiplexer with reset": "Control
 * register").
 *
 * One 8-bit control register, read and written with no command byte.
 * Switches: bit n connects channel n, any number at once; the PCA9545's
 * bits 7-4 read its INT3-INT0 inputs. The PCA9547 multiplexer: bits 2-0
 * select one channel, bit 3 enables it. Power on: 0, no channel.
 *
 * Each channel is a child bus, numbered as Linux numbers a mux's
 * adapters: /dev/i2c-N numbers after the highest bus's, in channel
 * order, or from `first_bus` on. A transfer on a channel first writes the control byte
 * that selects it, unless the register already holds it (the driver's
 * pca954x_select_chan), and then runs on the parent bus (the core's
 * select_channel contract, include/i2cemu/device.h).
 */
#include <stdio.h>
#include <string.h>

#include <i2cemu/board.h>

#include "devices.h"

enum { MAX_CHANNELS = 8 };

struct pca954x_state {
    int32_t first_bus; /* property: /dev/i2c-N of channel 0; -1: free */
    uint32_t irqs;     /* property (pca9545): INT3-INT0 inputs asserted */
    uint8_t ctrl;
    uint8_t nchans;
    uint8_t irq_mask; /* 0x0F on the pca9545, which has INT inputs */
    bool is_mux; /* PCA9547: a channel number and an enable bit */
    uint16_t child[MAX_CHANNELS]; /* bus index of each channel */
};

/* The control register value that connects channel c only. */
static uint8_t regval(const struct pca954x_state *s, unsigned c)
{
    return s->is_mux ? (uint8_t)(c | 0x08) : (uint8_t)(1u << c);
}

static bool connected(const struct pca954x_state *s, unsigned c)
{
    if (s->is_mux)
        return (s->ctrl & 0x08) && (s->ctrl & 0x07) == c;
    return s->ctrl & (1u << c);
}

static enum i2cemu_result pca954x_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct pca954x_state *s = d->state;
    /* Bits with no channel behind them (7-4 of the 4-channel parts and
     * of the PCA9547) are not stored; the PCA9545's read its INT inputs. */
    s->ctrl = (uint8_t)(byte & (s->is_mux ? 0x0F : (1u << s->nchans) - 1));
    return I2CEMU_ACK;
}

static uint8_t pca954x_recv(struct i2cemu_dev *d)
{
    struct pca954x_state *s = d->state;
    return (uint8_t)(s->ctrl | (s->irqs & s->irq_mask) << 4);
}

static bool pca954x_match(struct i2cemu_dev *d, uint16_t addr, bool tenbit,
                          bool broadcast, struct i2cemu_matches *m)
{
    const struct pca954x_state *s = d->state;
    unsigned before = m->n;
    if (!broadcast && !tenbit && addr == i2cemu_dev_addr(d))
        i2cemu_matches_add(m, d->index);
    /* A connected channel is wired to the parent: whatever answers there
     * answers here, with the other connected channels (wired-AND reads). */
    for (unsigned c = 0; c < s->nchans; c++)
        if (connected(s, c))
            i2cemu_bus_match(d->board, s->child[c], addr, tenbit, broadcast,
                             m);
    return m->n > before;
}

static bool pca954x_select(struct i2cemu_dev *d, unsigned child,
                           uint8_t *ctrl)
{
    const struct pca954x_state *s = d->state;
    for (unsigned c = 0; c < s->nchans; c++) {
        if (s->child[c] == child) {
            *ctrl = regval(s, c);
            return s->ctrl != *ctrl;
        }
    }
    return false;
}

static void pca954x_changed(struct i2cemu_dev *d, const struct i2cemu_prop *p)
{
    const struct pca954x_state *s = d->state;
    (void)p; /* only `irqs` is runtime */
    i2cemu_dev_line_set(d, 0, s->irqs & s->irq_mask);
}

static int realize(struct i2cemu_dev *d, const char *name, unsigned nchans,
                   bool is_mux, uint16_t hi, struct i2cemu_error *err)
{
    struct pca954x_state *s = d->state;
    uint16_t addr = i2cemu_dev_addr(d);
    if (addr < 0x70 || addr > hi) {
        i2cemu_error_set(err, "addr=0x%02x: a %s answers at 0x70-0x%02x",
                         addr, name, hi);
        return -1;
    }
    if (s->irqs && strcmp(name, "pca9545") != 0) {
        i2cemu_error_set(err, "irqs: a %s has no interrupt inputs (the "
                         "pca9545 has)", name);
        return -1;
    }
    s->nchans = (uint8_t)nchans;
    s->irq_mask = strcmp(name, "pca9545") == 0 ? 0x0F : 0;
    s->is_mux = is_mux;
    unsigned pbus = i2cemu_device_bus(d->board, d->index);
    int parent = i2cemu_bus_number(d->board, pbus);
    int base = s->first_bus;
    if (base < 0) {
        /* Linux numbers dynamic adapters after the highest static one. */
        base = 0;
        for (unsigned i = 0; i < i2cemu_bus_count(d->board); i++)
            if (i2cemu_bus_number(d->board, i) >= base)
                base = i2cemu_bus_number(d->board, i) + 1;
    }
    if (base + (int)nchans - 1 > 0xFFFF) {
        i2cemu_error_set(err, "channels from bus %d: bus numbers end at "
                         "65535", base);
        return -1;
    }
    for (unsigned c = 0; c < nchans; c++) {
        struct i2cemu_bus_config cfg = I2CEMU_BUS_CONFIG_DEFAULT;
        char bname[48];
        /* The adapter name Linux's i2c-mux core gives a channel; a
         * channel runs at its parent's speed. */
        snprintf(bname, sizeof bname, "i2c-%d-mux (chan_id %u)", parent, c);
        cfg.name = bname;
        cfg.number = base + (int)c;
        cfg.speed_hz = i2cemu_bus_speed_hz(d->board, pbus);
        int bus = i2cemu_dev_add_child_bus(d, &cfg, err);
        if (bus < 0)
            return -1;
        s->child[c] = (uint16_t)bus;
    }
    i2cemu_dev_line_set(d, 0, s->irqs & s->irq_mask);
    return 0;
}

/* The channel count bounds the loops over child[] and the shift that
 * makes a channel's bit (a count over 8 read past child[] and shifted by
 * 32 or more); is_mux and irq_mask say how ctrl and irqs read; child[]
 * holds the buses the board made for the channels, which a match walks.
 * All are the part's wiring: a snapshot must bring the device's own. */
static int check_part(struct i2cemu_dev *d, const void *state,
                      unsigned nchans, bool is_mux, unsigned irq_mask,
                      struct i2cemu_error *err)
{
    const struct pca954x_state *s = state;
    if (s->nchans != nchans || s->is_mux != is_mux ||
        s->irq_mask != irq_mask) {
        i2cemu_error_set(err, "nchans %u, is_mux %u, irq_mask 0x%02x: not "
                         "this part's (%u, %u, 0x%02x)", s->nchans,
                         (unsigned)s->is_mux, s->irq_mask, nchans,
                         (unsigned)is_mux, irq_mask);
        return -1;
    }
    for (unsigned c = 0; c < nchans; c++) {
        int bus = i2cemu_dev_child_bus(d, c);
        if (s->child[c] != bus) {
            i2cemu_error_set(err, "child[%u] is bus %u, the channel's is %d",
                             c, s->child[c], bus);
            return -1;
        }
    }
    return 0;
}

static int pca9548_state_check(struct i2cemu_dev *d, const void *state,
                               struct i2cemu_error *err)
{
    return check_part(d, state, 8, false, 0, err);
}

static int pca9546_state_check(struct i2cemu_dev *d, const void *state,
                               struct i2cemu_error *err)
{
    return check_part(d, state, 4, false, 0, err);
}

static int pca9545_state_check(struct i2cemu_dev *d, const void *state,
                               struct i2cemu_error *err)
{
    return check_part(d, state, 4, false, 0x0F, err);
}

static int pca9547_state_check(struct i2cemu_dev *d, const void *state,
                               struct i2cemu_error *err)
{
    return check_part(d, state, 8, true, 0, err);
}

static int pca9548_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    return realize(d, "pca9548", 8, false, 0x77, err);
}

static int pca9546_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    return realize(d, "pca9546", 4, false, 0x77, err);
}

static int pca9545_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    return realize(d, "pca9545", 4, false, 0x73, err);
}

static int pca9547_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    return realize(d, "pca9547", 8, true, 0x77, err);
}

static const struct i2cemu_prop pca954x_props[] = {
    I2CEMU_PROP_INT_("first_bus", struct pca954x_state, first_bus, -1, -1,
                     0xFFFF, 0,
                     "/dev/i2c-N number of channel 0, channel n being "
                     "first_bus+n; -1: after the highest bus number, as Linux"),
    I2CEMU_PROP_UINT_("irqs", struct pca954x_state, irqs, 0, 0, 0x0F,
                      I2CEMU_PROP_RUNTIME | I2CEMU_PROP_HEX,
                      "pca9545 only: INT3-INT0 inputs asserted (bit n: "
                      "channel n's INTn low), read in control bits 7-4"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field pca954x_fields[] = {
    I2CEMU_FIELD("ctrl", struct pca954x_state, ctrl, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("nchans", struct pca954x_state, nchans, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("irq_mask", struct pca954x_state, irq_mask,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("is_mux", struct pca954x_state, is_mux, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("child", struct pca954x_state, child, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD_END,
};

/* The PCA9545's INT output: the AND of its active-low INT inputs, so
 * asserted (1) while any of them is. The other parts have no INT pin. */
static const char *const pca9545_lines[] = {"int", NULL};

static const char pca954x_doc[] =
    "Source: `src/devices/pca954x.c`, after the NXP PCA9548A, PCA9546A,\n"
    "PCA9545A and PCA9547 datasheets (\"Control register\", \"Interrupt\n"
    "handling\"); the types are Linux `i2c-mux-pca954x` ids.\n"
    "\n"
    "| type | kind | channels | addresses | control register |\n"
    "|---|---|---|---|---|\n"
    "| pca9548 | switch | 8 | 0x70-0x77 | bit n connects channel n |\n"
    "| pca9546 | switch | 4 | 0x70-0x77 | bits 3-0; bits 7-4 read 0 |\n"
    "| pca9545 | switch | 4 | 0x70-0x73 | bits 3-0; bits 7-4 read INT3-INT0 |\n"
    "| pca9547 | multiplexer | 8 | 0x70-0x77 | bits 2-0 channel, bit 3 enable; 7-4 read 0 |\n"
    "\n"
    "* **Control register.** One byte, written and read with no command byte\n"
    "  (`i2cset -y 1 0x70 0x05`, `i2cget -y 1 0x70`; the Linux driver's\n"
    "  probe reads it with a plain byte read). Power on: 0, nothing\n"
    "  connected. Each written byte replaces it.\n"
    "* **Channels are buses.** Each channel is a child bus with its own\n"
    "  `/dev/i2c-N`, named `i2c-P-mux (chan_id C)` as Linux names a mux's\n"
    "  adapters (P: the parent's number), at the parent's speed;\n"
    "  `i2cdetect -l` lists it. Channel C\n"
    "  is `/dev/i2c-(first_bus+C)`, or, with `first_bus=-1` (the default),\n"
    "  `/dev/i2c-(M+1+C)` where M is the highest bus number when the mux is\n"
    "  created, as Linux numbers dynamic adapters (mux channels) after the\n"
    "  static ones. A board file puts devices behind a\n"
    "  channel with `bus=N`, the channel's number (after the mux's line).\n"
    "* **Transfers on a channel** run as Linux's i2c-mux core runs them: with\n"
    "  the parent bus held, the mux's select writes the control byte that\n"
    "  connects that channel only (1 << C; C | 0x08 for the PCA9547), unless\n"
    "  the register already holds it, a transfer of its own (START, the mux's address, the byte, STOP; in the\n"
    "  channel's trace); then the messages go out on the parent bus. A\n"
    "  NACKed control write fails the transfer with the parent adapter's\n"
    "  errno. Channels are left connected afterwards (the driver's default\n"
    "  idle state); a channel of a mux behind another mux selects the outer\n"
    "  one first. (Linux's driver skips the write when its cached copy of\n"
    "  the register matches; the model compares with the register itself,\n"
    "  which differs only if a program wrote the register by hand.)\n"
    "* **Several channels at once** (a switch with several bits set, by a\n"
    "  write on the parent bus): the connected channels are one wire with the\n"
    "  parent bus. A device behind any of them answers on the parent bus and\n"
    "  on every connected channel; two devices at one address both take every\n"
    "  written byte and both ACK, and a read gets their bytes wired-AND, as on\n"
    "  the real bus.\n"
    "* **The mux's own address** answers on its channels too (they share\n"
    "  the wire), so `i2cdetect` of a channel shows it. Linux's driver\n"
    "  claims it, so i2c-dev refuses it (`EBUSY`, `UU` in `i2cdetect`) on the\n"
    "  parent and every channel: add `claim=driver` to the mux's line for\n"
    "  that.\n"
    "* **Interrupts (pca9545).** The runtime property `irqs` is the INT3-INT0\n"
    "  inputs (bit n set: channel n's INT asserted); they read in control\n"
    "  bits 7-4, and the output line `int` is asserted while any is.\n"
    "* **Not modelled:** the RESET pin (a board's way out of a stuck\n"
    "  channel), the idle-disconnect option (`i2c-mux-idle-disconnect`:\n"
    "  deselect after each transfer), channel voltage translation.\n";

#define PCA954X(id, help_, lines_)                                                    \
    const struct i2cemu_device_type i2cemu_##id = {                           \
        .name = #id,                                                          \
        .family = "PCA954x I2C switches and multiplexers",                    \
        .doc = pca954x_doc,                                                   \
        .help = help_,                                                        \
        .props = pca954x_props,                                               \
        .fields = pca954x_fields,                                             \
        .state_size = sizeof(struct pca954x_state),                           \
        .lines = lines_,                                               \
        .changed = pca954x_changed,                                           \
        .realize = id##_realize,                                              \
        .state_check = id##_state_check,                                      \
        .send = pca954x_send,                                                 \
        .recv = pca954x_recv,                                                 \
        .match = pca954x_match,                                               \
        .select_channel = pca954x_select,                                     \
    }

PCA954X(pca9548, "PCA9548A 8-channel I2C switch, at 0x70-0x77", NULL);
PCA954X(pca9546, "PCA9546A 4-channel I2C switch, at 0x70-0x77", NULL);
PCA954X(pca9545, "PCA9545A 4-channel I2C switch with interrupt inputs, at "
        "0x70-0x73", pca9545_lines);
PCA954X(pca9547, "PCA9547 8-channel I2C multiplexer, at 0x70-0x77", NULL);
