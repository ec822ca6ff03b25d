/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the control requests (src/control/request.c and
 * the op files): the input is up to 32 lines, each handled by
 * ctl_request() on one fresh board (tmp102, lm75, 24c02, regbank on bus 1;
 * a regbank on stub bus 3).
 *
 * Invariants: every request gets exactly one reply (or, for a pending
 * wait, none now and one by its deadline), a JSON object with a boolean
 * "ok", a non-empty "error" string when false, that serialises to one
 * line; a request that fails, or any op but "set", leaves every byte of
 * the board arena as it was; no leak or memory error.
 */
#include <jansson.h>

#include "fuzz_common.h"
#include "control/request.h"

static void check_reply(const json_t *r, const char *line)
{
    const json_t *ok = json_object_get(r, "ok");
    size_t len;
    char *s;

    FUZZ_CHECK(json_is_object(r) && json_is_boolean(ok), "reply to '%s'",
               line);
    if (json_is_false(ok)) {
        const char *e = json_string_value(json_object_get(r, "error"));
        FUZZ_CHECK(e && *e, "error reply without a message to '%s'", line);
    }
    s = ctl_reply_line(r, &len);
    if (s) { /* NULL only when out of memory */
        FUZZ_CHECK(len >= 2 && s[len - 1] == '\n' &&
                       !memchr(s, '\n', len - 1) && strlen(s) == len,
                   "reply is not one line: %s", s);
        free(s);
    }
}

static bool is_set(const char *line, size_t len)
{
    json_t *j = json_loadb(line, len, JSON_DECODE_ANY, NULL);
    const char *op = json_string_value(json_object_get(j, "op"));
    bool set = op && strcmp(op, "set") == 0;

    json_decref(j);
    return set;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_VIRTUAL);
    struct i2cemu_board *b = loop ? i2cemu_board_new(loop) : NULL;
    static const char *const devs[] = {
        "tmp102,addr=0x48", "lm75,addr=0x49", "24c02,addr=0x50",
        "regbank,addr=0x52",
    };
    struct i2cemu_error err;
    const char *p = (const char *)data, *end = p + size;

    if (!b)
        goto out;
    if (i2cemu_bus_add_spec(b, "1", &err) < 0 ||
        i2cemu_bus_add_spec(b, "3 profile=stub", &err) < 0 ||
        i2cemu_device_add(b, "regbank,addr=0x10,bus=3", &err) < 0)
        goto out;
    for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
        if (i2cemu_device_add(b, devs[i], &err) < 0)
            goto out;

    for (unsigned n = 0; n < 32 && p < end; n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char *line = strndup(p, len); /* for messages only */
        size_t asize;
        const void *arena = i2cemu_board_arena(b, &asize);
        void *before = malloc(asize);
        struct ctl_wait wait;
        json_t *reply;
        enum ctl_outcome o;

        if (!line || !before) {
            free(line);
            free(before);
            break;
        }
        memcpy(before, arena, asize);
        o = ctl_request(b, p, len, 1000, &reply, &wait);
        if (o == CTL_WAIT) {
            FUZZ_CHECK(!reply && wait.prop, "wait without a pending wait");
            /* By its deadline a wait is answered, one way or the other. */
            json_t *r = ctl_wait_poll(b, &wait, 1000 + wait.deadline_ns);
            FUZZ_CHECK(!wait.has_deadline || r, "wait past its deadline");
            if (r)
                check_reply(r, line);
            json_decref(r);
            ctl_wait_clear(&wait);
        } else {
            FUZZ_CHECK(!wait.prop, "a wait left pending with a reply");
            if (reply) /* NULL only when out of memory */
                check_reply(reply, line);
        }
        size_t asize2;
        arena = i2cemu_board_arena(b, &asize2);
        FUZZ_CHECK(asize2 == asize, "arena size changed");
        if (!is_set(p, len) || !json_is_true(json_object_get(reply, "ok")))
            FUZZ_CHECK(memcmp(before, arena, asize) == 0,
                       "'%s' changed the board", line);
        json_decref(reply);
        free(before);
        free(line);
        p += len + (nl ? 1 : 0);
    }
out:
    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
    return 0;
}
