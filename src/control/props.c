/* SPDX-License-Identifier: MIT */
/*
 * The "get" and "set" ops: a device's properties, through the board's
 * i2cemu_device_get() / i2cemu_device_set().
 *
 * A set is applied whole or not at all: names and runtime flags are
 * checked for every property first; values are then applied in order and,
 * should one be refused, the device's state is put back byte for byte
 * before the reply. Requests run on the loop thread, between the
 * callbacks of any transfer, so no transfer sees a half-applied set.
 */
#include "control/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
    [I2CEMU_PROP_UINT] = "uint",   [I2CEMU_PROP_INT] = "int",
    [I2CEMU_PROP_BOOL] = "bool",   [I2CEMU_PROP_FLOAT] = "float",
    [I2CEMU_PROP_STRING] = "string", [I2CEMU_PROP_ENUM] = "enum",
};

static const struct i2cemu_prop *find_prop(const struct i2cemu_device_type *t,
                                           const char *name)
{
    for (const struct i2cemu_prop *p = t->props; p && p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

static json_t *no_such_prop(const struct i2cemu_device_type *t,
                            const char *name)
{
    char known[256] = "";
    size_t used = 0;

    for (const struct i2cemu_prop *p = t->props;
         p && p->name && used < sizeof(known); p++)
        used += (size_t)snprintf(known + used, sizeof(known) - used, "%s%s",
                                 used ? ", " : "", p->name);
    return ctl_fail("%s has no property '%s' (it has: %s)", t->name, name,
                    used ? known : "none");
}

static bool prop_readonly(const struct i2cemu_prop *p)
{
#ifdef I2CEMU_PROP_READONLY
    return p->flags & I2CEMU_PROP_READONLY;
#else
    (void)p;
    return false; /* no read-only properties exist yet */
#endif
}

/* The property's value as the command line spells it; free it. */
char *ctl_prop_text(const struct i2cemu_board *b, unsigned dev,
                    const char *name)
{
    char small[128], *s;
    int n = i2cemu_device_get(b, dev, name, small, sizeof(small), NULL);

    if (n < 0)
        return NULL;
    if ((size_t)n < sizeof(small))
        return strdup(small);
    s = malloc((size_t)n + 1);
    if (s)
        i2cemu_device_get(b, dev, name, s, (size_t)n + 1, NULL);
    return s;
}

static json_t *describe(const struct i2cemu_board *b, unsigned dev,
                        const struct i2cemu_prop *p)
{
    char *text = ctl_prop_text(b, dev, p->name);
    json_t *j = text ? json_pack("{sosssbsb}", "value", ctl_string(text),
                                 "kind", kind_names[p->kind], "runtime",
                                 (p->flags & I2CEMU_PROP_RUNTIME) != 0,
                                 "readonly", prop_readonly(p))
                     : NULL;
    free(text);
    return j;
}

/* The device a get or set names, checking the request's keys: its index,
 * or -1 with *fail the reply. */
static int op_device(const struct i2cemu_board *b, const json_t *req,
                     const char *op, const struct i2cemu_device_type **t,
                     json_t **fail)
{
    static const char *const keys[] = { "dev", "props", NULL };
    int dev;

    if ((*fail = ctl_check_keys(req, op, keys)))
        return -1;
    if ((dev = ctl_device_lookup(b, json_object_get(req, "dev"), fail)) < 0)
        return -1;
    *t = i2cemu_device_type_of(b, (unsigned)dev);
    return dev;
}

json_t *ctl_op_get(const struct i2cemu_board *b, const json_t *req)
{
    const json_t *names = json_object_get(req, "props");
    const struct i2cemu_device_type *t;
    json_t *fail, *r, *props, *v;
    char devname[64];
    size_t i;
    int dev;

    if ((dev = op_device(b, req, "get", &t, &fail)) < 0)
        return fail;
    if (names) {
        if (!json_is_array(names))
            return ctl_fail("get: \"props\" must be an array of names");
        json_array_foreach(names, i, v) {
            if (!json_is_string(v))
                return ctl_fail("get: \"props\" must be an array of names");
            if (!find_prop(t, json_string_value(v)))
                return no_such_prop(t, json_string_value(v));
        }
    }
    ctl_device_name(b, (unsigned)dev, devname, sizeof(devname));
    r = json_pack("{sbsssss{}}", "ok", 1, "dev", devname, "type", t->name,
                  "props");
    if (!r)
        return NULL;
    props = json_object_get(r, "props");
    for (const struct i2cemu_prop *p = t->props; p && p->name; p++) {
        bool wanted = !names;
        json_array_foreach(names, i, v)
            wanted = wanted || strcmp(json_string_value(v), p->name) == 0;
        if (wanted && json_object_set_new(props, p->name,
                                          describe(b, (unsigned)dev, p)) < 0) {
            json_decref(r);
            return NULL;
        }
    }
    /* A full listing also shows the output lines' levels, 0 or 1. */
    if (!names && t->lines && t->lines[0]) {
        json_t *lines = json_object();
        for (unsigned l = 0; lines && t->lines[l]; l++)
            json_object_set_new(lines, t->lines[l],
                                json_integer(i2cemu_device_line(
                                    b, (unsigned)dev, l)));
        if (!lines || json_object_set_new(r, "lines", lines) < 0) {
            json_decref(r);
            return NULL;
        }
    }
    return r;
}

struct assignment {
    const char *name;
    char *text;
};

static void free_assignments(struct assignment *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(a[i].text);
    free(a);
}

/* Check every name and value type; NULL and *out filled, or the error. */
static json_t *check_set(const struct i2cemu_device_type *t,
                         const json_t *props, struct assignment **out,
                         size_t *n)
{
    struct assignment *a;
    const char *name;
    json_t *v, *fail = NULL;

    if (!json_is_object(props) || json_object_size(props) == 0)
        return ctl_fail("set: \"props\" must be an object of one or more "
                        "name: value pairs");
    a = calloc(json_object_size(props), sizeof(*a));
    if (!a)
        return ctl_fail("out of memory");
    *n = 0;
    json_object_foreach((json_t *)props, name, v) {
        const struct i2cemu_prop *p = find_prop(t, name);
        if (!p) {
            fail = no_such_prop(t, name);
            break;
        }
        if (!(p->flags & I2CEMU_PROP_RUNTIME) || prop_readonly(p)) {
            fail = ctl_fail("%s: %s cannot be changed while the board runs "
                            "(%s)", t->name, name,
                            prop_readonly(p) ? "it is read-only"
                                             : "it is set when the device "
                                               "is created");
            break;
        }
        a[*n].name = name;
        if (!(a[*n].text = ctl_value_text(v, name, &fail)))
            break;
        (*n)++;
    }
    if (fail) {
        free_assignments(a, *n);
        return fail;
    }
    *out = a;
    return NULL;
}

json_t *ctl_op_set(struct i2cemu_board *b, const json_t *req)
{
    const struct i2cemu_device_type *t;
    struct assignment *a = NULL;
    struct i2cemu_error err;
    void *state, *saved;
    json_t *fail;
    size_t n = 0;
    int dev;

    if ((dev = op_device(b, req, "set", &t, &fail)) < 0)
        return fail;
    if ((fail = check_set(t, json_object_get(req, "props"), &a, &n)))
        return fail;
    /* Properties live in the fixed part of the state. */
    state = i2cemu_device_state(b, (unsigned)dev);
    saved = malloc(t->state_size);
    if (!saved) {
        free_assignments(a, n);
        return ctl_fail("out of memory");
    }
    memcpy(saved, state, t->state_size);
    for (size_t i = 0; i < n && !fail; i++)
        if (i2cemu_device_set(b, (unsigned)dev, a[i].name, a[i].text,
                              &err) < 0) {
            memcpy(state, saved, t->state_size);
            fail = ctl_fail("%s", err.msg);
        }
    free(saved);
    free_assignments(a, n);
    return fail ? fail : ctl_ok();
}
