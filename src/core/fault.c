/* SPDX-License-Identifier: MIT */
/*
 * Fault rules as data: the spec parser, its inverse, and the trigger
 * rules. Nothing here touches a board or a transfer, so all of it is
 * unit-tested alone; fault_board.c keeps the rules of a board and
 * fault_master.c carries them out. docs/faults.md.
 */
#include "core/board_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[I2CEMU_FAULT_NKINDS] = {
    [I2CEMU_FAULT_ADDR_NACK] = "addr-nack",
    [I2CEMU_FAULT_DATA_NACK] = "data-nack",
    [I2CEMU_FAULT_ARB_LOSS] = "arb-loss",
    [I2CEMU_FAULT_STRETCH] = "stretch",
    [I2CEMU_FAULT_SDA_STUCK] = "sda-stuck",
    [I2CEMU_FAULT_BAD_PEC] = "bad-pec",
    [I2CEMU_FAULT_BITFLIP] = "bitflip",
    [I2CEMU_FAULT_BLOCK_COUNT] = "block-count",
    [I2CEMU_FAULT_GONE] = "gone",
    [I2CEMU_FAULT_SLOW] = "slow",
};

/* The parameters each kind takes; `time` is required where allowed. */
enum { P_BYTE = 1, P_BIT = 2, P_COUNT = 4, P_CLOCKS = 8, P_TIME = 16 };
static const unsigned kind_params[I2CEMU_FAULT_NKINDS] = {
    [I2CEMU_FAULT_DATA_NACK] = P_BYTE,
    [I2CEMU_FAULT_ARB_LOSS] = P_BYTE,
    [I2CEMU_FAULT_STRETCH] = P_BYTE | P_TIME,
    [I2CEMU_FAULT_SDA_STUCK] = P_CLOCKS,
    [I2CEMU_FAULT_BITFLIP] = P_BYTE | P_BIT,
    [I2CEMU_FAULT_BLOCK_COUNT] = P_COUNT,
    [I2CEMU_FAULT_GONE] = P_TIME,
    [I2CEMU_FAULT_SLOW] = P_TIME,
};

int fault_kind_dir(enum i2cemu_fault_kind k)
{
    switch (k) {
    case I2CEMU_FAULT_DATA_NACK:
        return 0;
    case I2CEMU_FAULT_BAD_PEC:
    case I2CEMU_FAULT_BITFLIP:
    case I2CEMU_FAULT_BLOCK_COUNT:
        return 1;
    default:
        return -1;
    }
}

const char *i2cemu_fault_kind_name(enum i2cemu_fault_kind k)
{
    return (unsigned)k < I2CEMU_FAULT_NKINDS ? kind_names[k] : "?";
}

/* "5ms", "250us", "2s", "100ns": a whole number and its unit. */
static bool parse_duration(const char *s, uint64_t *ns)
{
    static const struct { const char *unit; uint64_t ns; } units[] = {
        { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
    };
    char *end;
    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return false;
    for (unsigned i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(end, units[i].unit) == 0) {
            if (v > UINT64_MAX / units[i].ns)
                return false;
            *ns = v * units[i].ns;
            return true;
        }
    }
    return false;
}

/* A number in C syntax no greater than max. */
static bool parse_max(const char *s, unsigned long max, unsigned long *v)
{
    return *s != '-' && parse_ulong(s, v) && *v <= max;
}

struct parse {
    struct i2cemu_fault *f;
    struct i2cemu_error *err;
    unsigned given; /* P_* */
};

static int bad(struct parse *ps, const char *key, const char *v,
               const char *expected)
{
    i2cemu_error_set(ps->err, "fault: '%s=%s': expected %s", key,
                     EXCERPT(v), expected);
    return -1;
}

/* One key=value. */
static int parse_pair(struct parse *ps, const char *key, const char *v)
{
    struct i2cemu_fault *f = ps->f;
    unsigned long u;
    uint64_t ns;
    unsigned param = strcmp(key, "byte") == 0     ? P_BYTE
                     : strcmp(key, "bit") == 0    ? P_BIT
                     : strcmp(key, "count") == 0  ? P_COUNT
                     : strcmp(key, "clocks") == 0 ? P_CLOCKS
                     : strcmp(key, "time") == 0   ? P_TIME
                                                  : 0;
    if (param && !(kind_params[f->kind] & param)) {
        i2cemu_error_set(ps->err, "fault: %s= does not apply to %s", key,
                         kind_names[f->kind]);
        return -1;
    }
    ps->given |= param;
    if (strcmp(key, "dev") == 0) {
        if (!*v || strlen(v) >= sizeof(f->dev))
            return bad(ps, key, v, "a device: its id, or a name such as "
                       "tmp102@1-0048 or 1-0048");
        memcpy(f->dev, v, strlen(v) + 1);
    } else if (strcmp(key, "bus") == 0) {
        if (!parse_max(v, 0xFFFF, &u))
            return bad(ps, key, v, "a bus number");
        f->bus = (int)u;
    } else if (strcmp(key, "addr") == 0) {
        if (!parse_max(v, 0x3FF, &u))
            return bad(ps, key, v, "an address, 0x00 to 0x3ff");
        f->addr = (int)u;
    } else if (strcmp(key, "reg") == 0) {
        if (!parse_max(v, 0xFF, &u))
            return bad(ps, key, v, "a register, 0x00 to 0xff");
        f->reg = (int)u;
    } else if (strcmp(key, "dir") == 0) {
        if (strcmp(v, "read") && strcmp(v, "write"))
            return bad(ps, key, v, "read or write");
        f->dir = strcmp(v, "read") == 0;
    } else if (param == P_BYTE) {
        if (!parse_max(v, 0xFFFE, &u))
            return bad(ps, key, v, "a byte index, 0 for the first data byte");
        f->byte = (uint16_t)u;
    } else if (param == P_BIT) {
        if (!parse_max(v, 7, &u))
            return bad(ps, key, v, "a bit, 0 (LSB) to 7");
        f->bit = (uint8_t)u;
    } else if (param == P_COUNT) {
        if (!parse_max(v, 0xFF, &u) || (u >= 1 && u <= I2C_SMBUS_BLOCK_MAX))
            return bad(ps, key, v, "0 (short) or 33 to 255 (long): a "
                       "count the kernel refuses");
        f->count = (uint8_t)u;
    } else if (param == P_CLOCKS) {
        if (!parse_max(v, 0xFF, &u))
            return bad(ps, key, v, "0 (never) to 255 clocks");
        f->clocks = (uint8_t)u;
    } else if (param == P_TIME) {
        if (!parse_duration(v, &f->time_ns) || !f->time_ns)
            return bad(ps, key, v, "a duration such as 5ms, 250us or 2s");
    } else if (strcmp(key, "times") == 0 || strcmp(key, "every") == 0 ||
               strcmp(key, "after") == 0) {
        bool zero_ok = key[0] == 'a';
        if (!parse_max(v, UINT32_MAX, &u) || (!u && !zero_ok))
            return bad(ps, key, v, zero_ok ? "a count" : "a count from 1");
        *(key[0] == 't' ? &f->times : key[0] == 'e' ? &f->every
                                                    : &f->after) = (uint32_t)u;
    } else if (strcmp(key, "p") == 0) {
        char *end;
        double p = strtod(v, &end);
        /* Written so that NaN fails too. */
        if (end == v || *end || !(p >= 0 && p <= 1))
            return bad(ps, key, v, "a probability, 0 to 1");
        f->p = p;
    } else if (strcmp(key, "seed") == 0) {
        if (!parse_max(v, ULONG_MAX, &u))
            return bad(ps, key, v, "a number");
        f->seed = u;
    } else if (strcmp(key, "from") == 0 || strcmp(key, "to") == 0) {
        if (!parse_duration(v, &ns))
            return bad(ps, key, v, "a board time such as 5ms or 2s");
        *(key[0] == 'f' ? &f->from_ns : &f->to_ns) = ns;
    } else {
        i2cemu_error_set(ps->err, "fault: unknown key '%s' (known: dev, "
                         "bus, addr, reg, dir, byte, bit, count, clocks, "
                         "time, once, times, every, after, p, seed, from, "
                         "to)", EXCERPT(key));
        return -1;
    }
    return 0;
}

int i2cemu_fault_parse(const char *spec, struct i2cemu_fault *f,
                       struct i2cemu_error *err)
{
    char buf[512];
    *f = (struct i2cemu_fault){ .bus = -1, .addr = -1, .reg = -1, .dir = -1,
                                .p = 1 };
    if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf)) {
        i2cemu_error_set(err, "fault: spec too long");
        return -1;
    }
    char *save, *tok = strtok_r(buf, ",", &save);
    unsigned k = 0;
    while (tok && k < I2CEMU_FAULT_NKINDS && strcmp(tok, kind_names[k]))
        k++;
    if (!tok || k == I2CEMU_FAULT_NKINDS) {
        i2cemu_error_set(err, "fault: unknown kind '%s' (known: addr-nack, "
                         "data-nack, arb-loss, stretch, sda-stuck, bad-pec, "
                         "bitflip, block-count, gone, slow)",
                         EXCERPT(tok ? tok : ""));
        return -1;
    }
    f->kind = k;
    if (kind_params[k] & P_BYTE && k != I2CEMU_FAULT_DATA_NACK &&
        k != I2CEMU_FAULT_BITFLIP)
        f->byte = I2CEMU_FAULT_ADDRESS;
    struct parse ps = { .f = f, .err = err };
    while ((tok = strtok_r(NULL, ",", &save))) {
        char *eq = strchr(tok, '=');
        if (strcmp(tok, "once") == 0) {
            f->times = 1;
            continue;
        }
        if (!eq) {
            i2cemu_error_set(err, "fault: '%s' is not key=value", EXCERPT(tok));
            return -1;
        }
        *eq = '\0';
        if (strcmp(tok, "once") == 0) {
            i2cemu_error_set(err, "fault: once takes no value");
            return -1;
        }
        if (parse_pair(&ps, tok, eq + 1))
            return -1;
    }
    if ((kind_params[k] & P_TIME) && !(ps.given & P_TIME)) {
        i2cemu_error_set(err, "fault: %s needs time= (a duration such as "
                         "5ms)", kind_names[k]);
        return -1;
    }
    if (fault_kind_dir(k) >= 0 && f->dir >= 0 && f->dir != fault_kind_dir(k)) {
        i2cemu_error_set(err, "fault: %s acts on %s, not dir=%s",
                         kind_names[k], fault_kind_dir(k) ? "reads" : "writes",
                         f->dir ? "read" : "write");
        return -1;
    }
    if (f->to_ns && f->to_ns <= f->from_ns) {
        i2cemu_error_set(err, "fault: the window ends (to=) before it "
                         "begins (from=)");
        return -1;
    }
    if (f->dev[0] && (f->bus >= 0 || f->addr >= 0)) {
        i2cemu_error_set(err, "fault: dev= names its bus and address: no "
                         "bus= or addr= beside it");
        return -1;
    }
    f->prng = f->seed;
    return 0;
}

/* Append to out[len] at *n, snprintf-style. */
#define PUT(...)                                                            \
    (n += snprintf(out + (n < len ? n : len), n < len ? len - n : 0,       \
                   __VA_ARGS__))

int i2cemu_fault_format(const struct i2cemu_fault *f, char *out, size_t len)
{
    size_t n = 0;
    PUT("%s", i2cemu_fault_kind_name(f->kind));
    if (f->dev[0])
        PUT(",dev=%s", f->dev);
    if (f->bus >= 0)
        PUT(",bus=%d", f->bus);
    if (f->addr >= 0)
        PUT(",addr=0x%02x", f->addr);
    if (f->reg >= 0)
        PUT(",reg=0x%02x", f->reg);
    if (f->dir >= 0)
        PUT(",dir=%s", f->dir ? "read" : "write");
    unsigned params = kind_params[f->kind];
    if ((params & P_BYTE) && f->byte != I2CEMU_FAULT_ADDRESS)
        PUT(",byte=%u", f->byte);
    if (params & P_BIT)
        PUT(",bit=%u", f->bit);
    if (params & P_COUNT)
        PUT(",count=%u", f->count);
    if (params & P_CLOCKS)
        PUT(",clocks=%u", f->clocks);
    if (params & P_TIME)
        PUT(",time=%" PRIu64 "ns", f->time_ns);
    if (f->times == 1)
        PUT(",once");
    else if (f->times)
        PUT(",times=%" PRIu32, f->times);
    if (f->every)
        PUT(",every=%" PRIu32, f->every);
    if (f->after)
        PUT(",after=%" PRIu32, f->after);
    if (f->p < 1)
        PUT(",p=%.17g,seed=%" PRIu64, f->p, f->seed);
    if (f->from_ns)
        PUT(",from=%" PRIu64 "ns", f->from_ns);
    if (f->to_ns)
        PUT(",to=%" PRIu64 "ns", f->to_ns);
    return n > INT32_MAX ? -1 : (int)n;
}

/* splitmix64 (Steele, Lea, Flood 2014): the same sequence for a seed on
 * every machine, and one 64-bit word of state per rule. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

bool i2cemu_fault_trigger(struct i2cemu_fault *f, uint64_t now_ns)
{
    if (now_ns < f->from_ns || (f->to_ns && now_ns >= f->to_ns))
        return false;
    f->matched++;
    if (f->times && f->hits >= f->times)
        return false;
    if (f->matched <= f->after)
        return false;
    if (f->every && (f->matched - f->after) % f->every)
        return false;
    /* One draw per candidate, in 53-bit steps: exact for p = 0 and 1. */
    if (f->p < 1 && (double)(splitmix64(&f->prng) >> 11) * 0x1p-53 >= f->p)
        return false;
    f->hits++;
    return true;
}
