/* SPDX-License-Identifier: MIT */
/*
 * Bosch BMP280 pressure and temperature sensor and BME280 humidity,
 * pressure and temperature sensor (Linux drivers/iio/pressure/bmp280-*.c:
 * `bmp280`, `bme280`). BMP280 datasheet BST-BMP280-DS001: 3.3-3.6
 * (modes, measurement, timing), 3.11-3.12 (compensation, worked example),
 * 4 (memory map), 5.2 (I2C), appendix 9 (measurement time); BME280
 * datasheet BST-BME280-DS002: 4.2.3, 5.4 (registers), 9.
 *
 * Not a register map: on I2C (5.2.1) a write is pairs of register address
 * and data, with no auto-increment, while a read auto-increments from the
 * address last written. The kit's regmap has no pair mode, so the model
 * runs the protocol itself over a 256-byte address space.
 *
 * Measurements are lazy: the data registers are brought up to date at
 * each START from the board clock, so a burst read sees one measurement
 * (the datasheet's shadowing).
 */
#include <i2cemu/board.h>
#include <i2cemu/device.h>

#include "bmp280_comp.h"
#include "devices.h"

enum {
    REG_ID = 0xD0, REG_RESET = 0xE0, REG_CTRL_HUM = 0xF2, REG_STATUS = 0xF3,
    REG_CTRL_MEAS = 0xF4, REG_CONFIG = 0xF5, REG_PRESS = 0xF7,
    REG_TEMP = 0xFA, REG_HUM = 0xFD,
};
#define RESET_CMD 0xB6
#define STATUS_MEASURING 0x08
#define STATUS_IM_UPDATE 0x01
#define MODE_SLEEP 0
#define MODE_NORMAL 3
#define SKIPPED 0x80000 /* 20-bit data of a skipped measurement */
#define SKIPPED_H 0x8000
#define NS_PER_US 1000ull
#define STARTUP_NS (2000 * NS_PER_US) /* t_startup, 1.2 table 2: 2 ms */

struct bmp280_state {
    double temperature; /* properties: °C, Pa */
    double pressure;
    uint64_t start_ns;    /* forced: the measurement; normal: the cycle */
    uint64_t reset_ns;    /* the last soft reset (NVM copy until +2 ms) */
    uint64_t cycles;      /* normal mode: measurements in the registers */
    uint32_t meas_ns;     /* this configuration's measurement time */
    uint32_t adc_t, adc_p;
    uint16_t adc_h;
    uint8_t ptr;          /* register address */
    uint8_t nbytes;       /* bytes written in this message */
    uint8_t ctrl_hum, osrs_h; /* written; in force (from ctrl_meas write) */
    uint8_t ctrl_meas, config;
    bool reset_done;      /* a soft reset happened (im_update timing) */
    double humidity;      /* property, %RH: BME280 only (last member) */
};

static bool is_bme(const struct i2cemu_dev *d)
{
    return i2cemu_device_type_of(d->board, d->index) == &i2cemu_bme280;
}

/* osrs codes 0-7: oversampling count (0: skipped; 5-7: x16). */
static unsigned osr(unsigned code)
{
    return code == 0 ? 0 : code >= 5 ? 16 : 1u << (code - 1);
}

/* Appendix 9.1 (BME280 9.1): t_measure,typ = 1 + 2 T + [2 P + 0.5]
 * [+ 2 H + 0.5] ms, the bracketed terms only when measured. */
static uint32_t measure_ns(const struct i2cemu_dev *d,
                           const struct bmp280_state *s)
{
    unsigned t = osr(s->ctrl_meas >> 5), p = osr(s->ctrl_meas >> 2 & 7),
             h = is_bme(d) ? osr(s->osrs_h) : 0;
    uint32_t us = 1000 + 2000 * t;
    if (p)
        us += 2000 * p + 500;
    if (h)
        us += 2000 * h + 500;
    return i2cemu_dev_honours_busy_times(d) ? us * (uint32_t)NS_PER_US : 0;
}

/* 3.6.3: t_standby per config.t_sb (the BME280 has 10 and 20 ms at 6, 7). */
static uint64_t standby_ns(const struct i2cemu_dev *d,
                           const struct bmp280_state *s)
{
    static const uint32_t bmp_us[] = { 500, 62500, 125000, 250000,
                                       500000, 1000000, 2000000, 4000000 };
    static const uint32_t bme_us[] = { 500, 62500, 125000, 250000,
                                       500000, 1000000, 10000, 20000 };
    unsigned sb = s->config >> 5;
    return (is_bme(d) ? bme_us[sb] : bmp_us[sb]) * NS_PER_US;
}

/*
 * One measurement: the raw values the compensation maps to the
 * properties. Resolution (3.4, 3.5): 20 bits with the IIR filter on,
 * else 16 + (osrs - 1) bits; the unused low bits read 0. Humidity is
 * always 16-bit (BME280 3.4.3).
 */
static void measure(struct i2cemu_dev *d, struct bmp280_state *s)
{
    const struct i2cemu_bmp280_calib *c = &i2cemu_bmp280_calib;
    unsigned ot = s->ctrl_meas >> 5, op = s->ctrl_meas >> 2 & 7;
    bool filter = (s->config >> 2 & 7) != 0;
    unsigned st = filter || ot >= 5 ? 0 : 5 - ot;
    unsigned sp = filter || op >= 5 ? 0 : 5 - op;
    int32_t t_fine;

    /* Pressure and humidity are compensated with t_fine: a driver
     * computes it from the adc_T it reads (at that resolution), so encode
     * them for that one; skipped, for the exact temperature. */
    s->adc_t = ot ? (uint32_t)i2cemu_bmp280_raw_t(c, s->temperature, st)
                  : SKIPPED;
    i2cemu_bmp280_comp_t(c, ot ? (int32_t)s->adc_t
                               : i2cemu_bmp280_raw_t(c, s->temperature, 0),
                         &t_fine);
    s->adc_p = op ? (uint32_t)i2cemu_bmp280_raw_p(c, s->pressure, t_fine, sp)
                  : SKIPPED;
    if (is_bme(d))
        s->adc_h = s->osrs_h ? (uint16_t)i2cemu_bme280_raw_h(c, s->humidity,
                                                              t_fine)
                             : SKIPPED_H;
}

/* Bring the measurements up to now; returns status.measuring. */
static bool sync(struct i2cemu_dev *d, struct bmp280_state *s)
{
    uint64_t now = i2cemu_dev_now(d), end = s->start_ns + s->meas_ns;
    unsigned mode = s->ctrl_meas & 3;

    if (mode == MODE_SLEEP)
        return false;
    if (mode != MODE_NORMAL) { /* forced: one measurement, then sleep */
        if (now < end)
            return true;
        measure(d, s);
        s->ctrl_meas &= (uint8_t)~3;
        return false;
    }
    uint64_t period = s->meas_ns + standby_ns(d, s);
    if (now >= end) {
        uint64_t n = (now - end) / period + 1;
        if (n > s->cycles) {
            s->cycles = n;
            measure(d, s);
        }
    }
    return (now - s->start_ns) % period < s->meas_ns;
}

static void power_on(struct bmp280_state *s)
{
    s->ctrl_hum = s->osrs_h = s->ctrl_meas = s->config = 0;
    s->adc_t = s->adc_p = SKIPPED;
    s->adc_h = SKIPPED_H;
    s->ptr = 0;
}

static uint8_t reg_read(struct i2cemu_dev *d, struct bmp280_state *s,
                        uint8_t a)
{
    uint8_t lo[26], hi[7];
    bool bme = is_bme(d);
    uint64_t now = i2cemu_dev_now(d);

    if (a >= 0x88 && a <= 0xA1) {
        i2cemu_bmp280_nvm(&i2cemu_bmp280_calib, lo, hi);
        return a == 0xA1 && !bme ? 0 : lo[a - 0x88];
    }
    if (bme && a >= 0xE1 && a <= 0xE7) {
        i2cemu_bmp280_nvm(&i2cemu_bmp280_calib, lo, hi);
        return hi[a - 0xE1];
    }
    switch (a) {
    case REG_ID:
        return bme ? 0x60 : 0x58;
    case REG_CTRL_HUM:
        return bme ? s->ctrl_hum : 0;
    case REG_STATUS:
        return (uint8_t)((sync(d, s) ? STATUS_MEASURING : 0) |
                         (s->reset_done && i2cemu_dev_honours_busy_times(d) &&
                          now < s->reset_ns + STARTUP_NS ? STATUS_IM_UPDATE
                                                          : 0));
    case REG_CTRL_MEAS:
        return s->ctrl_meas;
    case REG_CONFIG:
        return s->config;
    case REG_PRESS: case REG_PRESS + 1: case REG_PRESS + 2:
        return (uint8_t)((s->adc_p << 4) >> (8 * (REG_PRESS + 2 - a)));
    case REG_TEMP: case REG_TEMP + 1: case REG_TEMP + 2:
        return (uint8_t)((s->adc_t << 4) >> (8 * (REG_TEMP + 2 - a)));
    case REG_HUM: case REG_HUM + 1:
        return bme ? (uint8_t)(s->adc_h >> (8 * (REG_HUM + 1 - a))) : 0;
    default:
        return 0; /* reserved and unused addresses */
    }
}

static void reg_write(struct i2cemu_dev *d, struct bmp280_state *s,
                      uint8_t a, uint8_t v)
{
    switch (a) {
    case REG_RESET:
        if (v == RESET_CMD) { /* the power-on-reset procedure */
            power_on(s);
            s->reset_done = true;
            s->reset_ns = i2cemu_dev_now(d);
        }
        break;
    case REG_CTRL_HUM:
        if (is_bme(d))
            s->ctrl_hum = v & 0x07; /* in force at the next ctrl_meas */
        break;
    case REG_CTRL_MEAS:
        sync(d, s);
        s->ctrl_meas = v;
        if (is_bme(d))
            s->osrs_h = s->ctrl_hum;
        s->meas_ns = measure_ns(d, s);
        s->start_ns = i2cemu_dev_now(d);
        s->cycles = 0;
        sync(d, s); /* on the FAST clock a forced measurement is done */
        break;
    case REG_CONFIG:
        s->config = v & 0xFD; /* bit 1 reserved */
        break;
    default:
        break; /* read-only and reserved: ignored */
    }
}

static enum i2cemu_result bmp280_event(struct i2cemu_dev *d,
                                       enum i2cemu_event ev)
{
    struct bmp280_state *s = d->state;
    if (ev == I2CEMU_EV_START_SEND || ev == I2CEMU_EV_START_RECV) {
        s->nbytes = 0;
        sync(d, s);
    }
    return I2CEMU_ACK;
}

/* 5.2.1: register address, data, register address, data... */
static enum i2cemu_result bmp280_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct bmp280_state *s = d->state;
    if (s->nbytes++ % 2 == 0)
        s->ptr = byte;
    else
        reg_write(d, s, s->ptr, byte);
    return I2CEMU_ACK;
}

/* 5.2.2: reads auto-increment. */
static uint8_t bmp280_recv(struct i2cemu_dev *d)
{
    struct bmp280_state *s = d->state;
    return reg_read(d, s, s->ptr++);
}

static int bmp280_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    uint16_t a = i2cemu_dev_addr(d);
    if (a != 0x76 && a != 0x77) {
        i2cemu_error_set(err, "%s: address 0x%02x: the part answers at "
                         "0x76-0x77 (SDO pin)", is_bme(d) ? "bme280" : "bmp280",
                         a);
        return -1;
    }
    power_on(d->state);
    return 0;
}

static const struct i2cemu_prop bmp280_props[] = {
    I2CEMU_PROP_FLOAT_("temperature", struct bmp280_state, temperature, 25.0,
                       -40.0, 85.0, I2CEMU_PROP_RUNTIME,
                       "measured temperature in °C"),
    I2CEMU_PROP_FLOAT_("pressure", struct bmp280_state, pressure, 101325.0,
                       30000.0, 110000.0, I2CEMU_PROP_RUNTIME,
                       "measured pressure in Pa"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_prop bme280_props[] = {
    I2CEMU_PROP_FLOAT_("temperature", struct bmp280_state, temperature, 25.0,
                       -40.0, 85.0, I2CEMU_PROP_RUNTIME,
                       "measured temperature in °C"),
    I2CEMU_PROP_FLOAT_("pressure", struct bmp280_state, pressure, 101325.0,
                       30000.0, 110000.0, I2CEMU_PROP_RUNTIME,
                       "measured pressure in Pa"),
    I2CEMU_PROP_FLOAT_("humidity", struct bmp280_state, humidity, 50.0, 0.0,
                       100.0, I2CEMU_PROP_RUNTIME,
                       "measured relative humidity in %RH"),
    I2CEMU_PROP_END,
};

#define F(n) I2CEMU_FIELD(#n, struct bmp280_state, n, I2CEMU_FIELD_RUNTIME)
static const struct i2cemu_field bmp280_fields[] = {
    F(start_ns), F(reset_ns), F(cycles), F(meas_ns), F(adc_t), F(adc_p),
    F(adc_h), F(ptr), F(nbytes), F(ctrl_hum), F(osrs_h), F(ctrl_meas),
    F(config), F(reset_done),
    I2CEMU_FIELD_END,
};
#undef F

static const char bmp280_doc[] =
    "Source: `src/devices/bmp280.c` and `bmp280_comp.c`, after the Bosch\n"
    "BMP280 datasheet (BST-BMP280-DS001: 3.3-3.6, 3.11-3.12, 4, 5.2,\n"
    "appendix 9) and the BME280 datasheet (BST-BME280-DS002: 4.2.3, 5.4, 9).\n"
    "Addresses 0x76 and 0x77 (SDO pin).\n"
    "\n"
    "| address | register | power on | notes |\n"
    "|---|---|---|---|\n"
    "| 0x88-0xA1 | calib00-25 | trimming | T1-T3, P1-P9 (LE words); "
    "0xA1: BME280 H1 |\n"
    "| 0xD0 | id | 0x58 / 0x60 | BMP280 / BME280 |\n"
    "| 0xE0 | reset | 0x00 | writing 0xB6 resets the part |\n"
    "| 0xE1-0xE7 | calib26-32 | trimming | BME280: H2-H6 |\n"
    "| 0xF2 | ctrl_hum | 0x00 | BME280: osrs_h, in force after a write "
    "to ctrl_meas |\n"
    "| 0xF3 | status | 0x00 | bit 3 measuring, bit 0 im_update |\n"
    "| 0xF4 | ctrl_meas | 0x00 | osrs_t, osrs_p, mode |\n"
    "| 0xF5 | config | 0x00 | t_sb, filter, spi3w_en; bit 1 reads 0 |\n"
    "| 0xF7-0xF9 | press | 0x80 0x00 0x00 | 20 bits, msb first |\n"
    "| 0xFA-0xFC | temp | 0x80 0x00 0x00 | 20 bits, msb first |\n"
    "| 0xFD-0xFE | hum | 0x80 0x00 | BME280: 16 bits |\n"
    "\n"
    "Other addresses read 0x00 and ignore writes.\n"
    "\n"
    "* **I2C** (5.2.1): a write is pairs of register address and data (no\n"
    "  auto-increment); a read auto-increments from the address last\n"
    "  written, so a burst from 0xF7 reads one measurement.\n"
    "* **Trimming parameters**: T and P are the BMP280 datasheet's worked\n"
    "  example (3.12: T1 27504, T2 26435, T3 -1000, P1 36477, P2 -10685,\n"
    "  P3 3024, P4 2855, P5 140, P6 -7, P7 15500, P8 -14600, P9 6000). The\n"
    "  BME280 datasheet has no humidity example: H1 75, H2 362, H3 0,\n"
    "  H4 313, H5 50, H6 30 are a set read from a production part and\n"
    "  widely used as test data by open-source drivers.\n"
    "* **Raw values**: the ADC values for which the datasheets' integer\n"
    "  compensation (BMP280 3.11.3, 64-bit pressure; BME280 4.2.3) gives the\n"
    "  value nearest to the properties, found by binary search; pressure\n"
    "  and humidity for the t_fine of the adc_T as read, as a driver\n"
    "  compensates them. Resolution\n"
    "  (3.4-3.5): 16 + (osrs - 1) bits, 20 with the IIR filter on; unused\n"
    "  low bits read 0. A skipped measurement (osrs = 0) reads 0x80000\n"
    "  (0x8000 for humidity).\n"
    "* **Modes**: sleep; forced (one measurement, status.measuring meanwhile,\n"
    "  then mode reads sleep again); normal (measurement, then t_standby,\n"
    "  repeated; the BME280's t_sb 6 and 7 are 10 and 20 ms). A measurement\n"
    "  samples the properties when it completes. It takes the typical\n"
    "  t_measure of appendix 9 (1 + 2 T + [2 P + 0.5] [+ 2 H + 0.5] ms, the\n"
    "  terms of skipped quantities left out) on a paced clock, and no time\n"
    "  on the FAST clock.\n"
    "* **Soft reset** (0xB6 to 0xE0) restores the power-on values;\n"
    "  status.im_update then reads 1 for the 2 ms start-up time when\n"
    "  paced, so Linux's probe, which waits 2 ms, finds it clear.\n"
    "* **Linux probe** (`bmp280_common_probe`): the id, a soft reset, the\n"
    "  status, then ctrl_meas/config (and ctrl_hum) by read-modify-write\n"
    "  and a burst read of the trimming parameters.\n"
    "* Not modelled: the IIR filter's step response (a constant input gives\n"
    "  its output), measurement noise, SPI and the 3-wire mode, config\n"
    "  writes being ignored in normal mode, the NVM copy (im_update) before\n"
    "  each conversion.\n";

static const char bme280_doc[] =
    "Source: `src/devices/bmp280.c`: the BMP280 above (same registers,\n"
    "protocol, modes and trimming parameters) with the BME280's additions\n"
    "(BST-BME280-DS002 5.4): id 0x60, ctrl_hum at 0xF2 (in force after the\n"
    "next write to ctrl_meas), humidity data at 0xFD-0xFE, the humidity\n"
    "trimming parameters at 0xA1 and 0xE1-0xE7, the humidity term of the\n"
    "measurement time, and t_sb 6/7 = 10/20 ms.\n";

const struct i2cemu_device_type i2cemu_bmp280 = {
    .name = "bmp280",
    .help = "Bosch BMP280 pressure and temperature sensor, at 0x76-0x77",
    .family = "Bosch BMP280",
    .doc = bmp280_doc,
    .props = bmp280_props,
    .fields = bmp280_fields,
    /* No humidity: the state ends before it. */
    .state_size = offsetof(struct bmp280_state, humidity),
    .realize = bmp280_realize,
    .event = bmp280_event,
    .send = bmp280_send,
    .recv = bmp280_recv,
};

const struct i2cemu_device_type i2cemu_bme280 = {
    .name = "bme280",
    .help = "Bosch BME280 humidity, pressure and temperature sensor, at "
            "0x76-0x77",
    .family = "Bosch BME280",
    .doc = bme280_doc,
    .props = bme280_props,
    .fields = bmp280_fields,
    .state_size = sizeof(struct bmp280_state),
    .realize = bmp280_realize,
    .event = bmp280_event,
    .send = bmp280_send,
    .recv = bmp280_recv,
};
