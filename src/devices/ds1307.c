/* SPDX-License-Identifier: MIT */
/*
 * Maxim/Dallas real-time clocks driven by Linux's rtc-ds1307: the DS1307
 * and DS1338 (time, control, 56 bytes of NVRAM), the DS1337 (two alarms)
 * and the DS3231 (alarms, aging offset, temperature). One implementation,
 * a table per part; after the DS1307, DS1338, DS1337 and DS3231
 * datasheets ("Timekeeper Registers", "Control Register", "Alarms",
 * "Status Register", "Aging Offset", "Temperature Registers", "I2C
 * Serial Data Bus").
 *
 * The time is not counted here: it is the wall clock (i2cemu/device.h,
 * reproducible on the VIRTUAL clock) plus `offset` seconds. Each START
 * latches it into the time registers (the datasheets' secondary buffer, so
 * a multi-byte read is consistent); a write to them sets `offset` to the
 * written time minus the wall clock at the STOP. The DS1307/DS1338's CH
 * bit freezes the registers instead.
 */
#include <string.h>

#include <i2cemu/backing.h>
#include <i2cemu/board.h>

#include "devices.h"
#include "rtc_calendar.h"

enum { SEC, MIN, HOUR, WDAY, MDAY, MONTH, YEAR };
#define NREGS_MAX 0x40

#define CH        0x80 /* seconds: clock halt (DS1307/DS1338) */
#define CENTURY   0x80 /* month (DS1337/DS3231) */
#define OSF_1338  0x20 /* DS1338 control */
#define CTL       0x0E /* DS1337/DS3231 control */
#define STATUS    0x0F
#define INTCN     0x04
#define A2IE      0x02
#define A1IE      0x01
#define OSF       0x80
#define A2F       0x02
#define A1F       0x01
#define CONV      0x20 /* DS3231 control */
#define AGING     0x10
#define TEMP_MSB  0x11

enum ds_chip { DS1307, DS1338, DS1337, DS3231 };

struct ds_desc {
    uint8_t nregs;  /* the pointer wraps from nregs - 1 to 0 */
    uint8_t nvram;  /* NVRAM from 0x08 to the end, bytes; 0: none */
    bool alarms;    /* 0x07-0x0D alarms, 0x0E control, 0x0F status */
    bool century;   /* month bit 7 */
    uint8_t wmask[0x13];  /* writable bits of each non-NVRAM register */
    uint8_t clr[0x13];    /* bits a write can only clear (flags) */
    uint8_t reset[0x13];  /* power-on values from 0x07 on */
};

static const struct ds_desc descs[] = {
    [DS1307] = { .nregs = 0x40, .nvram = 56,
                 .wmask = { 0xFF, 0x7F, 0x7F, 0x07, 0x3F, 0x1F, 0xFF, 0x93 },
                 .reset = { [7] = 0x03 } },
    [DS1338] = { .nregs = 0x40, .nvram = 56,
                 .wmask = { 0xFF, 0x7F, 0x7F, 0x07, 0x3F, 0x1F, 0xFF, 0x93 },
                 .clr = { [7] = OSF_1338 },
                 .reset = { [7] = 0x03 } },
    [DS1337] = { .nregs = 0x10, .alarms = true, .century = true,
                 .wmask = { 0x7F, 0x7F, 0x7F, 0x07, 0x3F, 0x9F, 0xFF,
                            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                            0x9F, 0x00 },
                 .clr = { [STATUS] = OSF | A2F | A1F },
                 .reset = { [CTL] = 0x18 } },
    [DS3231] = { .nregs = 0x13, .alarms = true, .century = true,
                 .wmask = { 0x7F, 0x7F, 0x7F, 0x07, 0x3F, 0x9F, 0xFF,
                            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                            0xFF, 0x08, 0xFF, 0x00, 0x00 },
                 .clr = { [STATUS] = OSF | A2F | A1F },
                 .reset = { [CTL] = 0x1C, [STATUS] = 0x08 } },
};

struct ds_state {
    /* Properties common to all. */
    int64_t offset; /* seconds from the wall clock to the RTC's time */
    bool battery;   /* off: first power-on, the datasheet's reset state */
    /* Device state. */
    uint32_t chip;      /* enum ds_chip */
    int64_t checked;    /* alarms are checked up to this second */
    uint8_t ptr;
    uint8_t wday_delta; /* day register = (weekday + delta) % 7 + 1 */
    bool got_ptr;       /* this write's pointer byte arrived */
    bool time_written;  /* this write touched 0x00-0x06 */
    uint8_t nv_lo, nv_hi; /* NVRAM bytes written in this message */
    bool nv_dirty;
    uint8_t regs[NREGS_MAX];
};

/* Parts with NVRAM: the backing file's properties too. */
struct ds_nv_state {
    struct ds_state c;
    char file[256];
    uint32_t sync;
    uint32_t interval_ms;
};

struct ds1337_state {
    struct ds_state c;
};

struct ds3231_state {
    struct ds_state c;
    double temperature;
};

static const struct ds_desc *desc(const struct ds_state *s)
{
    return &descs[s->chip];
}

static bool halted(const struct ds_state *s)
{
    return (s->chip == DS1307 || s->chip == DS1338) && (s->regs[SEC] & CH);
}

static int64_t rtc_now(struct i2cemu_dev *d)
{
    const struct ds_state *s = d->state;
    return rtc_wall_secs(d) + s->offset;
}

/* The time registers' contents as seconds since the epoch. */
static int64_t regs_time(const struct ds_state *s)
{
    struct rtc_tm tm = {
        .year = 2000 + (int)rtc_unbcd(s->regs[YEAR]) +
                (desc(s)->century && (s->regs[MONTH] & CENTURY) ? 100 : 0),
        .mon = (int)rtc_unbcd(s->regs[MONTH] & 0x1F),
        .mday = (int)rtc_unbcd(s->regs[MDAY] & 0x3F),
        .hour = rtc_hour_decode(s->regs[HOUR] & 0x7F),
        .min = (int)rtc_unbcd(s->regs[MIN] & 0x7F),
        .sec = (int)rtc_unbcd(s->regs[SEC] & 0x7F),
    };
    return rtc_tm_to_secs(&tm);
}

/* Load the time registers with time t, keeping their mode bits (CH,
 * 12-hour). */
static void set_regs(struct ds_state *s, int64_t t)
{
    struct rtc_tm tm;
    rtc_tm_from_secs(t, &tm);
    int y = tm.year - 2000;
    s->regs[SEC] = (uint8_t)((s->regs[SEC] & CH & desc(s)->wmask[SEC]) |
                             rtc_bcd((unsigned)tm.sec));
    s->regs[MIN] = rtc_bcd((unsigned)tm.min);
    s->regs[HOUR] = rtc_hour_encode(tm.hour, s->regs[HOUR] & 0x40);
    s->regs[WDAY] = (uint8_t)((tm.wday + s->wday_delta) % 7 + 1);
    s->regs[MDAY] = rtc_bcd((unsigned)tm.mday);
    bool c = desc(s)->century && (y / 100) % 2;
    s->regs[MONTH] = (uint8_t)(rtc_bcd((unsigned)tm.mon) | (c ? CENTURY : 0));
    s->regs[YEAR] = rtc_bcd((unsigned)(((y % 100) + 100) % 100));
}

/* ---- alarms (DS1337, DS3231) ------------------------------------------ */

/* Whether alarm `n` (1 or 2) matches the minute starting at m, ignoring
 * seconds: each field is compared unless its mask bit (bit 7) is set. */
static bool alarm_minute_matches(const struct ds_state *s, int n, int64_t m)
{
    const uint8_t *a = &s->regs[n == 1 ? 0x08 : 0x0B]; /* minutes */
    struct rtc_tm tm;
    rtc_tm_from_secs(m, &tm);
    if (!(a[0] & 0x80) && rtc_unbcd(a[0] & 0x7F) != (unsigned)tm.min)
        return false;
    if (!(a[1] & 0x80) && rtc_hour_decode(a[1] & 0x7F) != tm.hour)
        return false;
    if (a[2] & 0x80)
        return true;
    if (a[2] & 0x40) /* DY/DT: day of the week */
        return (a[2] & 0x0F) == (tm.wday + s->wday_delta) % 7 + 1;
    return rtc_unbcd(a[2] & 0x3F) == (unsigned)tm.mday;
}

/* Whether alarm n matched at a second in (from, to]. Alarm 2 has no
 * seconds register: it matches at second 00. A gap longer than 62 days
 * (which holds a match of every alarm that can match) is cut to that. */
static bool alarm_due(const struct ds_state *s, int n, int64_t from,
                      int64_t to)
{
    if (to - from > 62 * 86400)
        from = to - 62 * 86400;
    uint8_t secs = s->regs[0x07];
    for (int64_t m = from + 1 - ((from + 1) % 60 + 60) % 60; m <= to;
         m += 60) {
        if (!alarm_minute_matches(s, n, m))
            continue;
        int64_t lo = m > from + 1 ? m : from + 1;
        int64_t hi = m + 59 < to ? m + 59 : to;
        if (n == 1 && (secs & 0x80))
            return lo <= hi; /* once per second */
        int64_t at = m + (n == 1 ? (int64_t)rtc_unbcd(secs & 0x7F) : 0);
        if (at >= lo && at <= hi)
            return true;
    }
    return false;
}

/* INT/SQW (DS3231), INTA (DS1337): asserted (true: the open-drain pin is
 * low) while an enabled alarm's flag is set; with INTCN = 0 the DS3231's
 * pin is the square wave and the DS1337's INTA serves alarm 1 only. */
static void update_int(struct i2cemu_dev *d)
{
    struct ds_state *s = d->state;
    uint8_t ctl = s->regs[CTL], st = s->regs[STATUS];
    bool a1 = (ctl & A1IE) && (st & A1F), a2 = (ctl & A2IE) && (st & A2F);
    bool on = s->chip == DS3231 ? (ctl & INTCN) && (a1 || a2)
                                : a1 || ((ctl & INTCN) && a2);
    i2cemu_dev_line_set(d, 0, on);
}

static void check_alarms(struct i2cemu_dev *d)
{
    struct ds_state *s = d->state;
    int64_t now = rtc_now(d);
    if (now <= s->checked) {
        s->checked = now; /* the clock went back (offset): restart */
        return;
    }
    if (alarm_due(s, 1, s->checked, now))
        s->regs[STATUS] |= A1F;
    if (alarm_due(s, 2, s->checked, now))
        s->regs[STATUS] |= A2F;
    s->checked = now;
    update_int(d);
}

/* ---- the bus ---------------------------------------------------------- */

static void update_temperature(struct ds3231_state *s)
{
    /* 10 bits, two's complement, 0.25 °C: MSB the integer, bits 7-6 of
     * the LSB the fraction (DS3231 "Temperature Registers"). */
    int code = (int)(s->temperature * 4.0 + (s->temperature < 0 ? -0.5 : 0.5));
    s->c.regs[TEMP_MSB] = (uint8_t)(code >> 2);
    s->c.regs[TEMP_MSB + 1] = (uint8_t)((code & 3) << 6);
}

/* START: latch the time (and the DS3231's temperature), check alarms. */
static void latch(struct i2cemu_dev *d)
{
    struct ds_state *s = d->state;
    if (!halted(s))
        set_regs(s, rtc_now(d));
    if (s->chip == DS3231)
        update_temperature(d->state);
    if (desc(s)->alarms)
        check_alarms(d);
}

/* STOP or a repeated START elsewhere: apply what the write changed. */
static void end_write(struct i2cemu_dev *d)
{
    struct ds_state *s = d->state;
    if (s->time_written) {
        struct rtc_tm tm;
        int64_t t = regs_time(s);
        rtc_tm_from_secs(t, &tm);
        /* (day - 1 - weekday) mod 7 */
        s->wday_delta = (uint8_t)(((s->regs[WDAY] & 7) + 13 - tm.wday) % 7);
        if (!halted(s)) {
            s->offset = t - rtc_wall_secs(d);
            s->checked = t;
        }
    }
    if (s->nv_dirty && d->priv)
        i2cemu_backing_store(d->priv, s->regs + 8, s->nv_lo - 8u,
                             s->nv_hi - s->nv_lo + 1u);
    if (desc(s)->alarms)
        update_int(d);
    s->time_written = s->nv_dirty = s->got_ptr = false;
}

static enum i2cemu_result ds_event(struct i2cemu_dev *d, enum i2cemu_event ev)
{
    return rtc_event(d, ev, end_write, latch);
}

static enum i2cemu_result ds_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct ds_state *s = d->state;
    const struct ds_desc *k = desc(s);

    if (!s->got_ptr) {
        if (byte >= k->nregs)
            return I2CEMU_NACK; /* no such register */
        s->ptr = byte;
        s->got_ptr = true;
        return I2CEMU_ACK;
    }
    uint8_t r = s->ptr;
    if (k->nvram && r >= 8) {
        if (!s->nv_dirty && d->priv &&
            !i2cemu_backing_ready(d->priv, s->regs + 8))
            return I2CEMU_NACK; /* the NVRAM image cannot be saved */
        s->regs[r] = byte;
        s->nv_lo = s->nv_dirty && s->nv_lo < r ? s->nv_lo : r;
        s->nv_hi = s->nv_dirty && s->nv_hi > r ? s->nv_hi : r;
        s->nv_dirty = true;
    } else {
        uint8_t m = k->wmask[r], c = k->clr[r], old = s->regs[r];
        s->regs[r] =
            (uint8_t)((old & ~(m | c)) | (byte & m) | (old & byte & c));
        if (r <= YEAR)
            s->time_written = true;
        if (s->chip == DS3231 && r == CTL && (byte & CONV)) {
            /* A forced conversion completes at once (not modelled:
             * BSY and the 125 ms tCONV). */
            update_temperature(d->state);
            s->regs[CTL] &= (uint8_t)~CONV;
        }
    }
    s->ptr = (uint8_t)((r + 1) % k->nregs);
    return I2CEMU_ACK;
}

static uint8_t ds_recv(struct i2cemu_dev *d)
{
    struct ds_state *s = d->state;
    uint8_t v = s->regs[s->ptr];
    s->ptr = (uint8_t)((s->ptr + 1) % desc(s)->nregs);
    return v;
}

static void ds_changed(struct i2cemu_dev *d, const struct i2cemu_prop *p)
{
    struct ds_state *s = d->state;
    if (strcmp(p->name, "offset") == 0)
        s->checked = rtc_now(d); /* a new time: no alarm for the jump */
    else if (strcmp(p->name, "temperature") == 0)
        update_temperature(d->state);
}

static int ds_realize(struct i2cemu_dev *d, enum ds_chip chip,
                      struct i2cemu_error *err)
{
    struct ds_state *s = d->state;
    const struct ds_desc *k = &descs[chip];
    if (i2cemu_dev_addr(d) != 0x68) {
        i2cemu_error_set(err, "addr=0x%02x: a %s answers only 0x68",
                         i2cemu_dev_addr(d),
                         i2cemu_device_type_of(d->board, d->index)->name);
        return -1;
    }
    s->chip = chip;
    memcpy(s->regs + 7, k->reset + 7, sizeof(k->reset) - 7);
    if (k->nvram)
        memset(s->regs + 8, 0, k->nvram);
    s->wday_delta = 0; /* Sunday is 1, as Linux writes it */
    if (!s->battery) {
        /* First power-on (DS3231 "Power Control", DS1307 "Clock and
         * Calendar"): 01/01/00 day 1 00:00:00; the DS1307/DS1338 oscillator
         * halted (CH = 1), the DS1338/DS1337/DS3231 oscillator-stop flag
         * set. 2000-01-01 was a Saturday, day register 1. */
        s->wday_delta = 1;
        s->offset = RTC_Y2K - rtc_wall_secs(d);
        if (chip == DS1307 || chip == DS1338)
            s->regs[SEC] = CH;
        if (chip == DS1338)
            s->regs[7] |= OSF_1338;
        if (k->alarms)
            s->regs[STATUS] |= OSF;
        set_regs(s, RTC_Y2K);
    } else {
        set_regs(s, rtc_now(d));
    }
    s->checked = rtc_now(d);
    if (chip == DS3231)
        update_temperature(d->state);
    if (!k->nvram)
        return 0;
    struct ds_nv_state *n = d->state;
    if (!n->file[0])
        return 0;
    const struct i2cemu_backing_config cfg = {
        .path = n->file, .size = k->nvram, .erased = 0x00,
        .what = i2cemu_device_type_of(d->board, d->index)->name,
        .sync = (enum i2cemu_sync_policy)n->sync,
        .interval_ms = n->interval_ms,
    };
    d->priv = i2cemu_backing_open(d, &cfg, s->regs + 8, err);
    return d->priv ? 0 : -1;
}

static void ds_unrealize(struct i2cemu_dev *d)
{
    struct ds_state *s = d->state;
    i2cemu_backing_close(d->priv, s->regs + 8);
    d->priv = NULL;
}

/* The chip selects descs[] and the state's layout; the pointer indexes
 * the registers and their masks; a pending NVRAM range is stored from;
 * the times are the alarm scan's bounds. */
static int ds_state_check(const void *state, enum ds_chip chip,
                          struct i2cemu_error *err)
{
    const struct ds_state *s = state;
    unsigned last = descs[chip].nregs - 1u;
    if (state_own("chip", s->chip, chip, err) < 0)
        return -1;
    if (s->ptr > last) {
        i2cemu_error_set(err, "ptr %u is past the last register (%u)",
                         s->ptr, last);
        return -1;
    }
    if (s->nv_dirty &&
        (s->nv_lo < 8 || s->nv_lo > s->nv_hi || s->nv_hi > last)) {
        i2cemu_error_set(err, "nv_lo %u, nv_hi %u: out of range (8 <= "
                         "nv_lo <= nv_hi <= %u)", s->nv_lo, s->nv_hi, last);
        return -1;
    }
    return rtc_state_check(s->offset, s->checked, err);
}

#define DS_REALIZE(id, chip)                                                  \
    static int id##_realize(struct i2cemu_dev *d, struct i2cemu_error *err)   \
    {                                                                         \
        return ds_realize(d, chip, err);                                      \
    }                                                                         \
    static int id##_state_check(struct i2cemu_dev *d, const void *state,      \
                                struct i2cemu_error *err)                     \
    {                                                                         \
        (void)d;                                                              \
        return ds_state_check(state, chip, err);                              \
    }
DS_REALIZE(ds1307, DS1307)
DS_REALIZE(ds1338, DS1338)
DS_REALIZE(ds1337, DS1337)
DS_REALIZE(ds3231, DS3231)

/* ---- declarations ----------------------------------------------------- */

#define DS_FIELDS(st)                                                         \
    I2CEMU_FIELD("chip", st, c.chip, I2CEMU_FIELD_RUNTIME),                   \
    I2CEMU_FIELD("checked", st, c.checked, I2CEMU_FIELD_RUNTIME),             \
    I2CEMU_FIELD("ptr", st, c.ptr, I2CEMU_FIELD_RUNTIME),                     \
    I2CEMU_FIELD("wday_delta", st, c.wday_delta, I2CEMU_FIELD_RUNTIME),       \
    I2CEMU_FIELD("got_ptr", st, c.got_ptr, I2CEMU_FIELD_RUNTIME),             \
    I2CEMU_FIELD("time_written", st, c.time_written, I2CEMU_FIELD_RUNTIME),   \
    I2CEMU_FIELD("nv_lo", st, c.nv_lo, I2CEMU_FIELD_RUNTIME),                 \
    I2CEMU_FIELD("nv_hi", st, c.nv_hi, I2CEMU_FIELD_RUNTIME),                 \
    I2CEMU_FIELD("nv_dirty", st, c.nv_dirty, I2CEMU_FIELD_RUNTIME),           \
    I2CEMU_FIELD("registers", st, c.regs, I2CEMU_FIELD_PERSISTENT)

#define DS_PROPS(st)                                                          \
    I2CEMU_PROP_INT_("offset", st, c.offset, 0, -4e9, 4e9,                    \
                     I2CEMU_PROP_RUNTIME,                                     \
                     "seconds from the wall clock to the RTC's time; set "    \
                     "by writing the time registers"),                        \
    I2CEMU_PROP_BOOL_("battery", st, c.battery, true, 0,                      \
                      "the part kept time on its backup battery; off: the "   \
                      "datasheet's first power-on (oscillator-stop flag or "  \
                      "CH set, 2000-01-01 00:00:00)")

static const struct i2cemu_field ds_nv_fields[] = {
    DS_FIELDS(struct ds_nv_state), I2CEMU_FIELD_END,
};
static const struct i2cemu_field ds1337_fields[] = {
    DS_FIELDS(struct ds1337_state), I2CEMU_FIELD_END,
};
static const struct i2cemu_field ds3231_fields[] = {
    DS_FIELDS(struct ds3231_state), I2CEMU_FIELD_END,
};

static const struct i2cemu_prop ds_nv_props[] = {
    DS_PROPS(struct ds_nv_state),
    I2CEMU_PROP_STRING_("file", struct ds_nv_state, file, "", 0,
                        "NVRAM image file (56 bytes); a missing one is "
                        "created zeroed"),
    I2CEMU_PROP_ENUM_("sync", struct ds_nv_state, sync, I2CEMU_SYNC_STOP,
                      i2cemu_sync_names, 0,
                      "when NVRAM writes reach the disk: stop, interval, "
                      "none"),
    I2CEMU_PROP_UINT_("interval", struct ds_nv_state, interval_ms, 1000, 1,
                      3600000, 0, "sync=interval: milliseconds at risk"),
    I2CEMU_PROP_END,
};
static const struct i2cemu_prop ds1337_props[] = {
    DS_PROPS(struct ds1337_state),
    I2CEMU_PROP_END,
};
static const struct i2cemu_prop ds3231_props[] = {
    DS_PROPS(struct ds3231_state),
    I2CEMU_PROP_FLOAT_("temperature", struct ds3231_state, temperature, 25.0,
                       -40.0, 85.0, I2CEMU_PROP_RUNTIME,
                       "die temperature in °C (0.25 °C steps)"),
    I2CEMU_PROP_END,
};

static const char *const ds_lines[] = { "int", NULL };

static const char ds_doc[] =
    "Source: `src/devices/ds1307.c`, after the Maxim DS1307, DS1338, DS1337\n"
    "and DS3231 datasheets (\"Timekeeper Registers\", \"Clock and Calendar\",\n"
    "\"Control Register\", \"Alarms\", \"Status Register\", \"Aging Offset\",\n"
    "\"Temperature Registers\", \"I2C Serial Data Bus\"), and what Linux's\n"
    "`rtc-ds1307` reads at probe and in `read_time`.\n"
    "\n"
    "| type | registers (pointer wraps to 0 after) | NVRAM | alarms | "
    "line |\n"
    "|---|---|---|---|---|\n"
    "| ds1307 | 0x00-0x3F | 0x08-0x3F, 56 bytes | | |\n"
    "| ds1338 | 0x00-0x3F (OSF in control bit 5) | 0x08-0x3F, 56 bytes | | |\n"
    "| ds1337 | 0x00-0x0F | | 2 | `int` (INTA) |\n"
    "| ds3231 | 0x00-0x12 | | 2 | `int` (INT/SQW) |\n"
    "\n"
    "* **Time.** 0x00-0x06: seconds, minutes, hours, day (1-7), date, month,\n"
    "  year, in BCD. The part's time is the wall clock (the host's on the FAST\n"
    "  and REALTIME clocks; 2000-01-01 plus board time on the VIRTUAL clock)\n"
    "  plus the runtime property `offset`, in seconds. Each START copies the\n"
    "  time into the registers (the datasheets' secondary buffer), so a\n"
    "  multi-byte read is consistent. Writing any of 0x00-0x06 sets the time,\n"
    "  as a driver does: at the STOP, `offset` becomes the time the registers\n"
    "  then hold minus the wall clock (whole seconds: the sub-second phase\n"
    "  follows the wall clock, not the write). The day register is a free\n"
    "  counter as on the part: its value relative to the date is kept from\n"
    "  the last write (Linux writes Sunday as 1, the default).\n"
    "* **12/24 hours.** Hours bit 6 selects 12-hour mode, bit 5 is PM; the\n"
    "  registers are latched in the mode last written (write the hour again\n"
    "  when switching, as the datasheets say). The alarms decode both modes.\n"
    "* **Century** (ds1337, ds3231): month bit 7, toggled as the year passes\n"
    "  99; Linux's driver reads it only with `CONFIG_RTC_DRV_DS1307_CENTURY`.\n"
    "* **Power on.** `battery=on` (the default) is a part that kept time on\n"
    "  its backup battery: flags clear, the time is the wall clock + `offset`.\n"
    "  `battery=off` is the first application of power: the time registers at\n"
    "  01/01/00 day 1 00:00:00; the DS1307/DS1338 oscillator halted (CH,\n"
    "  seconds bit 7, set: the clock stays frozen until a write clears it, and\n"
    "  Linux's `read_time` returns EINVAL meanwhile; older DS1307 datasheets\n"
    "  state this, newer ones call the state undefined); OSF set on the\n"
    "  DS1338 (control bit 5), DS1337 and DS3231 (status bit 7), whose\n"
    "  oscillator runs. Flags are cleared by writing 0 (writing 1 keeps them).\n"
    "  Control: DS1307/DS1338 0x03 (OUT 0, SQWE 0, RS1-RS0 11), DS1337 0x18,\n"
    "  DS3231 0x1C (INTCN); DS3231 status 0x08 (EN32kHz).\n"
    "* **Clock halt** (ds1307, ds1338): CH = 1 freezes the time registers at\n"
    "  their value; clearing it starts the clock from there.\n"
    "* **NVRAM** (ds1307, ds1338): 56 bytes at 0x08-0x3F, the ones Linux's\n"
    "  nvmem device exposes, zero at power on. With `file=PATH` they persist\n"
    "  through the backing-store service as the 24Cxx's `file=` (same rules,\n"
    "  `sync=` and `interval=`; a missing file is created zeroed): the bytes a\n"
    "  message wrote are stored at its STOP.\n"
    "* **Alarms** (ds1337, ds3231): alarm 1 at 0x07-0x0A (seconds, minutes,\n"
    "  hours, day/date; A1M1-A1M4 in bit 7, DY/DT in bit 6 of 0x0A), alarm 2\n"
    "  at 0x0B-0x0D (at second 00). A field is compared unless its mask bit\n"
    "  is set, which gives the datasheets' rates (once per second/minute, on\n"
    "  a match of seconds, minutes, hours, date or day). The flags A1F/A2F\n"
    "  (status bits 0-1) are set when the time has passed a match since the\n"
    "  last check; checks happen at each START and when `offset` changes\n"
    "  (setting the time does not fire the alarms it jumps over). The `int`\n"
    "  line is the open-drain output asserted (true: pulled low) while an\n"
    "  enabled flag (A1IE/A2IE) is set: DS3231 when INTCN = 1; DS1337 INTA for\n"
    "  alarm 1, and alarm 2 too when INTCN = 1. The line changes at bus\n"
    "  accesses, not at the alarm's second by itself.\n"
    "* **DS3231 extras.** Aging offset 0x10 is stored (it does not change the\n"
    "  rate). The temperature, 0x11-0x12 (10 bits, two's complement, 0.25 °C:\n"
    "  25.25 °C is 0x19 0x40), follows the runtime property `temperature` at\n"
    "  each START, not every 64 s; a CONV write converts at once (CONV and\n"
    "  BSY read 0).\n"
    "* **Pointer.** A pointer byte past the last register is NACKed.\n"
    "* **Not modelled:** the square-wave and 32 kHz outputs (their control\n"
    "  bits are stored), EOSC on battery, the DS1307's OUT pin level, trickle\n"
    "  chargers, drift.\n";

#define DS_TYPE(id, fam, dc, st, pr, fl, ln, h)                               \
    const struct i2cemu_device_type i2cemu_##id = {                           \
        .name = #id,                                                          \
        .help = h,                                                            \
        .family = fam,                                                        \
        .doc = dc,                                                            \
        .props = pr,                                                          \
        .fields = fl,                                                         \
        .state_size = sizeof(st),                                             \
        .lines = ln,                                                          \
        .changed = ds_changed,                                                \
        .realize = id##_realize,                                              \
        .unrealize = ds_unrealize,                                            \
        .state_check = id##_state_check,                                      \
        .event = ds_event,                                                    \
        .send = ds_send,                                                      \
        .recv = ds_recv,                                                      \
    }

#define DS1307_FAMILY "DS1307, DS1338, DS1337 and DS3231 real-time clocks"
/* One docs/devices.md section; its notes are the first member's. */
DS_TYPE(ds1307, DS1307_FAMILY, ds_doc, struct ds_nv_state, ds_nv_props,
        ds_nv_fields, NULL, "DS1307 RTC with 56 bytes of NVRAM, at 0x68");
DS_TYPE(ds1338, DS1307_FAMILY, NULL, struct ds_nv_state, ds_nv_props,
        ds_nv_fields, NULL,
        "DS1338 RTC with oscillator-stop flag and 56 bytes of NVRAM, at 0x68");
DS_TYPE(ds1337, DS1307_FAMILY, NULL, struct ds1337_state,
        ds1337_props, ds1337_fields, ds_lines,
        "DS1337 RTC with two alarms, at 0x68");
DS_TYPE(ds3231, DS1307_FAMILY, NULL, struct ds3231_state,
        ds3231_props, ds3231_fields, ds_lines,
        "DS3231 TCXO RTC with two alarms and temperature, at 0x68");
