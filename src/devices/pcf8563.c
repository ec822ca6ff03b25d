/* SPDX-License-Identifier: MIT */
/*
 * NXP PCF8563 real-time clock (Linux's rtc-pcf8563), after the PCF8563
 * datasheet, rev. 11: section 8 "Functional description" (8.2 "Register
 * organization", 8.3 control and status registers, 8.4 time and date,
 * 8.5 alarm, 8.6 CLKOUT, 8.7 timer) and 9.3 "Register address auto
 * increment".
 *
 * As the DS1307 family (ds1307.c): the time is the wall clock plus
 * `offset` seconds, latched at each START; writing 0x02-0x08 sets
 * `offset` at the STOP; STOP (control_status_1 bit 5) freezes it.
 */
#include <string.h>

#include <i2cemu/board.h>

#include "devices.h"
#include "rtc_calendar.h"

enum {
    CS1, CS2, SECS, MINS, HOURS, DAYS, WDAYS, MONTHS, YEARS,
    AMIN, AHOUR, ADAY, AWDAY, CLKOUT, TCTL, TIMER, NREGS
};
#define STOP    0x20 /* CS1 */
#define AF      0x08 /* CS2 */
#define TF      0x04
#define AIE     0x02
#define TIE     0x01
#define VL      0x80 /* SECS */
#define CENTURY 0x80 /* MONTHS */
#define AE      0x80 /* alarm registers: 1 = field not compared */
#define TE      0x80 /* TCTL */

static const uint8_t wmask[NREGS] = {
    0xA8, 0x13, 0xFF, 0x7F, 0x3F, 0x3F, 0x07, 0x9F, 0xFF,
    0xFF, 0xBF, 0xBF, 0x87, 0x83, 0x83, 0xFF,
};
/* AF and TF are cleared by writing 0; writing 1 leaves them (8.3.2). */
static const uint8_t clr[NREGS] = { [CS2] = AF | TF };
/* Power-on (table 4, "after reset"): TESTC, alarms disabled, CLKOUT
 * 32.768 kHz on, timer off at 1/60 Hz. */
static const uint8_t reset[NREGS] = {
    [CS1] = 0x08, [AMIN] = AE, [AHOUR] = AE, [ADAY] = AE, [AWDAY] = AE,
    [CLKOUT] = 0x80, [TCTL] = 0x03,
};

struct pcf8563_state {
    int64_t offset;
    bool battery;
    int64_t checked;       /* the alarm is checked up to this second */
    uint64_t timer_start;  /* board ns when the timer was (re)loaded */
    uint64_t timer_periods; /* countdowns to 0 seen since */
    uint8_t ptr;
    uint8_t wday_delta;    /* weekday register = (weekday + delta) % 7 */
    bool got_ptr, time_written, timer_written;
    uint8_t regs[NREGS];
};

static bool stopped(const struct pcf8563_state *s)
{
    return s->regs[CS1] & STOP;
}

static int64_t rtc_now(struct i2cemu_dev *d)
{
    const struct pcf8563_state *s = d->state;
    return rtc_wall_secs(d) + s->offset;
}

static int64_t regs_time(const struct pcf8563_state *s)
{
    struct rtc_tm tm = {
        .year = 2000 + (int)rtc_unbcd(s->regs[YEARS]) +
                (s->regs[MONTHS] & CENTURY ? 100 : 0),
        .mon = (int)rtc_unbcd(s->regs[MONTHS] & 0x1F),
        .mday = (int)rtc_unbcd(s->regs[DAYS] & 0x3F),
        .hour = (int)rtc_unbcd(s->regs[HOURS] & 0x3F),
        .min = (int)rtc_unbcd(s->regs[MINS] & 0x7F),
        .sec = (int)rtc_unbcd(s->regs[SECS] & 0x7F),
    };
    return rtc_tm_to_secs(&tm);
}

static void set_regs(struct pcf8563_state *s, int64_t t)
{
    struct rtc_tm tm;
    rtc_tm_from_secs(t, &tm);
    int y = tm.year - 2000;
    s->regs[SECS] = (uint8_t)((s->regs[SECS] & VL) | rtc_bcd((unsigned)tm.sec));
    s->regs[MINS] = rtc_bcd((unsigned)tm.min);
    s->regs[HOURS] = rtc_bcd((unsigned)tm.hour);
    s->regs[DAYS] = rtc_bcd((unsigned)tm.mday);
    s->regs[WDAYS] = (uint8_t)((tm.wday + s->wday_delta) % 7);
    s->regs[MONTHS] = (uint8_t)(rtc_bcd((unsigned)tm.mon) |
                                ((y / 100) % 2 ? CENTURY : 0));
    s->regs[YEARS] = rtc_bcd((unsigned)(((y % 100) + 100) % 100));
}

/* 8.5: AF is set at the minute when every enabled field (AE = 0)
 * matches; with none enabled there is no alarm. */
static bool alarm_at(const struct pcf8563_state *s, int64_t m)
{
    const uint8_t *a = &s->regs[AMIN];
    struct rtc_tm tm;
    if ((a[0] & a[1] & a[2] & a[3] & AE))
        return false;
    rtc_tm_from_secs(m, &tm);
    return ((a[0] & AE) || rtc_unbcd(a[0] & 0x7F) == (unsigned)tm.min) &&
           ((a[1] & AE) || rtc_unbcd(a[1] & 0x3F) == (unsigned)tm.hour) &&
           ((a[2] & AE) || rtc_unbcd(a[2] & 0x3F) == (unsigned)tm.mday) &&
           ((a[3] & AE) || (a[3] & 7) == (tm.wday + s->wday_delta) % 7);
}

/* The timer's source clock (TD1-TD0, 8.7): 4096, 64, 1, 1/60 Hz. */
static double timer_hz(const struct pcf8563_state *s)
{
    static const double hz[] = { 4096, 64, 1, 1.0 / 60 };
    return hz[s->regs[TCTL] & 3];
}

/* Elapsed source ticks since the timer was loaded. */
static uint64_t timer_ticks(struct i2cemu_dev *d)
{
    const struct pcf8563_state *s = d->state;
    return (uint64_t)((double)(i2cemu_dev_now(d) - s->timer_start) *
                      timer_hz(s) / 1e9);
}

/* INT is asserted (true: pulled low) while AF with AIE or TF with TIE. */
static void update_int(struct i2cemu_dev *d)
{
    const struct pcf8563_state *s = d->state;
    uint8_t c = s->regs[CS2];
    bool on = ((c & AF) && (c & AIE)) || ((c & TF) && (c & TIE));
    i2cemu_dev_line_set(d, 0, on);
}

/* START: latch the time and the timer, set the flags that came due. */
static void latch(struct i2cemu_dev *d)
{
    struct pcf8563_state *s = d->state;
    int64_t now = rtc_now(d);
    if (!stopped(s)) {
        set_regs(s, now);
        if (now > s->checked) {
            int64_t from = now - s->checked > 62 * 86400 ? now - 62 * 86400
                                                         : s->checked;
            for (int64_t m = from + 60 - ((from % 60) + 60) % 60; m <= now;
                 m += 60)
                if (alarm_at(s, m)) {
                    s->regs[CS2] |= AF;
                    break;
                }
        }
        s->checked = now;
    }
    uint8_t n = s->regs[TIMER];
    if ((s->regs[TCTL] & TE) && n) {
        uint64_t periods = timer_ticks(d) / n;
        if (periods > s->timer_periods)
            s->regs[CS2] |= TF; /* it counted down to 0 and reloaded */
        s->timer_periods = periods;
    }
    update_int(d);
}

static void end_write(struct i2cemu_dev *d)
{
    struct pcf8563_state *s = d->state;
    if (s->time_written) {
        struct rtc_tm tm;
        int64_t t = regs_time(s);
        rtc_tm_from_secs(t, &tm);
        s->wday_delta = (uint8_t)(((s->regs[WDAYS] & 7) - tm.wday + 14) % 7);
        s->offset = t - rtc_wall_secs(d);
        s->checked = t;
    }
    if (s->timer_written) {
        s->timer_start = i2cemu_dev_now(d);
        s->timer_periods = 0;
    }
    update_int(d);
    s->time_written = s->timer_written = s->got_ptr = false;
}

static enum i2cemu_result pcf8563_event(struct i2cemu_dev *d,
                                        enum i2cemu_event ev)
{
    return rtc_event(d, ev, end_write, latch);
}

static enum i2cemu_result pcf8563_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct pcf8563_state *s = d->state;
    if (!s->got_ptr) {
        if (byte >= NREGS)
            return I2CEMU_NACK;
        s->ptr = byte;
        s->got_ptr = true;
        return I2CEMU_ACK;
    }
    uint8_t r = s->ptr, m = wmask[r], c = clr[r], old = s->regs[r];
    s->regs[r] = (uint8_t)((old & ~(m | c)) | (byte & m) | (old & byte & c));
    if (r >= SECS && r <= YEARS)
        s->time_written = true;
    if (r == TIMER || r == TCTL)
        s->timer_written = true;
    if (r == CS1 && ((old ^ byte) & STOP) && !(byte & STOP))
        s->time_written = true; /* restarted: runs on from the registers */
    s->ptr = (uint8_t)((r + 1) % NREGS);
    return I2CEMU_ACK;
}

static uint8_t pcf8563_recv(struct i2cemu_dev *d)
{
    struct pcf8563_state *s = d->state;
    uint8_t r = s->ptr, v = s->regs[r];
    if (r == TIMER && (s->regs[TCTL] & TE) && v)
        v = (uint8_t)(v - timer_ticks(d) % v); /* the countdown */
    s->ptr = (uint8_t)((r + 1) % NREGS);
    return v;
}

/* The pointer indexes the registers; the times bound the alarm scan. */
static int pcf8563_state_check(struct i2cemu_dev *d, const void *state,
                               struct i2cemu_error *err)
{
    (void)d;
    const struct pcf8563_state *s = state;
    if (s->ptr >= NREGS) {
        i2cemu_error_set(err, "ptr %u is past the last register (%u)",
                         s->ptr, NREGS - 1);
        return -1;
    }
    return rtc_state_check(s->offset, s->checked, err);
}

static void pcf8563_changed(struct i2cemu_dev *d, const struct i2cemu_prop *p)
{
    struct pcf8563_state *s = d->state;
    (void)p; /* offset: a new time, no alarm for the jump */
    s->checked = rtc_now(d);
}

static int pcf8563_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct pcf8563_state *s = d->state;
    if (i2cemu_dev_addr(d) != 0x51) {
        i2cemu_error_set(err, "addr=0x%02x: a pcf8563 answers only 0x51",
                         i2cemu_dev_addr(d));
        return -1;
    }
    memcpy(s->regs, reset, sizeof(reset));
    if (!s->battery) {
        /* First power-on: VL set (8.4.1: "integrity of the clock
         * information is not guaranteed"), from 2000-01-01, a Saturday
         * (weekday 6 as Linux numbers them). */
        s->regs[SECS] = VL;
        s->offset = RTC_Y2K - rtc_wall_secs(d);
    }
    set_regs(s, rtc_now(d));
    s->checked = rtc_now(d);
    s->timer_start = i2cemu_dev_now(d);
    return 0;
}

static const struct i2cemu_prop pcf8563_props[] = {
    I2CEMU_PROP_INT_("offset", struct pcf8563_state, offset, 0, -4e9, 4e9,
                     I2CEMU_PROP_RUNTIME,
                     "seconds from the wall clock to the RTC's time; set by "
                     "writing the time registers"),
    I2CEMU_PROP_BOOL_("battery", struct pcf8563_state, battery, true, 0,
                      "the part kept time on its backup battery; off: first "
                      "power-on (VL set, 2000-01-01 00:00:00)"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field pcf8563_fields[] = {
    I2CEMU_FIELD("checked", struct pcf8563_state, checked,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("timer_start", struct pcf8563_state, timer_start,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("timer_periods", struct pcf8563_state, timer_periods,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("ptr", struct pcf8563_state, ptr, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("wday_delta", struct pcf8563_state, wday_delta,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("got_ptr", struct pcf8563_state, got_ptr,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("time_written", struct pcf8563_state, time_written,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("timer_written", struct pcf8563_state, timer_written,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("registers", struct pcf8563_state, regs, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD_END,
};

static const char *const pcf8563_lines[] = { "int", NULL };

static const char pcf8563_doc[] =
    "Source: `src/devices/pcf8563.c`, after the NXP PCF8563 datasheet (rev.\n"
    "11: 8.2 \"Register organization\", 8.3-8.7, 9.3 \"Register address auto\n"
    "increment\") and Linux's `rtc-pcf8563`.\n"
    "\n"
    "| addr | register | power on |\n"
    "|---|---|---|\n"
    "| 0x00 | control_status_1: TEST1, STOP (bit 5), TESTC | 0x08 |\n"
    "| 0x01 | control_status_2: TI_TP, AF, TF, AIE, TIE | 0x00 |\n"
    "| 0x02-0x08 | VL_seconds, minutes, hours, days, weekdays (0-6), "
    "century_months (C bit 7), years; BCD | the time |\n"
    "| 0x09-0x0C | minute, hour, day, weekday alarm (AE bit 7) | 0x80 |\n"
    "| 0x0D | CLKOUT_control: FE, FD1-FD0 | 0x80 |\n"
    "| 0x0E | timer_control: TE, TD1-TD0 | 0x03 |\n"
    "| 0x0F | timer | 0x00 |\n"
    "\n"
    "* **Time** as for the DS1307 family: the wall clock plus `offset`\n"
    "  (runtime, seconds), latched at each START; writing 0x02-0x08 sets\n"
    "  `offset` at the STOP. STOP = 1 freezes the registers; clearing it runs\n"
    "  on from them. The weekday register keeps its relation to the date from\n"
    "  the last write (Linux writes `tm_wday`, Sunday 0). C toggles as the\n"
    "  year passes 99.\n"
    "* **VL.** With `battery=off` (the first power-on) VL_seconds bit 7 is\n"
    "  set and the clock runs from 2000-01-01 00:00:00; Linux's `read_time`\n"
    "  then reports the time invalid (EINVAL) until the time is written,\n"
    "  since writing the seconds register clears VL. `battery=on` (the\n"
    "  default): VL clear, the wall clock's time.\n"
    "* **Pointer.** Auto-increments and wraps from 0x0F to 0x00; a pointer\n"
    "  byte past 0x0F is NACKed. Bits the table does not name read 0.\n"
    "* **Alarm** (8.5). AF is set when the time has passed a minute at which\n"
    "  every enabled field (AE = 0) matches, checked at each START; with all\n"
    "  AE set there is no alarm. AF and TF are cleared by writing 0 (1 keeps\n"
    "  them).\n"
    "* **Timer** (8.7). With TE set and a non-zero value n, the register reads\n"
    "  the countdown at the TD source clock (4096, 64, 1, 1/60 Hz) from the\n"
    "  last write of the timer or its control, and TF is set once it has\n"
    "  reached 0 (it reloads n).\n"
    "* **INT** (the `int` line, true = asserted low): AF with AIE, or TF with\n"
    "  TIE, updated at bus accesses. TI_TP's pulse mode is not modelled\n"
    "  (level only).\n"
    "* **Not modelled:** the CLKOUT output (its register is stored), the\n"
    "  test modes, drift.\n";

const struct i2cemu_device_type i2cemu_pcf8563 = {
    .name = "pcf8563",
    .help = "PCF8563 RTC with alarm and timer, at 0x51",
    .family = "PCF8563 real-time clock",
    .doc = pcf8563_doc,
    .props = pcf8563_props,
    .fields = pcf8563_fields,
    .state_size = sizeof(struct pcf8563_state),
    .lines = pcf8563_lines,
    .changed = pcf8563_changed,
    .realize = pcf8563_realize,
    .state_check = pcf8563_state_check,
    .event = pcf8563_event,
    .send = pcf8563_send,
    .recv = pcf8563_recv,
};
