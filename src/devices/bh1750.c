/* SPDX-License-Identifier: MIT */
/*
 * ROHM BH1750FVI ambient light sensor (Linux drivers/iio/light/bh1750.c:
 * `bh1750`). Datasheet "BH1750FVI" (ROHM, 2011.11 Rev.D): "Instruction Set
 * Architecture", "Measurement mode explanation", "Measurement sequence
 * example", "Adjust measurement result for influence of optical window"
 * (MTreg).
 *
 * No registers: each written byte is an opcode; a read returns the 16-bit
 * measurement result, high byte first. Power on: power down, MTreg 69,
 * result 0.
 */
#include <math.h>

#include "devices.h"

#define OP_POWER_DOWN 0x00
#define OP_POWER_ON   0x01
#define OP_RESET      0x07
#define OP_ONE_TIME   0x20 /* one-time modes: 0x20, 0x21, 0x23 */
#define MODE_H2       0x01 /* H-resolution mode 2 */
#define MODE_L        0x03 /* L-resolution mode */
#define MT_DEFAULT    69

#define NS_PER_MS 1000000ull

struct bh1750_state {
    double lux;        /* property: illuminance on the sensor */
    uint64_t start_ns; /* the measurement in progress began then */
    uint16_t result;   /* the data register */
    uint8_t mtreg;     /* measurement time register, 31-254 */
    uint8_t mode;      /* the measurement opcode in progress, or 0 */
    bool powered;
    uint8_t rpos;      /* bytes read in this message */
};

static bool valid_mode(uint8_t op)
{
    uint8_t hi = op & 0xF0, lo = op & 0x0F;
    return (hi == 0x10 || hi == OP_ONE_TIME) &&
           (lo == 0 || lo == MODE_H2 || lo == MODE_L);
}

/* Measurement time: typ. 120 ms (H, H2) and 16 ms (L) at MTreg 69,
 * proportional to MTreg (the typical figures Linux's 1740 µs per MTreg
 * step waits for). */
static uint64_t meas_ns(const struct bh1750_state *s)
{
    uint64_t typ = (s->mode & 0x0F) == MODE_L ? 16 : 120;
    return typ * NS_PER_MS * s->mtreg / MT_DEFAULT;
}

/* "Measurement mode explanation" inverted: lux = count / 1.2 * (69 /
 * MTreg), and half of that in H-resolution mode 2 (0.5 lx per count). */
static uint16_t count_of(const struct bh1750_state *s)
{
    double c = floor(s->lux * 1.2 * s->mtreg / MT_DEFAULT *
                     ((s->mode & 0x0F) == MODE_H2 ? 2 : 1));
    return (uint16_t)(c > 65535 ? 65535 : c);
}

/* Catch up with the measurement in progress: a continuous mode updates
 * the result after each measurement time, a one-time mode once, and then
 * powers down. */
static void sync(struct i2cemu_dev *d)
{
    struct bh1750_state *s = d->state;
    if (!s->mode)
        return;
    if (i2cemu_dev_honours_busy_times(d) &&
        i2cemu_dev_now(d) - s->start_ns < meas_ns(s))
        return;
    s->result = count_of(s);
    if (s->mode & OP_ONE_TIME) {
        s->mode = 0;
        s->powered = false;
    }
}

static enum i2cemu_result bh1750_event(struct i2cemu_dev *d,
                                       enum i2cemu_event ev)
{
    struct bh1750_state *s = d->state;
    if (ev == I2CEMU_EV_START_SEND || ev == I2CEMU_EV_START_RECV) {
        sync(d);
        s->rpos = 0;
    }
    return I2CEMU_ACK;
}

static enum i2cemu_result bh1750_send(struct i2cemu_dev *d, uint8_t op)
{
    struct bh1750_state *s = d->state;
    sync(d);
    if (op == OP_POWER_DOWN) {
        s->powered = false;
        s->mode = 0;
    } else if (op == OP_POWER_ON) {
        s->powered = true;
    } else if (op == OP_RESET) {
        if (s->powered) /* "not acceptable in Power Down mode" */
            s->result = 0;
    } else if (valid_mode(op)) {
        s->powered = true;
        s->mode = op;
        s->start_ns = i2cemu_dev_now(d);
    } else if ((op & 0xF8) == 0x40) { /* 01000_MT[7:5] */
        s->mtreg = (uint8_t)((s->mtreg & 0x1F) | (op & 0x07) << 5);
    } else if ((op & 0xE0) == 0x60) { /* 011_MT[4:0] */
        s->mtreg = (uint8_t)((s->mtreg & 0xE0) | (op & 0x1F));
    }
    /* Other opcodes are not in the instruction set: ignored. */
    return I2CEMU_ACK;
}

static uint8_t bh1750_recv(struct i2cemu_dev *d)
{
    struct bh1750_state *s = d->state;
    uint8_t pos = s->rpos < 2 ? s->rpos++ : 2;
    return pos == 0 ? (uint8_t)(s->result >> 8)
                    : pos == 1 ? (uint8_t)s->result : 0xFF;
}

static int bh1750_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct bh1750_state *s = d->state;
    uint16_t addr = i2cemu_dev_addr(d);
    if (addr != 0x23 && addr != 0x5C) {
        i2cemu_error_set(err, "addr=0x%02x: a bh1750 answers at 0x23 (ADDR "
                         "low) or 0x5c (ADDR high)", addr);
        return -1;
    }
    s->mtreg = MT_DEFAULT;
    return 0;
}

static const struct i2cemu_prop bh1750_props[] = {
    I2CEMU_PROP_FLOAT_("lux", struct bh1750_state, lux, 100.0, 0.0, 100000.0,
                       I2CEMU_PROP_RUNTIME, "illuminance in lx"),
    I2CEMU_PROP_END,
};

#define FIELD(name) I2CEMU_FIELD(#name, struct bh1750_state, name,            \
                                 I2CEMU_FIELD_RUNTIME)
static const struct i2cemu_field bh1750_fields[] = {
    FIELD(start_ns), FIELD(result), FIELD(mtreg), FIELD(mode), FIELD(powered),
    FIELD(rpos),
    I2CEMU_FIELD_END,
};

static const char bh1750_doc[] =
    "ROHM BH1750FVI (datasheet Rev.D: \"Instruction Set Architecture\", "
    "\"Measurement mode explanation\", \"Measurement sequence example\", "
    "\"Adjust measurement result for influence of optical window\"), as "
    "Linux's `bh1750` driver drives it. No registers: every byte written "
    "is an opcode, and a read returns the 16-bit result, high byte first "
    "(bytes past the second read 0xFF).\n\n"
    "| opcode | instruction |\n"
    "|---|---|\n"
    "| 0x00 | power down (stops a continuous mode) |\n"
    "| 0x01 | power on |\n"
    "| 0x07 | reset: the result to 0; ignored in power down |\n"
    "| 0x10, 0x11, 0x13 | continuous H, H2, L-resolution mode |\n"
    "| 0x20, 0x21, 0x23 | one-time H, H2, L-resolution mode: one "
    "measurement, then power down |\n"
    "| 0x40-0x47 | MTreg[7:5] |\n"
    "| 0x60-0x7f | MTreg[4:0] |\n\n"
    "Power on: power down, MTreg 69, result 0. The result is `lux` x 1.2 x "
    "MTreg / 69 (twice that in H2 mode), truncated, at most 65535; it is "
    "updated when a measurement ends: 120 ms (H, H2) or 16 ms (L) x "
    "MTreg / 69 after the command on the VIRTUAL and REALTIME clocks (the "
    "datasheet's typical times, which Linux waits for), at once on the "
    "FAST clock. Until then a read returns the previous result. A "
    "continuous mode's later results follow `lux` as it is when read.\n\n"
    "Not modelled: the L mode's coarser 4 lx resolution (its count is "
    "computed like H mode's), the maximum (rather than typical) "
    "measurement times, the DVI reset pin. Other opcodes are acknowledged "
    "and ignored. Addresses: 0x23 (ADDR low) or 0x5c (ADDR high).\n";

const struct i2cemu_device_type i2cemu_bh1750 = {
    .name = "bh1750",
    .family = "BH1750 ambient light sensor",
    .doc = bh1750_doc,
    .help = "BH1750FVI ambient light sensor, opcodes, at 0x23 or 0x5c",
    .props = bh1750_props,
    .fields = bh1750_fields,
    .state_size = sizeof(struct bh1750_state),
    .realize = bh1750_realize,
    .event = bh1750_event,
    .send = bh1750_send,
    .recv = bh1750_recv,
};
