/* SPDX-License-Identifier: MIT */
/* Control requests (src/control/): every op and every error path, against
 * an in-process board. A failed request must leave the board as it was. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include <i2cemu/board.h>
#include <i2cemu/i2cdev.h>
#include <i2cemu/master.h>

#include "control/request.h"

/* A model with properties of every runtime kind and one fixed at
 * creation, to test that a set is whole or nothing. */
struct knobs {
    uint32_t u;
    int32_t i;
    bool on;
    double f;
    char s[8];
    uint32_t mode;
    uint32_t fixed;
};

static const char *const modes[] = { "idle", "busy", NULL };

static const struct i2cemu_prop knob_props[] = {
    I2CEMU_PROP_UINT_("u", struct knobs, u, 1, 0, 100, I2CEMU_PROP_RUNTIME,
                      "uint"),
    I2CEMU_PROP_INT_("i", struct knobs, i, -1, -10, 10, I2CEMU_PROP_RUNTIME,
                     "int"),
    I2CEMU_PROP_BOOL_("on", struct knobs, on, 0, I2CEMU_PROP_RUNTIME, "bool"),
    I2CEMU_PROP_FLOAT_("f", struct knobs, f, 0.5, -1, 1, I2CEMU_PROP_RUNTIME,
                       "float"),
    I2CEMU_PROP_STRING_("s", struct knobs, s, "abc", I2CEMU_PROP_RUNTIME,
                        "string"),
    I2CEMU_PROP_ENUM_("mode", struct knobs, mode, 0, modes,
                      I2CEMU_PROP_RUNTIME, "enum"),
    I2CEMU_PROP_UINT_("fixed", struct knobs, fixed, 7, 0, 9, 0, "fixed"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_device_type knobs_type = {
    .name = "knobs",
    .help = "test knobs",
    .props = knob_props,
    .state_size = sizeof(struct knobs),
};

struct rig {
    struct i2cemu_loop *loop;
    struct i2cemu_board *b;
    int knobs;
    struct ctl_wait wait;
};

static int setup(void **state)
{
    struct rig *r = calloc(1, sizeof(*r));
    struct i2cemu_error err;

    r->loop = i2cemu_loop_new(I2CEMU_CLOCK_VIRTUAL);
    r->b = i2cemu_board_new(r->loop);
    assert_int_equal(i2cemu_bus_add_spec(r->b, "1 speed=400k", &err), 0);
    assert_int_equal(i2cemu_bus_add_spec(r->b, "3 profile=stub", &err), 1);
    assert_int_equal(i2cemu_device_add(r->b, "tmp102,addr=0x48", &err), 0);
    assert_int_equal(i2cemu_device_add(r->b, "regbank,addr=0x52,bus=3", &err),
                     1);
    r->knobs = i2cemu_device_add_custom(r->b, &knobs_type, "addr=0x20", &err);
    assert_int_equal(r->knobs, 2);
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    struct rig *r = *state;

    ctl_wait_clear(&r->wait);
    i2cemu_board_free(r->b);
    i2cemu_loop_free(r->loop);
    free(r);
    return 0;
}

/* Run one request; check its outcome; return the reply as compact JSON
 * (a static buffer) with the board arena checked unchanged if `same`. */
static const char *run_at(struct rig *r, const char *line, uint64_t now,
                          enum ctl_outcome want, bool same)
{
    static char out[4096];
    size_t size0, size1;
    const void *a = i2cemu_board_arena(r->b, &size0);
    void *before = malloc(size0);
    json_t *reply;
    char *s;

    memcpy(before, a, size0);
    ctl_wait_clear(&r->wait);
    assert_int_equal(ctl_request(r->b, line, strlen(line), now, &reply,
                                 &r->wait),
                     want);
    a = i2cemu_board_arena(r->b, &size1);
    if (same) {
        assert_int_equal(size0, size1);
        assert_memory_equal(before, a, size0);
    }
    free(before);
    if (want == CTL_WAIT) {
        assert_null(reply);
        return "";
    }
    s = json_dumps(reply, JSON_COMPACT);
    snprintf(out, sizeof(out), "%s", s);
    free(s);
    json_decref(reply);
    return out;
}

static const char *run(struct rig *r, const char *line)
{
    return run_at(r, line, 0, CTL_REPLY, false);
}

/* A request that must fail with `msg` and change nothing. */
static void fails(struct rig *r, const char *line, const char *msg)
{
    char want[1024];

    snprintf(want, sizeof(want), "{\"ok\":false,\"error\":\"%s\"}", msg);
    assert_string_equal(run_at(r, line, 0, CTL_REPLY, true), want);
}

static const char *prop(struct rig *r, unsigned dev, const char *name)
{
    static char buf[64];

    assert_true(i2cemu_device_get(r->b, dev, name, buf, sizeof(buf), NULL) >=
                0);
    return buf;
}

static void test_envelope_errors(void **state)
{
    struct rig *r = *state;

    fails(r, "", "empty line: expected a JSON request");
    fails(r, "{\"op\":", "not JSON: unexpected token near end of file at "
                         "column 6");
    fails(r, "{\"op\":\"list\"} x", "not JSON: end of file expected near "
                                   "'x' at column 15");
    fails(r, "[1,2]", "a request must be a JSON object");
    fails(r, "\"list\"", "a request must be a JSON object");
    fails(r, "{}", "request has no \\\"op\\\"");
    fails(r, "{\"op\":3}", "\\\"op\\\" must be a string");
    fails(r, "{\"op\":\"fly\"}", "unknown op 'fly' (known: hello, list, get, "
                                 "set, wait, add, del, reset, snapshot, "
                                 "trace, fault, quit)");
    fails(r, "{\"op\":\"list\",\"id\":[1]}",
          "\\\"id\\\" must be a string or an integer");
    fails(r, "{\"op\":\"list\",\"id\":1.5}",
          "\\\"id\\\" must be a string or an integer");
    fails(r, "{\"op\":\"list\",\"op\":\"get\"}",
          "not JSON: duplicate object key near '\\\"op\\\"' at column 17");
    fails(r, "{\"op\":\"list\",\"verbose\":true}",
          "list: unknown key 'verbose'");
    fails(r, "{\"op\":\"quit\",\"now\":1}", "quit: unknown key 'now'");
    fails(r, "{\"op\":\"x\\u0000\"}",
          "not JSON: \\\\u0000 is not allowed without JSON_ALLOW_NUL near "
          "'\\\"x\\\\u0000\\\"' at column 15");
}

static void test_hello(void **state)
{
    struct rig *r = *state;

    assert_string_equal(run(r, "{\"op\":\"hello\"}"),
                        "{\"ok\":true,\"version\":1,\"server\":\"i2cemu\"}");
    assert_string_equal(run(r, "{\"op\":\"hello\",\"version\":1,\"id\":7}"),
                        "{\"ok\":true,\"version\":1,\"server\":\"i2cemu\","
                        "\"id\":7}");
    fails(r, "{\"op\":\"hello\",\"version\":2}",
          "hello: version 2 is not supported (this daemon speaks version 1)");
    fails(r, "{\"op\":\"hello\",\"version\":\"1\"}",
          "hello: version must be an integer");
}

static void test_list(void **state)
{
    struct rig *r = *state;

    assert_string_equal(
        run(r, "{\"op\":\"list\",\"id\":\"x\"}"),
        "{\"ok\":true,\"buses\":["
        "{\"number\":1,\"name\":\"i2cemu adapter\",\"profile\":\"i2c\","
        "\"speed_hz\":400000},"
        "{\"number\":3,\"name\":\"SMBus stub driver\",\"profile\":\"stub\","
        "\"speed_hz\":100000}],"
        "\"devices\":["
        "{\"name\":\"tmp102@1-0048\",\"type\":\"tmp102\",\"bus\":1,"
        "\"addr\":72,\"id\":\"\"},"
        "{\"name\":\"regbank@3-0052\",\"type\":\"regbank\",\"bus\":3,"
        "\"addr\":82,\"id\":\"\"},"
        "{\"name\":\"knobs@1-0020\",\"type\":\"knobs\",\"bus\":1,"
        "\"addr\":32,\"id\":\"\"}],\"id\":\"x\"}");
}

static void test_device_names(void **state)
{
    struct rig *r = *state;
    const char *want = "{\"ok\":true,\"dev\":\"tmp102@1-0048\",\"type\":"
                       "\"tmp102\",\"props\":{\"temperature\":{\"value\":"
                       "\"25\",\"kind\":\"float\",\"runtime\":true,"
                       "\"readonly\":false}},\"lines\":{\"alert\":1}}";

    assert_string_equal(run(r, "{\"op\":\"get\",\"dev\":\"tmp102@1-0048\"}"),
                        want);
    assert_string_equal(run(r, "{\"op\":\"get\",\"dev\":\"1-0048\"}"), want);
    assert_string_equal(run(r, "{\"op\":\"get\",\"dev\":\"1-48\"}"), want);
    fails(r, "{\"op\":\"get\"}",
          "\\\"dev\\\" must be a string such as tmp102@1-0048");
    fails(r, "{\"op\":\"get\",\"dev\":72}",
          "\\\"dev\\\" must be a string such as tmp102@1-0048");
    static const char *const bad[] = { "tmp102", "1-", "-0048", "1-00048",
                                       "1-0048x", "1_0048", "@1-0048",
                                       "1-0x48", "x@" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char line[128], msg[160];
        snprintf(line, sizeof(line), "{\"op\":\"get\",\"dev\":\"%s\"}",
                 bad[i]);
        snprintf(msg, sizeof(msg), "device '%s': no device has that id, and "
                 "it is not a name such as tmp102@1-0048 or 1-0048", bad[i]);
        if (strcmp(bad[i], "@1-0048") == 0)
            snprintf(msg, sizeof(msg), "device '@1-0048': 1-0048 is a tmp102");
        fails(r, line, msg);
    }
    fails(r, "{\"op\":\"get\",\"dev\":\"2-0048\"}",
          "device '2-0048': there is no bus 2");
    fails(r, "{\"op\":\"get\",\"dev\":\"99999999999-0048\"}",
          "device '99999999999-0048': no device has that id, and it is not "
          "a name such as tmp102@1-0048 or 1-0048");
    fails(r, "{\"op\":\"get\",\"dev\":\"1-0049\"}",
          "device '1-0049': no device at 0x49 on bus 1");
    fails(r, "{\"op\":\"get\",\"dev\":\"lm75@1-0048\"}",
          "device 'lm75@1-0048': 1-0048 is a tmp102");
    fails(r, "{\"op\":\"get\",\"dev\":\"tmp10@1-0048\"}",
          "device 'tmp10@1-0048': 1-0048 is a tmp102");
}

static void test_get(void **state)
{
    struct rig *r = *state;

    assert_string_equal(
        run(r, "{\"op\":\"get\",\"dev\":\"knobs@1-0020\"}"),
        "{\"ok\":true,\"dev\":\"knobs@1-0020\",\"type\":\"knobs\",\"props\":{"
        "\"u\":{\"value\":\"1\",\"kind\":\"uint\",\"runtime\":true,"
        "\"readonly\":false},"
        "\"i\":{\"value\":\"-1\",\"kind\":\"int\",\"runtime\":true,"
        "\"readonly\":false},"
        "\"on\":{\"value\":\"off\",\"kind\":\"bool\",\"runtime\":true,"
        "\"readonly\":false},"
        "\"f\":{\"value\":\"0.5\",\"kind\":\"float\",\"runtime\":true,"
        "\"readonly\":false},"
        "\"s\":{\"value\":\"abc\",\"kind\":\"string\",\"runtime\":true,"
        "\"readonly\":false},"
        "\"mode\":{\"value\":\"idle\",\"kind\":\"enum\",\"runtime\":true,"
        "\"readonly\":false},"
        "\"fixed\":{\"value\":\"7\",\"kind\":\"uint\",\"runtime\":false,"
        "\"readonly\":false}}}");
    /* Only the ones asked for, in the type's order. */
    assert_string_equal(
        run(r, "{\"op\":\"get\",\"dev\":\"1-0020\",\"props\":[\"fixed\","
               "\"u\"]}"),
        "{\"ok\":true,\"dev\":\"knobs@1-0020\",\"type\":\"knobs\",\"props\":{"
        "\"u\":{\"value\":\"1\",\"kind\":\"uint\",\"runtime\":true,"
        "\"readonly\":false},"
        "\"fixed\":{\"value\":\"7\",\"kind\":\"uint\",\"runtime\":false,"
        "\"readonly\":false}}}");
    fails(r, "{\"op\":\"get\",\"dev\":\"1-0020\",\"props\":[\"nope\"]}",
          "knobs has no property 'nope' (it has: u, i, on, f, s, mode, "
          "fixed)");
    fails(r, "{\"op\":\"get\",\"dev\":\"1-0020\",\"props\":\"u\"}",
          "get: \\\"props\\\" must be an array of names");
    fails(r, "{\"op\":\"get\",\"dev\":\"1-0020\",\"props\":[1]}",
          "get: \\\"props\\\" must be an array of names");
    fails(r, "{\"op\":\"get\",\"dev\":\"3-0052\",\"props\":[\"x\"]}",
          "regbank has no property 'x' (it has: bank_reg, bank_mask, bank_start, "
          "bank_end, file)");
}

static void test_set(void **state)
{
    struct rig *r = *state;

    assert_string_equal(
        run(r, "{\"op\":\"set\",\"dev\":\"tmp102@1-0048\",\"props\":"
               "{\"temperature\":41.5},\"id\":3}"),
        "{\"ok\":true,\"id\":3}");
    assert_string_equal(prop(r, 0, "temperature"), "41.5");
    /* Strings, integers, reals and booleans, all at once. */
    assert_string_equal(
        run(r, "{\"op\":\"set\",\"dev\":\"1-0020\",\"props\":{\"u\":\"0x10\","
               "\"i\":-3,\"on\":true,\"f\":-0.25,\"s\":\"xyz\","
               "\"mode\":\"busy\"}}"),
        "{\"ok\":true}");
    assert_string_equal(prop(r, 2, "u"), "16");
    assert_string_equal(prop(r, 2, "i"), "-3");
    assert_string_equal(prop(r, 2, "on"), "on");
    assert_string_equal(prop(r, 2, "f"), "-0.25");
    assert_string_equal(prop(r, 2, "s"), "xyz");
    assert_string_equal(prop(r, 2, "mode"), "busy");
    assert_string_equal(
        run(r, "{\"op\":\"set\",\"dev\":\"1-0020\",\"props\":{\"on\":false}}"),
        "{\"ok\":true}");
    assert_string_equal(prop(r, 2, "on"), "off");
}

static void test_set_is_whole_or_nothing(void **state)
{
    struct rig *r = *state;

    /* The bad value comes last: the ones before it are not kept. */
    fails(r, "{\"op\":\"set\",\"dev\":\"1-0020\",\"props\":{\"u\":50,"
             "\"i\":5,\"f\":2}}",
          "f=2: out of range (-1 to 1)");
    fails(r, "{\"op\":\"set\",\"dev\":\"1-0020\",\"props\":{\"u\":50,"
             "\"s\":\"too long\"}}",
          "s: longer than 7 characters");
    fails(r, "{\"op\":\"set\",\"dev\":\"1-0020\",\"props\":{\"u\":50,"
             "\"mode\":\"off\"}}",
          "mode=off: expected one of idle, busy");
    fails(r, "{\"op\":\"set\",\"dev\":\"1-0020\",\"props\":{\"u\":50,"
             "\"i\":\"x\"}}",
          "i=x: expected an integer");
    fails(r, "{\"op\":\"set\",\"dev\":\"1-0020\",\"props\":{\"u\":50,"
             "\"fixed\":1}}",
          "knobs: fixed cannot be changed while the board runs (it is set "
          "when the device is created)");
    fails(r, "{\"op\":\"set\",\"dev\":\"1-0020\",\"props\":{\"u\":50,"
             "\"w\":1}}",
          "knobs has no property 'w' (it has: u, i, on, f, s, mode, fixed)");
    fails(r, "{\"op\":\"set\",\"dev\":\"1-0020\",\"props\":{\"u\":50,"
             "\"i\":null}}",
          "i: expected a string, a number or a boolean");
    fails(r, "{\"op\":\"set\",\"dev\":\"1-0020\",\"props\":{\"u\":[1]}}",
          "u: expected a string, a number or a boolean");
    fails(r, "{\"op\":\"set\",\"dev\":\"1-0020\",\"props\":{}}",
          "set: \\\"props\\\" must be an object of one or more name: value "
          "pairs");
    fails(r, "{\"op\":\"set\",\"dev\":\"1-0020\",\"props\":[\"u\"]}",
          "set: \\\"props\\\" must be an object of one or more name: value "
          "pairs");
    fails(r, "{\"op\":\"set\",\"dev\":\"1-0020\"}",
          "set: \\\"props\\\" must be an object of one or more name: value "
          "pairs");
    fails(r, "{\"op\":\"set\",\"dev\":\"1-0021\",\"props\":{\"u\":1}}",
          "device '1-0021': no device at 0x21 on bus 1");
    fails(r, "{\"op\":\"set\",\"dev\":\"1-0020\",\"props\":{\"u\":1},"
             "\"x\":0}",
          "set: unknown key 'x'");
    assert_string_equal(prop(r, 2, "u"), "1");
}

static void test_wait(void **state)
{
    struct rig *r = *state;
    json_t *reply;
    char *s;

    /* Already true: answered at once, "41.50" being the number 41.5. */
    run(r, "{\"op\":\"set\",\"dev\":\"1-0048\",\"props\":"
           "{\"temperature\":41.5}}");
    assert_string_equal(
        run(r, "{\"op\":\"wait\",\"dev\":\"1-0048\",\"prop\":\"temperature\","
               "\"value\":\"41.50\",\"id\":1}"),
        "{\"ok\":true,\"value\":\"41.5\",\"id\":1}");
    assert_string_equal(
        run(r, "{\"op\":\"wait\",\"dev\":\"1-0020\",\"prop\":\"mode\","
               "\"value\":\"idle\"}"),
        "{\"ok\":true,\"value\":\"idle\"}");
    /* Not yet: pending until a set, with its id kept for the reply. */
    run_at(r, "{\"op\":\"wait\",\"dev\":\"1-0048\",\"prop\":\"temperature\","
              "\"value\":30,\"timeout_ms\":100,\"id\":\"w\"}",
           1000, CTL_WAIT, true);
    assert_null(ctl_wait_poll(r->b, &r->wait, 1000 + 99999999));
    i2cemu_device_set(r->b, 0, "temperature", "30", NULL);
    reply = ctl_wait_poll(r->b, &r->wait, 1000 + 99999999);
    s = json_dumps(reply, JSON_COMPACT);
    assert_string_equal(s, "{\"ok\":true,\"value\":\"30\",\"id\":\"w\"}");
    free(s);
    json_decref(reply);
    /* Never: times out at the deadline, naming the value it had. */
    run_at(r, "{\"op\":\"wait\",\"dev\":\"1-0048\",\"prop\":\"temperature\","
              "\"value\":31,\"timeout_ms\":100,\"id\":2}",
           1000, CTL_WAIT, true);
    assert_null(ctl_wait_poll(r->b, &r->wait, 1000 + 99999999));
    reply = ctl_wait_poll(r->b, &r->wait, 1000 + 100000000);
    s = json_dumps(reply, JSON_COMPACT);
    assert_string_equal(s, "{\"ok\":false,\"error\":\"wait: timed out: "
                           "temperature is 30, not 31\",\"id\":2}");
    free(s);
    json_decref(reply);
    /* timeout_ms 0 answers at once. */
    fails(r, "{\"op\":\"wait\",\"dev\":\"1-0048\",\"prop\":\"temperature\","
             "\"value\":31,\"timeout_ms\":0}",
          "wait: timed out: temperature is 30, not 31");
}

static void test_wait_errors(void **state)
{
    struct rig *r = *state;

    fails(r, "{\"op\":\"wait\",\"dev\":\"1-0048\",\"prop\":\"t\","
             "\"value\":1}", "tmp102 has no property 't'");
    fails(r, "{\"op\":\"wait\",\"dev\":\"1-0048\",\"value\":1}",
          "wait: \\\"prop\\\" must be a property name");
    fails(r, "{\"op\":\"wait\",\"dev\":\"1-0048\",\"prop\":\"temperature\"}",
          "wait: \\\"value\\\" is required");
    fails(r, "{\"op\":\"wait\",\"dev\":\"1-0048\",\"prop\":\"temperature\","
             "\"value\":{}}",
          "value: expected a string, a number or a boolean");
    static const char *const timeouts[] = { "-1", "86400001", "1.5", "\"1\"",
                                            "null" };
    for (size_t i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++) {
        char line[256];
        snprintf(line, sizeof(line), "{\"op\":\"wait\",\"dev\":\"1-0048\","
                 "\"prop\":\"temperature\",\"value\":1,\"timeout_ms\":%s}",
                 timeouts[i]);
        fails(r, line, "wait: \\\"timeout_ms\\\" must be an integer from 0 "
                       "to 86400000");
    }
    fails(r, "{\"op\":\"wait\",\"dev\":\"1-0048\",\"prop\":\"temperature\","
             "\"value\":1,\"until\":3}", "wait: unknown key 'until'");
}

static void test_quit(void **state)
{
    struct rig *r = *state;

    assert_string_equal(run_at(r, "{\"op\":\"quit\",\"id\":9}", 0, CTL_QUIT,
                               true),
                        "{\"ok\":true,\"id\":9}");
}

static void test_reply_line(void **state)
{
    json_t *j = json_pack("{ss}", "error", "two\nlines");
    size_t len;
    char *line = ctl_reply_line(j, &len);

    (void)state;
    /* One line per reply, whatever the text holds. */
    assert_string_equal(line, "{\"error\":\"two\\nlines\"}\n");
    assert_int_equal(len, strlen(line));
    free(line);
    json_decref(j);
    /* Text that is not UTF-8 (a string property from the command line). */
    j = ctl_string("a\xff\xc3(b\xc3\xa9");
    assert_string_equal(json_string_value(j), "a?" "?(b\xc3\xa9");
    json_decref(j);
}

/* Holds SCL after every byte until the bus is reset; counts FINISH. */
struct holder {
    uint32_t finishes;
};

static enum i2cemu_result holder_event(struct i2cemu_dev *d,
                                       enum i2cemu_event ev)
{
    if (ev == I2CEMU_EV_FINISH)
        ((struct holder *)d->state)->finishes++;
    return I2CEMU_ACK;
}

static void holder_send_async(struct i2cemu_dev *d, uint8_t byte)
{
    (void)d;
    (void)byte;
}

static const struct i2cemu_field holder_fields[] = {
    I2CEMU_FIELD("finishes", struct holder, finishes, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD_END,
};

static const struct i2cemu_device_type holder_type = {
    .name = "holder",
    .help = "holds the bus",
    .fields = holder_fields,
    .state_size = sizeof(struct holder),
    .event = holder_event,
    .send_async = holder_send_async,
};

static void held_done(struct i2cemu_transfer *t)
{
    *(bool *)t->opaque = true;
}

static void test_add_del_reset(void **state)
{
    struct rig *r = *state;
    struct i2cemu_error err;
    struct i2c_msg m;
    uint8_t byte = 0;
    bool done = false;
    struct i2cemu_transfer t = { .msgs = &m, .nmsgs = 1, .done = held_done,
                                 .opaque = &done };
    int holder;

    assert_string_equal(run(r, "{\"op\":\"add\",\"spec\":"
                               "\"lm75,addr=0x49,id=fan\"}"),
                        "{\"ok\":true,\"dev\":\"lm75@1-0049\"}");
    assert_string_equal(run(r, "{\"op\":\"get\",\"dev\":\"fan\",\"props\":"
                               "[\"temperature\"]}"),
                        "{\"ok\":true,\"dev\":\"lm75@1-0049\",\"type\":"
                        "\"lm75\",\"props\":{\"temperature\":{\"value\":"
                        "\"25\",\"kind\":\"float\",\"runtime\":true,"
                        "\"readonly\":false}}}");
    fails(r, "{\"op\":\"add\",\"spec\":\"lm75,addr=0x49\"}",
          "add: addr=0x49: bus 1 already has lm75 there");
    fails(r, "{\"op\":\"add\",\"spec\":\"lm75,addr=0x4a,id=fan\"}",
          "add: id=fan: another device already has that id");
    fails(r, "{\"op\":\"add\",\"spec\":\"nosuch,addr=0x4a\"}",
          "add: unknown device type 'nosuch' (see: i2cemu devices)");
    fails(r, "{\"op\":\"add\"}", "add: \\\"spec\\\" must be a device string "
          "such as tmp102,addr=0x48");
    assert_string_equal(run(r, "{\"op\":\"del\",\"dev\":\"fan\",\"id\":4}"),
                        "{\"ok\":true,\"id\":4}");
    fails(r, "{\"op\":\"get\",\"dev\":\"1-0049\"}",
          "device '1-0049': no device at 0x49 on bus 1");
    assert_false(strstr(run(r, "{\"op\":\"list\"}"), "lm75") != NULL);
    fails(r, "{\"op\":\"del\",\"dev\":\"fan\"}", "device 'fan': no device "
          "has that id, and it is not a name such as tmp102@1-0048 or "
          "1-0048");
    fails(r, "{\"op\":\"reset\",\"bus\":2}", "reset: there is no bus 2");
    fails(r, "{\"op\":\"reset\",\"bus\":\"1\"}",
          "reset: \\\"bus\\\" must be a bus number");

    /* A transfer holds bus 1: del answers once it has ended, which the
     * reset makes happen, with every device seeing its FINISH. */
    holder = i2cemu_device_add_custom(r->b, &holder_type, "addr=0x30", &err);
    assert_true(holder >= 0);
    m = (struct i2c_msg){ .addr = 0x30, .len = 1, .buf = &byte };
    i2cemu_transfer_submit(r->b, 0, &t);
    assert_false(done);
    run_at(r, "{\"op\":\"del\",\"dev\":\"1-0030\",\"id\":\"d\"}", 0, CTL_WAIT,
           false);
    struct ctl_wait del = r->wait;
    r->wait = (struct ctl_wait){ .prop = NULL };
    assert_true(del.removal);
    assert_null(ctl_wait_poll(r->b, &del, 0));
    assert_string_equal(run(r, "{\"op\":\"reset\",\"bus\":1}"),
                        "{\"ok\":true}");
    assert_true(done);
    assert_int_equal(t.result, -EIO);
    assert_int_equal(((struct holder *)i2cemu_device_state(
                          r->b, (unsigned)holder))->finishes, 1);
    /* The removal runs from the loop, right after the transfer's end. */
    i2cemu_loop_advance(r->loop, 0);
    json_t *reply = ctl_wait_poll(r->b, &del, 0);
    char *s = json_dumps(reply, JSON_COMPACT);
    assert_string_equal(s, "{\"ok\":true,\"id\":\"d\"}");
    free(s);
    json_decref(reply);
    ctl_wait_clear(&del);
    assert_false(i2cemu_device_present(r->b, (unsigned)holder));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_envelope_errors), T(test_hello), T(test_list),
        T(test_device_names), T(test_get), T(test_set),
        T(test_set_is_whole_or_nothing), T(test_wait), T(test_wait_errors),
        T(test_quit), T(test_reply_line), T(test_add_del_reset),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
