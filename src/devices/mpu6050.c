/* SPDX-License-Identifier: MIT */
/*
 * InvenSense MPU-6050 6-axis accelerometer and gyroscope (Linux
 * drivers/iio/imu/inv_mpu6050: `mpu6050`). Register Map and Descriptions
 * RM-MPU-6000A-00 rev 4.2: 4.2 SMPLRT_DIV, 4.3 CONFIG, 4.4 GYRO_CONFIG,
 * 4.5 ACCEL_CONFIG, 4.6 FIFO_EN, 4.15 INT_PIN_CFG, 4.16 INT_ENABLE, 4.17
 * INT_STATUS, 4.18-4.20 the sensor outputs, 4.26 SIGNAL_PATH_RESET, 4.27
 * USER_CTRL, 4.28-4.29 PWR_MGMT_1/2, 4.30-4.31 FIFO_COUNT and FIFO_R_W,
 * 4.32 WHO_AM_I; Product Specification PS-MPU-6000A-00 rev 3.4, 6.1-6.2
 * and 6.4 (sensitivities, temperature).
 *
 * A register map of 8-bit registers; reads and writes auto-increment,
 * except at FIFO_R_W, where a burst reads the FIFO (Linux's
 * regmap_noinc_read). Samples are taken at the sample rate on the board
 * clock, computed lazily: the output registers while awake, DATA_RDY, and
 * the FIFO.
 */
#include <math.h>

#include "devices.h"
#include <i2cemu/regmap.h>

#define FIFO_SIZE 1024

#define PWR1_RESET   0x80
#define PWR1_SLEEP   0x40
#define PWR1_TEMPDIS 0x08
#define UC_FIFO_EN   0x40
#define UC_FIFO_RST  0x04
#define UC_SIG_RST   0x01
#define INT_FIFO_OFLOW 0x10
#define INT_DATA_RDY   0x01

/* Table indices. */
enum {
    R_SMPLRT_DIV, R_CONFIG, R_GYRO_CONFIG, R_ACCEL_CONFIG, R_FIFO_EN,
    R_INT_PIN_CFG, R_INT_ENABLE, R_INT_STATUS,
    R_OUT, /* ACCEL_XOUT_H (0x3B) .. GYRO_ZOUT_L (0x48) */
    R_SIG_RESET = R_OUT + 14, R_USER_CTRL, R_PWR1, R_PWR2,
    R_FIFO_COUNT_H, R_FIFO_COUNT_L, R_FIFO_RW, R_WHO_AM_I,
    NREGS,
};

struct mpu6050_state {
    double accel[3];     /* properties: g */
    double gyro[3];      /* properties: °/s */
    double temperature;  /* property: °C */
    uint64_t sampled_ns; /* the last sample was due then */
    uint16_t fifo_head, fifo_count;
    uint8_t fifo[FIFO_SIZE];
    struct i2cemu_regmap_state io;
    uint16_t regs[NREGS];
};

/* PS 6.1, 6.2: LSB per g and per °/s by AFS_SEL and FS_SEL. */
static const double accel_lsb[4] = { 16384, 8192, 4096, 2048 };
static const double gyro_lsb[4] = { 131, 65.5, 32.8, 16.4 };

static int16_t saturate(double v)
{
    v = round(v);
    return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

/* The 16-bit output k (0-2 accel, 3 temperature, 4-6 gyro) now. */
static int16_t output(const struct mpu6050_state *s, unsigned k)
{
    if (k < 3)
        return saturate(s->accel[k] *
                        accel_lsb[(s->regs[R_ACCEL_CONFIG] >> 3) & 3]);
    if (k == 3) /* RM 4.18: T = TEMP_OUT / 340 + 36.53 */
        return saturate((s->temperature - 36.53) * 340);
    return saturate(s->gyro[k - 4] *
                    gyro_lsb[(s->regs[R_GYRO_CONFIG] >> 3) & 3]);
}

/* Is output k sampled: awake, and its sensor not in standby (PWR_MGMT_2:
 * STBY_XA..ZA 5-3, XG..ZG 2-0) nor disabled (TEMP_DIS)? */
static bool running(const struct mpu6050_state *s, unsigned k)
{
    if (s->regs[R_PWR1] & PWR1_SLEEP)
        return false;
    if (k == 3)
        return !(s->regs[R_PWR1] & PWR1_TEMPDIS);
    unsigned bit = k < 3 ? 5 - k : 2 - (k - 4);
    return !(s->regs[R_PWR2] & (1u << bit));
}

/* RM 4.2: sample rate = gyroscope output rate (8 kHz with the DLPF off,
 * DLPF_CFG 0 or 7; 1 kHz otherwise) / (1 + SMPLRT_DIV). */
static uint64_t sample_ns(const struct mpu6050_state *s)
{
    unsigned dlpf = s->regs[R_CONFIG] & 7;
    uint64_t base = dlpf == 0 || dlpf == 7 ? 125000 : 1000000;
    return base * (1 + s->regs[R_SMPLRT_DIV]);
}

static void fifo_push(struct mpu6050_state *s, uint8_t b)
{
    if (s->fifo_count == FIFO_SIZE) { /* RM 4.17: the oldest is lost */
        s->fifo_head = (uint16_t)((s->fifo_head + 1) % FIFO_SIZE);
        s->fifo_count--;
        s->regs[R_INT_STATUS] |= INT_FIFO_OFLOW;
    }
    s->fifo[(s->fifo_head + s->fifo_count++) % FIFO_SIZE] = b;
}

/* RM 4.6: one sample's FIFO bytes, in register order (accel, temp, gyro
 * X, Y, Z), high byte first; a sensor that does not run repeats its last
 * sample. */
static void fifo_sample(struct mpu6050_state *s)
{
    uint8_t en = (uint8_t)s->regs[R_FIFO_EN];
    static const uint8_t want[7] = { 0x08, 0x08, 0x08, 0x80, 0x40, 0x20,
                                     0x10 };
    for (unsigned k = 0; k < 7; k++) {
        if (!(en & want[k]))
            continue;
        uint16_t v = running(s, k)
                         ? (uint16_t)output(s, k)
                         : (uint16_t)(s->regs[R_OUT + 2 * k] << 8 |
                                      s->regs[R_OUT + 2 * k + 1]);
        fifo_push(s, (uint8_t)(v >> 8));
        fifo_push(s, (uint8_t)v);
    }
}

/* Catch up with the samples due since the last one. */
static void sync(struct i2cemu_dev *d)
{
    struct mpu6050_state *s = d->state;
    uint64_t now = i2cemu_dev_now(d), period = sample_ns(s);
    if ((s->regs[R_PWR1] & PWR1_SLEEP) || now < s->sampled_ns) {
        s->sampled_ns = now;
        return;
    }
    uint64_t n = (now - s->sampled_ns) / period;
    if (!n)
        return;
    s->sampled_ns += n * period;
    s->regs[R_INT_STATUS] |= INT_DATA_RDY;
    if (s->regs[R_USER_CTRL] & UC_FIFO_EN)
        for (uint64_t i = 0; i < n && i <= FIFO_SIZE / 2; i++)
            fifo_sample(s);
}

static enum i2cemu_result mpu6050_event(struct i2cemu_dev *d,
                                        enum i2cemu_event ev)
{
    if (ev == I2CEMU_EV_START_SEND || ev == I2CEMU_EV_START_RECV)
        sync(d);
    return i2cemu_regmap_event(d, ev);
}

/* ACCEL_XOUT_H .. GYRO_ZOUT_L: high byte first; a sensor that does not
 * run holds its last sample. */
static uint16_t read_out(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                         uint16_t v)
{
    struct mpu6050_state *s = d->state;
    unsigned i = r->addr - 0x3B, k = i / 2;
    if (running(s, k)) {
        uint16_t o = (uint16_t)output(s, k);
        s->regs[R_OUT + 2 * k] = o >> 8;
        s->regs[R_OUT + 2 * k + 1] = o & 0xFF;
    }
    (void)v;
    return s->regs[R_OUT + i];
}

/* A read of FIFO_COUNT_H latches both bytes. */
static uint16_t read_count_h(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                             uint16_t v)
{
    struct mpu6050_state *s = d->state;
    (void)r;
    (void)v;
    s->regs[R_FIFO_COUNT_L] = s->fifo_count & 0xFF;
    return (uint16_t)(s->fifo_count >> 8);
}

/* FIFO_R_W: the oldest byte; an empty FIFO reads 0. */
static uint16_t read_fifo(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                          uint16_t v)
{
    struct mpu6050_state *s = d->state;
    (void)r;
    (void)v;
    if (!s->fifo_count)
        return 0;
    uint8_t b = s->fifo[s->fifo_head];
    s->fifo_head = (uint16_t)((s->fifo_head + 1) % FIFO_SIZE);
    s->fifo_count--;
    return b;
}

static uint16_t write_fifo(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                           uint16_t old, uint16_t v)
{
    (void)r;
    (void)old;
    fifo_push(d->state, (uint8_t)v);
    return 0;
}

static void clear_outputs(struct mpu6050_state *s)
{
    for (unsigned i = 0; i < 14; i++)
        s->regs[R_OUT + i] = 0;
}

/* The self-clearing reset bits of SIGNAL_PATH_RESET and USER_CTRL. */
static uint16_t write_sig_reset(struct i2cemu_dev *d,
                                const struct i2cemu_reg *r, uint16_t old,
                                uint16_t v)
{
    (void)r;
    (void)old;
    if (v)
        clear_outputs(d->state);
    return 0;
}

static uint16_t write_user_ctrl(struct i2cemu_dev *d,
                                const struct i2cemu_reg *r, uint16_t old,
                                uint16_t v)
{
    struct mpu6050_state *s = d->state;
    (void)r;
    (void)old;
    if (v & UC_FIFO_RST)
        s->fifo_head = s->fifo_count = 0;
    if (v & UC_SIG_RST)
        clear_outputs(s);
    return v & ~0x07u;
}

static const struct i2cemu_reg mpu6050_regs[NREGS];

static void device_reset(struct mpu6050_state *s)
{
    for (unsigned i = 0; i < NREGS; i++)
        s->regs[i] = mpu6050_regs[i].reset;
    s->fifo_head = s->fifo_count = 0;
}

/* DEVICE_RESET: every register to its power-on value (PWR_MGMT_1 0x40:
 * asleep); the bit clears itself. */
static uint16_t write_pwr1(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                           uint16_t old, uint16_t v)
{
    struct mpu6050_state *s = d->state;
    if (v & PWR1_RESET) {
        device_reset(s);
        return r->reset;
    }
    if ((old & PWR1_SLEEP) && !(v & PWR1_SLEEP))
        s->sampled_ns = i2cemu_dev_now(d); /* sampling starts now */
    return v;
}

#define REG(n, a, ...) { .name = n, .addr = a, .next = a + 1, __VA_ARGS__ }
#define RW(n, a, m) REG(n, a, .wmask = m)
#define OUT(i, n) [R_OUT + i] = REG(n, 0x3B + i, .read = read_out)

static const struct i2cemu_reg mpu6050_regs[NREGS] = {
    [R_SMPLRT_DIV] = RW("smplrt_div", 0x19, 0xFF),
    [R_CONFIG] = RW("config", 0x1A, 0x3F),
    [R_GYRO_CONFIG] = RW("gyro_config", 0x1B, 0xF8),
    [R_ACCEL_CONFIG] = RW("accel_config", 0x1C, 0xF8),
    [R_FIFO_EN] = RW("fifo_en", 0x23, 0xFF),
    [R_INT_PIN_CFG] = RW("int_pin_cfg", 0x37, 0xFE),
    [R_INT_ENABLE] = RW("int_enable", 0x38, 0x19),
    [R_INT_STATUS] = REG("int_status", 0x3A, .cor = 0xFF),
    OUT(0, "accel_xout_h"), OUT(1, "accel_xout_l"), OUT(2, "accel_yout_h"),
    OUT(3, "accel_yout_l"), OUT(4, "accel_zout_h"), OUT(5, "accel_zout_l"),
    OUT(6, "temp_out_h"), OUT(7, "temp_out_l"), OUT(8, "gyro_xout_h"),
    OUT(9, "gyro_xout_l"), OUT(10, "gyro_yout_h"), OUT(11, "gyro_yout_l"),
    OUT(12, "gyro_zout_h"), OUT(13, "gyro_zout_l"),
    [R_SIG_RESET] = REG("signal_path_reset", 0x68, .wmask = 0x07,
                        .write = write_sig_reset),
    [R_USER_CTRL] = REG("user_ctrl", 0x6A, .wmask = 0x77,
                        .write = write_user_ctrl),
    [R_PWR1] = REG("pwr_mgmt_1", 0x6B, .reset = 0x40, .wmask = 0xEF,
                   .write = write_pwr1),
    [R_PWR2] = RW("pwr_mgmt_2", 0x6C, 0xFF),
    [R_FIFO_COUNT_H] = REG("fifo_count_h", 0x72, .read = read_count_h),
    [R_FIFO_COUNT_L] = REG("fifo_count_l", 0x73),
    /* The pointer stays at FIFO_R_W: a burst reads the FIFO. */
    [R_FIFO_RW] = { .name = "fifo_r_w", .addr = 0x74, .next = 0x74,
                    .wmask = 0xFF, .read = read_fifo, .write = write_fifo },
    [R_WHO_AM_I] = REG("who_am_i", 0x75, .reset = 0x68),
};

static const struct i2cemu_regmap mpu6050_map = {
    I2CEMU_REGMAP_REGS(mpu6050_regs),
    .step = I2CEMU_REGMAP_NEXT,
    .unknown = I2CEMU_REGMAP_READ_00,
    I2CEMU_REGMAP_STATE(struct mpu6050_state, io, regs),
};

/* The head indexes the FIFO at the next FIFO_R_W read. */
static int mpu6050_state_check(struct i2cemu_dev *d, const void *state,
                               struct i2cemu_error *err)
{
    (void)d;
    const struct mpu6050_state *s = state;
    if (s->fifo_head >= FIFO_SIZE) {
        i2cemu_error_set(err, "fifo_head %u is past the FIFO's last byte "
                         "(%u)", s->fifo_head, FIFO_SIZE - 1);
        return -1;
    }
    return 0;
}

static int mpu6050_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct mpu6050_state *s = d->state;
    uint16_t addr = i2cemu_dev_addr(d);
    if (addr != 0x68 && addr != 0x69) {
        i2cemu_error_set(err, "addr=0x%02x: an mpu6050 answers at 0x68 "
                         "(AD0 low) or 0x69 (AD0 high)", addr);
        return -1;
    }
    if (i2cemu_regmap_realize(d, err) < 0)
        return -1;
    s->sampled_ns = i2cemu_dev_now(d);
    return 0;
}

#define AXIS(name, m, def, lim, unit)                                          \
    I2CEMU_PROP_FLOAT_(name, struct mpu6050_state, m, def, -(lim), lim,        \
                       I2CEMU_PROP_RUNTIME, unit)

static const struct i2cemu_prop mpu6050_props[] = {
    AXIS("accel_x", accel[0], 0.0, 32.0, "acceleration along X in g"),
    AXIS("accel_y", accel[1], 0.0, 32.0, "acceleration along Y in g"),
    AXIS("accel_z", accel[2], 1.0, 32.0, "acceleration along Z in g"),
    AXIS("gyro_x", gyro[0], 0.0, 4000.0, "rotation about X in °/s"),
    AXIS("gyro_y", gyro[1], 0.0, 4000.0, "rotation about Y in °/s"),
    AXIS("gyro_z", gyro[2], 0.0, 4000.0, "rotation about Z in °/s"),
    I2CEMU_PROP_FLOAT_("temperature", struct mpu6050_state, temperature, 25.0,
                       -40.0, 85.0, I2CEMU_PROP_RUNTIME,
                       "die temperature in °C"),
    I2CEMU_PROP_END,
};

#define FIELD(name) I2CEMU_FIELD(#name, struct mpu6050_state, name,           \
                                 I2CEMU_FIELD_RUNTIME)
static const struct i2cemu_field mpu6050_fields[] = {
    I2CEMU_REGMAP_FIELDS(struct mpu6050_state, io, regs),
    FIELD(sampled_ns), FIELD(fifo_head), FIELD(fifo_count), FIELD(fifo),
    I2CEMU_FIELD_END,
};

static const char mpu6050_doc[] =
    "InvenSense MPU-6050 (Register Map RM-MPU-6000A-00 rev 4.2, sections "
    "4.2-4.6, 4.15-4.20, 4.26-4.32; Product Specification PS-MPU-6000A-00 "
    "rev 3.4, 6.1, 6.2, 6.4), as Linux's `inv-mpu6050` driver probes it: "
    "WHO_AM_I (0x75) reads 0x68; PWR_MGMT_1 (0x6b) powers on at 0x40 "
    "(SLEEP) and DEVICE_RESET (bit 7) puts every register back to its "
    "power-on value; the driver then wakes the part, puts the sensors in "
    "standby through PWR_MGMT_2, and writes GYRO_CONFIG, CONFIG, "
    "SMPLRT_DIV, ACCEL_CONFIG and INT_PIN_CFG.\n\n"
    "Registers: SMPLRT_DIV, CONFIG (DLPF_CFG), GYRO_CONFIG and "
    "ACCEL_CONFIG (FS_SEL, AFS_SEL in bits 4:3), FIFO_EN, INT_PIN_CFG, "
    "INT_ENABLE, INT_STATUS (cleared by reading), the outputs 0x3b-0x48, "
    "SIGNAL_PATH_RESET, USER_CTRL, PWR_MGMT_1/2, FIFO_COUNT_H/L, "
    "FIFO_R_W, WHO_AM_I. The pointer auto-increments, except at FIFO_R_W, "
    "where a burst reads the FIFO.\n\n"
    "Outputs, high byte first, two's complement, from the properties: "
    "acceleration x 16384, 8192, 4096 or 2048 LSB/g by AFS_SEL; rotation x "
    "131, 65.5, 32.8 or 16.4 LSB/(°/s) by FS_SEL; temperature (T - 36.53) "
    "x 340. A sensor asleep, in standby (PWR_MGMT_2) or disabled "
    "(TEMP_DIS) holds its last sample (0 after power on).\n\n"
    "Sampling runs on the board clock while awake, at 8 kHz (DLPF_CFG 0 or "
    "7) or 1 kHz, divided by 1 + SMPLRT_DIV: each sample sets DATA_RDY in "
    "INT_STATUS and, with USER_CTRL FIFO_EN, appends the sensors FIFO_EN "
    "selects (accelerometer, temperature, gyroscope X, Y, Z, 2 bytes each, "
    "in that order) to the 1024-byte FIFO; a full FIFO drops its oldest "
    "bytes and sets FIFO_OFLOW_INT. Reading FIFO_COUNT_H latches the "
    "count for FIFO_COUNT_L; USER_CTRL FIFO_RESET empties the FIFO; an "
    "empty FIFO reads 0.\n\n"
    "Not modelled: the INT pin, the auxiliary I2C master and its "
    "registers, self test and the factory trim and offset registers, the "
    "digital low-pass filter's effect, cycle mode, the clock source, the "
    "start-up and reset times. Other addresses read 0x00 and ignore "
    "writes. Addresses: 0x68 (AD0 low) or 0x69 (AD0 high).\n";

const struct i2cemu_device_type i2cemu_mpu6050 = {
    .name = "mpu6050",
    .family = "MPU-6050 IMU",
    .doc = mpu6050_doc,
    .help = "MPU-6050 accelerometer and gyroscope, at 0x68 or 0x69",
    .props = mpu6050_props,
    .fields = mpu6050_fields,
    .state_size = sizeof(struct mpu6050_state),
    .realize = mpu6050_realize,
    .state_check = mpu6050_state_check,
    .event = mpu6050_event,
    .send = i2cemu_regmap_send,
    .recv = i2cemu_regmap_recv,
    .regmap = &mpu6050_map,
};
