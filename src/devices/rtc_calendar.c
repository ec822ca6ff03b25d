/* SPDX-License-Identifier: MIT */
/* Calendar arithmetic for the RTC models (Howard Hinnant's
 * days_from_civil/civil_from_days, exact for any year), their shared
 * event handler and snapshot check. */
#include "rtc_calendar.h"

#include <inttypes.h>

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void rtc_tm_from_secs(int64_t t, struct rtc_tm *tm)
{
    int64_t days = floor_div(t, 86400), sod = t - days * 86400;
    tm->hour = (int)(sod / 3600);
    tm->min = (int)(sod / 60 % 60);
    tm->sec = (int)(sod % 60);
    tm->wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    tm->mday = (int)(doy - (153 * mp + 2) / 5 + 1);
    tm->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
    tm->year = (int)(yoe + era * 400 + (tm->mon <= 2));
}

int64_t rtc_tm_to_secs(const struct rtc_tm *tm)
{
    /* Months out of 1-12 carry into the year. */
    int64_t m0 = tm->mon - 1;
    int64_t y = tm->year + floor_div(m0, 12);
    m0 -= floor_div(m0, 12) * 12;
    int64_t days = days_from_civil(y, m0 + 1, 1) + tm->mday - 1;
    return days * 86400 + (int64_t)tm->hour * 3600 + tm->min * 60 + tm->sec;
}

uint8_t rtc_bcd(unsigned v)
{
    return (uint8_t)((v / 10 % 10) << 4 | v % 10);
}

unsigned rtc_unbcd(uint8_t b)
{
    return (b >> 4) * 10u + (b & 0x0F);
}

uint8_t rtc_hour_encode(int hour24, uint8_t mode12)
{
    if (!(mode12 & 0x40))
        return rtc_bcd((unsigned)hour24);
    int h12 = hour24 % 12 ? hour24 % 12 : 12;
    return (uint8_t)(0x40 | (hour24 >= 12 ? 0x20 : 0) | rtc_bcd((unsigned)h12));
}

int rtc_hour_decode(uint8_t reg)
{
    if (!(reg & 0x40))
        return (int)rtc_unbcd(reg & 0x3F);
    return (int)rtc_unbcd(reg & 0x1F) % 12 + (reg & 0x20 ? 12 : 0);
}

int64_t rtc_wall_secs(const struct i2cemu_dev *d)
{
    return floor_div(i2cemu_dev_wall_time_ns(d), 1000000000);
}

int rtc_state_check(int64_t offset, int64_t checked,
                    struct i2cemu_error *err)
{
    const int64_t max = INT64_C(1) << 61;
    if (offset < -max || offset > max || checked < -max || checked > max) {
        i2cemu_error_set(err, "offset %" PRId64 ", checked %" PRId64 ": out "
                         "of range (each within +-2^61 s)", offset, checked);
        return -1;
    }
    return 0;
}

enum i2cemu_result rtc_event(struct i2cemu_dev *d, enum i2cemu_event ev,
                             void (*end_write)(struct i2cemu_dev *d),
                             void (*latch)(struct i2cemu_dev *d))
{
    switch (ev) {
    case I2CEMU_EV_START_SEND:
    case I2CEMU_EV_START_RECV:
        end_write(d);
        latch(d);
        break;
    case I2CEMU_EV_FINISH:
    case I2CEMU_EV_DESELECT:
        end_write(d);
        break;
    case I2CEMU_EV_NACK:
        break;
    }
    return I2CEMU_ACK;
}
