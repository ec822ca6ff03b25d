/* SPDX-License-Identifier: MIT */
/* Typed device properties: defaults, parsing from text with range checks,
 * and formatting back. The same table drives the command line, board
 * files and `i2cemu devices`. */
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

void prop_set_default(const struct i2cemu_prop *p, void *state)
{
    void *f = field(p, state);
    switch (p->kind) {
    case I2CEMU_PROP_UINT:
    case I2CEMU_PROP_ENUM:
        *(uint32_t *)f = (uint32_t)p->def.i;
        break;
    case I2CEMU_PROP_INT:
        *(int32_t *)f = (int32_t)p->def.i;
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
    i2cemu_error_set(err, "%s=%s: out of range (%g to %g)", p->name, value,
                     p->min, p->max);
    return -1;
}

int prop_parse(const struct i2cemu_prop *p, void *f, const char *value,
               struct i2cemu_error *err)
{
    switch (p->kind) {
    case I2CEMU_PROP_UINT: {
        unsigned long v;
        if (!parse_ulong(value, &v))
            goto bad;
        if ((double)v < p->min || (double)v > p->max)
            return range_error(p, value, err);
        *(uint32_t *)f = (uint32_t)v;
        return 0;
    }
    case I2CEMU_PROP_INT: {
        char *end;
        errno = 0;
        long v = strtol(value, &end, 0);
        if (!*value || *end || errno)
            goto bad;
        if ((double)v < p->min || (double)v > p->max)
            return range_error(p, value, err);
        *(int32_t *)f = (int32_t)v;
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
                *(uint32_t *)f = i;
                return 0;
            }
            if (used < sizeof(names))
                used += (size_t)snprintf(names + used, sizeof(names) - used,
                                         "%s%s", i ? ", " : "", p->names[i]);
        }
        i2cemu_error_set(err, "%s=%s: expected one of %s", p->name, value,
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
    i2cemu_error_set(err, "%s=%s: expected %s", p->name, value,
                     kind_text[p->kind]);
    return -1;
}

int prop_format(const struct i2cemu_prop *p, const void *state, char *out,
                size_t outlen)
{
    const void *f = (const char *)state + p->offset;
    switch (p->kind) {
    case I2CEMU_PROP_UINT:
        return snprintf(out, outlen, "%u", *(const uint32_t *)f);
    case I2CEMU_PROP_INT:
        return snprintf(out, outlen, "%d", *(const int32_t *)f);
    case I2CEMU_PROP_BOOL:
        return snprintf(out, outlen, "%s", *(const bool *)f ? "on" : "off");
    case I2CEMU_PROP_FLOAT:
        return snprintf(out, outlen, "%g", *(const double *)f);
    case I2CEMU_PROP_STRING:
        return snprintf(out, outlen, "%s", (const char *)f);
    case I2CEMU_PROP_ENUM:
        return snprintf(out, outlen, "%s", p->names[*(const uint32_t *)f]);
    }
    return 0;
}
