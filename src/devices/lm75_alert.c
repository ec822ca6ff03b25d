/* SPDX-License-Identifier: MIT */
/*
 * The LM75 family's thermostat, shared by every variant (TMP102 and
 * TMP112 included): conversions on the board clock, the fault queue and
 * the O.S./ALERT pin as the output line 0.
 *
 * The datasheets (LM75 "O.S. Output", TMP10x and TMP102 "Fault Queue",
 * "Thermostat Mode (TM)", "Polarity (POL)") agree: each conversion
 * compares the temperature with T_HIGH (T_OS) or, once that has tripped,
 * with T_LOW (T_HYST); a trip takes F consecutive conversions past the
 * limit (F1-F0: 1, 2, 4, 6). Comparator mode: the pin is active from the
 * T_HIGH trip to the T_LOW trip. Interrupt mode: each trip activates it,
 * and a read of any register or entering shutdown releases it. POL=0:
 * active low (the open-drain pin pulled up reads 1 while inactive).
 *
 * Conversions are computed lazily: the state holds the end of the last
 * one and a sync counts the periods elapsed since. A timer wakes the part
 * only when a conversion can change something (the temperature is past
 * the limit being watched, a one-shot ends), so the line moves at the
 * conversion that trips it. A change of `temperature` is converted at
 * once (the part's next conversion is taken to end then). On the FAST
 * clock there is no time: each change is converted as often as the fault
 * queue asks.
 */
#include <stdlib.h>

#include <i2cemu/board.h>

#include "lm75.h"

struct lm75_priv {
    struct i2cemu_timer timer;
    struct i2cemu_board *board;
    unsigned index;
};

static unsigned queue(const struct lm75_state *s)
{
    static const uint8_t len[4] = { 1, 2, 4, 6 };
    return len[(lm75_conf8(s) & CF_F) >> 3];
}

static bool past_limit(const struct lm75_state *s)
{
    int32_t t, lo, hi;
    lm75_levels(s, &t, &lo, &hi);
    return s->falling ? t < lo : t >= hi;
}

static void drive(struct i2cemu_dev *d, const struct lm75_state *s)
{
    i2cemu_dev_line_set(d, 0, s->alert == !!(lm75_conf8(s) & CF_POL));
}

/* One conversion's comparison. */
static void compare(struct i2cemu_dev *d, struct lm75_state *s)
{
    if (!past_limit(s)) {
        s->faults = 0;
        return;
    }
    if (++s->faults < queue(s))
        return;
    s->faults = 0;
    s->falling = !s->falling;
    s->alert = lm75_conf8(s) & CF_TM ? true : s->falling;
    drive(d, s);
}

static bool running(const struct lm75_state *s)
{
    return !(lm75_conf8(s) & CF_SD);
}

static void rearm(struct i2cemu_dev *d, const struct lm75_state *s)
{
    struct lm75_priv *p = d->priv;
    struct i2cemu_loop *l = i2cemu_dev_loop(d);
    if (s->converting)
        i2cemu_timer_start(l, &p->timer, s->oneshot_end_ns);
    else if (running(s) && i2cemu_dev_honours_busy_times(d) &&
             past_limit(s))
        i2cemu_timer_start(l, &p->timer, s->last_ns + lm75_period_ns(s));
    else
        i2cemu_timer_stop(l, &p->timer);
}

void lm75_sync(struct i2cemu_dev *d)
{
    struct lm75_state *s = d->state;
    uint64_t now = i2cemu_dev_now(d);
    if (s->converting && now >= s->oneshot_end_ns) {
        s->converting = false;
        s->oneshot_done = true;
        lm75_sample(s);
        compare(d, s);
    }
    if (running(s) && i2cemu_dev_honours_busy_times(d) && now > s->last_ns) {
        uint64_t p = lm75_period_ns(s), n = (now - s->last_ns) / p;
        /* More than the fault queue's 6 only matter when T_LOW is above
         * T_HIGH and the pin toggles; 16 bounds the work. */
        for (uint64_t i = 0; i < n && i < 16; i++)
            compare(d, s);
        s->last_ns += n * p;
    }
    rearm(d, s);
}

/* The conversions the limits or the configuration now call for. */
static void recheck(struct i2cemu_dev *d, struct lm75_state *s)
{
    if (running(s) && !i2cemu_dev_honours_busy_times(d))
        for (unsigned i = queue(s); i > 0; i--)
            compare(d, s);
    lm75_sync(d);
}

void lm75_convert_now(struct i2cemu_dev *d)
{
    struct lm75_state *s = d->state;
    if (!running(s))
        return;
    /* The periods since the last conversion changed nothing (else the
     * timer would have run them): this one starts the count anew. */
    s->last_ns = i2cemu_dev_now(d);
    lm75_sample(s);
    compare(d, s);
    recheck(d, s);
}

void lm75_conf_changed(struct i2cemu_dev *d, uint8_t old, bool oneshot)
{
    struct lm75_state *s = d->state;
    uint8_t cf = lm75_conf8(s), diff = old ^ cf;
    if (diff & CF_TM)
        s->alert = cf & CF_TM ? false : s->falling;
    if ((diff & CF_SD) && (cf & CF_SD) && (cf & CF_TM))
        s->alert = false; /* shutdown releases an interrupt */
    if ((diff & CF_SD) && !(cf & CF_SD)) {
        s->converting = false;
        s->oneshot_done = false;
        s->last_ns = i2cemu_dev_now(d);
    }
    if (oneshot && (cf & CF_SD) && !s->converting) {
        /* OS reads 0 until the conversion completes. */
        s->oneshot_done = false;
        s->converting = true;
        s->oneshot_end_ns = i2cemu_dev_now(d) +
                            (i2cemu_dev_honours_busy_times(d) ? lm75_conv_ns(s)
                                                              : 0);
    }
    drive(d, s);
    recheck(d, s);
}

void lm75_limits_changed(struct i2cemu_dev *d)
{
    recheck(d, d->state);
}

void lm75_read_clears(struct i2cemu_dev *d)
{
    struct lm75_state *s = d->state;
    if ((lm75_conf8(s) & CF_TM) && s->alert) {
        s->alert = false;
        drive(d, s);
    }
}

void lm75_changed(struct i2cemu_dev *d, const struct i2cemu_prop *p)
{
    (void)p; /* temperature, the only runtime property */
    lm75_convert_now(d);
}

static void wake(struct i2cemu_timer *t)
{
    struct lm75_priv *p = t->opaque;
    struct i2cemu_dev d = {
        .board = p->board,
        .index = p->index,
        .state = i2cemu_device_state(p->board, p->index),
        .priv = p,
    };
    lm75_sync(&d);
}

int lm75_alert_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct lm75_state *s = d->state;
    struct lm75_priv *p = calloc(1, sizeof(*p));
    if (!p) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }
    i2cemu_timer_init(&p->timer, wake, p);
    p->board = d->board;
    p->index = d->index;
    d->priv = p;
    drive(d, s);
    lm75_convert_now(d);
    return 0;
}

void lm75_alert_unrealize(struct i2cemu_dev *d)
{
    struct lm75_priv *p = d->priv;
    if (p)
        i2cemu_timer_stop(i2cemu_dev_loop(d), &p->timer);
    free(p);
    d->priv = NULL;
}
