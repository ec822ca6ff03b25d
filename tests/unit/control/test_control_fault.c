/* SPDX-License-Identifier: MIT */
/* The "fault" control request (src/control/fault.c): add, list, del and
 * clear, each key checked, and the rules it adds acting on the bus. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include <i2cemu/board.h>
#include <i2cemu/fault.h>
#include <i2cemu/master.h>

#include "control/request.h"

struct rig {
    struct i2cemu_loop *loop;
    struct i2cemu_board *b;
};

static int setup(void **state)
{
    struct rig *r = calloc(1, sizeof(*r));
    struct i2cemu_error err;

    r->loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    r->b = i2cemu_board_new(r->loop);
    assert_int_equal(i2cemu_device_add(r->b, "24c02,addr=0x50,id=ee", &err),
                     0);
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    struct rig *r = *state;

    i2cemu_board_free(r->b);
    i2cemu_loop_free(r->loop);
    free(r);
    return 0;
}

/* The reply to one request line, as compact JSON (a static buffer). */
static const char *run(struct rig *r, const char *line)
{
    static char out[4096];
    struct ctl_wait wait;
    json_t *reply;

    assert_int_equal(ctl_request(r->b, line, strlen(line), 0, &reply, &wait),
                     CTL_REPLY);
    char *s = json_dumps(reply, JSON_COMPACT);
    snprintf(out, sizeof(out), "%s", s);
    free(s);
    json_decref(reply);
    ctl_wait_clear(&wait);
    return out;
}

static void done(struct i2cemu_transfer *t)
{
    (void)t;
}

/* A one-byte write to 0x50 on bus 1: its result. */
static int poke(struct rig *r)
{
    uint8_t w[2] = { 0x10, 0xab };
    struct i2c_msg m = { .addr = 0x50, .len = 2, .buf = w };
    struct i2cemu_transfer t = { .msgs = &m, .nmsgs = 1, .done = done };
    i2cemu_transfer_submit(r->b, 0, &t);
    return t.result;
}

static void test_add_list_del_clear(void **state)
{
    struct rig *r = *state;

    assert_string_equal(run(r, "{\"op\":\"fault\",\"action\":\"add\","
                               "\"spec\":\"data-nack,dev=ee,byte=1,once\","
                               "\"id\":7}"),
                        "{\"ok\":true,\"fault\":1,\"id\":7}");
    assert_string_equal(run(r, "{\"op\":\"fault\",\"action\":\"add\","
                               "\"spec\":\"slow,time=1ms\"}"),
                        "{\"ok\":true,\"fault\":2}");
    assert_int_equal(poke(r), -EIO);
    assert_int_equal(poke(r), 1);
    assert_string_equal(run(r, "{\"op\":\"fault\",\"action\":\"list\"}"),
                        "{\"ok\":true,\"faults\":["
                        "{\"id\":1,\"spec\":\"data-nack,dev=ee,byte=1,once\","
                        "\"kind\":\"data-nack\",\"matched\":2,\"hits\":1},"
                        "{\"id\":2,\"spec\":\"slow,time=1000000ns\","
                        "\"kind\":\"slow\",\"matched\":1,\"hits\":1}]}");
    assert_string_equal(run(r, "{\"op\":\"fault\",\"action\":\"del\","
                               "\"fault\":1}"), "{\"ok\":true}");
    assert_int_equal(i2cemu_fault_at(r->b, 0)->id, 2);
    assert_string_equal(run(r, "{\"op\":\"fault\",\"action\":\"clear\"}"),
                        "{\"ok\":true}");
    assert_null(i2cemu_fault_at(r->b, 0));
    assert_false(i2cemu_bus_faults_armed(r->b, 0));
}

static void test_errors(void **state)
{
    struct rig *r = *state;
    static const char *const cases[][2] = {
        { "{\"op\":\"fault\"}",
          "fault: \\\"action\\\" must be add, list, del or clear" },
        { "{\"op\":\"fault\",\"action\":\"zap\"}",
          "fault: unknown action 'zap' (add, list, del or clear)" },
        { "{\"op\":\"fault\",\"action\":\"add\"}",
          "fault add: \\\"spec\\\" must be a string such as "
          "\\\"addr-nack,dev=1-0050,once\\\"" },
        { "{\"op\":\"fault\",\"action\":\"add\",\"spec\":\"nack\"}",
          "fault: unknown kind 'nack' (known: addr-nack, data-nack, "
          "arb-loss, stretch, sda-stuck, bad-pec, bitflip, block-count, "
          "gone, slow)" },
        { "{\"op\":\"fault\",\"action\":\"add\",\"spec\":\"gone,dev=x,"
          "time=1ms\"}",
          "fault: dev=x: no such device (an id, or a name such as "
          "tmp102@1-0048 or 1-0048)" },
        { "{\"op\":\"fault\",\"action\":\"add\",\"spec\":\"slow,time=1ms\","
          "\"fault\":1}", "fault add: unknown key 'fault'" },
        { "{\"op\":\"fault\",\"action\":\"list\",\"spec\":\"x\"}",
          "fault list: unknown key 'spec'" },
        { "{\"op\":\"fault\",\"action\":\"clear\",\"fault\":1}",
          "fault clear: unknown key 'fault'" },
        { "{\"op\":\"fault\",\"action\":\"del\"}",
          "fault del: \\\"fault\\\" must be a rule's id, from fault list" },
        { "{\"op\":\"fault\",\"action\":\"del\",\"fault\":\"1\"}",
          "fault del: \\\"fault\\\" must be a rule's id, from fault list" },
        { "{\"op\":\"fault\",\"action\":\"del\",\"fault\":9}",
          "fault del: there is no rule 9" },
        { "{\"op\":\"fault\",\"action\":\"del\",\"fault\":1,\"spec\":\"x\"}",
          "fault del: unknown key 'spec'" },
        { "{\"op\":\"fault\",\"action\":\"list\",\"verbose\":1}",
          "fault: unknown key 'verbose'" },
    };
    char want[1024];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(want, sizeof(want), "{\"ok\":false,\"error\":\"%s\"}",
                 cases[i][1]);
        assert_string_equal(run(r, cases[i][0]), want);
    }
    assert_null(i2cemu_fault_at(r->b, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_add_list_del_clear, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
