/* SPDX-License-Identifier: MIT */
/* The LM75 family's shared state (lm75.c: variants and registers;
 * lm75_alert.c: conversions, the fault queue and the ALERT/O.S. pin). */
#ifndef I2CEMU_DEVICES_LM75_H
#define I2CEMU_DEVICES_LM75_H

#include <i2cemu/regmap.h>

enum { REG_TEMP, REG_CONF, REG_LOW, REG_HIGH, REG_EXTRA, NREGS };

/* Configuration bits, in the LM75's byte (the TMP102's first byte). */
#define CF_SD  0x01 /* shutdown */
#define CF_TM  0x02 /* thermostat mode: 1 interrupt, 0 comparator */
#define CF_POL 0x04 /* polarity: 1 active high */
#define CF_F   0x18 /* fault queue F1-F0: 1, 2, 4, 6 conversions */
#define CF_R   0x60 /* converter resolution R1-R0: 9 + R bits */
#define CF_OS  0x80 /* one-shot */

/* A part of the family: a row of lm75.c's table. */
struct lm75_variant {
    bool tmp102;          /* TMP102 layout: 16-bit configuration, EM, CR */
    uint8_t bits;         /* fixed resolution; 0: R1-R0 select 9-12 bits */
    uint8_t conf_wmask;   /* writable configuration bits (8-bit parts) */
    uint16_t limit_mask;  /* bits T_LOW/T_HIGH store (8-bit parts) */
    bool oneshot;         /* OS starts a conversion in shutdown */
    bool d7_alert;        /* D7 reads the comparator (TMP100/101) */
    uint32_t conv_us[4];  /* conversion time per R1-R0 (or [0]) */
};

struct lm75_state {
    double temperature; /* property */
    struct i2cemu_regmap_state io;
    uint16_t regs[NREGS]; /* TMP102: the configuration's writable bits */
    uint64_t last_ns;        /* end of the last continuous conversion */
    uint64_t oneshot_end_ns; /* a one-shot conversion runs until */
    int16_t temp, low, high; /* TMP102: the temperatures, °C * 16 */
    uint8_t variant;         /* index in lm75.c's table */
    uint8_t faults;          /* consecutive conversions past the limit */
    bool falling;   /* comparator tripped: waiting for T < T_LOW */
    bool alert;     /* the pin is active */
    bool converting;   /* a one-shot is running */
    bool oneshot_done; /* TMP102: OS reads 1 */
};

/* lm75.c */
const struct lm75_variant *lm75_variant(const struct lm75_state *s);
uint8_t lm75_conf8(const struct lm75_state *s); /* the bits above */
/* Conversion period, ns: R1-R0's conversion time, TMP102's CR,
 * PCT2075's T_idle. */
uint64_t lm75_period_ns(const struct lm75_state *s);
/* One conversion's time, ns (a one-shot's). */
uint64_t lm75_conv_ns(const struct lm75_state *s);
/* Convert `temperature` into the temperature register (or TMP102's
 * temp). */
void lm75_sample(struct lm75_state *s);
/* The converted temperature and the limits, in one scale. */
void lm75_levels(const struct lm75_state *s, int32_t *t, int32_t *lo,
                 int32_t *hi);

/* lm75_doc.c: the docs/devices.md notes. */
extern const char lm75_doc[], tmp102_doc[];

/* lm75_alert.c */
int lm75_alert_realize(struct i2cemu_dev *d, struct i2cemu_error *err);
void lm75_alert_unrealize(struct i2cemu_dev *d);
/* Catch up with the conversions due by now; re-arm the wakeup. */
void lm75_sync(struct i2cemu_dev *d);
/* A conversion now (temperature changed, realize, one-shot, FAST clock). */
void lm75_convert_now(struct i2cemu_dev *d);
/* The configuration changed from `old` (8-bit view); `oneshot`: OS was
 * written 1. The new value is in regs[REG_CONF]. */
void lm75_conf_changed(struct i2cemu_dev *d, uint8_t old, bool oneshot);
/* A limit register changed (stored already). */
void lm75_limits_changed(struct i2cemu_dev *d);
/* The master read a register: an interrupt-mode alert clears. */
void lm75_read_clears(struct i2cemu_dev *d);
void lm75_changed(struct i2cemu_dev *d, const struct i2cemu_prop *p);

#endif
