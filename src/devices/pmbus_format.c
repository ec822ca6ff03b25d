/* SPDX-License-Identifier: MIT */
/* PMBus data formats (PMBus 1.3 Part II, "Data Formats" and VOUT_MODE):
 * LINEAR11, LINEAR16 and DIRECT. */
#include <math.h>

#include "pmbus.h"

int pmbus_sext(unsigned v, unsigned bits)
{
    unsigned m = 1u << (bits - 1);
    return (int)((v & ((m << 1) - 1)) ^ m) - (int)m;
}

uint16_t pmbus_encode(const struct pmbus_coef *c, int vout_exp, double x)
{
    double y;
    switch (c->format) {
    case PMBUS_LINEAR11: {
        /* The smallest exponent whose mantissa fits: the most precision. */
        int n = -16;
        if (x == 0)
            return 0;
        for (; n < 15; n++)
            if (fabs(round(ldexp(x, -n))) <= 1023)
                break;
        y = round(ldexp(x, -n));
        y = y > 1023 ? 1023 : y < -1024 ? -1024 : y;
        return (uint16_t)((unsigned)(n & 0x1F) << 11 |
                          ((unsigned)(int)y & 0x7FF));
    }
    case PMBUS_LINEAR16:
        y = round(ldexp(x, -vout_exp));
        return (uint16_t)(y < 0 ? 0 : y > 0xFFFF ? 0xFFFF : y);
    case PMBUS_DIRECT:
    default:
        /* The ADC's code, truncated as QEMU's models and qtests do (the
         * epsilon absorbs the float error of exact decimal values). */
        y = floor((c->m * x + c->b) * pow(10, c->R) + 1e-6);
        if (c->max)
            return (uint16_t)(y < 0 ? 0 : y > c->max ? c->max : y);
        return (uint16_t)(int)(y < -32768 ? -32768 : y > 32767 ? 32767 : y);
    }
}

double pmbus_decode(const struct pmbus_coef *c, int vout_exp, uint16_t y)
{
    switch (c->format) {
    case PMBUS_LINEAR11:
        return ldexp(pmbus_sext(y & 0x7FF, 11), pmbus_sext(y >> 11, 5));
    case PMBUS_LINEAR16:
        return ldexp(y, vout_exp);
    case PMBUS_DIRECT:
    default: {
        double v = c->max ? y : (int16_t)y;
        return (v * pow(10, -c->R) - c->b) / c->m;
    }
    }
}
