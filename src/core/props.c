/* SPDX-License-Identifier: MIT */
/* Typed device properties: defaults, parsing from text with range checks,
 * and formatting back, each integer at its field's own size. The same
 * table drives the command line, board files and `i2cemu devices`. */
#include "core/board_internal.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void i2cemu_error_set(struct i2cemu_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
}

char *i2cemu_excerpt(char *out, size_t size, const char *s, size_t max)
{
    size_t n = 0;

    for (; *s && n + 8 < size && max > 0; s++, max--) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f || c == '\\')
            n += (size_t)snprintf(out + n, size - n, "\\x%02x", c);
        else
            out[n++] = (char)c;
    }
    snprintf(out + n, size - n, "%s", *s ? "..." : "");
    return out;
}

bool parse_ulong(const char *s, unsigned long *out)
{
    char *end;
    if (!*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

const struct i2cemu_prop *prop_find(const struct i2cemu_device_type *t,
                                    const char *name)
{
    for (const struct i2cemu_prop *p = t->props; p && p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

static void *field(const struct i2cemu_prop *p, void *state)
{
    return (char *)state + p->offset;
}

/* Integer fields of 1, 2, 4 or 8 bytes (device.h rejects other sizes at
 * compile time), read and written at their own size. */
static uint64_t load_uint(const void *f, size_t size)
{
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    switch (size) {
    case 1: memcpy(&u8, f, 1); return u8;
    case 2: memcpy(&u16, f, 2); return u16;
    case 4: memcpy(&u32, f, 4); return u32;
    default: memcpy(&u64, f, 8); return u64;
    }
}

static int64_t load_int(const void *f, size_t size)
{
    uint64_t v = load_uint(f, size);
    unsigned shift = 64 - 8 * (unsigned)size;
    return (int64_t)(v << shift) >> shift; /* sign-extend */
}

static void store_uint(void *f, size_t size, uint64_t v)
{
    uint8_t u8 = (uint8_t)v;
    uint16_t u16 = (uint16_t)v;
    uint32_t u32 = (uint32_t)v;
    switch (size) {
    case 1: memcpy(f, &u8, 1); break;
    case 2: memcpy(f, &u16, 2); break;
    case 4: memcpy(f, &u32, 4); break;
    default: memcpy(f, &v, 8); break;
    }
}

void i2cemu_prop_range(const struct i2cemu_prop *p, double *min, double *max)
{
    *min = p->min;
    *max = p->max;
    if (p->kind != I2CEMU_PROP_UINT && p->kind != I2CEMU_PROP_INT)
        return;
    double bits = 8.0 * (double)p->size;
    double lo = p->kind == I2CEMU_PROP_UINT ? 0 : -ldexp(1, (int)bits - 1);
    double hi = p->kind == I2CEMU_PROP_UINT ? ldexp(1, (int)bits) - 1
                                            : ldexp(1, (int)bits - 1) - 1;
    if (*min < lo)
        *min = lo;
    if (*max > hi)
        *max = hi;
}

void prop_set_default(const struct i2cemu_prop *p, void *state)
{
    void *f = field(p, state);
    switch (p->kind) {
    case I2CEMU_PROP_UINT:
    case I2CEMU_PROP_ENUM:
    case I2CEMU_PROP_INT:
        store_uint(f, p->size, (uint64_t)p->def.i);
        break;
    case I2CEMU_PROP_BOOL:
        *(bool *)f = p->def.i != 0;
        break;
    case I2CEMU_PROP_FLOAT:
        *(double *)f = p->def.f;
        break;
    case I2CEMU_PROP_STRING:
        snprintf(f, p->size, "%s", p->def.s ? p->def.s : "");
        break;
    }
}

static bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"on", "true", "yes", "1"};
    static const char *const no[] = {"off", "false", "no", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return *out = true, true;
        if (strcasecmp(s, no[i]) == 0)
            return *out = false, true;
    }
    return false;
}

static int range_error(const struct i2cemu_prop *p, const char *value,
                       struct i2cemu_error *err)
{
    double lo, hi;
    i2cemu_prop_range(p, &lo, &hi);
    if (p->flags & I2CEMU_PROP_HEX)
        i2cemu_error_set(err, "%s=%s: out of range (0x%llx to 0x%llx)",
                         p->name, EXCERPT(value), (unsigned long long)lo,
                         (unsigned long long)hi);
    else
        i2cemu_error_set(err, "%s=%s: out of range (%g to %g)", p->name,
                         EXCERPT(value), lo, hi);
    return -1;
}

/* Integers compare as doubles against the range: exact for every value
 * below 2^53, and the range clamps to the field beyond it. */
static bool in_range(const struct i2cemu_prop *p, double v)
{
    double lo, hi;
    i2cemu_prop_range(p, &lo, &hi);
    return v >= lo && v <= hi;
}

int prop_parse(const struct i2cemu_prop *p, void *f, const char *value,
               struct i2cemu_error *err)
{
    switch (p->kind) {
    case I2CEMU_PROP_UINT: {
        unsigned long v;
        if (!parse_ulong(value, &v))
            goto bad;
        if (!in_range(p, (double)v))
            return range_error(p, value, err);
        store_uint(f, p->size, v);
        return 0;
    }
    case I2CEMU_PROP_INT: {
        char *end;
        errno = 0;
        long long v = strtoll(value, &end, 0);
        if (!*value || *end || errno)
            goto bad;
        if (!in_range(p, (double)v))
            return range_error(p, value, err);
        store_uint(f, p->size, (uint64_t)v);
        return 0;
    }
    case I2CEMU_PROP_BOOL:
        if (!parse_bool(value, f))
            goto bad;
        return 0;
    case I2CEMU_PROP_FLOAT: {
        char *end;
        errno = 0;
        double v = strtod(value, &end);
        if (!*value || *end || errno || !isfinite(v))
            goto bad;
        if (v < p->min || v > p->max)
            return range_error(p, value, err);
        *(double *)f = v;
        return 0;
    }
    case I2CEMU_PROP_STRING:
        if (strlen(value) >= p->size) {
            i2cemu_error_set(err, "%s: longer than %zu characters", p->name,
                             p->size - 1);
            return -1;
        }
        strcpy(f, value);
        return 0;
    case I2CEMU_PROP_ENUM: {
        char names[160] = "";
        size_t used = 0;
        for (uint32_t i = 0; p->names[i]; i++) {
            if (strcmp(p->names[i], value) == 0) {
                store_uint(f, p->size, i);
                return 0;
            }
            if (used < sizeof(names))
                used += (size_t)snprintf(names + used, sizeof(names) - used,
                                         "%s%s", i ? ", " : "", p->names[i]);
        }
        i2cemu_error_set(err, "%s=%s: expected one of %s", p->name,
                         EXCERPT(value),
                         names);
        return -1;
    }
    }
bad:;
    static const char *const kind_text[] = {
        [I2CEMU_PROP_UINT] = "an unsigned integer",
        [I2CEMU_PROP_INT] = "an integer",
        [I2CEMU_PROP_BOOL] = "on or off",
        [I2CEMU_PROP_FLOAT] = "a number",
        [I2CEMU_PROP_STRING] = "a string",
    };
    i2cemu_error_set(err, "%s=%s: expected %s", p->name, EXCERPT(value),
                     kind_text[p->kind]);
    return -1;
}

int prop_format(const struct i2cemu_prop *p, const void *state, char *out,
                size_t outlen)
{
    const void *f = (const char *)state + p->offset;
    switch (p->kind) {
    case I2CEMU_PROP_UINT:
        return snprintf(out, outlen,
                        p->flags & I2CEMU_PROP_HEX ? "0x%llx" : "%llu",
                        (unsigned long long)load_uint(f, p->size));
    case I2CEMU_PROP_INT:
        return snprintf(out, outlen, "%lld",
                        (long long)load_int(f, p->size));
    case I2CEMU_PROP_BOOL:
        return snprintf(out, outlen, "%s", *(const bool *)f ? "on" : "off");
    case I2CEMU_PROP_FLOAT:
        return snprintf(out, outlen, "%g", *(const double *)f);
    case I2CEMU_PROP_STRING:
        return snprintf(out, outlen, "%.*s", (int)p->size, (const char *)f);
    case I2CEMU_PROP_ENUM: {
        uint64_t i = load_uint(f, p->size), n = 0;
        while (p->names[n])
            n++;
        return snprintf(out, outlen, "%s", i < n ? p->names[i] : "?");
    }
    }
    return 0;
}

int prop_check_stored(const struct i2cemu_prop *p, const void *state,
                      struct i2cemu_error *err)
{
    const unsigned char *f = (const unsigned char *)state + p->offset;
    switch (p->kind) {
    case I2CEMU_PROP_BOOL:
        if (*f > 1) {
            i2cemu_error_set(err, "%s %u is not a bool (0 or 1)", p->name, *f);
            return -1;
        }
        return 0;
    case I2CEMU_PROP_ENUM: {
        uint64_t i = load_uint(f, p->size), n = 0;
        while (p->names[n])
            n++;
        if (i >= n) {
            i2cemu_error_set(err, "%s %llu is past its last value (%llu)",
                             p->name, (unsigned long long)i,
                             (unsigned long long)(n - 1));
            return -1;
        }
        return 0;
    }
    case I2CEMU_PROP_STRING:
        if (!memchr(f, 0, p->size)) {
            i2cemu_error_set(err, "%s has no NUL in its %zu bytes", p->name,
                             p->size);
            return -1;
        }
        return 0;
    default:
        return 0; /* every value of the field is one the kind can hold */
    }
}
