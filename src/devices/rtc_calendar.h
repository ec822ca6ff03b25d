/* SPDX-License-Identifier: MIT */
/* Calendar arithmetic, BCD and the event handler for the RTC models
 * (ds1307.c, pcf8563.c): UTC only, proleptic Gregorian, no time zones. */
#ifndef I2CEMU_DEVICES_RTC_CALENDAR_H
#define I2CEMU_DEVICES_RTC_CALENDAR_H

#include <stdint.h>

#include <i2cemu/device.h>

/* 2000-01-01T00:00:00Z: the date RTCs reset to on first power. */
#define RTC_Y2K 946684800

struct rtc_tm {
    int year;  /* e.g. 2024 */
    int mon;   /* 1-12 */
    int mday;  /* 1-31 */
    int hour, min, sec;
    int wday;  /* 0 = Sunday */
};

/* Seconds since the Unix epoch to calendar time and back. to_secs takes
 * out-of-range fields (a register written with 61 minutes) arithmetically,
 * as timegm() does. */
void rtc_tm_from_secs(int64_t t, struct rtc_tm *tm);
int64_t rtc_tm_to_secs(const struct rtc_tm *tm);

uint8_t rtc_bcd(unsigned v);      /* 0-99 */
unsigned rtc_unbcd(uint8_t b);    /* not range-checked: 0x7F is 79 */

/* An hours register: 24-hour BCD, or with bit 6 set 12-hour mode, bit 5
 * PM, BCD 1-12 (DS1307 "Timekeeper Registers"). */
uint8_t rtc_hour_encode(int hour24, uint8_t mode12);
int rtc_hour_decode(uint8_t reg);

/* The wall clock in whole seconds (i2cemu_dev_wall_time_ns, floored). */
int64_t rtc_wall_secs(const struct i2cemu_dev *d);

/* A snapshot's offset (RTC time less wall time) and `checked` (alarms
 * checked up to then), in seconds: -1 with a message beyond +-2^61,
 * where the clock's arithmetic would overflow and the alarm scan from
 * `checked` to now would not end. No calendar gets near. */
int rtc_state_check(int64_t offset, int64_t checked,
                    struct i2cemu_error *err);

/* The RTCs' event handler. Any START, STOP or repeated START elsewhere
 * ends the write before it (end_write applies what it changed); a START
 * to the chip then latches the calendar into its registers (latch). */
enum i2cemu_result rtc_event(struct i2cemu_dev *d, enum i2cemu_event ev,
                             void (*end_write)(struct i2cemu_dev *d),
                             void (*latch)(struct i2cemu_dev *d));

#endif
