/* SPDX-License-Identifier: MIT */
/*
 * i2cemu_device_type_check(): a type's tables describe its state. Every
 * byte of the state belongs to exactly one property or field, but for
 * alignment padding; so a field left out of the table (which a snapshot
 * would then miss) or a wrong offset fails a test, not a user.
 */
#include "core/board_internal.h"

#include <stdlib.h>
#include <string.h>

struct span {
    const char *name;
    size_t off, size; /* size 0: a tail, to the end of the state */
};

static int by_offset(const void *x, const void *y)
{
    const struct span *a = x, *b = y;
    return a->off < b->off ? -1 : a->off > b->off;
}

static size_t lowbit(size_t v)
{
    return v & -v;
}

/* The most a member at `off` of `size` bytes can be aligned to: its
 * alignment divides both (and is at most 8 on our ABIs). A gap before it
 * is padding only if rounding the previous end up to that gives `off`. */
static bool is_padding(size_t end, size_t off, size_t size)
{
    size_t a = 8;
    if (off && lowbit(off) < a)
        a = lowbit(off);
    if (size && lowbit(size) < a)
        a = lowbit(size);
    return (end + a - 1) / a * a == off;
}

static int check_props(const struct i2cemu_device_type *t, unsigned *n,
                       struct i2cemu_error *err)
{
    static const char *const common[] = {"addr", "bus", "claim", "tenbit"};
    *n = 0;
    for (const struct i2cemu_prop *p = t->props; p && p->name; p++, (*n)++) {
        if (*n == I2CEMU_MAX_PROPS) {
            i2cemu_error_set(err, "%s: more than %d properties", t->name,
                             I2CEMU_MAX_PROPS);
            return -1;
        }
        for (size_t i = 0; i < 4; i++)
            if (strcmp(p->name, common[i]) == 0) {
                i2cemu_error_set(err, "%s: property '%s' hides the common "
                                 "key", t->name, p->name);
                return -1;
            }
        if (prop_find(t, p->name) != p) {
            i2cemu_error_set(err, "%s: two properties are named '%s'",
                             t->name, p->name);
            return -1;
        }
        double lo, hi, d = (double)p->def.i;
        i2cemu_prop_range(p, &lo, &hi);
        if (p->kind == I2CEMU_PROP_FLOAT)
            d = p->def.f;
        bool numeric = p->kind == I2CEMU_PROP_UINT ||
                       p->kind == I2CEMU_PROP_INT ||
                       p->kind == I2CEMU_PROP_FLOAT;
        if (numeric && !(d >= lo && d <= hi)) {
            i2cemu_error_set(err, "%s: %s's default %g is outside %g to %g",
                             t->name, p->name, d, lo, hi);
            return -1;
        }
        if (p->kind == I2CEMU_PROP_ENUM) {
            int64_t count = 0;
            while (p->names && p->names[count])
                count++;
            if (p->def.i < 0 || p->def.i >= count) {
                i2cemu_error_set(err, "%s: %s's default is not a value",
                                 t->name, p->name);
                return -1;
            }
        }
    }
    return 0;
}

static int check_cover(const struct i2cemu_device_type *t, struct span *s,
                       unsigned n, struct i2cemu_error *err)
{
    qsort(s, n, sizeof(*s), by_offset);
    size_t end = 0;
    const char *prev = NULL;
    for (unsigned i = 0; i < n; i++) {
        if (s[i].size == 0 && i != n - 1) {
            i2cemu_error_set(err, "%s: tail field %s is not the last",
                             t->name, s[i].name);
            return -1;
        }
        if (s[i].off + s[i].size > t->state_size) {
            i2cemu_error_set(err, "%s: %s ends past the state (%zu bytes)",
                             t->name, s[i].name, t->state_size);
            return -1;
        }
        if (s[i].off < end) {
            i2cemu_error_set(err, "%s: %s overlaps %s", t->name, s[i].name,
                             prev);
            return -1;
        }
        if (s[i].off > end && !is_padding(end, s[i].off, s[i].size)) {
            i2cemu_error_set(err, "%s: bytes %zu to %zu (before %s) are in no "
                             "field", t->name, end, s[i].off - 1, s[i].name);
            return -1;
        }
        end = s[i].size ? s[i].off + s[i].size : t->state_size;
        prev = s[i].name;
    }
    if (end < t->state_size && !is_padding(end, t->state_size, 0)) {
        i2cemu_error_set(err, "%s: bytes %zu to %zu (after %s) are in no field",
                         t->name, end, t->state_size - 1, prev ? prev : "start");
        return -1;
    }
    bool tail = n && s[n - 1].size == 0;
    if (tail != (t->tail_size != NULL)) {
        i2cemu_error_set(err, "%s: %s", t->name,
                         tail ? "a tail field but no tail_size"
                              : "a tail_size but no tail field");
        return -1;
    }
    return 0;
}

int i2cemu_device_type_check(const struct i2cemu_device_type *t,
                             struct i2cemu_error *err)
{
    if (!t->name || !*t->name || strlen(t->name) >= I2CEMU_TYPE_NAME_MAX) {
        i2cemu_error_set(err, "type name '%s': 1 to %d characters",
                         t->name ? t->name : "", I2CEMU_TYPE_NAME_MAX - 1);
        return -1;
    }
    if (t->recv_buf && !t->recv) {
        /* The master still reads byte by byte at times (device.h). */
        i2cemu_error_set(err, "%s: recv_buf without recv", t->name);
        return -1;
    }
    unsigned nlines = 0;
    while (t->lines && t->lines[nlines])
        nlines++;
    if (nlines > I2CEMU_MAX_LINES) {
        i2cemu_error_set(err, "%s: more than %d lines", t->name,
                         I2CEMU_MAX_LINES);
        return -1;
    }
    unsigned nprops, n = 0;
    if (check_props(t, &nprops, err) < 0)
        return -1;
    unsigned nfields = 0;
    while (t->fields && t->fields[nfields].name)
        nfields++;
    struct span *s = calloc(nprops + nfields + 1, sizeof(*s));
    if (!s) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }
    for (unsigned i = 0; i < nprops; i++)
        s[n++] = (struct span){t->props[i].name, t->props[i].offset,
                               t->props[i].size};
    for (unsigned i = 0; i < nfields; i++)
        s[n++] = (struct span){t->fields[i].name, t->fields[i].offset,
                               t->fields[i].size};
    int rc = check_cover(t, s, n, err);
    free(s);
    return rc;
}
