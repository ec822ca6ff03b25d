/* SPDX-License-Identifier: MIT */
/* The i2cemu command line: what each form parses to, and the message for
 * each kind of mistake (main prints it and exits with status 2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cli/options.h"

#define ARGV(...) ((char *[]){ "i2cemu", __VA_ARGS__, NULL })
#define ARGC(v) ((int)(sizeof(v) / sizeof(v[0])) - 1)

static struct cli_options opts;
static struct i2cemu_error err;

/* The options point into argv: keep a copy that outlives the caller's
 * compound literal. */
static char *args[32];

static int parse(int argc, char **argv)
{
    assert_true(argc < 32);
    memcpy(args, argv, (size_t)(argc + 1) * sizeof(*argv));
    cli_options_free(&opts);
    memset(&err, 0, sizeof(err));
    return cli_options_parse(&opts, argc, args, &err);
}

#define PARSE_OK(...)                                                         \
    do {                                                                      \
        char **v_ = ARGV(__VA_ARGS__);                                        \
        int rc_ = parse(ARGC(ARGV(__VA_ARGS__)), v_);                         \
        if (rc_ != 0)                                                         \
            fail_msg("%s", err.msg);                                          \
    } while (0)

#define PARSE_ERR(want, ...)                                                  \
    do {                                                                      \
        char **v_ = ARGV(__VA_ARGS__);                                        \
        assert_int_equal(parse(ARGC(ARGV(__VA_ARGS__)), v_), -1);             \
        assert_string_equal(err.msg, want);                                   \
    } while (0)

static int teardown(void **state)
{
    (void)state;
    cli_options_free(&opts);
    return 0;
}

static void test_no_arguments_serve_demo(void **state)
{
    char *argv[] = { "i2cemu", NULL };

    (void)state;
    assert_int_equal(parse(1, argv), 0);
    assert_int_equal(opts.action, CLI_SERVE);
    assert_int_equal(opts.clock, I2CEMU_CLOCK_FAST);
    assert_null(opts.socket);
    assert_false(opts.trace);
    assert_int_equal(opts.nsources, 0);
    assert_null(opts.command);
}

static void test_verbs(void **state)
{
    (void)state;
    PARSE_OK("run");
    assert_int_equal(opts.action, CLI_SERVE);
    PARSE_OK("devices");
    assert_int_equal(opts.action, CLI_DEVICES);
    PARSE_OK("--help");
    assert_int_equal(opts.action, CLI_HELP);
    PARSE_OK("-h");
    assert_int_equal(opts.action, CLI_HELP);
    PARSE_OK("--version");
    assert_int_equal(opts.action, CLI_VERSION);
    PARSE_OK("-V");
    assert_int_equal(opts.action, CLI_VERSION);
}

static void test_sources_keep_their_order(void **state)
{
    (void)state;
    PARSE_OK("-d", "tmp102,addr=0x48", "--file", "a.cfg",
             "--device=24c02,addr=0x50", "-fb.cfg", "run");
    assert_int_equal(opts.action, CLI_SERVE);
    assert_int_equal(opts.nsources, 4);
    assert_false(opts.sources[0].file);
    assert_string_equal(opts.sources[0].arg, "tmp102,addr=0x48");
    assert_true(opts.sources[1].file);
    assert_string_equal(opts.sources[1].arg, "a.cfg");
    assert_false(opts.sources[2].file);
    assert_string_equal(opts.sources[2].arg, "24c02,addr=0x50");
    assert_true(opts.sources[3].file);
    assert_string_equal(opts.sources[3].arg, "b.cfg");
}

static void test_options_after_the_verb(void **state)
{
    (void)state;
    PARSE_OK("run", "-f", "board.cfg", "--verbose");
    assert_int_equal(opts.action, CLI_SERVE);
    assert_int_equal(opts.nsources, 1);
    assert_true(opts.trace);
}

static void test_clock_socket_trace(void **state)
{
    (void)state;
    PARSE_OK("--clock", "realtime", "--socket", "/tmp/x.sock", "-v");
    assert_int_equal(opts.clock, I2CEMU_CLOCK_REALTIME);
    assert_string_equal(opts.socket, "/tmp/x.sock");
    assert_true(opts.trace);
    PARSE_OK("--clock=fast");
    assert_int_equal(opts.clock, I2CEMU_CLOCK_FAST);
    assert_int_equal(opts.cuse, CLI_CUSE_AUTO);
    PARSE_OK("--cuse", "run");
    assert_int_equal(opts.cuse, CLI_CUSE_ON);
    assert_int_equal(opts.action, CLI_SERVE);
    PARSE_OK("--cuse", "--no-cuse");
    assert_int_equal(opts.cuse, CLI_CUSE_OFF);
    PARSE_OK("--cuse-name", "smbus-", "--cuse-mode", "0660",
             "--cuse-owner", "nobody", "--cuse-group=i2c");
    assert_string_equal(opts.cuse_name, "smbus-");
    assert_int_equal(opts.cuse_mode, 0660);
    assert_string_equal(opts.cuse_owner, "nobody");
    assert_string_equal(opts.cuse_group, "i2c");
}

/* --trace FORMAT:FILE[,bus=N], repeatable, in order; a comma that does
 * not start a final bus= belongs to the file name. */
static void test_trace_sinks(void **state)
{
    (void)state;
    PARSE_OK("--trace", "json:-", "--trace=vcd:a,b.vcd,bus=3",
             "--trace", "pcap:x,y", "--trace", "text:t.txt,bus=0");
    assert_false(opts.trace);
    assert_int_equal(opts.ntraces, 4);
    assert_int_equal(opts.traces[0].format, TRACE_JSON);
    assert_string_equal(opts.traces[0].path, "-");
    assert_int_equal(opts.traces[0].bus, -1);
    assert_int_equal(opts.traces[1].format, TRACE_VCD);
    assert_string_equal(opts.traces[1].path, "a,b.vcd");
    assert_int_equal(opts.traces[1].bus, 3);
    assert_int_equal(opts.traces[2].format, TRACE_PCAP);
    assert_string_equal(opts.traces[2].path, "x,y");
    assert_int_equal(opts.traces[2].bus, -1);
    assert_int_equal(opts.traces[3].format, TRACE_TEXT);
    assert_int_equal(opts.traces[3].bus, 0);

    PARSE_ERR("--trace xml:f: unknown format 'xml' (text, json, vcd or "
              "pcap)", "--trace", "xml:f");
    PARSE_ERR("--trace json: expected FORMAT:FILE", "--trace", "json");
    PARSE_ERR("--trace json:: no file name", "--trace", "json:");
    PARSE_ERR("--trace json:,bus=1: no file name", "--trace", "json:,bus=1");
    PARSE_ERR("--trace pcap:-: write pcap to a file, not to standard "
              "output", "--trace", "pcap:-");
    PARSE_ERR("--trace vcd:f,bus=y: bus=y: expected a bus number",
              "--trace", "vcd:f,bus=y");
    PARSE_ERR("--trace vcd:f,bus=-1: bus=-1: expected a bus number",
              "--trace", "vcd:f,bus=-1");
    PARSE_ERR("--trace vcd:f,bus=99999999999: bus=99999999999: expected a "
              "bus number", "--trace", "vcd:f,bus=99999999999");
    PARSE_ERR("missing argument to option '--trace'", "--trace");
}

static void test_short_options_cluster(void **state)
{
    (void)state;
    PARSE_OK("-vd", "lm75,addr=0x49");
    assert_true(opts.trace);
    assert_int_equal(opts.nsources, 1);
    assert_string_equal(opts.sources[0].arg, "lm75,addr=0x49");
}

static void test_command_after_dashdash(void **state)
{
    (void)state;
    /* The command's own options are its business. */
    PARSE_OK("-d", "24c02,addr=0x50", "--", "i2cget", "-y", "1", "0x50");
    assert_int_equal(opts.action, CLI_EXEC);
    assert_int_equal(opts.nsources, 1);
    assert_string_equal(opts.command[0], "i2cget");
    assert_string_equal(opts.command[1], "-y");
    assert_string_equal(opts.command[3], "0x50");
    assert_null(opts.command[4]);

    PARSE_OK("--", "sh", "-c", "exit 3");
    assert_int_equal(opts.action, CLI_EXEC);
    assert_string_equal(opts.command[0], "sh");
    assert_int_equal(opts.nsources, 0);

    /* "--" as the argument of -d is a (bad) device string, not the end. */
    PARSE_OK("-d", "--", "run");
    assert_int_equal(opts.action, CLI_SERVE);
    assert_string_equal(opts.sources[0].arg, "--");
}

static void test_errors_name_the_argument(void **state)
{
    (void)state;
    PARSE_ERR("unknown option '-x'", "-x");
    PARSE_ERR("unknown option '-x'", "-vx");
    PARSE_ERR("unknown option '--bogus'", "--bogus");
    PARSE_ERR("unknown option '--cuze'", "run", "--cuze");
    PARSE_ERR("unknown option '--help=x'", "--help=x");
    PARSE_ERR("missing argument to option '-d'", "-d");
    PARSE_ERR("missing argument to option '--socket'", "--socket");
    PARSE_ERR("--clock slow: unknown mode (fast or realtime)",
              "--clock", "slow");
    PARSE_ERR("--cuse-mode 0999: expected octal permissions such as 0660",
              "--cuse-mode", "0999");
    PARSE_ERR("--cuse-mode 0: expected octal permissions such as 0660",
              "--cuse-mode", "0");
    PARSE_ERR("--cuse-name dev/i2c-: expected a name without '/', such "
              "as i2c-", "--cuse-name", "dev/i2c-");
    PARSE_ERR("unknown command 'i2cdetect' (to run a program, put it after "
              "--)", "i2cdetect", "-y", "1");
    PARSE_ERR("unexpected argument 'devices'", "run", "devices");
    PARSE_ERR("'--' cannot follow a command word: use 'i2cemu [OPTION]... "
              "-- COMMAND'", "run", "--", "ls");
    PARSE_ERR("'--' must be followed by a command to run", "-v", "--");
}

static void test_faults_are_checked_and_kept_in_order(void **state)
{
    (void)state;
    PARSE_OK("-F", "addr-nack,once", "--fault", "slow,time=1ms", "-d",
             "24c02,addr=0x50", "-Fgone,time=2s");
    assert_int_equal(opts.nfaults, 3);
    assert_string_equal(opts.faults[0], "addr-nack,once");
    assert_string_equal(opts.faults[1], "slow,time=1ms");
    assert_string_equal(opts.faults[2], "gone,time=2s");
    PARSE_ERR("-F slow: fault: slow needs time= (a duration such as 5ms)",
              "-F", "slow");
    PARSE_ERR("missing argument to option '-F'", "-F");
}

static void test_help_wins_over_later_arguments(void **state)
{
    (void)state;
    PARSE_OK("-d", "x", "--help", "--bogus");
    assert_int_equal(opts.action, CLI_HELP);
}

/* --vhost-user BUS=PATH, repeatable. */
static void test_vhost_user(void **state)
{
    (void)state;
    PARSE_OK("--vhost-user", "1=/tmp/a.sock", "--vhost-user=3=/tmp/b=c");
    assert_int_equal(opts.nvhost_user, 2);
    assert_int_equal(opts.vhost_user[0].bus, 1);
    assert_string_equal(opts.vhost_user[0].path, "/tmp/a.sock");
    assert_int_equal(opts.vhost_user[1].bus, 3);
    assert_string_equal(opts.vhost_user[1].path, "/tmp/b=c");
    PARSE_ERR("--vhost-user /tmp/a.sock: expected BUS=PATH, such as "
              "1=/tmp/vi2c.sock", "--vhost-user", "/tmp/a.sock");
    PARSE_ERR("--vhost-user 1=: expected BUS=PATH, such as "
              "1=/tmp/vi2c.sock", "--vhost-user", "1=");
    PARSE_ERR("--vhost-user -1=x: expected BUS=PATH, such as "
              "1=/tmp/vi2c.sock", "--vhost-user", "-1=x");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_no_arguments_serve_demo, teardown),
        cmocka_unit_test_teardown(test_verbs, teardown),
        cmocka_unit_test_teardown(test_sources_keep_their_order, teardown),
        cmocka_unit_test_teardown(test_options_after_the_verb, teardown),
        cmocka_unit_test_teardown(test_clock_socket_trace, teardown),
        cmocka_unit_test_teardown(test_trace_sinks, teardown),
        cmocka_unit_test_teardown(test_short_options_cluster, teardown),
        cmocka_unit_test_teardown(test_command_after_dashdash, teardown),
        cmocka_unit_test_teardown(test_errors_name_the_argument, teardown),
        cmocka_unit_test_teardown(test_vhost_user, teardown),
        cmocka_unit_test_teardown(test_faults_are_checked_and_kept_in_order,
                                  teardown),
        cmocka_unit_test_teardown(test_help_wins_over_later_arguments,
                                  teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
