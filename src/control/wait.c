/* SPDX-License-Identifier: MIT */
/*
 * The "wait" op: answer once a property has a value. The condition is
 * checked when the request arrives; after that the server re-checks it
 * (ctl_wait_poll) after every control request and on a wall-clock tick,
 * never blocking the loop, until it holds or the deadline passes.
 */
#include "control/request.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A whole string that is a finite number (C syntax, as props.c parses). */
static bool number(const char *s, double *v)
{
    char *end;

    if (!*s)
        return false;
    *v = strtod(s, &end);
    return !*end && isfinite(*v);
}

/* Equal as text, or as numbers: "41.50" is 41.5 and "0x10" is 16. */
static bool same_value(const char *have, const char *want)
{
    double a, b;

    if (strcmp(have, want) == 0)
        return true;
    return number(have, &a) && number(want, &b) && a == b;
}

static json_t *with_id(json_t *r, const struct ctl_wait *w)
{
    if (r && w->id)
        json_object_set(r, "id", w->id);
    return r;
}

json_t *ctl_wait_poll(const struct i2cemu_board *b, const struct ctl_wait *w,
                      uint64_t now_ns)
{
    char *have;
    json_t *r = NULL;

    if (w->removal)
        return i2cemu_device_present(b, w->dev) ? NULL : with_id(ctl_ok(), w);
    if (!(have = ctl_prop_text(b, w->dev, w->prop)))
        return with_id(ctl_fail("out of memory"), w);
    if (same_value(have, w->value))
        r = json_pack("{sbso}", "ok", 1, "value", ctl_string(have));
    else if (w->has_deadline && now_ns >= w->deadline_ns)
        r = ctl_fail("wait: timed out: %s is %s, not %s", w->prop, have,
                     w->value);
    free(have);
    return with_id(r, w);
}

void ctl_wait_clear(struct ctl_wait *w)
{
    free(w->prop);
    free(w->value);
    json_decref(w->id);
    *w = (struct ctl_wait){ .prop = NULL };
}

json_t *ctl_op_wait(const struct i2cemu_board *b, const json_t *req,
                    uint64_t now_ns, struct ctl_wait *wait)
{
    static const char *const keys[] = { "dev", "prop", "value", "timeout_ms",
                                        NULL };
    json_t *fail = ctl_check_keys(req, "wait", keys);
    const json_t *prop = json_object_get(req, "prop");
    const json_t *value = json_object_get(req, "value");
    const json_t *timeout = json_object_get(req, "timeout_ms");
    const struct i2cemu_device_type *t;
    struct ctl_wait w = { .prop = NULL };
    bool known = false;
    json_t *r;
    int dev;

    if (fail)
        return fail;
    if ((dev = ctl_device_lookup(b, json_object_get(req, "dev"), &fail)) < 0)
        return fail;
    if (!json_is_string(prop))
        return ctl_fail("wait: \"prop\" must be a property name");
    t = i2cemu_device_type_of(b, (unsigned)dev);
    for (const struct i2cemu_prop *p = t->props; p && p->name; p++)
        known = known || strcmp(p->name, json_string_value(prop)) == 0;
    if (!known)
        return ctl_fail("%s has no property '%s'", t->name,
                        json_string_value(prop));
    if (!value)
        return ctl_fail("wait: \"value\" is required");
    if (timeout && (!json_is_integer(timeout) ||
                    json_integer_value(timeout) < 0 ||
                    json_integer_value(timeout) > CTL_MAX_TIMEOUT_MS))
        return ctl_fail("wait: \"timeout_ms\" must be an integer from 0 to "
                        "%d", CTL_MAX_TIMEOUT_MS);
    w.dev = (unsigned)dev;
    if (!(w.value = ctl_value_text(value, "value", &fail)))
        return fail;
    if (!(w.prop = strdup(json_string_value(prop)))) {
        ctl_wait_clear(&w);
        return ctl_fail("out of memory");
    }
    if (timeout) {
        w.has_deadline = true;
        w.deadline_ns = now_ns +
                        (uint64_t)json_integer_value(timeout) * 1000000u;
    }
    r = ctl_wait_poll(b, &w, now_ns);
    if (r) {
        ctl_wait_clear(&w);
        return r;
    }
    *wait = w;
    return NULL;
}
