/* SPDX-License-Identifier: MIT */
/*
 * Maxim MAX31790 6-channel PWM-output fan RPM controller (Linux
 * drivers/hwmon/max31790.c: `max31790`). Datasheet 19-7143 Rev 2:
 * "Register Map", "Fan Configuration", "Fan Dynamics", "TACH Count",
 * "PWM Duty Cycle", "PWMOUT Target Duty Cycle", "TACH Target Count",
 * "Fan Fault Status", "Two-wire serial interface" (rows of eight).
 *
 * A register map of 8-bit registers; the 16-bit quantities are MSB/LSB
 * register pairs. Reads auto-increment through the whole map; writes wrap
 * within their row of eight registers (the send wrapper below).
 */
#include "devices.h"
#include <i2cemu/regmap.h>

#define NFANS  6
#define NTACHS 12
#define COUNT_MAX 0x7FF /* 11-bit tach counts */
#define DUTY_MAX  511   /* 9-bit duty cycles */

#define CFG_RPM_MODE  0x80
#define CFG_TACH_EN   0x08
#define CFG_PWM_TACH  0x01 /* the PWM pin is TACH7-12's input */
#define GLOBAL_RESET  0x40

/* Table indices. */
enum {
    R_GLOBAL, R_FREQ,
    R_CFG, R_DYN = R_CFG + NFANS,
    R_FS2 = R_DYN + NFANS, R_FS1, R_FM2, R_FM1, R_FFO,
    R_TACH,                       /* MSB, LSB of TACH1..12 */
    R_DUTY = R_TACH + 2 * NTACHS, /* MSB, LSB of PWMOUT1..6's duty */
    R_PWMOUT = R_DUTY + 2 * NFANS,
    R_TARGET = R_PWMOUT + 2 * NFANS,
    R_WINDOW = R_TARGET + 2 * NFANS,
    NREGS = R_WINDOW + NFANS,
};

struct max31790_state {
    uint32_t fan[NTACHS];  /* properties: TACH1..12 speeds, RPM */
    uint32_t max_rpm;      /* property: a fan's speed at 100% duty */
    uint8_t pulses;        /* property: tach pulses per revolution (NP) */
    uint16_t pwm[NFANS];   /* read-only properties: duty cycles, 0-511 */
    uint16_t latched;      /* fault status bits, TACH1..12 */
    struct i2cemu_regmap_state io;
    uint16_t regs[NREGS];
};

static const uint8_t tach_periods[8] = { 1, 2, 4, 8, 16, 32, 32, 32 };

static uint16_t pair(const struct max31790_state *s, unsigned i)
{
    return (uint16_t)(s->regs[i] << 8 | s->regs[i + 1]);
}

static unsigned sr(const struct max31790_state *s, unsigned ch)
{
    return tach_periods[s->regs[R_DYN + ch] >> 5];
}

/* "TACH Count": SR periods of the tach signal counted at 8192 Hz:
 * count = 60 x SR x 8192 / (NP x RPM), saturating at 2047. */
static unsigned count_of(const struct max31790_state *s, unsigned t)
{
    uint64_t rpm = s->fan[t], np = s->pulses;
    if (!rpm)
        return COUNT_MAX;
    uint64_t c = 60ull * sr(s, t % NFANS) * 8192 / (np * rpm);
    return c > COUNT_MAX ? COUNT_MAX : (unsigned)c;
}

static bool monitored(const struct max31790_state *s, unsigned t)
{
    uint8_t cfg = (uint8_t)s->regs[R_CFG + t % NFANS];
    return t < NFANS ? (cfg & (CFG_TACH_EN | CFG_RPM_MODE)) != 0
                     : (cfg & CFG_PWM_TACH) != 0;
}

/* The duty each PWM output drives: the target in PWM mode; in RPM mode
 * the loop is taken as settled on a fan linear in duty, max_rpm at 100%. */
static unsigned duty_of(const struct max31790_state *s, unsigned ch)
{
    if (!(s->regs[R_CFG + ch] & CFG_RPM_MODE))
        return pair(s, R_PWMOUT + 2 * ch) >> 7;
    unsigned target = pair(s, R_TARGET + 2 * ch) >> 5;
    if (!target)
        return DUTY_MAX;
    double rpm = 60.0 * sr(s, ch) * 8192 / ((double)s->pulses * target);
    double duty = DUTY_MAX * rpm / s->max_rpm + 0.5;
    return duty > DUTY_MAX ? DUTY_MAX : (unsigned)duty;
}

/* A monitored fan faults when it is too slow to count (stopped), or, in
 * RPM mode, when it stays slower than the target at 100% duty. */
static bool faulted(const struct max31790_state *s, unsigned t)
{
    if (!monitored(s, t))
        return false;
    unsigned c = count_of(s, t), ch = t % NFANS;
    if (c >= COUNT_MAX)
        return true;
    return t < NFANS && (s->regs[R_CFG + ch] & CFG_RPM_MODE) &&
           duty_of(s, ch) == DUTY_MAX &&
           c > (unsigned)(pair(s, R_TARGET + 2 * ch) >> 5);
}

static unsigned faults(const struct max31790_state *s)
{
    unsigned f = 0;
    for (unsigned t = 0; t < NTACHS; t++)
        f |= (unsigned)faulted(s, t) << t;
    return f;
}

/* Recompute the observed duty cycles, latch the faults present, and
 * drive the FAN_FAIL output (active while an unmasked fault is latched). */
static void refresh(struct i2cemu_dev *d)
{
    struct max31790_state *s = d->state;
    for (unsigned ch = 0; ch < NFANS; ch++)
        s->pwm[ch] = (uint16_t)duty_of(s, ch);
    unsigned mask = (s->regs[R_FM1] & 0x3F) | (s->regs[R_FM2] & 0x3F) << 6;
    s->latched |= (uint16_t)faults(s);
    i2cemu_dev_line_set(d, 0, (s->latched & ~mask) != 0);
}

static uint16_t read_fault(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                           uint16_t v)
{
    struct max31790_state *s = d->state;
    (void)v;
    return (uint16_t)(r->addr == 0x11 ? s->latched & 0x3F : s->latched >> 6);
}

/* TACH counts, left-justified: TACH[10:3] in the MSB, [2:0] in 7:5 of the
 * LSB. A tach input that is not monitored keeps its last count. */
static uint16_t read_tach(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                          uint16_t v)
{
    struct max31790_state *s = d->state;
    unsigned i = r->addr - 0x18, t = i / 2;
    if (!monitored(s, t))
        return v;
    unsigned c = count_of(s, t);
    s->regs[R_TACH + 2 * t] = (uint16_t)(c >> 3);
    s->regs[R_TACH + 2 * t + 1] = (uint16_t)((c & 7) << 5);
    return s->regs[R_TACH + i];
}

static uint16_t read_duty(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                          uint16_t v)
{
    struct max31790_state *s = d->state;
    unsigned i = r->addr - 0x30, duty = duty_of(s, i / 2);
    (void)v;
    return (uint16_t)(i & 1 ? (duty & 1) << 7 : duty >> 1);
}

static const struct i2cemu_reg max31790_regs[NREGS];

/* Configuration, dynamics, masks, targets: store, then recompute what
 * depends on them. A write to a channel's configuration, dynamics or
 * TACH target clears its latched faults (TACHn and TACHn+6; Linux's
 * max31790_read_fan writes the target to clear one); a fault still
 * present latches again. */
static uint16_t write_refresh(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                              uint16_t old, uint16_t v)
{
    struct max31790_state *s = d->state;
    unsigned i = (unsigned)(r - max31790_regs), ch = NFANS;
    (void)old;
    if (i >= R_CFG && i < R_DYN + NFANS)
        ch = (i - R_CFG) % NFANS;
    else if (i >= R_TARGET && i < R_TARGET + 2 * NFANS)
        ch = (i - R_TARGET) / 2;
    if (ch < NFANS)
        s->latched &= (uint16_t)~(1u << ch | 1u << (ch + NFANS));
    s->regs[i] = v;
    refresh(d);
    return v;
}

/* Global Configuration bit 6: reset every register to its power-on value
 * (the bit clears itself). */
static uint16_t write_global(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                             uint16_t old, uint16_t v)
{
    struct max31790_state *s = d->state;
    (void)old;
    if (!(v & GLOBAL_RESET))
        return v;
    for (unsigned i = 0; i < NREGS; i++)
        s->regs[i] = max31790_regs[i].reset;
    s->latched = 0;
    refresh(d);
    return r->reset;
}

#define REG(n, a, ...) { .name = n, .addr = a, __VA_ARGS__ }
/* M(index, datasheet number) for channels 1-6 and tach inputs 1-12. */
#define X6(M) M(0, 1), M(1, 2), M(2, 3), M(3, 4), M(4, 5), M(5, 6)
#define X12(M) X6(M), M(6, 7), M(7, 8), M(8, 9), M(9, 10), M(10, 11), M(11, 12)
#define CFG(i, n)                                                             \
    [R_CFG + i] = REG("fan_config" #n, 0x02 + i, .wmask = 0xFF,               \
                      .write = write_refresh)
#define DYN(i, n)                                                             \
    [R_DYN + i] = REG("fan_dynamics" #n, 0x08 + i, .reset = 0x4C,             \
                      .wmask = 0xFF, .write = write_refresh)
#define TACH(i, n)                                                            \
    [R_TACH + 2 * i] = REG("tach_count" #n "_msb", 0x18 + 2 * i,              \
                           .read = read_tach),                                \
    [R_TACH + 2 * i + 1] = REG("tach_count" #n "_lsb", 0x19 + 2 * i,          \
                               .read = read_tach)
#define DUTY(i, n)                                                            \
    [R_DUTY + 2 * i] = REG("pwm_duty" #n "_msb", 0x30 + 2 * i,                \
                           .read = read_duty),                                \
    [R_DUTY + 2 * i + 1] = REG("pwm_duty" #n "_lsb", 0x31 + 2 * i,            \
                               .read = read_duty)
/* PWMOUT target duty: 9 bits in 15:7, power-on 25% (0x4000). */
#define PWMOUT(i, n)                                                          \
    [R_PWMOUT + 2 * i] = REG("pwmout" #n "_msb", 0x40 + 2 * i, .reset = 0x40, \
                             .wmask = 0xFF, .write = write_refresh),          \
    [R_PWMOUT + 2 * i + 1] = REG("pwmout" #n "_lsb", 0x41 + 2 * i,            \
                                 .wmask = 0x80, .write = write_refresh)
/* TACH target count: 11 bits in 15:5, power-on 0x3D60 (491: 2000 RPM at
 * SR 4, NP 2). */
#define TARGET(i, n)                                                          \
    [R_TARGET + 2 * i] = REG("tach_target" #n "_msb", 0x50 + 2 * i,           \
                             .reset = 0x3D, .wmask = 0xFF,                    \
                             .write = write_refresh),                         \
    [R_TARGET + 2 * i + 1] = REG("tach_target" #n "_lsb", 0x51 + 2 * i,       \
                                 .reset = 0x60, .wmask = 0xE0,                \
                                 .write = write_refresh)
#define WINDOW(i, n) [R_WINDOW + i] = REG("window" #n, 0x60 + i, .wmask = 0xFF)

static const struct i2cemu_reg max31790_regs[NREGS] = {
    /* Bit 0 (watchdog status) is read-only. */
    [R_GLOBAL] = REG("global_config", 0x00, .reset = 0x20, .wmask = 0xFE,
                     .write = write_global),
    [R_FREQ] = REG("pwm_frequency", 0x01, .reset = 0x44, .wmask = 0xFF),
    X6(CFG), X6(DYN),
    [R_FS2] = REG("fan_fault_status2", 0x10, .read = read_fault),
    [R_FS1] = REG("fan_fault_status1", 0x11, .read = read_fault),
    [R_FM2] = REG("fan_fault_mask2", 0x12, .wmask = 0x3F,
                  .write = write_refresh),
    [R_FM1] = REG("fan_fault_mask1", 0x13, .wmask = 0x3F,
                  .write = write_refresh),
    [R_FFO] = REG("failed_fan_options", 0x14, .reset = 0x45, .wmask = 0xFF),
    X12(TACH), X6(DUTY), X6(PWMOUT), X6(TARGET), X6(WINDOW),
};

static const struct i2cemu_regmap max31790_map = {
    I2CEMU_REGMAP_REGS(max31790_regs),
    .step = I2CEMU_REGMAP_INC,
    .unknown = I2CEMU_REGMAP_READ_00,
    I2CEMU_REGMAP_STATE(struct max31790_state, io, regs),
};

/* "Two-wire serial interface": consecutive writes stay in the row of eight
 * registers they started in; after its last byte the next is its first. */
static enum i2cemu_result max31790_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct max31790_state *s = d->state;
    bool data = s->io.npointer > 0;
    uint16_t p = s->io.pointer;
    enum i2cemu_result res = i2cemu_regmap_send(d, byte);
    if (data && res == I2CEMU_ACK && (p & 7) == 7 && s->io.pointer == p + 1)
        s->io.pointer = (uint16_t)(p & ~7u);
    return res;
}

static void max31790_changed(struct i2cemu_dev *d, const struct i2cemu_prop *p)
{
    (void)p;
    refresh(d);
}

static int max31790_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    uint16_t addr = i2cemu_dev_addr(d);
    if (addr < 0x20 || addr > 0x2F) {
        i2cemu_error_set(err, "addr=0x%02x: a max31790 answers at "
                         "0x20-0x2f", addr);
        return -1;
    }
    if (i2cemu_regmap_realize(d, err) < 0)
        return -1;
    refresh(d);
    return 0;
}

#define FAN(i)                                                                 \
    I2CEMU_PROP_UINT_("fan" #i, struct max31790_state, fan[i - 1], 2000, 0,   \
                      1000000, I2CEMU_PROP_RUNTIME,                            \
                      "TACH" #i " input: the fan's speed in RPM")
#define PWM(i)                                                                 \
    I2CEMU_PROP_UINT_("pwm" #i, struct max31790_state, pwm[i - 1], 0, 0,      \
                      DUTY_MAX, I2CEMU_PROP_READONLY,                          \
                      "PWMOUT" #i " duty cycle driven, 0-511 (511: 100%)")

static const struct i2cemu_prop max31790_props[] = {
    FAN(1), FAN(2), FAN(3), FAN(4), FAN(5), FAN(6),
    FAN(7), FAN(8), FAN(9), FAN(10), FAN(11), FAN(12),
    I2CEMU_PROP_UINT_("max_rpm", struct max31790_state, max_rpm, 10000, 1,
                      1000000, I2CEMU_PROP_RUNTIME,
                      "RPM mode: a fan's speed at 100% duty"),
    I2CEMU_PROP_UINT_("pulses", struct max31790_state, pulses, 2, 1, 4, 0,
                      "tach pulses per revolution (NP)"),
    PWM(1), PWM(2), PWM(3), PWM(4), PWM(5), PWM(6),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field max31790_fields[] = {
    I2CEMU_REGMAP_FIELDS(struct max31790_state, io, regs),
    I2CEMU_FIELD("latched", struct max31790_state, latched,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD_END,
};

static const char *const max31790_lines[] = { "fan_fail", NULL };

static const char max31790_doc[] =
    "Maxim MAX31790 (datasheet 19-7143 Rev 2: \"Register Map\", \"Fan "
    "Configuration\", \"Fan Dynamics\", \"TACH Count\", \"PWM Duty "
    "Cycle\", \"PWMOUT Target Duty Cycle\", \"TACH Target Count\", \"Fan "
    "Fault Status\"), as Linux's `max31790` driver uses it: probe reads "
    "the six Fan Configuration and Fan Dynamics registers; fan speeds are "
    "word reads (swapped) of the TACH counts, PWM targets and TACH "
    "targets.\n\n"
    "Registers are 8-bit; 16-bit quantities are MSB/LSB pairs. Reads "
    "auto-increment; writes wrap within their row of eight registers. "
    "Power-on values: Global Configuration 0x20, PWM Frequency 0x44, Fan "
    "Configuration 0x00, Fan Dynamics 0x4c (SR 4), Failed Fan Options "
    "0x45, PWMOUT targets 0x4000 (25%), TACH targets 0x3d60, the rest 0. "
    "Writing Global Configuration bit 6 resets every register.\n\n"
    "TACH1-6 are counted while their channel's TACH input is enabled "
    "(Fan Configuration bit 3) or in RPM mode (bit 7), TACH7-12 while the "
    "channel's PWM pin is a tach input (bit 0); a count is 60 x SR x 8192 "
    "/ (`pulses` x `fanN`), 11 bits left-justified, 2047 for a stopped "
    "fan, and an input not counted keeps its last count. The PWM Duty "
    "Cycle registers and the read-only `pwmN` properties give the duty "
    "each output drives: the PWMOUT target in PWM mode; in RPM mode the "
    "loop is taken as settled on a fan linear in duty, so the duty is 511 "
    "x (the target count's RPM) / `max_rpm`, at most 511. The fan's own "
    "speed is still `fanN`: set it to model how the fan follows.\n\n"
    "Fan Fault Status 1 (TACH1-6) and 2 (TACH7-12): a counted fan faults "
    "while it is stopped (count 2047) or, in RPM mode, slower than its "
    "target at 100% duty. A fault bit is latched until the channel's Fan "
    "Configuration, Fan Dynamics or TACH Target Count is written (as "
    "Linux's driver clears it), and set again if the fault is still "
    "there; the output line `fan_fail` is high while an unmasked fault is "
    "latched (Fan Fault Mask 1/2).\n\n"
    "Not modelled: the PWM frequency, rates of change and spin-up (a duty "
    "change is immediate), standby, the bus timeout and watchdog, "
    "sequential start, locked-rotor inputs, the window registers' effect "
    "(they are stored). Reserved registers read "
    "0x00 and ignore writes. Addresses: 0x20-0x2f.\n";

const struct i2cemu_device_type i2cemu_max31790 = {
    .name = "max31790",
    .family = "MAX31790 fan controller",
    .doc = max31790_doc,
    .help = "MAX31790 6-channel fan controller, RPM and PWM, at 0x20-0x2f",
    .props = max31790_props,
    .fields = max31790_fields,
    .state_size = sizeof(struct max31790_state),
    .lines = max31790_lines,
    .changed = max31790_changed,
    .realize = max31790_realize,
    .event = i2cemu_regmap_event,
    .send = max31790_send,
    .recv = i2cemu_regmap_recv,
    .regmap = &max31790_map,
};
