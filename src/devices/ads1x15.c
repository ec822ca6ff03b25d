/* SPDX-License-Identifier: MIT */
/*
 * TI ADS1015 (12-bit) and ADS1115 (16-bit) ADCs with PGA, mux and
 * comparator, as register maps (i2cemu/regmap.h). Datasheets: ADS1015
 * SBAS473, ADS1115 SBAS444: 9.3 "Feature Description" (multiplexer, PGA,
 * digital comparator, conversion ready pin), 9.4 "Device Functional
 * Modes" (reset and power-up, single-shot, continuous), 9.5.1.2 "General
 * Call", 9.6 "Register Map".
 *
 * Four 16-bit registers behind P1-P0 (the upper pointer bits are ignored),
 * high byte first; a write takes effect when both bytes are in, and the
 * pointer does not step. The inputs are the ain0-ain3 properties (V).
 *
 * Conversions take 1/DR on a paced clock. On the FAST clock a continuous
 * conversion completes at each access to the part and each change of an
 * input, and a single-shot at once. State is brought up to date lazily at
 * each bus event and change, and by a timer at the end of a conversion
 * while the ALERT/RDY pin may change.
 */
#include <math.h>
#include <stdlib.h>

#include <i2cemu/board.h>
#include <i2cemu/regmap.h>

#include "devices.h"

enum { CONV, CONF, LO, HI, NREGS };

#define OS        0x8000u
#define MODE      0x0100u /* 1: single-shot / power-down */
#define COMP_MODE 0x0010u /* 1: window */
#define COMP_POL  0x0008u /* 1: active high */
#define COMP_LAT  0x0004u
#define COMP_QUE  0x0003u /* 3: comparator off, pin high-impedance */

struct ads1x15_state {
    double ain[4]; /* properties, V */
    bool alert;    /* property, read-only: the ALERT/RDY pin's level */
    struct i2cemu_regmap_state io;
    uint16_t regs[NREGS];   /* the configuration without OS */
    uint64_t t0_ns;         /* single-shot or continuous start */
    uint64_t done;          /* continuous conversions accounted for */
    uint8_t queue;          /* consecutive conversions past a threshold */
    bool converting;        /* a single-shot conversion runs */
    bool comp;              /* the comparator is asserted */
    bool rdy;               /* conversion ready (single-shot) */
    uint8_t gcall;          /* 1: general call, its first byte next */
};

/* A timer that brings the conversions up to date at the end of the next
 * one while the ALERT/RDY pin may change then, so that the pin moves on
 * a paced clock with nobody reading the part. */
struct ads1x15_priv {
    struct i2cemu_timer timer;
    struct i2cemu_board *board;
    unsigned index;
};

static bool is_1115(const struct i2cemu_dev *d)
{
    return i2cemu_device_type_of(d->board, d->index) == &i2cemu_ads1115;
}

static uint64_t conv_ns(const struct i2cemu_dev *d,
                        const struct ads1x15_state *s)
{
    static const unsigned sps1015[8] = { 128, 250, 490, 920,
                                         1600, 2400, 3300, 3300 };
    static const unsigned sps1115[8] = { 8, 16, 32, 64, 128, 250, 475, 860 };
    unsigned dr = s->regs[CONF] >> 5 & 7;
    unsigned sps = is_1115(d) ? sps1115[dr] : sps1015[dr];
    if (!i2cemu_dev_honours_busy_times(d))
        return 0;
    return (1000000000ull + sps - 1) / sps;
}

/* Conversion-ready mode: Hi_thresh MSB 1, Lo_thresh MSB 0. */
static bool rdy_mode(const struct ads1x15_state *s)
{
    return (s->regs[HI] & 0x8000) && !(s->regs[LO] & 0x8000);
}

/* The open-drain ALERT/RDY pin: released (1) while inactive, unless
 * COMP_POL makes it active high; high-impedance with COMP_QUE = 11. */
static void update_pin(struct i2cemu_dev *d, struct ads1x15_state *s,
                       bool asserted)
{
    unsigned c = s->regs[CONF];
    s->alert = (c & COMP_QUE) == COMP_QUE || asserted == !!(c & COMP_POL);
    i2cemu_dev_line_set(d, 0, s->alert);
}

static void pin(struct i2cemu_dev *d, struct ads1x15_state *s)
{
    update_pin(d, s, rdy_mode(s) ? s->rdy : s->comp);
}

/* The input the mux selects, converted: rounded, saturated at the
 * codes' limits, left-justified for the 12-bit ADS1015. */
static uint16_t sample(const struct i2cemu_dev *d,
                       const struct ads1x15_state *s)
{
    static const double fs[8] = { 6.144, 4.096, 2.048, 1.024,
                                  0.512, 0.256, 0.256, 0.256 };
    static const signed char pos[8] = { 0, 0, 1, 2, 0, 1, 2, 3 };
    static const signed char neg[8] = { 1, 3, 3, 3, -1, -1, -1, -1 };
    unsigned c = s->regs[CONF], mux = c >> 12 & 7;
    double v = s->ain[pos[mux]] - (neg[mux] < 0 ? 0.0 : s->ain[neg[mux]]);
    unsigned bits = is_1115(d) ? 16 : 12;
    double lim = ldexp(1.0, (int)bits - 1);
    double q = round(v / fs[c >> 9 & 7] * lim);
    q = q < -lim ? -lim : q > lim - 1 ? lim - 1 : q;
    return (uint16_t)((uint32_t)(int32_t)q << (16 - bits));
}

/* `n` conversions of the present input (n > 1: a paced clock that ran
 * several while nobody looked). */
static void convert(struct i2cemu_dev *d, struct ads1x15_state *s,
                    uint64_t n)
{
    static const uint8_t need[3] = { 1, 2, 4 };
    unsigned c = s->regs[CONF];
    int16_t v = (int16_t)(s->regs[CONV] = sample(d, s));
    int16_t lo = (int16_t)s->regs[LO], hi = (int16_t)s->regs[HI];

    if (rdy_mode(s)) {
        if (c & MODE) {
            s->rdy = true;
        } else { /* continuous: a short pulse per conversion */
            update_pin(d, s, true);
            update_pin(d, s, false);
        }
    } else if ((c & COMP_QUE) != COMP_QUE) {
        bool beyond = v > hi || ((c & COMP_MODE) && v < lo);
        bool back = (c & COMP_MODE) ? !beyond : v < lo;
        if (beyond) {
            s->queue = (uint8_t)(s->queue + (n < 4 ? n : 4));
            if (s->queue > 4)
                s->queue = 4;
            if (s->queue >= need[c & COMP_QUE])
                s->comp = true;
        } else {
            s->queue = 0;
            if (back && !(c & COMP_LAT))
                s->comp = false;
        }
    }
    pin(d, s);
}

static void arm(struct i2cemu_dev *d, const struct ads1x15_state *s);

static void sync(struct i2cemu_dev *d, struct ads1x15_state *s)
{
    uint64_t t = conv_ns(d, s), now = i2cemu_dev_now(d);
    if (s->regs[CONF] & MODE) {
        if (s->converting && now >= s->t0_ns + t) {
            s->converting = false;
            convert(d, s, 1);
        }
    } else {
        uint64_t n = t ? (now - s->t0_ns) / t : s->done + 1;
        if (n > s->done) {
            convert(d, s, n - s->done);
            s->done = n;
        }
    }
    arm(d, s);
}

static void arm(struct i2cemu_dev *d, const struct ads1x15_state *s)
{
    struct ads1x15_priv *p = d->priv;
    uint64_t t = conv_ns(d, s);
    unsigned c = s->regs[CONF];

    if (!p)
        return;
    if (!t || (c & COMP_QUE) == COMP_QUE || ((c & MODE) && !s->converting))
        i2cemu_timer_stop(i2cemu_dev_loop(d), &p->timer);
    else
        i2cemu_timer_start(i2cemu_dev_loop(d), &p->timer,
                           s->t0_ns + ((c & MODE) ? 1 : s->done + 1) * t);
}

static void fire(struct i2cemu_timer *tm)
{
    struct ads1x15_priv *p = tm->opaque;
    struct i2cemu_dev d = { .board = p->board, .index = p->index,
                            .state = i2cemu_device_state(p->board, p->index),
                            .priv = p };
    sync(&d, d.state);
}

static void reset(struct i2cemu_dev *d, struct ads1x15_state *s)
{
    const struct i2cemu_regmap *m = i2cemu_device_type_of(d->board,
                                                          d->index)->regmap;
    for (unsigned i = 0; i < m->nregs; i++)
        s->regs[i] = m->regs[i].reset;
    s->t0_ns = i2cemu_dev_now(d);
    s->done = 0;
    s->queue = 0;
    s->converting = s->comp = s->rdy = false;
    pin(d, s);
    arm(d, s);
}

/* OS reads 1 while no conversion runs: never in continuous mode. */
static uint16_t read_conf(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                          uint16_t v)
{
    struct ads1x15_state *s = d->state;
    (void)r;
    sync(d, s);
    return (v & MODE) && !s->converting ? (uint16_t)(v | OS) : v;
}

static uint16_t write_conf(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                           uint16_t old, uint16_t v)
{
    struct ads1x15_state *s = d->state;
    (void)r;
    (void)old;
    sync(d, s);
    s->regs[CONF] = v & (uint16_t)~OS;
    if (!(v & MODE)) { /* (re)start continuous conversions */
        s->converting = false;
        s->t0_ns = i2cemu_dev_now(d);
        s->done = 0;
    } else if ((v & OS) && !s->converting) { /* single-shot */
        s->converting = true;
        s->rdy = false;
        s->t0_ns = i2cemu_dev_now(d);
        sync(d, s);
    }
    pin(d, s);
    arm(d, s);
    return s->regs[CONF];
}

/* Reading the conversion clears a latched comparator. */
static uint16_t read_conv(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                          uint16_t v)
{
    struct ads1x15_state *s = d->state;
    (void)r;
    (void)v;
    sync(d, s);
    if (s->regs[CONF] & COMP_LAT) {
        s->comp = false;
        pin(d, s);
    }
    return s->regs[CONV];
}

static uint16_t write_thresh(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                             uint16_t old, uint16_t v)
{
    struct ads1x15_state *s = d->state;
    (void)old;
    s->regs[r->addr] = v; /* LO and HI sit at their addresses */
    pin(d, s);            /* entering or leaving conversion-ready mode */
    return v;
}

/* The general call (address 0): a second byte of 0x06 resets the part. */
static enum i2cemu_result ads1x15_event(struct i2cemu_dev *d,
                                        enum i2cemu_event ev)
{
    struct ads1x15_state *s = d->state;
    s->gcall = ev == I2CEMU_EV_START_SEND && i2cemu_dev_start_addr(d) == 0;
    sync(d, s);
    return s->gcall ? I2CEMU_ACK : i2cemu_regmap_event(d, ev);
}

static enum i2cemu_result ads1x15_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct ads1x15_state *s = d->state;
    if (!s->gcall)
        return i2cemu_regmap_send(d, byte);
    if (s->gcall == 1 && byte == 0x06)
        reset(d, s);
    s->gcall = 2; /* later bytes are acknowledged and ignored */
    return I2CEMU_ACK;
}

static void ads1x15_changed(struct i2cemu_dev *d, const struct i2cemu_prop *p)
{
    (void)p;
    sync(d, d->state);
}

static int ads1x15_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    uint16_t addr = i2cemu_dev_addr(d);
    if (addr < 0x48 || addr > 0x4B) {
        i2cemu_error_set(err, "addr=0x%02x: an %s answers at 0x48-0x4B "
                         "(ADDR to GND, VDD, SDA, SCL)", addr,
                         is_1115(d) ? "ads1115" : "ads1015");
        return -1;
    }
    if (i2cemu_regmap_realize(d, err) < 0)
        return -1;
    reset(d, d->state);
    struct ads1x15_priv *p = calloc(1, sizeof(*p));
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

static void ads1x15_unrealize(struct i2cemu_dev *d)
{
    struct ads1x15_priv *p = d->priv;
    if (!p)
        return;
    i2cemu_timer_stop(i2cemu_dev_loop(d), &p->timer);
    free(p);
    d->priv = NULL;
}

static const struct i2cemu_reg ads1x15_regs[] = {
    [CONV] = { .name = "conversion", .addr = CONV, .width = 16,
               .read = read_conv },
    /* Stored without OS, which reads 1 at power on: 0x8583. */
    [CONF] = { .name = "config", .addr = CONF, .width = 16,
               .flags = I2CEMU_REG_WHOLE, .reset = 0x0583, .wmask = 0xFFFF,
               .read = read_conf, .write = write_conf },
    [LO] = { .name = "lo_thresh", .addr = LO, .width = 16,
             .flags = I2CEMU_REG_WHOLE, .reset = 0x8000, .wmask = 0xFFFF,
             .write = write_thresh },
    [HI] = { .name = "hi_thresh", .addr = HI, .width = 16,
             .flags = I2CEMU_REG_WHOLE, .reset = 0x7FFF, .wmask = 0xFFFF,
             .write = write_thresh },
};

static const struct i2cemu_regmap ads1x15_map = {
    I2CEMU_REGMAP_REGS(ads1x15_regs),
    .pointer_mask = 0x03,
    .step = I2CEMU_REGMAP_HOLD,
    I2CEMU_REGMAP_STATE(struct ads1x15_state, io, regs),
};

#define AIN(n)                                                                \
    I2CEMU_PROP_FLOAT_("ain" #n, struct ads1x15_state, ain[n], 0.0, -0.3,     \
                       5.8, I2CEMU_PROP_RUNTIME,                              \
                       "voltage at AIN" #n " against GND in V")

static const struct i2cemu_prop ads1x15_props[] = {
    AIN(0), AIN(1), AIN(2), AIN(3),
    I2CEMU_PROP_BOOL_("alert", struct ads1x15_state, alert, true,
                      I2CEMU_PROP_READONLY,
                      "the ALERT/RDY pin's level (open drain: 1 when "
                      "released, unless COMP_POL)"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field ads1x15_fields[] = {
    I2CEMU_REGMAP_FIELDS(struct ads1x15_state, io, regs),
    I2CEMU_FIELD("t0_ns", struct ads1x15_state, t0_ns, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("done", struct ads1x15_state, done, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("queue", struct ads1x15_state, queue, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("converting", struct ads1x15_state, converting,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("comp", struct ads1x15_state, comp, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("rdy", struct ads1x15_state, rdy, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("gcall", struct ads1x15_state, gcall, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD_END,
};

static const char *const ads1x15_lines[] = { "alert", NULL };

static const char ads1x15_doc[] =
    "Source: `src/devices/ads1x15.c`, after the TI ADS1015 (SBAS473) and "
    "ADS1115\n"
    "(SBAS444) datasheets: 9.3 \"Feature Description\", 9.4 \"Device "
    "Functional\n"
    "Modes\", 9.5.1.2 \"General Call\", 9.6 \"Register Map\". Addresses "
    "0x48-0x4B.\n"
    "\n"
    "| P | register | power on | notes |\n"
    "|---|---|---|---|\n"
    "| 0 | conversion | 0x0000 | read-only; ADS1115: 16 bits, ADS1015: 12 "
    "bits left-justified (D3-D0 read 0) |\n"
    "| 1 | config | 0x8583 | OS MUX2-0 PGA2-0 MODE DR2-0 COMP_MODE COMP_POL "
    "COMP_LAT COMP_QUE1-0 |\n"
    "| 2 | Lo_thresh | 0x8000 | |\n"
    "| 3 | Hi_thresh | 0x7FFF | |\n"
    "\n"
    "* **Protocol.** The pointer's P1-P0 select the register (the upper bits\n"
    "  are ignored); 16-bit registers, high byte first, written when both "
    "bytes\n"
    "  are in; the pointer does not step. `i2cget ... w` shows the low byte\n"
    "  first: the config reads 0x8385.\n"
    "* **Conversion.** MUX selects AIN0-AIN1, AIN0-AIN3, AIN1-AIN3, "
    "AIN2-AIN3\n"
    "  or AIN0..AIN3 against GND; PGA the full scale (6.144, 4.096, 2.048, "
    "1.024,\n"
    "  0.512, 0.256 V). The code is the input / FS x 2^15 (ADS1015: x 2^11,\n"
    "  shifted left 4), rounded, saturated at 0x7FFF/0x8000 (ADS1015:\n"
    "  0x7FF0/0x8000).\n"
    "* **Modes.** Single-shot (MODE=1, power on): writing OS=1 starts one\n"
    "  conversion; OS reads 0 during it and 1 after, and the part powers "
    "down.\n"
    "  Continuous (MODE=0): a conversion every 1/DR from the config write; OS\n"
    "  reads 0 (\"performing a conversion\"). A conversion takes 1/DR\n"
    "  (ADS1015: 128-3300 SPS, ADS1115: 8-860 SPS) on a paced clock. On the\n"
    "  FAST clock a single-shot completes at once, and a continuous conversion\n"
    "  at each access to the part and each change of an input.\n"
    "* **Comparator** (COMP_QUE != 11): traditional asserts after 1, 2 or 4\n"
    "  (COMP_QUE 00, 01, 10) consecutive conversions above Hi_thresh and\n"
    "  releases below Lo_thresh; window asserts above Hi_thresh or below\n"
    "  Lo_thresh and releases inside.\n"
    "  Latching (COMP_LAT) holds it until the conversion register is read.\n"
    "  **Conversion ready** (Hi_thresh MSB 1, Lo_thresh MSB 0): single-shot\n"
    "  asserts the pin at the end of the conversion until the next start;\n"
    "  continuous pulses it (two line changes) per conversion. The `alert` "
    "line\n"
    "  and read-only property are the open-drain pin's level: 1 (released) "
    "while\n"
    "  inactive or with COMP_QUE = 11, 0 when asserted; COMP_POL=1 inverts "
    "it.\n"
    "  On a paced clock it moves at the end of the conversion, with nobody\n"
    "  reading the part.\n"
    "* **General call.** A write to address 0x00 whose first byte is 0x06\n"
    "  resets the part (all registers, power-down), as 9.5.1.2 says; other\n"
    "  general-call bytes are acknowledged and ignored.\n"
    "* **Not modelled:** noise and offset, the input range limits beyond\n"
    "  the codes, the SMBus alert response, the 8 us pulse width.\n";

const struct i2cemu_device_type i2cemu_ads1015 = {
    .name = "ads1015",
    .help = "ADS1015 12-bit ADC, 4 inputs, PGA, comparator, at 0x48-0x4B",
    .family = "ADS1015, ADS1115 ADCs",
    .doc = ads1x15_doc,
    .props = ads1x15_props,
    .fields = ads1x15_fields,
    .state_size = sizeof(struct ads1x15_state),
    .flags = I2CEMU_TYPE_GENERAL_CALL,
    .lines = ads1x15_lines,
    .changed = ads1x15_changed,
    .realize = ads1x15_realize,
    .unrealize = ads1x15_unrealize,
    .event = ads1x15_event,
    .send = ads1x15_send,
    .recv = i2cemu_regmap_recv,
    .regmap = &ads1x15_map,
};

const struct i2cemu_device_type i2cemu_ads1115 = {
    .name = "ads1115",
    .help = "ADS1115 16-bit ADC, 4 inputs, PGA, comparator, at 0x48-0x4B",
    .family = "ADS1015, ADS1115 ADCs",
    .props = ads1x15_props,
    .fields = ads1x15_fields,
    .state_size = sizeof(struct ads1x15_state),
    .flags = I2CEMU_TYPE_GENERAL_CALL,
    .lines = ads1x15_lines,
    .changed = ads1x15_changed,
    .realize = ads1x15_realize,
    .unrealize = ads1x15_unrealize,
    .event = ads1x15_event,
    .send = ads1x15_send,
    .recv = i2cemu_regmap_recv,
    .regmap = &ads1x15_map,
};
