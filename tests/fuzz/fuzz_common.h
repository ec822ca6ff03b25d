/* SPDX-License-Identifier: MIT */
/* Shared by the libFuzzer harnesses of tests/fuzz: a byte reader over the
 * fuzz input, the boards every harness builds, and a check that aborts
 * with a message (libFuzzer then saves the input as a crash). */
#ifndef I2CEMU_FUZZ_COMMON_H
#define I2CEMU_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <i2cemu/i2cemu.h>

#include "core/board_internal.h"

/* coverage.sh builds with FUZZ_REPORT_ONLY: report, and go on, so that a
 * known bug does not cut the corpus replay short. */
#ifdef FUZZ_REPORT_ONLY
#define FUZZ_FAIL() ((void)0)
#else
#define FUZZ_FAIL() abort()
#endif

#define FUZZ_CHECK(cond, ...)                                                 \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "FUZZ INVARIANT %s:%d: %s: ", __FILE__, __LINE__, \
                    #cond);                                                   \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            FUZZ_FAIL();                                                      \
        }                                                                     \
    } while (0)

/* ---- reading the input --------------------------------------------- */

struct fin {
    const uint8_t *p;
    size_t n;
};

static inline uint8_t fin_u8(struct fin *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

static inline uint16_t fin_u16(struct fin *in)
{
    return (uint16_t)(fin_u8(in) | fin_u8(in) << 8);
}

static inline uint32_t fin_u32(struct fin *in)
{
    return (uint32_t)fin_u16(in) | (uint32_t)fin_u16(in) << 16;
}

static inline uint64_t fin_u64(struct fin *in)
{
    return (uint64_t)fin_u32(in) | (uint64_t)fin_u32(in) << 32;
}

/* Up to `max` bytes (fewer at the end of the input). */
static inline size_t fin_bytes(struct fin *in, void *dst, size_t max)
{
    size_t k = max < in->n ? max : in->n;
    memcpy(dst, in->p, k);
    in->p += k;
    in->n -= k;
    return k;
}

/* ---- boards ---------------------------------------------------------- */

/*
 * Bus 1, profile i2c: 24c02 at 0x50, 24c04 at 0x54 (claimed by a driver),
 * tmp102 at 0x48, regbank at 0x52 and forty lm75 at 0x08..0x2f, the last
 * claimed by a driver (a full board: one I2C_RDWR can address more
 * devices than a bus match list holds).
 * Bus 3, profile stub: regbank at 0x52 (banked) and at 0x10.
 */
#define FUZZ_BUS_I2C  1
#define FUZZ_BUS_STUB 3
#define FUZZ_NLM75    40

static inline struct i2cemu_board *fuzz_board_new(struct i2cemu_loop *loop)
{
    static const char *const specs[] = {
        "24c02,addr=0x50",
        "24c04,addr=0x54,claim=driver", /* answers 0x54-0x55, a match hook */
        "tmp102,addr=0x48,temperature=41.5",
        "regbank,addr=0x52",
        ("regbank,addr=0x52,bus=3,bank_reg=0x0f,bank_mask=0x03,"
         "bank_start=0x10,bank_end=0x1f"),
        "regbank,addr=0x10,bus=3",
    };
    struct i2cemu_board *b = i2cemu_board_new(loop);
    struct i2cemu_error err = { "" };
    char spec[64];

    FUZZ_CHECK(b, "board_new");
    FUZZ_CHECK(i2cemu_bus_add_spec(b, "3 profile=stub", &err) >= 0, "%s",
               err.msg);
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        FUZZ_CHECK(i2cemu_device_add(b, specs[i], &err) >= 0, "%s: %s",
                   specs[i], err.msg);
    for (unsigned i = 0; i < FUZZ_NLM75; i++) {
        /* The last one has a driver bound: I2C_SLAVE answers EBUSY. */
        snprintf(spec, sizeof spec, "lm75,addr=0x%02x%s", 0x08 + i,
                 i == FUZZ_NLM75 - 1 ? ",claim=driver" : "");
        FUZZ_CHECK(i2cemu_device_add(b, spec, &err) >= 0, "%s: %s", spec,
                   err.msg);
    }
    return b;
}

/* ---- the arena: what a failed add must leave as it was --------------- */

/* The part of the arena in use: header counts, the used bus and device
 * records, and the device states. */
struct arena_snap {
    uint32_t size, nbuses, ndevs;
    uint8_t *bytes; /* a copy of the whole used arena */
    void *priv[I2CEMU_MAX_DEVICES];
};

static inline void arena_snap_take(const struct i2cemu_board *b,
                                   struct arena_snap *s)
{
    s->size = b->a->size;
    s->nbuses = b->a->nbuses;
    s->ndevs = b->a->ndevs;
    s->bytes = malloc(s->size);
    FUZZ_CHECK(s->bytes, "malloc");
    memcpy(s->bytes, b->a, s->size);
    for (unsigned i = 0; i < I2CEMU_MAX_DEVICES; i++)
        s->priv[i] = b->devs[i].priv;
}

/* 0 when every used part is as it was. */
static inline const char *arena_snap_diff(const struct i2cemu_board *b,
                                          const struct arena_snap *s)
{
    const struct i2cemu_arena *old = (const void *)s->bytes;
    const size_t states = sizeof(struct i2cemu_arena);

    if (b->a->size != s->size)
        return "arena size";
    if (b->a->nbuses != s->nbuses)
        return "bus count";
    if (b->a->ndevs != s->ndevs)
        return "device count";
    if (memcmp(b->a->bus, old->bus, s->nbuses * sizeof old->bus[0]))
        return "bus records";
    if (memcmp(b->a->dev, old->dev, s->ndevs * sizeof old->dev[0]))
        return "device records";
    if (memcmp((const char *)b->a + states, s->bytes + states,
               s->size - states))
        return "device states";
    for (unsigned i = 0; i < s->ndevs; i++)
        if (b->devs[i].priv != s->priv[i])
            return "device priv";
    return NULL;
}

static inline void arena_snap_free(struct arena_snap *s)
{
    free(s->bytes);
    s->bytes = NULL;
}

#endif
