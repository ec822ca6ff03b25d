/* SPDX-License-Identifier: MIT */
/*
 * A Smart Battery (Smart Battery Data Specification 1.1, SBS-IF 1998:
 * 4 "Smart Battery Interface", 5.1 "Smart Battery Data Functions", 5.4
 * "Error Codes"; SMBus 1.1 7.4 PEC) as Linux's
 * drivers/power/supply/sbs-battery.c (`sbs-battery`) reads it.
 *
 * Not a register file: each command is an SMBus word (low byte first) or
 * block (count first) read, or a word write. Reads carry a PEC byte after
 * the data for masters that clock one out (CRC-8, poly 0x07, over the
 * address, command, repeated-START address and data); a word write with a
 * third byte has it checked, and a wrong PEC is NACKed. Unsupported
 * commands are NACKed and set the UnsupportedCommand error code; data
 * written to a read-only command is NACKed (AccessDenied).
 *
 * The charge is simulated on the board clock: `current` (mA, positive
 * charging) moves the state of charge as time passes; the status bits and
 * alarms follow.
 */
#include <math.h>
#include <string.h>

#include "devices.h"

/* Commands (5.1). */
enum {
    MANUFACTURER_ACCESS = 0x00, REMAINING_CAPACITY_ALARM, REMAINING_TIME_ALARM,
    BATTERY_MODE, AT_RATE, AT_RATE_TIME_TO_FULL, AT_RATE_TIME_TO_EMPTY,
    AT_RATE_OK, TEMPERATURE, VOLTAGE, CURRENT, AVERAGE_CURRENT, MAX_ERROR,
    RELATIVE_SOC, ABSOLUTE_SOC, REMAINING_CAPACITY, FULL_CHARGE_CAPACITY,
    RUN_TIME_TO_EMPTY, AVERAGE_TIME_TO_EMPTY, AVERAGE_TIME_TO_FULL,
    CHARGING_CURRENT, CHARGING_VOLTAGE, BATTERY_STATUS, CYCLE_COUNT,
    DESIGN_CAPACITY, DESIGN_VOLTAGE, SPECIFICATION_INFO, MANUFACTURE_DATE,
    SERIAL_NUMBER,
    MANUFACTURER_NAME = 0x20, DEVICE_NAME, DEVICE_CHEMISTRY,
};

/* BatteryMode bits. */
#define MODE_CAPACITY  0x8000 /* capacities in 10 mWh, rates in 10 mW */
#define MODE_WRITABLE  0xE300 /* CAPACITY, CHARGER, ALARM, PRIMARY, CHG_CTL */

/* BatteryStatus bits (5.1.21) and error codes (5.4). */
#define ST_OVER_CHARGED       0x8000
#define ST_TERMINATE_CHARGE   0x4000
#define ST_OVER_TEMP          0x1000
#define ST_TERMINATE_DISCHARGE 0x0800
#define ST_REMAINING_CAPACITY 0x0200
#define ST_REMAINING_TIME     0x0100
#define ST_INITIALIZED        0x0080
#define ST_DISCHARGING        0x0040
#define ST_FULLY_CHARGED      0x0020
#define ST_FULLY_DISCHARGED   0x0010
#define ERR_UNSUPPORTED       0x3
#define ERR_ACCESS_DENIED     0x4

#define OVER_TEMP_C 60.0     /* this model's over-temperature threshold */
#define NO_TIME     65535    /* "not discharging" / "not charging" */
#define NAME_SIZE   (I2C_SMBUS_BLOCK_MAX + 1)

struct sbs_state {
    double charge;           /* property: % of FullChargeCapacity */
    double temperature;      /* property: °C */
    uint64_t last_ns;        /* the charge was brought up to date then */
    int32_t current;         /* property: mA, positive while charging */
    int32_t rate;            /* the current in effect since last_ns */
    uint32_t voltage;        /* property: mV */
    uint32_t design_capacity, full_capacity, design_voltage; /* mAh, mV */
    uint32_t charging_current, charging_voltage;             /* mA, mV */
    uint32_t cycle_count, serial, year, month, day;
    char manufacturer[NAME_SIZE], device_name[NAME_SIZE];
    char chemistry[NAME_SIZE];
    uint16_t mode, access, capacity_alarm, time_alarm; /* alarm in mAh */
    int16_t at_rate;         /* as written: mA, or 10 mW */
    bool fully_discharged;   /* latched until 20% */
    uint8_t error;           /* BatteryStatus error code */
    uint8_t cmd, npos, wbuf[3];
    uint8_t out[I2C_SMBUS_BLOCK_MAX + 2], outlen, rpos;
};

static bool watts(const struct sbs_state *s)
{
    return s->mode & MODE_CAPACITY;
}

/* mAh (or mA) in the units of the capacity mode: 10 mWh at the design
 * voltage when CAPACITY_MODE is set. */
static double in_mode(const struct sbs_state *s, double mah)
{
    return watts(s) ? mah * s->design_voltage / 10000.0 : mah;
}

static double from_mode(const struct sbs_state *s, double v)
{
    return watts(s) ? v * 10000.0 / s->design_voltage : v;
}

static uint16_t word_of(double v)
{
    v = floor(v + 0.5);
    return (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v);
}

static double remaining_mah(const struct sbs_state *s)
{
    return s->charge * s->full_capacity / 100.0;
}

/* Minutes to move `mah` at `ma` (positive), at most 65534. */
static uint16_t minutes(double mah, double ma)
{
    double m = floor(mah * 60.0 / ma);
    return (uint16_t)(m > 65534 ? 65534 : m < 0 ? 0 : m);
}

/* Bring the charge up to date: `rate` mA since last_ns. */
static void sync(struct i2cemu_dev *d)
{
    struct sbs_state *s = d->state;
    uint64_t now = i2cemu_dev_now(d);
    if (now > s->last_ns && s->full_capacity) {
        double hours = (double)(now - s->last_ns) / 3.6e12;
        s->charge += s->rate * hours * 100.0 / s->full_capacity;
        s->charge = s->charge < 0 ? 0 : s->charge > 100 ? 100 : s->charge;
    }
    s->last_ns = now;
    if (s->charge <= 0)
        s->fully_discharged = true;
    else if (s->charge >= 20)
        s->fully_discharged = false;
}

static uint16_t status(const struct sbs_state *s)
{
    uint16_t st = ST_INITIALIZED | s->error;
    double rem = remaining_mah(s);
    if (s->current <= 0)
        st |= ST_DISCHARGING;
    if (s->charge >= 100) {
        st |= ST_FULLY_CHARGED;
        if (s->current > 0)
            st |= ST_OVER_CHARGED | ST_TERMINATE_CHARGE;
    }
    if (s->fully_discharged)
        st |= ST_FULLY_DISCHARGED;
    if (s->charge <= 0 && s->current < 0)
        st |= ST_TERMINATE_DISCHARGE;
    if (s->temperature >= OVER_TEMP_C)
        st |= ST_OVER_TEMP | ST_TERMINATE_CHARGE;
    if (s->current < 0) {
        if (rem < s->capacity_alarm)
            st |= ST_REMAINING_CAPACITY;
        if (minutes(rem, -s->current) < s->time_alarm)
            st |= ST_REMAINING_TIME;
    }
    return st;
}

/* AtRate in mA (it is in 10 mW in CAPACITY_MODE). */
static double at_rate_ma(const struct sbs_state *s)
{
    return from_mode(s, s->at_rate);
}

/* The value of word command `cmd`, or -1 if it is not one. */
static int32_t read_word(const struct sbs_state *s, uint8_t cmd)
{
    double rem = remaining_mah(s), full = s->full_capacity;
    double rate = at_rate_ma(s);
    switch (cmd) {
    case MANUFACTURER_ACCESS: return s->access;
    case REMAINING_CAPACITY_ALARM:
        return word_of(in_mode(s, s->capacity_alarm));
    case REMAINING_TIME_ALARM: return s->time_alarm;
    case BATTERY_MODE: return s->mode;
    case AT_RATE: return (uint16_t)s->at_rate;
    case AT_RATE_TIME_TO_FULL:
        return rate > 0 ? minutes(full - rem, rate) : NO_TIME;
    case AT_RATE_TIME_TO_EMPTY:
        return rate < 0 ? minutes(rem, -rate) : NO_TIME;
    case AT_RATE_OK: /* 10 s at AtRate */
        return rate >= 0 || rem * 3600.0 / -rate >= 10.0;
    case TEMPERATURE: return word_of((s->temperature + 273.15) * 10);
    case VOLTAGE: return word_of(s->voltage);
    case CURRENT:
    case AVERAGE_CURRENT: return (uint16_t)(int16_t)s->current;
    case MAX_ERROR: return 1;
    case RELATIVE_SOC: return word_of(s->charge);
    case ABSOLUTE_SOC:
        return s->design_capacity ? word_of(rem * 100 / s->design_capacity)
                                  : 0;
    case REMAINING_CAPACITY: return word_of(in_mode(s, rem));
    case FULL_CHARGE_CAPACITY: return word_of(in_mode(s, full));
    case RUN_TIME_TO_EMPTY:
    case AVERAGE_TIME_TO_EMPTY:
        return s->current < 0 ? minutes(rem, -s->current) : NO_TIME;
    case AVERAGE_TIME_TO_FULL:
        return s->current > 0 ? minutes(full - rem, s->current) : NO_TIME;
    case CHARGING_CURRENT:
        return s->charge >= 100 ? 0 : word_of(s->charging_current);
    case CHARGING_VOLTAGE:
        return s->charge >= 100 ? 0 : word_of(s->charging_voltage);
    case BATTERY_STATUS: return status(s);
    case CYCLE_COUNT: return word_of(s->cycle_count);
    case DESIGN_CAPACITY: return word_of(in_mode(s, s->design_capacity));
    case DESIGN_VOLTAGE: return word_of(s->design_voltage);
    case SPECIFICATION_INFO: return 0x0031; /* 1.1 with PEC, revision 1 */
    case MANUFACTURE_DATE:
        return (s->year - 1980) << 9 | s->month << 5 | s->day;
    case SERIAL_NUMBER: return word_of(s->serial);
    default: return -1;
    }
}

static const char *block_of(const struct sbs_state *s, uint8_t cmd)
{
    return cmd == MANUFACTURER_NAME ? s->manufacturer
           : cmd == DEVICE_NAME     ? s->device_name
           : cmd == DEVICE_CHEMISTRY ? s->chemistry
                                     : NULL;
}

static bool supported(const struct sbs_state *s, uint8_t cmd)
{
    return read_word(s, cmd) >= 0 || block_of(s, cmd);
}

static bool writable(uint8_t cmd)
{
    return cmd <= AT_RATE;
}

static void write_word(struct i2cemu_dev *d, uint8_t cmd, uint16_t v)
{
    struct sbs_state *s = d->state;
    switch (cmd) {
    case MANUFACTURER_ACCESS: s->access = v; break;
    case REMAINING_CAPACITY_ALARM:
        s->capacity_alarm = word_of(from_mode(s, v));
        break;
    case REMAINING_TIME_ALARM: s->time_alarm = v; break;
    case BATTERY_MODE:
        s->mode = (uint16_t)((s->mode & ~MODE_WRITABLE) | (v & MODE_WRITABLE));
        break;
    case AT_RATE: s->at_rate = (int16_t)v; break;
    }
}

/* The SMBus PEC of this read: address+W, command, address+R, data. */
static uint8_t pec(struct i2cemu_dev *d, const uint8_t *data, unsigned n)
{
    struct sbs_state *s = d->state;
    uint8_t buf[3 + sizeof(s->out)];
    uint8_t a = (uint8_t)(i2cemu_dev_addr(d) << 1);
    buf[0] = a;
    buf[1] = s->cmd;
    buf[2] = a | 1;
    for (unsigned i = 0; i < n; i++)
        buf[3 + i] = data[i];
    return i2cemu_crc8(0x07, 0, buf, 3 + n);
}

/* What a read of the current command sends: the word or the block, then
 * its PEC. */
static void answer(struct i2cemu_dev *d)
{
    struct sbs_state *s = d->state;
    const char *str = block_of(s, s->cmd);
    int32_t w = read_word(s, s->cmd);
    unsigned n = 0;
    if (str) {
        size_t len = strnlen(str, I2C_SMBUS_BLOCK_MAX);
        s->out[n++] = (uint8_t)len;
        memcpy(s->out + n, str, len);
        n += (unsigned)len;
    } else if (w >= 0) {
        s->out[n++] = (uint8_t)w;
        s->out[n++] = (uint8_t)(w >> 8);
    }
    if (n)
        s->out[n] = pec(d, s->out, n), n++;
    s->outlen = (uint8_t)n;
    s->rpos = 0;
    s->error = 0; /* this command succeeded */
}

static enum i2cemu_result sbs_event(struct i2cemu_dev *d, enum i2cemu_event ev)
{
    struct sbs_state *s = d->state;
    switch (ev) {
    case I2CEMU_EV_START_SEND:
        sync(d);
        s->npos = 0;
        break;
    case I2CEMU_EV_START_RECV:
        sync(d);
        answer(d);
        break;
    case I2CEMU_EV_FINISH:
    case I2CEMU_EV_DESELECT:
        /* A word write takes effect at its STOP, with or without PEC. */
        if (s->npos == 3 || s->npos == 4) {
            write_word(d, s->cmd, (uint16_t)(s->wbuf[1] << 8 | s->wbuf[0]));
            s->error = 0;
        }
        s->npos = 0;
        break;
    default:
        break;
    }
    return I2CEMU_ACK;
}

static enum i2cemu_result sbs_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct sbs_state *s = d->state;
    if (s->npos == 0) {
        if (!supported(s, byte)) {
            s->error = ERR_UNSUPPORTED;
            return I2CEMU_NACK;
        }
        s->cmd = byte;
        s->npos = 1;
        return I2CEMU_ACK;
    }
    if (!writable(s->cmd)) {
        s->error = ERR_ACCESS_DENIED;
        return I2CEMU_NACK;
    }
    if (s->npos >= 4)
        return I2CEMU_NACK; /* a word and its PEC at most */
    if (s->npos == 3) {
        uint8_t a = (uint8_t)(i2cemu_dev_addr(d) << 1);
        uint8_t msg[4] = { a, s->cmd, s->wbuf[0], s->wbuf[1] };
        if (i2cemu_crc8(0x07, 0, msg, 4) != byte) {
            s->npos = 5; /* dropped at the STOP */
            return I2CEMU_NACK;
        }
    }
    s->wbuf[s->npos - 1] = byte;
    s->npos++;
    return I2CEMU_ACK;
}

static uint8_t sbs_recv(struct i2cemu_dev *d)
{
    struct sbs_state *s = d->state;
    return s->rpos < s->outlen ? s->out[s->rpos++] : 0xFF;
}

static void sbs_changed(struct i2cemu_dev *d, const struct i2cemu_prop *p)
{
    struct sbs_state *s = d->state;
    if (!strcmp(p->name, "charge"))
        s->last_ns = i2cemu_dev_now(d); /* the new charge holds from now */
    sync(d); /* the time since last_ns ran at the old current */
    s->rate = s->current;
}

static int sbs_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct sbs_state *s = d->state;
    if (i2cemu_dev_addr(d) != 0x0B) {
        i2cemu_error_set(err, "addr=0x%02x: a smart battery answers at 0x0b "
                         "(SBS 1.1, 4.1)", i2cemu_dev_addr(d));
        return -1;
    }
    if (s->year < 1980 || s->year > 2107) {
        i2cemu_error_set(err, "year=%u: ManufactureDate holds 1980-2107",
                         (unsigned)s->year);
        return -1;
    }
    s->rate = s->current;
    s->last_ns = i2cemu_dev_now(d);
    s->capacity_alarm = word_of(s->design_capacity / 10.0); /* 10% */
    s->time_alarm = 10;
    sync(d);
    return 0;
}

#define P(kind, n, m, ...)                                                    \
    I2CEMU_PROP_##kind##_(n, struct sbs_state, m, __VA_ARGS__)
static const struct i2cemu_prop sbs_props[] = {
    P(FLOAT, "charge", charge, 80.0, 0.0, 100.0, I2CEMU_PROP_RUNTIME,
      "state of charge, % of the full charge capacity (moves with time)"),
    P(INT, "current", current, 0, -32768, 32767, I2CEMU_PROP_RUNTIME,
      "current in mA, positive while charging"),
    P(UINT, "voltage", voltage, 11400, 0, 65535, I2CEMU_PROP_RUNTIME,
      "terminal voltage in mV"),
    P(FLOAT, "temperature", temperature, 25.0, -40.0, 120.0,
      I2CEMU_PROP_RUNTIME, "cell temperature in °C"),
    P(UINT, "full_capacity", full_capacity, 4200, 0, 65535,
      I2CEMU_PROP_RUNTIME, "full charge capacity in mAh"),
    P(UINT, "cycle_count", cycle_count, 12, 0, 65535, I2CEMU_PROP_RUNTIME,
      "charge cycles so far"),
    P(UINT, "design_capacity", design_capacity, 4400, 1, 65535, 0,
      "design capacity in mAh"),
    P(UINT, "design_voltage", design_voltage, 11100, 1, 65535, 0,
      "design voltage in mV"),
    P(UINT, "charging_current", charging_current, 2200, 0, 65535, 0,
      "ChargingCurrent the battery asks for, mA"),
    P(UINT, "charging_voltage", charging_voltage, 12600, 0, 65535, 0,
      "ChargingVoltage the battery asks for, mV"),
    P(UINT, "serial", serial, 0x0001, 0, 65535, I2CEMU_PROP_HEX,
      "SerialNumber"),
    P(UINT, "year", year, 2024, 1980, 2107, 0, "ManufactureDate: year"),
    P(UINT, "month", month, 6, 1, 12, 0, "ManufactureDate: month"),
    P(UINT, "day", day, 15, 1, 31, 0, "ManufactureDate: day"),
    P(STRING, "manufacturer", manufacturer, "i2cemu", 0, "ManufacturerName"),
    P(STRING, "device_name", device_name, "SBS-3S1P", 0, "DeviceName"),
    P(STRING, "chemistry", chemistry, "LION", 0, "DeviceChemistry"),
    I2CEMU_PROP_END,
};

#define FIELD(name) I2CEMU_FIELD(#name, struct sbs_state, name,               \
                                 I2CEMU_FIELD_RUNTIME)
static const struct i2cemu_field sbs_fields[] = {
    FIELD(last_ns), FIELD(rate), FIELD(mode), FIELD(access),
    FIELD(capacity_alarm), FIELD(time_alarm), FIELD(at_rate),
    FIELD(fully_discharged), FIELD(error), FIELD(cmd), FIELD(npos),
    FIELD(wbuf), FIELD(out), FIELD(outlen), FIELD(rpos),
    I2CEMU_FIELD_END,
};

static const char sbs_doc[] =
    "A Smart Battery (Smart Battery Data Specification 1.1: 4 \"Smart "
    "Battery Interface\", 5.1 \"Smart Battery Data Functions\", 5.4 "
    "\"Error Codes\"; SMBus 1.1 7.4 PEC), as Linux's `sbs-battery` "
    "driver reads it: SpecificationInfo says version 1.1 with PEC "
    "(0x0031), so the driver turns PEC on; it sets CHARGER_MODE in "
    "BatteryMode and reads the words and strings below.\n\n"
    "Word commands (low byte first): ManufacturerAccess, "
    "RemainingCapacityAlarm (10% of the design capacity at power on), "
    "RemainingTimeAlarm (10 min), BatteryMode, AtRate, AtRateTimeToFull, "
    "AtRateTimeToEmpty, AtRateOK, Temperature (0.1 K), Voltage, Current "
    "and AverageCurrent (the same: the one-minute average is not "
    "modelled), MaxError (1%), RelativeStateOfCharge, "
    "AbsoluteStateOfCharge, RemainingCapacity, FullChargeCapacity, "
    "RunTimeToEmpty, AverageTimeToEmpty, AverageTimeToFull (65535 when "
    "not discharging or charging), ChargingCurrent and ChargingVoltage (0 "
    "once full), BatteryStatus, CycleCount, DesignCapacity, "
    "DesignVoltage, SpecificationInfo, ManufactureDate ((year - 1980) x "
    "512 + month x 32 + day), SerialNumber. Block reads (count byte "
    "first): ManufacturerName, DeviceName, DeviceChemistry. Only the "
    "first five are writable (word writes, applied at the STOP); data "
    "written to the others is NACKed (error code AccessDenied), and "
    "commands not listed are NACKed (UnsupportedCommand).\n\n"
    "PEC: a read answers a byte more than its data, the CRC-8 (poly 0x07) "
    "of the address, command, repeated-START address and data, for "
    "masters that use PEC; a word write's third byte is its PEC, checked: "
    "a wrong one is NACKed and the write dropped.\n\n"
    "CAPACITY_MODE (BatteryMode bit 15): RemainingCapacityAlarm, "
    "RemainingCapacity, FullChargeCapacity, DesignCapacity and AtRate in "
    "mAh (mA), or in 10 mWh (10 mW) at the design voltage.\n\n"
    "Simulation: `charge` (% of FullChargeCapacity) moves on the board "
    "clock at `current` mA (positive charging), between 0 and 100. "
    "BatteryStatus: INITIALIZED always; DISCHARGING while `current` <= 0; "
    "FULLY_CHARGED at 100%, with OVER_CHARGED and TERMINATE_CHARGE alarms "
    "while still charging; FULLY_DISCHARGED from 0% until 20%; "
    "TERMINATE_DISCHARGE at 0% while discharging; REMAINING_CAPACITY and "
    "REMAINING_TIME alarms while discharging below their alarm values; "
    "OVER_TEMP (and TERMINATE_CHARGE) from 60 °C, this model's "
    "threshold; the error code of the last command in bits 3:0.\n\n"
    "Not modelled: AlarmWarning and charger broadcasts (the battery as "
    "bus master), ManufacturerData and OptionalMfgFunctions, the voltage "
    "and temperature following the charge, capacity fade, cycle counting, "
    "calibration (CONDITION_FLAG stays 0). Address: 0x0b.\n";

const struct i2cemu_device_type i2cemu_sbs_battery = {
    .name = "sbs-battery",
    .family = "Smart Battery (SBS 1.1)",
    .doc = sbs_doc,
    .help = "SBS 1.1 smart battery with PEC and a charge simulation, at 0x0b",
    .props = sbs_props,
    .fields = sbs_fields,
    .state_size = sizeof(struct sbs_state),
    .changed = sbs_changed,
    .realize = sbs_realize,
    .event = sbs_event,
    .send = sbs_send,
    .recv = sbs_recv,
};
