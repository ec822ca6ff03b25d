/* SPDX-License-Identifier: MIT */
/* Fault rules as data (src/core/fault.c): the spec parser and its
 * errors, formatting back, and the trigger rules, seeded probability
 * included. */
#include "rig.h"

#include <i2cemu/fault.h>

static struct i2cemu_fault parse_ok(const char *spec)
{
    struct i2cemu_fault f;
    struct i2cemu_error err = {{0}};
    if (i2cemu_fault_parse(spec, &f, &err))
        fail_msg("%s: %s", spec, err.msg);
    return f;
}

static void parse_bad(const char *spec, const char *what)
{
    struct i2cemu_fault f;
    struct i2cemu_error err = {{0}};
    assert_int_equal(i2cemu_fault_parse(spec, &f, &err), -1);
    if (!strstr(err.msg, what))
        fail_msg("%s: '%s' does not say '%s'", spec, err.msg, what);
}

static void specs_parse_into_rules(void **state)
{
    (void)state;
    struct i2cemu_fault f = parse_ok("data-nack,dev=1-0050,byte=2,every=3");
    assert_int_equal(f.kind, I2CEMU_FAULT_DATA_NACK);
    assert_string_equal(f.dev, "1-0050");
    assert_int_equal(f.byte, 2);
    assert_int_equal(f.every, 3);
    assert_int_equal(f.bus, -1);
    assert_int_equal(f.reg, -1);
    assert_true(f.p == 1);

    f = parse_ok("stretch,bus=3,addr=0x48,reg=0x10,dir=read,time=250us,once");
    assert_int_equal(f.kind, I2CEMU_FAULT_STRETCH);
    assert_int_equal(f.bus, 3);
    assert_int_equal(f.addr, 0x48);
    assert_int_equal(f.reg, 0x10);
    assert_int_equal(f.dir, 1);
    assert_int_equal(f.time_ns, 250000);
    assert_int_equal(f.times, 1);
    assert_int_equal(f.byte, I2CEMU_FAULT_ADDRESS); /* no byte=: the address */

    f = parse_ok("bitflip,byte=1,bit=7,p=0.25,seed=99,from=1ms,to=2s");
    assert_int_equal(f.bit, 7);
    assert_true(f.p == 0.25);
    assert_int_equal(f.seed, 99);
    assert_int_equal(f.from_ns, 1000000);
    assert_int_equal(f.to_ns, 2000000000ull);

    f = parse_ok("block-count,count=40");
    assert_int_equal(f.count, 40);
    f = parse_ok("sda-stuck,clocks=5");
    assert_int_equal(f.clocks, 5);
    f = parse_ok("gone,time=1s,after=0");
    assert_int_equal(f.time_ns, 1000000000ull);
}

static void a_rule_formats_back_to_its_spec(void **state)
{
    (void)state;
    static const char *const specs[] = {
        "addr-nack,bus=1,addr=0x50,dir=write,once",
        "data-nack,dev=eeprom,byte=3,every=2,after=5",
        "arb-loss,reg=0x10,times=4",
        "stretch,byte=1,time=5000000ns",
        "sda-stuck,clocks=9",
        "bad-pec,p=0.5,seed=7",
        "bitflip,byte=0,bit=3,from=1000ns,to=2000ns",
        "block-count,count=0",
        "gone,dev=tmp102@1-0048,time=100000000ns",
        "slow,time=2000000ns",
    };
    for (unsigned i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
        struct i2cemu_fault f = parse_ok(specs[i]);
        char out[256];
        assert_int_equal(i2cemu_fault_format(&f, out, sizeof(out)),
                         (int)strlen(specs[i]));
        assert_string_equal(out, specs[i]);
    }
}

static void bad_specs_name_the_bad_part(void **state)
{
    (void)state;
    parse_bad("", "unknown kind ''");
    parse_bad("nack", "unknown kind 'nack'");
    parse_bad("data-nack,bytes=1", "unknown key 'bytes'");
    parse_bad("data-nack,byte=x", "'byte=x': expected a byte index");
    parse_bad("data-nack,byte=-1", "'byte=-1'");
    parse_bad("gone,byte=1,time=1ms", "byte= does not apply to gone");
    parse_bad("slow", "slow needs time=");
    parse_bad("stretch,time=5", "'time=5': expected a duration");
    parse_bad("stretch,time=0ms", "'time=0ms'");
    parse_bad("bitflip,bit=8", "'bit=8': expected a bit");
    parse_bad("block-count,count=4", "'count=4'");
    parse_bad("data-nack,dir=read", "data-nack acts on writes, not dir=read");
    parse_bad("addr-nack,dir=up", "'dir=up': expected read or write");
    parse_bad("addr-nack,p=1.5", "'p=1.5': expected a probability");
    parse_bad("addr-nack,p=nan", "'p=nan'");
    parse_bad("addr-nack,every=0", "'every=0'");
    parse_bad("addr-nack,from=2ms,to=1ms", "ends (to=) before it begins");
    parse_bad("addr-nack,dev=1-0050,bus=1", "no bus= or addr= beside it");
    parse_bad("addr-nack,once=1", "once takes no value");
    parse_bad("addr-nack,addr", "'addr' is not key=value");
    parse_bad("addr-nack,addr=0x400", "'addr=0x400'");
}

/* Which of n matching transfers, 1 tick apart, fire: a string of 0/1. */
static const char *fires(const char *spec, unsigned n)
{
    static char out[128];
    struct i2cemu_fault f = parse_ok(spec);
    for (unsigned i = 0; i < n; i++)
        out[i] = i2cemu_fault_trigger(&f, (uint64_t)i * 1000) ? '1' : '0';
    out[n] = '\0';
    return out;
}

static void triggers_pick_the_transfers(void **state)
{
    (void)state;
    assert_string_equal(fires("addr-nack", 6), "111111");
    assert_string_equal(fires("addr-nack,once", 6), "100000");
    assert_string_equal(fires("addr-nack,times=2", 6), "110000");
    assert_string_equal(fires("addr-nack,every=3", 9), "001001001");
    assert_string_equal(fires("addr-nack,after=4", 7), "0000111");
    /* every= counts from where after= ends. */
    assert_string_equal(fires("addr-nack,after=2,every=2", 8), "00010101");
    assert_string_equal(fires("addr-nack,after=1,once", 4), "0100");
    /* The window is board time: transfers at 0, 1000, 2000... ns. */
    assert_string_equal(fires("addr-nack,from=2us,to=5us", 8), "00111000");
    assert_string_equal(fires("addr-nack,p=0", 8), "00000000");
    assert_string_equal(fires("addr-nack,p=1", 8), "11111111");
}

static void counters_count_matches_and_hits(void **state)
{
    (void)state;
    struct i2cemu_fault f = parse_ok("addr-nack,every=2,from=1us");
    for (unsigned i = 0; i < 7; i++)
        i2cemu_fault_trigger(&f, (uint64_t)i * 1000);
    assert_int_equal(f.matched, 6); /* the one at 0 ns is before the window */
    assert_int_equal(f.hits, 3);
}

/* splitmix64 as published, to check the rule draws its numbers. */
static uint64_t ref_next(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void seeded_probability_is_reproducible(void **state)
{
    (void)state;
    /* The same seed, the same hits, on every run and every machine: this
     * sequence is part of the interface (docs/faults.md). */
    const char *seq = "0111101010110001111001001100000000011101";
    assert_string_equal(fires("bitflip,p=0.5,seed=42", 40), seq);
    assert_string_equal(fires("bitflip,p=0.5,seed=42", 40), seq);
    /* It is splitmix64's: transfer i fires when draw i < p * 2^53. */
    uint64_t x = 42;
    for (unsigned i = 0; i < 40; i++)
        assert_int_equal(seq[i] == '1',
                         (double)(ref_next(&x) >> 11) * 0x1p-53 < 0.5);
    /* Another seed, other hits. */
    assert_string_not_equal(fires("bitflip,p=0.5,seed=43", 40), seq);
    /* About p of them over many. */
    struct i2cemu_fault f = parse_ok("addr-nack,p=0.1,seed=1");
    for (unsigned i = 0; i < 10000; i++)
        i2cemu_fault_trigger(&f, i);
    assert_in_range(f.hits, 900, 1100);
}

static void kind_names_cover_every_kind(void **state)
{
    (void)state;
    for (unsigned k = 0; k < I2CEMU_FAULT_NKINDS; k++) {
        const char *name = i2cemu_fault_kind_name(k);
        struct i2cemu_fault f;
        struct i2cemu_error err;
        char spec[64];
        snprintf(spec, sizeof(spec), "%s,time=1ms", name);
        /* Parses as itself (time= refused where it does not apply). */
        if (i2cemu_fault_parse(spec, &f, &err))
            assert_int_equal(i2cemu_fault_parse(name, &f, &err), 0);
        assert_int_equal(f.kind, k);
    }
    assert_string_equal(i2cemu_fault_kind_name(I2CEMU_FAULT_NKINDS), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(specs_parse_into_rules),
        cmocka_unit_test(a_rule_formats_back_to_its_spec),
        cmocka_unit_test(bad_specs_name_the_bad_part),
        cmocka_unit_test(triggers_pick_the_transfers),
        cmocka_unit_test(counters_count_matches_and_hits),
        cmocka_unit_test(seeded_probability_is_reproducible),
        cmocka_unit_test(kind_names_cover_every_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
