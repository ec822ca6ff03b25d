/* SPDX-License-Identifier: MIT */
/* docs/devices.md's sections: a family whose members have different
 * property lists and output lines gets one table of all of them, matched
 * by name (the generator once read past the end of a shorter list). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "cli/devices.h"

struct rtc_state {
    uint8_t ram, trim;
    bool osf;
    double temperature;
};

/* Each list a different length, the shared `osf` at a different index. */
static const struct i2cemu_prop small_props[] = {
    I2CEMU_PROP_UINT_("ram", struct rtc_state, ram, 0, 0, 255, 0, "RAM fill"),
    I2CEMU_PROP_BOOL_("osf", struct rtc_state, osf, 1, I2CEMU_PROP_RUNTIME,
                      "oscillator stopped"),
    {0},
};
static const struct i2cemu_prop big_props[] = {
    I2CEMU_PROP_BOOL_("osf", struct rtc_state, osf, 0, I2CEMU_PROP_RUNTIME,
                      "oscillator stopped"),
    I2CEMU_PROP_UINT_("trim", struct rtc_state, trim, 0x10, 0, 0x3f,
                      I2CEMU_PROP_HEX, "aging trim"),
    I2CEMU_PROP_FLOAT_("temperature", struct rtc_state, temperature, 25,
                       -40, 85, I2CEMU_PROP_RUNTIME, "die temperature"),
    {0},
};
static const char *const small_lines[] = {"SQW", NULL};
static const char *const big_lines[] = {"INT", "SQW", NULL};

static const struct i2cemu_device_type small = {
    .name = "rtc-small", .help = "small clock", .family = "Test clocks",
    .doc = "Notes of the family.\n", .props = small_props,
    .lines = small_lines,
};
static const struct i2cemu_device_type bare = {
    .name = "rtc-bare", .help = "no properties", .family = "Test clocks",
    .doc = "Not printed: the first member's notes are the family's.\n",
};
static const struct i2cemu_device_type big = {
    .name = "rtc-big", .help = "big clock", .family = "Test clocks",
    .props = big_props, .lines = big_lines,
};
static const struct i2cemu_device_type alone = {
    .name = "alone", .help = "no family", .props = small_props,
};

static char *sections(const struct i2cemu_device_type *const *types,
                      unsigned count)
{
    const struct i2cemu_type_table tt = {types, count};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    cli_devices_markdown_sections(f, &tt);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void family_of_different_members(void **state)
{
    (void)state;
    static const struct i2cemu_device_type *const types[] = {&small, &bare,
                                                             &big, &alone};
    char *md = sections(types, 4);
    assert_string_equal(md,
        "\n---\n\n## Test clocks\n\n"
        "| type | what |\n|---|---|\n"
        "| `rtc-small` | small clock |\n"
        "| `rtc-bare` | no properties |\n"
        "| `rtc-big` | big clock |\n"
        "\n### Properties\n\n"
        "| name | type | default | range | flags | help |\n"
        "|---|---|---|---|---|---|\n"
        "| `ram` | uint | 0 | 0 to 255 | not on `rtc-bare`, `rtc-big` "
        "| RAM fill |\n"
        "| `osf` | bool | per type | on \\| off | runtime, not on "
        "`rtc-bare` | oscillator stopped |\n"
        "| `trim` | uint | 0x10 | 0x0 to 0x3f | hex, not on `rtc-small`, "
        "`rtc-bare` | aging trim |\n"
        "| `temperature` | float | 25 | -40 to 85 | runtime, not on "
        "`rtc-small`, `rtc-bare` | die temperature |\n"
        "\nOutput lines: `SQW` (not on `rtc-bare`), `INT` (not on "
        "`rtc-small`, `rtc-bare`).\n"
        "\nNotes of the family.\n"
        "\n---\n\n## alone\n\n"
        "Type `alone`: no family.\n"
        "\n### Properties\n\n"
        "| name | type | default | range | flags | help |\n"
        "|---|---|---|---|---|---|\n"
        "| `ram` | uint | 0 | 0 to 255 |  | RAM fill |\n"
        "| `osf` | bool | on | on \\| off | runtime | oscillator stopped |\n");
    free(md);
}

/* A family none of whose members has properties or lines: no table. */
static void family_without_properties(void **state)
{
    (void)state;
    static const struct i2cemu_device_type bare2 = {
        .name = "rtc-bare2", .help = "no properties either",
        .family = "Test clocks",
    };
    static const struct i2cemu_device_type *const types[] = {&bare, &bare2};
    char *md = sections(types, 2);
    assert_string_equal(md,
        "\n---\n\n## Test clocks\n\n"
        "| type | what |\n|---|---|\n"
        "| `rtc-bare` | no properties |\n"
        "| `rtc-bare2` | no properties either |\n"
        "\nNot printed: the first member's notes are the family's.\n");
    free(md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(family_of_different_members),
        cmocka_unit_test(family_without_properties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
