/* SPDX-License-Identifier: MIT */
/*
 * Sensirion SHT3x-DIS humidity and temperature sensors and the STS3x-DIS
 * temperature sensors (Linux drivers/hwmon/sht3x.c: `sht3x`, `sts3x`).
 *
 * Not a register chip: the master writes 16-bit commands, MSB first and
 * without CRC, and reads the answer of the last command as 16-bit words,
 * each followed by its CRC-8 (poly 0x31, init 0xFF). SHT3x-DIS datasheet
 * sections 4.3 (single shot), 4.5-4.6 (periodic mode, fetch data), 4.7
 * (ART), 4.8 (break), 4.9 (reset, general call), 4.10 (heater), 4.11
 * (status), 4.12 (checksum), 4.13 (conversion); table 4 (timing); the
 * "Alert Mode of SHT3x- and STS3x-DIS" application note (limits).
 *
 * Clock stretching: the part holds SCL after the read header until the
 * measurement is done. The slave API stretches only a written byte
 * (send_async), so the model holds the ACK of the command's second byte
 * instead: the master waits the same measurement time, and its read then
 * finds the data.
 */
#include <math.h>
#include <stdlib.h>

#include <i2cemu/board.h>
#include <i2cemu/device.h>

#include "devices.h"

#define NS_PER_MS 1000000ull
#define RESET_NS (3 * NS_PER_MS / 2) /* table 4: soft reset, 1.5 ms max */

#define ST_ALERT_PENDING 0x8000
#define ST_HEATER        0x2000
#define ST_RH_ALERT      0x0800
#define ST_T_ALERT       0x0400
#define ST_RESET         0x0010
#define ST_CMD_FAILED    0x0002
#define ST_WRITE_CRC     0x0001
#define ST_POWER_ON      (ST_ALERT_PENDING | ST_RESET)
#define ST_CLEARABLE     (ST_ALERT_PENDING | ST_RH_ALERT | ST_T_ALERT | ST_RESET)

/* What a read header gets: the answer to the last command. */
enum { ANS_NONE, ANS_MEASURE, ANS_FETCH, ANS_STATUS, ANS_LIMIT };
enum { MODE_SINGLE, MODE_PERIODIC };
/* The four alert limits, in the order of the app note's table 1. */
enum { LIM_HIGH_SET, LIM_HIGH_CLEAR, LIM_LOW_CLEAR, LIM_LOW_SET, NLIMITS };
static const uint16_t limit_reset[NLIMITS] = { 0xCD33, 0xC92D, 0x3869, 0x3466 };
static const uint8_t limit_cmd[NLIMITS] = { 0x1F, 0x14, 0x09, 0x02 }; /* 0xE1xx */
static const uint8_t limit_wcmd[NLIMITS] = { 0x1D, 0x16, 0x0B, 0x00 }; /* 0x61xx */

struct sht3x_state {
    double temperature;       /* property, °C */
    uint64_t busy_until_ns;   /* a reset: headers are NACKed until then */
    uint64_t meas_end_ns;     /* single shot: the data is ready then */
    uint64_t periodic_start_ns, period_ns;
    uint64_t fetched;         /* periodic results fetched */
    uint64_t judged;          /* periodic results checked against limits */
    uint32_t meas_ns;         /* duration of the measurement in use */
    uint16_t status;
    uint16_t limits[NLIMITS];
    uint16_t cmd;             /* the command being received */
    uint16_t raw_t, raw_rh;   /* the measurement to be read */
    uint16_t wdata;           /* a limit being written */
    uint8_t nbytes;           /* bytes written in this message */
    uint8_t answer;           /* ANS_*: what the next read header gets */
    uint8_t limit;            /* ANS_LIMIT: which */
    uint8_t mode;
    uint8_t out[6], outlen, outpos;
    bool general_call;        /* this message went to address 0x00 */
    bool alerts[4];           /* T high, T low, RH high, RH low active */
    bool reset_alert;         /* ALERT since a reset, until clear status */
    double humidity;          /* property, %RH (SHT3x only: last member) */
};

/* Timers (not in the arena): a clock stretch's end, and the periodic
 * results' completion, which the ALERT pin follows. */
struct sht3x_priv {
    struct i2cemu_timer timer, tick;
    struct i2cemu_board *board;
    unsigned index;
};

static bool is_sts(const struct i2cemu_dev *d)
{
    return i2cemu_device_type_of(d->board, d->index) == &i2cemu_sts3x;
}

/* Section 4.13 inverted: T = -45 + 175 * S / 65535, RH = 100 * S / 65535. */
static uint16_t raw_of(double v, double lo, double span)
{
    double s = round((v - lo) * 65535.0 / span);
    return (uint16_t)(s < 0 ? 0 : s > 65535 ? 65535 : s);
}

static void sample(struct i2cemu_dev *d, struct sht3x_state *s)
{
    s->raw_t = raw_of(s->temperature, -45.0, 175.0);
    s->raw_rh = is_sts(d) ? 0 : raw_of(s->humidity, 0.0, 100.0);
}

static void put_word(struct sht3x_state *s, uint16_t w)
{
    uint8_t *p = &s->out[s->outlen];
    p[0] = (uint8_t)(w >> 8);
    p[1] = (uint8_t)w;
    p[2] = i2cemu_crc8(I2CEMU_CRC8_SENSIRION_POLY, I2CEMU_CRC8_SENSIRION_INIT,
                       p, 2);
    s->outlen = (uint8_t)(s->outlen + 3);
}

static void power_on(struct i2cemu_dev *d, struct sht3x_state *s)
{
    uint16_t mask = is_sts(d) ? 0x01FF : 0xFFFF; /* STS3x: T bits only */
    s->status = ST_POWER_ON;
    for (unsigned i = 0; i < NLIMITS; i++)
        s->limits[i] = limit_reset[i] & mask;
    for (unsigned i = 0; i < 4; i++)
        s->alerts[i] = false;
    s->reset_alert = true; /* app note 3: ALERT is high after resets */
    s->mode = MODE_SINGLE;
    s->answer = ANS_NONE;
    s->meas_end_ns = 0;
}

/* One quantity against its limits (app note figure 1), all in the reduced
 * format: `v` the value, hs/hc the high set/clear, lc/ls the low ones. */
static void judge(bool *high, bool *low, unsigned v, unsigned hs, unsigned hc,
                  unsigned lc, unsigned ls)
{
    if (v >= hs)
        *high = true;
    else if (v < hc)
        *high = false;
    if (v <= ls)
        *low = true;
    else if (v > lc)
        *low = false;
}

static void check_alerts(struct i2cemu_dev *d, struct sht3x_state *s)
{
    /* Each limit: RH in its 7 top bits, T in its 9 low ones. */
    const uint16_t *l = s->limits;
    unsigned t = s->raw_t >> 7, rh = s->raw_rh >> 9;
    judge(&s->alerts[0], &s->alerts[1], t, l[LIM_HIGH_SET] & 0x1FF,
          l[LIM_HIGH_CLEAR] & 0x1FF, l[LIM_LOW_CLEAR] & 0x1FF,
          l[LIM_LOW_SET] & 0x1FF);
    if (s->alerts[0] || s->alerts[1])
        s->status |= ST_T_ALERT | ST_ALERT_PENDING;
    if (is_sts(d))
        return;
    judge(&s->alerts[2], &s->alerts[3], rh, l[LIM_HIGH_SET] >> 9,
          l[LIM_HIGH_CLEAR] >> 9, l[LIM_LOW_CLEAR] >> 9, l[LIM_LOW_SET] >> 9);
    if (s->alerts[2] || s->alerts[3])
        s->status |= ST_RH_ALERT | ST_ALERT_PENDING;
}

/* Periodic mode: the results completed by now. */
static uint64_t completed(struct i2cemu_dev *d, const struct sht3x_state *s)
{
    uint64_t now = i2cemu_dev_now(d), first = s->periodic_start_ns + s->meas_ns;
    if (s->mode != MODE_PERIODIC || now < first)
        return 0;
    return (now - first) / s->period_ns + 1;
}

/* The ALERT pin: an active alert in periodic mode, or a reset not yet
 * acknowledged by clear status. */
static void update_alert(struct i2cemu_dev *d, const struct sht3x_state *s)
{
    bool active = false;
    for (unsigned i = 0; i < 4; i++)
        active |= s->alerts[i];
    i2cemu_dev_line_set(d, 0, s->reset_alert ||
                                  (active && s->mode == MODE_PERIODIC));
}

/* The alert mode watches each new periodic result; the tick timer wakes
 * it when the next one completes, so ALERT moves without bus traffic. */
static void sync_periodic(struct i2cemu_dev *d, struct sht3x_state *s)
{
    struct sht3x_priv *p = d->priv;
    uint64_t n = completed(d, s);
    if (n > s->judged) {
        s->judged = n;
        sample(d, s);
        check_alerts(d, s);
    }
    update_alert(d, s);
    if (s->mode != MODE_PERIODIC) {
        i2cemu_timer_stop(i2cemu_dev_loop(d), &p->tick);
        return;
    }
    i2cemu_timer_start(i2cemu_dev_loop(d), &p->tick,
                       s->periodic_start_ns + s->meas_ns + n * s->period_ns);
}

static void tick(struct i2cemu_timer *t)
{
    struct sht3x_priv *p = t->opaque;
    struct i2cemu_dev d = { .board = p->board, .index = p->index,
                            .state = i2cemu_device_state(p->board, p->index),
                            .priv = p };
    sync_periodic(&d, d.state);
}

static uint32_t ms_to_ns(double ms)
{
    return (uint32_t)(ms * NS_PER_MS);
}

/* Table 4, measurement duration (max) for high, medium, low repeatability. */
static uint32_t duration_ns(const struct i2cemu_dev *d, unsigned rep)
{
    static const uint8_t max_ms[] = { 15, 6, 4 };
    return i2cemu_dev_honours_busy_times(d) ? ms_to_ns(max_ms[rep]) : 0;
}

/* Table 9 (single shot): LSB per repeatability, stretching on/off. */
static int single_shot_rep(uint16_t cmd)
{
    static const uint16_t cmds[] = { 0x2C06, 0x2C0D, 0x2C10,
                                     0x2400, 0x240B, 0x2416 };
    for (unsigned i = 0; i < 6; i++)
        if (cmds[i] == cmd)
            return (int)(i % 3);
    return -1;
}

/* Table 10 (periodic): MSB per rate, LSB per repeatability. */
static int periodic_cmd(uint16_t cmd, uint64_t *period_ns, unsigned *rep)
{
    static const struct { uint8_t msb; uint16_t ms; uint8_t lsb[3]; } t[] = {
        { 0x20, 2000, { 0x32, 0x24, 0x2F } }, { 0x21, 1000, { 0x30, 0x26, 0x2D } },
        { 0x22, 500, { 0x36, 0x20, 0x2B } },  { 0x23, 250, { 0x34, 0x22, 0x29 } },
        { 0x27, 100, { 0x37, 0x21, 0x2A } },
    };
    if (cmd == 0x2B32) { /* ART: 4 Hz (section 4.7) */
        *period_ns = 250 * NS_PER_MS;
        *rep = 0;
        return 0;
    }
    for (unsigned i = 0; i < 5; i++)
        for (unsigned r = 0; r < 3; r++)
            if (cmd == (t[i].msb << 8 | t[i].lsb[r])) {
                *period_ns = t[i].ms * NS_PER_MS;
                *rep = r;
                return 0;
            }
    return -1;
}

static void reset(struct i2cemu_dev *d, struct sht3x_state *s)
{
    power_on(d, s);
    s->busy_until_ns = i2cemu_dev_now(d) +
                       (i2cemu_dev_honours_busy_times(d) ? RESET_NS : 0);
}

/* A complete 16-bit command. Returns the clock stretch it needs (ns), or
 * 0. Commands that need data (limit writes) wait for it. */
static uint64_t execute(struct i2cemu_dev *d, struct sht3x_state *s)
{
    uint16_t cmd = s->cmd;
    uint64_t period;
    unsigned rep;
    int r;
    bool periodic = s->mode == MODE_PERIODIC;

    /* Reading the status reports on the command before it. */
    if (cmd == 0xF32D) {
        s->answer = ANS_STATUS;
        return 0;
    }
    s->status &= (uint16_t)~ST_CMD_FAILED;
    s->answer = ANS_NONE;
    if ((r = single_shot_rep(cmd)) >= 0 && !periodic) {
        s->meas_ns = duration_ns(d, (unsigned)r);
        s->meas_end_ns = i2cemu_dev_now(d) + s->meas_ns;
        sample(d, s);
        s->answer = ANS_MEASURE;
        return cmd >> 8 == 0x2C ? s->meas_ns : 0;
    }
    if (periodic_cmd(cmd, &period, &rep) == 0 && !periodic) {
        s->mode = MODE_PERIODIC;
        s->period_ns = period;
        s->meas_ns = duration_ns(d, rep);
        s->periodic_start_ns = i2cemu_dev_now(d);
        s->fetched = s->judged = 0;
        return 0;
    }
    for (unsigned i = 0; i < NLIMITS; i++) {
        if (cmd == (0xE100 | limit_cmd[i])) {
            s->answer = ANS_LIMIT;
            s->limit = (uint8_t)i;
            return 0;
        }
        if (cmd == (0x6100 | limit_wcmd[i]))
            return 0;
    }
    switch (cmd) {
    case 0xE000: /* fetch data: periodic mode only */
        if (!periodic)
            break;
        s->answer = ANS_FETCH;
        return 0;
    case 0x3093: /* break: back to single shot, the alert mode off */
        s->mode = MODE_SINGLE;
        for (unsigned i = 0; i < 4; i++)
            s->alerts[i] = false;
        return 0;
    case 0x30A2: /* soft reset */
        reset(d, s);
        return 0;
    case 0x306D:
        s->status |= ST_HEATER;
        return 0;
    case 0x3066:
        s->status &= (uint16_t)~ST_HEATER;
        return 0;
    case 0x3041:
        s->status &= (uint16_t)~ST_CLEARABLE;
        s->reset_alert = false;
        return 0;
    }
    s->status |= ST_CMD_FAILED; /* invalid, or not in this mode */
    return 0;
}

/* Bytes 3-5 of a limit write: the limit, MSB first, and its CRC. */
static enum i2cemu_result write_limit(struct sht3x_state *s, unsigned n,
                                      uint8_t byte)
{
    unsigned i = 0;
    while (i < NLIMITS && s->cmd != (0x6100 | limit_wcmd[i]))
        i++;
    if (i == NLIMITS || n > 4)
        return I2CEMU_NACK; /* nothing more to take */
    if (n < 4) {
        s->wdata = (uint16_t)(s->wdata << 8 | byte);
        return I2CEMU_ACK;
    }
    uint8_t w[2] = { (uint8_t)(s->wdata >> 8), (uint8_t)s->wdata };
    if (i2cemu_crc8(I2CEMU_CRC8_SENSIRION_POLY, I2CEMU_CRC8_SENSIRION_INIT,
                    w, 2) == byte) {
        s->limits[i] = s->wdata;
        s->status &= (uint16_t)~ST_WRITE_CRC;
    } else {
        s->status |= ST_WRITE_CRC; /* the limit is kept */
    }
    return I2CEMU_ACK;
}

static void stretch_done(struct i2cemu_timer *t)
{
    struct sht3x_priv *p = t->opaque;
    struct i2cemu_dev d = { .board = p->board, .index = p->index };
    i2cemu_dev_ack(&d, I2CEMU_ACK);
}

static void sht3x_send_async(struct i2cemu_dev *d, uint8_t byte)
{
    struct sht3x_state *s = d->state;
    unsigned n = s->nbytes++;
    enum i2cemu_result r = I2CEMU_ACK;
    uint64_t stretch = 0;

    if (s->general_call) {
        /* Section 4.9: the general call reset, 0x06. */
        if (n == 0 && byte == 0x06)
            reset(d, s);
        else
            r = I2CEMU_NACK;
    } else if (n == 0) {
        s->cmd = (uint16_t)(byte << 8);
    } else if (n == 1) {
        s->cmd |= byte;
        stretch = execute(d, s);
    } else {
        r = write_limit(s, n, byte);
    }
    sync_periodic(d, s); /* the mode or the alert may have changed */
    if (!stretch) {
        i2cemu_dev_ack(d, r);
        return;
    }
    struct sht3x_priv *p = d->priv;
    i2cemu_timer_start(i2cemu_dev_loop(d), &p->timer,
                       i2cemu_dev_now(d) + stretch);
}

/* A read header: ACK it and prepare the answer, or NACK (no data yet). */
static enum i2cemu_result start_read(struct i2cemu_dev *d,
                                     struct sht3x_state *s)
{
    uint64_t n;
    s->outlen = s->outpos = 0;
    switch (s->answer) {
    case ANS_MEASURE:
        /* Section 4.3: no data yet while it measures (no stretching). */
        if (i2cemu_dev_now(d) < s->meas_end_ns)
            return I2CEMU_NACK;
        break;
    case ANS_FETCH:
        /* Section 4.6: the data memory holds each result once. */
        n = completed(d, s);
        if (n <= s->fetched)
            return I2CEMU_NACK;
        s->fetched = n;
        break;
    case ANS_STATUS:
        put_word(s, s->status);
        s->answer = ANS_NONE;
        return I2CEMU_ACK;
    case ANS_LIMIT:
        put_word(s, s->limits[s->limit]);
        s->answer = ANS_NONE;
        return I2CEMU_ACK;
    default:
        return I2CEMU_NACK;
    }
    put_word(s, s->raw_t);
    if (!is_sts(d))
        put_word(s, s->raw_rh);
    s->answer = ANS_NONE;
    return I2CEMU_ACK;
}

static enum i2cemu_result sht3x_event(struct i2cemu_dev *d,
                                      enum i2cemu_event ev)
{
    struct sht3x_state *s = d->state;
    struct sht3x_priv *p = d->priv;
    bool resetting = i2cemu_dev_now(d) < s->busy_until_ns;

    sync_periodic(d, s);
    switch (ev) {
    case I2CEMU_EV_START_SEND:
        s->nbytes = 0;
        s->wdata = 0;
        s->general_call = i2cemu_dev_start_addr(d) == 0;
        return resetting && !s->general_call ? I2CEMU_NACK : I2CEMU_ACK;
    case I2CEMU_EV_START_RECV:
        return resetting ? I2CEMU_NACK : start_read(d, s);
    case I2CEMU_EV_FINISH:
        /* An aborted transfer (a stretch past the adapter's timeout). */
        i2cemu_timer_stop(i2cemu_dev_loop(d), &p->timer);
        break;
    default:
        break;
    }
    return I2CEMU_ACK;
}

static uint8_t sht3x_recv(struct i2cemu_dev *d)
{
    struct sht3x_state *s = d->state;
    /* Past the answer the part lets SDA go. */
    return s->outpos < s->outlen ? s->out[s->outpos++] : 0xFF;
}

/* limit indexes the limits at a read after a read-limit command, and a
 * periodic mode divides by its period. */
static int sht3x_state_check(struct i2cemu_dev *d, const void *state,
                             struct i2cemu_error *err)
{
    (void)d;
    const struct sht3x_state *s = state;
    if (s->limit >= NLIMITS) {
        i2cemu_error_set(err, "limit %u is past the last limit (%u)",
                         s->limit, NLIMITS - 1);
        return -1;
    }
    if (s->mode == MODE_PERIODIC && !s->period_ns) {
        i2cemu_error_set(err, "period_ns 0 in periodic mode (at least 1)");
        return -1;
    }
    return 0;
}

static int sht3x_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct sht3x_state *s = d->state;
    uint16_t a = i2cemu_dev_addr(d), base = is_sts(d) ? 0x4A : 0x44;
    if (a != base && a != base + 1) {
        i2cemu_error_set(err, "%s: address 0x%02x: the part answers at "
                         "0x%02x-0x%02x (ADDR pin)",
                         is_sts(d) ? "sts3x" : "sht3x", a, base, base + 1);
        return -1;
    }
    struct sht3x_priv *p = calloc(1, sizeof(*p));
    if (!p) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }
    p->board = d->board;
    p->index = d->index;
    i2cemu_timer_init(&p->timer, stretch_done, p);
    i2cemu_timer_init(&p->tick, tick, p);
    d->priv = p;
    power_on(d, s);
    update_alert(d, s);
    return 0;
}

static void sht3x_unrealize(struct i2cemu_dev *d)
{
    struct sht3x_priv *p = d->priv;
    if (p) {
        i2cemu_timer_stop(i2cemu_dev_loop(d), &p->timer);
        i2cemu_timer_stop(i2cemu_dev_loop(d), &p->tick);
    }
    free(p);
    d->priv = NULL;
}

#define T_PROP(st)                                                            \
    I2CEMU_PROP_FLOAT_("temperature", st, temperature, 25.0, -45.0, 130.0,    \
                       I2CEMU_PROP_RUNTIME, "measured temperature in °C")

static const char *const sht3x_lines[] = { "alert", NULL };

static const struct i2cemu_prop sht3x_props[] = {
    T_PROP(struct sht3x_state),
    I2CEMU_PROP_FLOAT_("humidity", struct sht3x_state, humidity, 50.0, 0.0,
                       100.0, I2CEMU_PROP_RUNTIME,
                       "measured relative humidity in %RH"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_prop sts3x_props[] = {
    T_PROP(struct sht3x_state),
    I2CEMU_PROP_END,
};

#define F(n) I2CEMU_FIELD(#n, struct sht3x_state, n, I2CEMU_FIELD_RUNTIME)
static const struct i2cemu_field sht3x_fields[] = {
    F(busy_until_ns), F(meas_end_ns), F(periodic_start_ns), F(period_ns),
    F(fetched), F(judged), F(meas_ns), F(status), F(limits), F(cmd),
    F(raw_t), F(raw_rh), F(wdata), F(nbytes), F(answer), F(limit), F(mode),
    F(out), F(outlen), F(outpos), F(general_call), F(alerts), F(reset_alert),
    I2CEMU_FIELD_END,
};
#undef F

/* sht3x_doc.c: the docs/devices.md notes. */
extern const char sht3x_doc[], sts3x_doc[];

const struct i2cemu_device_type i2cemu_sht3x = {
    .name = "sht3x",
    .help = "Sensirion SHT3x humidity and temperature sensor, at 0x44-0x45",
    .family = "Sensirion SHT3x",
    .doc = sht3x_doc,
    .props = sht3x_props,
    .fields = sht3x_fields,
    .state_size = sizeof(struct sht3x_state),
    .flags = I2CEMU_TYPE_GENERAL_CALL,
    .lines = sht3x_lines,
    .realize = sht3x_realize,
    .state_check = sht3x_state_check,
    .unrealize = sht3x_unrealize,
    .event = sht3x_event,
    .send_async = sht3x_send_async,
    .recv = sht3x_recv,
};

const struct i2cemu_device_type i2cemu_sts3x = {
    .name = "sts3x",
    .help = "Sensirion STS3x temperature sensor, at 0x4a-0x4b",
    .family = "Sensirion STS3x",
    .doc = sts3x_doc,
    .props = sts3x_props,
    .fields = sht3x_fields,
    /* No humidity: the state ends before it. */
    .state_size = offsetof(struct sht3x_state, humidity),
    .flags = I2CEMU_TYPE_GENERAL_CALL,
    .lines = sht3x_lines,
    .realize = sht3x_realize,
    .state_check = sht3x_state_check,
    .unrealize = sht3x_unrealize,
    .event = sht3x_event,
    .send_async = sht3x_send_async,
    .recv = sht3x_recv,
};
