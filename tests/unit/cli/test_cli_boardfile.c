/* SPDX-License-Identifier: MIT */
/* Board files: what a good file builds, and for each kind of mistake the
 * exact "FILE:LINE: what is wrong" that main prints before exiting with
 * status 2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <i2cemu/board.h>

#include "cli/boardfile.h"

struct fixture {
    struct i2cemu_loop *loop;
    struct i2cemu_board *b;
    struct i2cemu_error err;
    char dir[64]; /* a scratch directory */
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    f->loop = i2cemu_loop_new(I2CEMU_CLOCK_VIRTUAL);
    f->b = i2cemu_board_new(f->loop);
    strcpy(f->dir, "/tmp/test_cli_boardfile.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[96];

    i2cemu_board_free(f->b);
    i2cemu_loop_free(f->loop);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

/* Parse `len` bytes of text as if they were the file "t.cfg". */
static int read_bytes(struct fixture *f, const char *text, size_t len,
                      bool allow_empty)
{
    FILE *in = fmemopen((void *)text, len, "r");
    int rc;

    assert_non_null(in);
    memset(&f->err, 0, sizeof(f->err));
    rc = cli_boardfile_read(f->b, in, "t.cfg", NULL, allow_empty, &f->err);
    fclose(in);
    return rc;
}

static int read_text(struct fixture *f, const char *text)
{
    return read_bytes(f, text, strlen(text), false);
}

static void expect_error(struct fixture *f, const char *text, const char *msg)
{
    assert_int_equal(read_text(f, text), -1);
    assert_string_equal(f->err.msg, msg);
}

static const char *prop(struct fixture *f, unsigned dev, const char *name)
{
    static char buf[256];

    assert_true(i2cemu_device_get(f->b, dev, name, buf, sizeof(buf), NULL) >=
                0);
    return buf;
}

static void test_good_file(void **state)
{
    struct fixture *f = *state;
    int bus;

    assert_int_equal(read_text(f,
        "# two buses and three EEPROMs\n"
        "bus 1 speed=400k\n"
        "\n"
        "bus\t3 profile=stub name=left#bus   # a '#' inside a word stays\n"
        "24c02,addr=0x50\n"
        "   24c02,addr=0x51,wp=on,pagesize=4   \r\n"
        "24c02,addr=0x50,bus=2 # bus 2 is created on demand\n"
        "# the end, no newline after it"), 0);

    assert_int_equal(i2cemu_bus_count(f->b), 3);
    assert_int_equal(i2cemu_bus_number(f->b, 0), 1);
    bus = i2cemu_bus_find(f->b, 3);
    assert_int_equal(bus, 1);
    assert_int_equal(i2cemu_bus_profile(f->b, (unsigned)bus),
                     I2CEMU_PROFILE_STUB);
    assert_string_equal(i2cemu_bus_name(f->b, (unsigned)bus), "left#bus");
    assert_int_equal(i2cemu_bus_find(f->b, 2), 2);

    assert_int_equal(i2cemu_device_count(f->b), 3);
    assert_string_equal(i2cemu_device_type_of(f->b, 0)->name, "24c02");
    assert_int_equal(i2cemu_device_addr(f->b, 0), 0x50);
    assert_int_equal(i2cemu_device_bus(f->b, 0), 0);
    assert_int_equal(i2cemu_device_addr(f->b, 1), 0x51);
    assert_string_equal(prop(f, 1, "wp"), "on");
    assert_string_equal(prop(f, 1, "pagesize"), "4");
    assert_int_equal(i2cemu_device_bus(f->b, 2), 2);
}

static void test_empty_file(void **state)
{
    struct fixture *f = *state;

    expect_error(f, "", "t.cfg: no bus or device in it (--allow-empty "
                 "serves an empty board)");
    expect_error(f, "# nothing\n\n   \n", "t.cfg: no bus or device in it "
                 "(--allow-empty serves an empty board)");
    assert_int_equal(read_bytes(f, "# nothing\n", 10, true), 0);
    assert_int_equal(read_bytes(f, "", 0, true), 0);
    assert_int_equal(i2cemu_bus_count(f->b), 0);
}

/* Bounded, text only: a stray binary or endless file is refused early. */
static void test_limits(void **state)
{
    struct fixture *f = *state;
    size_t big = CLI_BOARDFILE_MAX_SIZE + 1;
    char *text = malloc(big + 1);

    assert_non_null(text);
    memset(text, '#', CLI_BOARDFILE_MAX_LINE);
    text[CLI_BOARDFILE_MAX_LINE] = '\n';
    assert_int_equal(read_bytes(f, text, CLI_BOARDFILE_MAX_LINE + 1, true), 0);
    text[CLI_BOARDFILE_MAX_LINE] = '#';
    assert_int_equal(read_bytes(f, text, CLI_BOARDFILE_MAX_LINE + 1, true), -1);
    assert_string_equal(f->err.msg, "t.cfg:1: line longer than 512 bytes");

    for (size_t i = 0; i < big; i++) /* lines of 63 '#' and a newline */
        text[i] = i % 64 == 63 ? '\n' : '#';
    assert_int_equal(read_bytes(f, text, big - 1, true), 0);
    assert_int_equal(read_bytes(f, text, big, true), -1);
    assert_string_equal(f->err.msg,
                        "t.cfg:16385: board file larger than 1048576 bytes");
    free(text);

    assert_int_equal(read_bytes(f, "bus 1\n24c02\0,addr=0x50\n", 22, false),
                     -1);
    assert_string_equal(f->err.msg, "t.cfg:2: byte 0x00 is not text");
    expect_error(f, "\x1b[2J\n", "t.cfg:1: byte 0x1b is not text");
    expect_error(f, "bus 11\r\nbus 12\rbus 13\r\n",
                 "t.cfg:2: byte 0x0d is not text");
    expect_error(f, "bus 14\f\n", "t.cfg:1: byte 0x0c is not text");
    /* UTF-8 is text. */
    assert_int_equal(read_text(f, "tmp102,addr=0x48 # 41.5 \xc2\xb0" "C\n"), 0);
}

static void test_bus_names_are_unique(void **state)
{
    struct fixture *f = *state;

    expect_error(f, "bus 1 name=main\nbus 2\nbus 3\nbus 4 name=main\n",
                 "t.cfg:4: bus 4: name=main: another bus has that name");
}

/* file= is relative to the board file's directory; absolute stays. */
static void test_paths_relative_to_the_file(void **state)
{
    struct fixture *f = *state;
    char path[128], sub[96], msg[256];
    FILE *out;

    snprintf(sub, sizeof(sub), "%s/a,b", f->dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(path, sizeof(path), "%s/board.cfg", sub);
    out = fopen(path, "w");
    assert_non_null(out);
    fprintf(out, "24c02,addr=0x50,file=ee.bin\n"
                 "24c02,addr=0x51,file=/dev/null/x\n");
    fclose(out);

    assert_int_equal(cli_boardfile_load(f->b, path, false, &f->err), -1);
    snprintf(msg, sizeof(msg), "%s:2: /dev/null/x: Not a directory", path);
    assert_string_equal(f->err.msg, msg);
    snprintf(path, sizeof(path), "%s/ee.bin", sub);
    assert_int_equal(access(path, F_OK), 0); /* the EEPROM's new image */
}

/* Line numbers count every line, comments and blank ones too. */
static void test_line_numbers(void **state)
{
    struct fixture *f = *state;

    expect_error(f, "# 1\n\n24c02,addr=0x50\n  # 4\n24c02,adr=0x51\n",
                 "t.cfg:5: 24c02 has no property 'adr' (it has: addr, bus, "
                 "claim, id, tenbit, size, pagesize, twr_us, wp, file, image, "
                 "sync, interval)");
}

static void test_stops_at_the_first_error(void **state)
{
    struct fixture *f = *state;

    expect_error(f, "24c02,addr=0x50\nfoo,addr=0x51\nbar,addr=0x52\n"
                    "24c02,addr=0x53\n",
                 "t.cfg:2: unknown device type 'foo' (see: i2cemu devices)");
    assert_int_equal(i2cemu_device_count(f->b), 1);
}

static void test_device_errors(void **state)
{
    struct fixture *f = *state;

    expect_error(f, "eeprom,addr=0x50\n",
                 "t.cfg:1: unknown device type 'eeprom' (see: i2cemu "
                 "devices)");
    expect_error(f, "24c02\n", "t.cfg:1: 24c02: addr= is required");
    expect_error(f, "24c02,addr\n", "t.cfg:1: 'addr' is not key=value");
    expect_error(f, "24c02,addr=fifty\n",
                 "t.cfg:1: addr=fifty: expected an address such as 0x50");
    expect_error(f, "24c02,addr=0x78\n",
                 "t.cfg:1: addr=0x78: a 7-bit device address must be 0x03 "
                 "to 0x77");
    expect_error(f, "24c02,addr=0x50,wp=maybe\n",
                 "t.cfg:1: wp=maybe: expected on or off");
    expect_error(f, "24c02,addr=0x50,pagesize=256\n",
                 "t.cfg:1: pagesize=256: out of range (1 to 128)");
    expect_error(f, "24c02,addr=0x50,pagesize=3\n",
                 "t.cfg:1: pagesize=3: must be a power of two");
    expect_error(f, "24c02,addr=0x50,bus=x\n",
                 "t.cfg:1: bus=x: expected a bus number");
    assert_int_equal(i2cemu_device_count(f->b), 0);
}

static void test_address_taken(void **state)
{
    struct fixture *f = *state;

    expect_error(f, "24c02,addr=0x50\n24c02,addr=0x50\n",
                 "t.cfg:2: addr=0x50: bus 1 already has 24c02 there");
    /* The same address on another bus is fine. */
    assert_int_equal(read_text(f, "24c02,addr=0x50,bus=2\n"), 0);
}

static void test_bus_errors(void **state)
{
    struct fixture *f = *state;

    expect_error(f, "bus\n", "t.cfg:1: bus: expected a bus number, got ''");
    expect_error(f, "bus one\n",
                 "t.cfg:1: bus: expected a bus number, got 'one'");
    expect_error(f, "bus 2 speed=fast\n",
                 "t.cfg:1: bus 2: speed=fast: expected Hz or 100k, 400k, "
                 "1M, 3.4M");
    expect_error(f, "bus 2 profile=rpi\n",
                 "t.cfg:1: bus 2: profile=rpi: expected i2c or stub");
    expect_error(f, "bus 2 colour=red\n",
                 "t.cfg:1: bus 2: unknown or bad setting 'colour=red' "
                 "(known: speed, profile, funcs, name, nack)");
    expect_error(f, "bus 2 fast\n", "t.cfg:1: bus 2: 'fast' is not "
                 "key=value");
    expect_error(f, "bus 4\n\nbus 4 speed=1M\n",
                 "t.cfg:3: bus 4 already exists (a device on it may "
                 "have created it: define buses before their devices)");
    expect_error(f, "bus 5 profile=stub\n24c02,addr=0x50,bus=5\n",
                 "t.cfg:2: 24c02 cannot sit on bus 5: a stub-profile bus "
                 "is SMBus-only and takes SMBus chips such as regbank");
}

/* A word that merely starts with "bus" is a device string. */
static void test_bus_keyword_is_a_whole_word(void **state)
{
    struct fixture *f = *state;

    expect_error(f, "bus1\n",
                 "t.cfg:1: unknown device type 'bus1' (see: i2cemu devices)");
}

static void test_model_errors_keep_their_text(void **state)
{
    struct fixture *f = *state;

    expect_error(f, "\n24c02,addr=0x50,file=/nonexistent/ee.bin\n",
                 "t.cfg:2: /nonexistent/ee.bin: No such file or directory");
}

static void test_load_from_a_path(void **state)
{
    struct fixture *f = *state;
    char path[128], msg[256];
    FILE *out;

    snprintf(path, sizeof(path), "%s/board.cfg", f->dir);
    out = fopen(path, "w");
    assert_non_null(out);
    fputs("bus 7\n24c02,addr=0x57,bus=7\n24c02,addr=0x57,bus=7\n", out);
    fclose(out);

    assert_int_equal(cli_boardfile_load(f->b, path, false, &f->err), -1);
    snprintf(msg, sizeof(msg),
             "%s:3: addr=0x57: bus 7 already has 24c02 there", path);
    assert_string_equal(f->err.msg, msg);
    assert_int_equal(i2cemu_device_count(f->b), 1);
}

static void test_unreadable_files(void **state)
{
    struct fixture *f = *state;
    char path[128], msg[256];

    snprintf(path, sizeof(path), "%s/missing.cfg", f->dir);
    assert_int_equal(cli_boardfile_load(f->b, path, false, &f->err), -1);
    snprintf(msg, sizeof(msg), "%s: No such file or directory", path);
    assert_string_equal(f->err.msg, msg);

    assert_int_equal(cli_boardfile_load(f->b, f->dir, false, &f->err), -1);
    snprintf(msg, sizeof(msg), "%s: Is a directory", f->dir);
    assert_string_equal(f->err.msg, msg);
}

static void test_fault_lines(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(read_text(f, "24c02,addr=0x50,id=ee\n"
                                  "fault\tdata-nack,dev=ee,once  # a rule\n"
                                  "fault slow,time=1ms\n"), 0);
    assert_int_equal(i2cemu_fault_at(f->b, 0)->kind, I2CEMU_FAULT_DATA_NACK);
    assert_int_equal(i2cemu_fault_at(f->b, 1)->time_ns, 1000000);
    assert_null(i2cemu_fault_at(f->b, 2));
    /* After the device it names; a fault line alone is no board. */
    expect_error(f, "fault addr-nack,dev=1-0051\n24c02,addr=0x51\n",
                 "t.cfg:1: fault: dev=1-0051: no such device (an id, or a "
                 "name such as tmp102@1-0048 or 1-0048)");
    expect_error(f, "fault bitflip,bit=9\n",
                 "t.cfg:1: fault: 'bit=9': expected a bit, 0 (LSB) to 7");
    i2cemu_fault_clear(f->b);
    assert_int_equal(read_text(f, "fault addr-nack\n"), -1);
    assert_non_null(strstr(f->err.msg, "no bus or device in it"));
    /* "faults" is no keyword: a device string, refused as one. */
    assert_int_equal(read_text(f, "faults,addr=0x10\n"), -1);
    assert_non_null(strstr(f->err.msg, "unknown device type"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_good_file),
        T(test_empty_file),
        T(test_limits),
        T(test_bus_names_are_unique),
        T(test_paths_relative_to_the_file),
        T(test_line_numbers),
        T(test_stops_at_the_first_error),
        T(test_device_errors),
        T(test_address_taken),
        T(test_bus_errors),
        T(test_bus_keyword_is_a_whole_word),
        T(test_model_errors_keep_their_text),
        T(test_load_from_a_path),
        T(test_unreadable_files),
        T(test_fault_lines),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
