/* SPDX-License-Identifier: MIT */
/* Boards: device strings, properties, errors that leave the board as it
 * was, bus lines, the I2C_SLAVE busy check and the arena. */
#include <errno.h>

#include "rig.h"
#include "testdevs.h"

/* A type with one property of every kind. */
struct kinds_state {
    uint32_t u;
    int32_t i;
    bool flag;
    double temp;
    char path[16];
    uint32_t mode;
};

static const char *const mode_names[] = {"slow", "fast", NULL};

static const struct i2cemu_prop kinds_props[] = {
    I2CEMU_PROP_UINT_("u", struct kinds_state, u, 7, 0, 100, 0, "u"),
    I2CEMU_PROP_INT_("i", struct kinds_state, i, -3, -10, 10, 0, "i"),
    I2CEMU_PROP_BOOL_("flag", struct kinds_state, flag, false,
                      I2CEMU_PROP_RUNTIME, "flag"),
    I2CEMU_PROP_FLOAT_("temp", struct kinds_state, temp, 25.0, -55, 125,
                       I2CEMU_PROP_RUNTIME, "temp"),
    I2CEMU_PROP_STRING_("path", struct kinds_state, path, "", 0, "path"),
    I2CEMU_PROP_ENUM_("mode", struct kinds_state, mode, 0, mode_names, 0,
                      "mode"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_device_type test_kinds = {
    .name = "test-kinds",
    .help = "every property kind",
    .props = kinds_props,
    .state_size = sizeof(struct kinds_state),
};

static void properties_take_defaults_and_values(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int d0 = bench_add_type(&r, &test_kinds, "addr=0x10");
    struct kinds_state *s = i2cemu_device_state(r.b, (unsigned)d0);
    assert_int_equal(s->u, 7);
    assert_int_equal(s->i, -3);
    assert_false(s->flag);
    assert_true(s->temp == 25.0);
    assert_int_equal(s->mode, 0);

    int d1 = bench_add_type(&r, &test_kinds, "addr=0x11,u=0x20,i=-10,flag=on,"
                            "temp=-12.5,path=a,,b,mode=fast");
    s = i2cemu_device_state(r.b, (unsigned)d1);
    assert_int_equal(s->u, 0x20);
    assert_int_equal(s->i, -10);
    assert_true(s->flag);
    assert_true(s->temp == -12.5);
    assert_string_equal(s->path, "a,b"); /* ",," is a literal comma */
    assert_int_equal(s->mode, 1);

    char out[32];
    assert_true(i2cemu_device_get(r.b, (unsigned)d1, "temp", out,
                                  sizeof(out), NULL) > 0);
    assert_string_equal(out, "-12.5");
    assert_int_equal(i2cemu_device_set(r.b, (unsigned)d1, "temp", "41.5",
                                       &r.err), 0);
    assert_true(s->temp == 41.5);
    /* Only runtime properties change after creation; bad values change nothing. */
    assert_int_equal(i2cemu_device_set(r.b, (unsigned)d1, "u", "1", &r.err), -1);
    assert_string_equal(r.err.msg, "test-kinds: u can only be set when the "
                                   "device is created");
    assert_int_equal(i2cemu_device_set(r.b, (unsigned)d1, "temp", "200",
                                       &r.err), -1);
    assert_string_equal(r.err.msg, "temp=200: out of range (-55 to 125)");
    assert_true(s->temp == 41.5);
    bench_fini(&r);
}

static void bad_device_strings_get_clear_errors(void **state)
{
    (void)state;
    static const struct {
        const char *spec, *msg;
    } cases[] = {
        {"u=1", "test-kinds: addr= is required"},
        {"addr=0x78", "addr=0x78: a 7-bit device address must be 0x03 to 0x77"},
        {"addr=0x02", "addr=0x02: a 7-bit device address must be 0x03 to 0x77"},
        {"addr=zz", "addr=zz: expected an address such as 0x50"},
        {"addr=0x20,nope=1", "test-kinds has no property 'nope' (it has: addr, "
                             "bus, claim, id, u, i, flag, temp, path, mode)"},
        {"addr=0x20,u=101", "u=101: out of range (0 to 100)"},
        {"addr=0x20,u=-1", "u=-1: expected an unsigned integer"},
        {"addr=0x20,flag=maybe", "flag=maybe: expected on or off"},
        {"addr=0x20,temp=hot", "temp=hot: expected a number"},
        {"addr=0x20,temp=nan", "temp=nan: expected a number"},
        {"addr=0x20,path=0123456789abcdef", "path: longer than 15 characters"},
        {"addr=0x20,mode=warp", "mode=warp: expected one of slow, fast"},
        {"addr=0x20,u=1,u=2", "u is given twice"},
        {"addr=0x20,", "trailing comma"},
        {"addr=0x20,u", "'u' is not key=value"},
        {"addr=0x20,claim=maybe", "claim=maybe: expected driver, client or none"},
        {"addr=0x30", "addr=0x30: bus 1 already has test-kinds there"},
    };
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    bench_add_type(&r, &test_kinds, "addr=0x30");
    size_t size0;
    i2cemu_board_arena(r.b, &size0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct i2cemu_error err = {{0}};
        assert_int_equal(i2cemu_device_add_custom(r.b, &test_kinds,
                                                  cases[i].spec, &err), -1);
        assert_string_equal(err.msg, cases[i].msg);
        /* Nothing was added. */
        size_t size;
        i2cemu_board_arena(r.b, &size);
        assert_int_equal(size, size0);
        assert_int_equal(i2cemu_device_count(r.b), 1);
        assert_int_equal(i2cemu_bus_count(r.b), 1);
    }
    /* A device for a new bus number does not leave the bus behind. */
    struct i2cemu_error err;
    assert_int_equal(i2cemu_device_add_custom(r.b, &test_kinds,
                                              "addr=0x20,bus=7,u=999", &err), -1);
    assert_int_equal(i2cemu_bus_find(r.b, 7), -1);
    assert_int_equal(i2cemu_device_add(r.b, "nosuch,addr=0x20", &err), -1);
    assert_string_equal(err.msg, "unknown device type 'nosuch' (see: i2cemu devices)");
    bench_fini(&r);
}

static void bus_lines_set_speed_profile_and_names(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    assert_int_equal(i2cemu_bus_add_spec(r.b, "1 speed=400k", &r.err), 0);
    assert_int_equal(i2cemu_bus_bit_time_ns(r.b, 0, 1), 2500);
    assert_int_equal(i2cemu_bus_add_spec(r.b, "2 speed=3.4M name=fast one", &r.err), -1);
    assert_string_equal(r.err.msg, "bus 2: 'one' is not key=value");
    assert_int_equal(i2cemu_bus_add_spec(r.b, "2 speed=3.4M", &r.err), 1);
    assert_int_equal(i2cemu_bus_bit_time_ns(r.b, 1, 34), 10000);
    assert_int_equal(i2cemu_bus_funcs(r.b, 1), 0x0FFF8009);
    assert_string_equal(i2cemu_bus_name(r.b, 1), "i2cemu adapter");

    /* i2c-stub clips its functionality to 0x0F7F0000 (C8). */
    assert_int_equal(i2cemu_bus_add_spec(r.b, "3 profile=stub funcs=0xFFFFFFFF",
                                         &r.err), 2);
    assert_int_equal(i2cemu_bus_funcs(r.b, 2), 0x0F7F0000);
    assert_string_equal(i2cemu_bus_name(r.b, 2), "SMBus stub driver");
    assert_int_equal(i2cemu_bus_add_spec(r.b, "4 profile=stub", &r.err), 3);
    assert_int_equal(i2cemu_bus_funcs(r.b, 3), 0x0C7F0000);
    assert_int_equal(i2cemu_bus_profile(r.b, 3), I2CEMU_PROFILE_STUB);

    static const struct {
        const char *spec, *msg;
    } bad[] = {
        {"1", "bus 1 already exists (a device on it may have created it: "
              "define buses before their devices)"},
        {"x", "bus: expected a bus number, got 'x'"},
        {"5 speed=fast", "bus 5: speed=fast: expected Hz or 100k, 400k, 1M, 3.4M"},
        {"5 speed=6M", "bus 5: speed=6M: expected Hz or 100k, 400k, 1M, 3.4M"},
        /* NaN passes every "<" and ">": review finding, was accepted. */
        {"5 speed=nan", "bus 5: speed=nan: expected Hz or 100k, 400k, 1M, 3.4M"},
        {"5 speed=nank", "bus 5: speed=nank: expected Hz or 100k, 400k, 1M, 3.4M"},
        {"5 profile=smbus", "bus 5: profile=smbus: expected i2c or stub"},
        {"5 nack=EPERM", "bus 5: nack=EPERM: expected ENXIO, ENODEV, EREMOTEIO or EIO"},
        {"5 color=red", "bus 5: unknown or bad setting 'color=red' (known: "
                        "speed, profile, funcs, name, nack)"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(i2cemu_bus_add_spec(r.b, bad[i].spec, &r.err), -1);
        assert_string_equal(r.err.msg, bad[i].msg);
    }
    assert_int_equal(i2cemu_bus_count(r.b), 4);
    /* Only chips with a native SMBus handler sit on a stub bus. */
    assert_int_equal(i2cemu_device_add_custom(r.b, &test_reg, "addr=0x50,bus=3",
                                              &r.err), -1);
    assert_string_equal(r.err.msg, "test-reg cannot sit on bus 3: a stub-profile "
                        "bus is SMBus-only and takes SMBus chips such as regbank");
    bench_fini(&r);
}

static void claimed_addresses_are_busy_across_the_mux_tree(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int mux = bench_add_type(&r, &test_mux, "addr=0x70");
    struct mux_state *ms = i2cemu_device_state(r.b, (unsigned)mux);
    unsigned ch0 = ms->child[0], ch1 = ms->child[1];
    char spec[64];
    snprintf(spec, sizeof(spec), "addr=0x52,bus=%d,claim=driver",
             i2cemu_bus_number(r.b, ch0));
    bench_add_type(&r, &test_reg, spec);
    bench_add_type(&r, &test_reg, "addr=0x08,claim=client");
    bench_add_type(&r, &test_reg, "addr=0x09,claim=driver");

    assert_true(i2cemu_bus_addr_busy(r.b, ch0, 0x52));
    assert_true(i2cemu_bus_addr_busy(r.b, 0, 0x52));   /* child below root */
    assert_false(i2cemu_bus_addr_busy(r.b, ch1, 0x52)); /* a sibling channel */
    assert_true(i2cemu_bus_addr_busy(r.b, ch1, 0x09));  /* ancestor */
    assert_false(i2cemu_bus_addr_busy(r.b, 0, 0x08));   /* no driver bound */
    assert_false(i2cemu_bus_addr_busy(r.b, 0, 0x50));
    bench_fini(&r);
}

/* Answers 0x50-0x53, like a 24c08's four blocks. */
static bool wide_match(struct i2cemu_dev *d, uint16_t addr, bool tenbit,
                       bool broadcast, struct i2cemu_matches *m)
{
    if (tenbit || broadcast || (addr & ~3u) != i2cemu_dev_addr(d))
        return false;
    return i2cemu_matches_add(m, d->index);
}

static const struct i2cemu_device_type test_wide = {
    .name = "test-wide",
    .help = "answers four addresses",
    .state_size = 8,
    .match = wide_match,
};

static void multi_address_devices_cannot_overlap(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    bench_add_type(&r, &test_reg, "addr=0x53");
    assert_int_equal(i2cemu_device_add_custom(r.b, &test_wide, "addr=0x50",
                                              &r.err), -1);
    assert_string_equal(r.err.msg, "addr=0x53: bus 1 already has test-reg there");
    assert_int_equal(i2cemu_device_count(r.b), 1);
    bench_add_type(&r, &test_wide, "addr=0x54");
    assert_int_equal(i2cemu_device_add_custom(r.b, &test_reg, "addr=0x56",
                                              &r.err), -1);
    assert_string_equal(r.err.msg, "addr=0x56: bus 1 already has test-wide there");
    bench_fini(&r);
}

static void board_state_is_plain_data_in_one_arena(void **state)
{
    (void)state;
    struct bench r;
    bench_init(&r, I2CEMU_CLOCK_FAST);
    int dev = bench_add_type(&r, &test_reg, "addr=0x50");
    size_t size;
    const char *arena = i2cemu_board_arena(r.b, &size);
    const char *st = i2cemu_device_state(r.b, (unsigned)dev);
    assert_true(st >= arena && st + sizeof(struct reg_state) <= arena + size);
    assert_memory_equal(arena, "i2ce", 4);

    /* A snapshot is a copy; the device's state lives in it. */
    char *snap = malloc(size);
    memcpy(snap, arena, size);
    struct i2c_msg m[] = {{.addr = 0x50, .len = 2, .buf = (uint8_t[]){0x07, 0x99}}};
    assert_int_equal(bench_transfer(&r, 0, m, 1), 1);
    const struct reg_state *old = (const void *)(snap + (st - arena));
    assert_int_equal(old->reg[7], 0);
    assert_int_equal(((const struct reg_state *)st)->reg[7], 0x99);
    free(snap);
    bench_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(properties_take_defaults_and_values),
        cmocka_unit_test(bad_device_strings_get_clear_errors),
        cmocka_unit_test(bus_lines_set_speed_profile_and_names),
        cmocka_unit_test(claimed_addresses_are_busy_across_the_mux_tree),
        cmocka_unit_test(multi_address_devices_cannot_overlap),
        cmocka_unit_test(board_state_is_plain_data_in_one_arena),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
