/* SPDX-License-Identifier: MIT */
/* Control requests: parse a line, check the envelope ("op", "id"),
 * dispatch, and the small ops (hello, quit). docs/control.md. */
#include "control/request.h"
#include "control/trace_stream.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *ctl_fail(const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return json_pack("{sbso}", "ok", 0, "error", ctl_string(msg));
}

json_t *ctl_ok(void)
{
    return json_pack("{sb}", "ok", 1);
}

/* Length of the valid UTF-8 sequence at s, or 0 (RFC 3629). */
static size_t utf8_len(const unsigned char *s)
{
    size_t n;
    unsigned min;
    unsigned cp;

    if (s[0] < 0x80)
        return 1;
    if ((s[0] & 0xE0) == 0xC0)
        n = 2, min = 0x80, cp = s[0] & 0x1F;
    else if ((s[0] & 0xF0) == 0xE0)
        n = 3, min = 0x800, cp = s[0] & 0x0F;
    else if ((s[0] & 0xF8) == 0xF0)
        n = 4, min = 0x10000, cp = s[0] & 0x07;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

json_t *ctl_string(const char *s)
{
    /* Text from the command line (a string property) need not be UTF-8,
     * which JSON requires. */
    char *copy = strdup(s);
    json_t *j;

    if (!copy)
        return NULL;
    for (unsigned char *p = (unsigned char *)copy; *p;) {
        size_t n = utf8_len(p);
        if (n) {
            p += n;
        } else {
            *p++ = '?';
        }
    }
    j = json_string(copy);
    free(copy);
    return j;
}

json_t *ctl_check_keys(const json_t *req, const char *op,
                       const char *const *keys)
{
    const char *key;
    json_t *v;

    json_object_foreach((json_t *)req, key, v) {
        bool known = strcmp(key, "op") == 0 || strcmp(key, "id") == 0;
        for (unsigned i = 0; !known && keys && keys[i]; i++)
            known = strcmp(key, keys[i]) == 0;
        if (!known)
            return ctl_fail("%s: unknown key '%s'", op, key);
    }
    return NULL;
}

char *ctl_value_text(const json_t *v, const char *what, json_t **fail)
{
    char *s = NULL;
    int n = 0;

    if (json_is_string(v))
        s = strdup(json_string_value(v));
    else if (json_is_integer(v))
        n = asprintf(&s, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_real(v))
        n = asprintf(&s, "%.17g", json_real_value(v));
    else if (json_is_boolean(v))
        s = strdup(json_is_true(v) ? "on" : "off");
    else {
        *fail = ctl_fail("%s: expected a string, a number or a boolean",
                         what);
        return NULL;
    }
    if (n < 0 || !s) {
        *fail = ctl_fail("out of memory");
        return NULL;
    }
    return s;
}

char *ctl_reply_line(const json_t *reply, size_t *len)
{
    char *s = json_dumps(reply, JSON_COMPACT);
    size_t n;
    char *line;

    if (!s)
        return NULL;
    n = strlen(s);
    line = realloc(s, n + 2);
    if (!line) {
        free(s);
        return NULL;
    }
    line[n] = '\n';
    line[n + 1] = '\0';
    *len = n + 1;
    return line;
}

static json_t *op_hello(const json_t *req)
{
    static const char *const keys[] = { "version", NULL };
    json_t *fail = ctl_check_keys(req, "hello", keys);
    const json_t *v = json_object_get(req, "version");

    if (fail)
        return fail;
    if (v && !json_is_integer(v))
        return ctl_fail("hello: version must be an integer");
    if (v && json_integer_value(v) != CTL_PROTOCOL_VERSION)
        return ctl_fail("hello: version %" JSON_INTEGER_FORMAT " is not "
                        "supported (this daemon speaks version %d)",
                        json_integer_value(v), CTL_PROTOCOL_VERSION);
    return json_pack("{sbsiss}", "ok", 1, "version", CTL_PROTOCOL_VERSION,
                     "server", "i2cemu");
}

/* The reply to a request that is not an object with a known op. */
static json_t *dispatch(struct i2cemu_board *b, const json_t *req,
                        uint64_t now_ns, struct ctl_wait *wait,
                        enum ctl_outcome *out)
{
    const json_t *opv = json_object_get(req, "op");
    const char *op;

    if (!opv)
        return ctl_fail("request has no \"op\"");
    if (!json_is_string(opv))
        return ctl_fail("\"op\" must be a string");
    op = json_string_value(opv);
    if (strcmp(op, "hello") == 0)
        return op_hello(req);
    if (strcmp(op, "list") == 0)
        return ctl_op_list(b, req);
    if (strcmp(op, "get") == 0)
        return ctl_op_get(b, req);
    if (strcmp(op, "set") == 0)
        return ctl_op_set(b, req);
    if (strcmp(op, "wait") == 0) {
        json_t *r = ctl_op_wait(b, req, now_ns, wait);
        if (!r && wait->prop)
            *out = CTL_WAIT;
        return r;
    }
    if (strcmp(op, "del") == 0) {
        json_t *r = ctl_op_del(b, req, wait);
        if (!r && wait->removal)
            *out = CTL_WAIT;
        return r;
    }
    if (strcmp(op, "add") == 0)
        return ctl_op_add(b, req);
    if (strcmp(op, "reset") == 0)
        return ctl_op_reset(b, req);
    if (strcmp(op, "snapshot") == 0)
        return ctl_op_snapshot(b, req);
    if (strcmp(op, "trace") == 0)
        return ctl_op_trace(b, req, wait, out);
    if (strcmp(op, "fault") == 0)
        return ctl_op_fault(b, req);
    if (strcmp(op, "quit") == 0) {
        json_t *fail = ctl_check_keys(req, "quit", NULL);
        if (!fail)
            *out = CTL_QUIT;
        return fail ? fail : ctl_ok();
    }
    return ctl_fail("unknown op '%s' (known: hello, list, get, set, wait, "
                    "add, del, reset, snapshot, trace, fault, quit)", op);
}

enum ctl_outcome ctl_request(struct i2cemu_board *b, const char *line,
                             size_t len, uint64_t now_ns, json_t **reply,
                             struct ctl_wait *wait)
{
    enum ctl_outcome out = CTL_REPLY;
    json_error_t jerr;
    json_t *req, *id = NULL, *r;

    *reply = NULL;
    *wait = (struct ctl_wait){ .prop = NULL };
    if (len == 0) {
        *reply = ctl_fail("empty line: expected a JSON request");
        return CTL_REPLY;
    }
    req = json_loadb(line, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
                     &jerr);
    if (!req) {
        *reply = ctl_fail("not JSON: %s at column %d", jerr.text,
                          jerr.column);
        return CTL_REPLY;
    }
    if (!json_is_object(req)) {
        json_decref(req);
        *reply = ctl_fail("a request must be a JSON object");
        return CTL_REPLY;
    }
    id = json_object_get(req, "id");
    if (id && !json_is_string(id) && !json_is_integer(id)) {
        r = ctl_fail("\"id\" must be a string or an integer");
        id = NULL;
    } else {
        r = dispatch(b, req, now_ns, wait, &out);
    }
    if (out == CTL_WAIT) {
        wait->id = json_incref(id);
    } else if (r && id) {
        json_object_set(r, "id", id);
    }
    json_decref(req);
    if (out != CTL_WAIT && !r) {
        /* Only allocation fails without a reply of its own. */
        out = CTL_REPLY;
        r = ctl_fail("out of memory");
    }
    *reply = r;
    return out;
}
