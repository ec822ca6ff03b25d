/* SPDX-License-Identifier: MIT */
/*
 * The register-map protocol (i2cemu/regmap.h), through small register
 * chips declared here: step modes, widths and byte orders, masks, hooks,
 * unknown registers, banks, SMBus blocks, table checks, and every
 * registered type's map.
 */
#include <errno.h>

#include <i2cemu/regmap.h>

#include "devtest.h"

#define ADDR 0x40

struct tstate {
    struct i2cemu_regmap_state io;
    uint16_t regs[8];
    unsigned nreads, ncommits, bank;
    uint8_t block[I2C_SMBUS_BLOCK_MAX];
    unsigned block_len;
};

#define TYPE(map)                                                             \
    { .name = #map, .state_size = sizeof(struct tstate),                      \
      .realize = i2cemu_regmap_realize, .event = i2cemu_regmap_event,         \
      .send = i2cemu_regmap_send, .recv = i2cemu_regmap_recv,                 \
      .regmap = &(map) }
#define STATE I2CEMU_REGMAP_STATE(struct tstate, io, regs)

/* Adds 0x00FF per earlier read: each read is a new sample. */
static uint16_t count_reads(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                            uint16_t v)
{
    struct tstate *s = d->state;
    (void)r;
    return (uint16_t)(v + 0xFF * s->nreads++);
}

/* Vetoes 0xEE, sets bit 0 of anything else. */
static uint16_t veto_ee(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                        uint16_t old, uint16_t v)
{
    (void)d;
    (void)r;
    return v == 0xEE ? old : v | 1;
}

static uint16_t count_commits(struct i2cemu_dev *d,
                              const struct i2cemu_reg *r, uint16_t old,
                              uint16_t v)
{
    struct tstate *s = d->state;
    (void)r;
    (void)old;
    s->ncommits++;
    return v;
}

/* ---- maps ------------------------------------------------------------ */

static const struct i2cemu_reg masks_regs[] = {
    { .name = "plain", .addr = 0, .reset = 0x11, .wmask = 0xFF },
    { .name = "low_nibble", .addr = 1, .reset = 0xA5, .wmask = 0x0F },
    { .name = "status", .addr = 2, .reset = 0xF0, .wmask = 0x0F,
      .w1c = 0xF0 },
    { .name = "latched", .addr = 3, .reset = 0x81, .cor = 0x80 },
    { .name = "command", .addr = 4, .wmask = 0xFF, .wo = 0xF0 },
    { .name = "hooked", .addr = 5, .reset = 0x10, .wmask = 0xFF,
      .read = count_reads, .write = veto_ee },
};
static const struct i2cemu_regmap masks_map = {
    I2CEMU_REGMAP_REGS(masks_regs), STATE, /* INC, NACK */
};

static const struct i2cemu_reg wide_regs[] = {
    { .name = "msb", .addr = 0x100, .width = 16, .reset = 0x1234,
      .wmask = 0xFFFF, .read = count_reads },
    { .name = "lsb", .addr = 0x101, .width = 16, .reset = 0x5678,
      .wmask = 0xFFFF, .flags = I2CEMU_REG_LSB_FIRST },
    { .name = "whole", .addr = 0x102, .width = 16, .wmask = 0xFFFF,
      .flags = I2CEMU_REG_WHOLE, .write = count_commits },
    { .name = "byte", .addr = 0x103, .reset = 0x9A, .wmask = 0xFF },
};
static const struct i2cemu_regmap wide_map = {
    I2CEMU_REGMAP_REGS(wide_regs), STATE,
    .pointer_bytes = 2, .pointer_mask = 0x0FFF, .wrap = 4,
    .unknown = I2CEMU_REGMAP_READ_FF,
};

static const struct i2cemu_reg hold_regs[] = {
    { .name = "byte", .addr = 0, .reset = 0x42, .wmask = 0xFF },
    { .name = "word", .addr = 1, .width = 16, .reset = 0xBEEF,
      .wmask = 0xFFFF },
};
static const struct i2cemu_regmap hold_map = {
    I2CEMU_REGMAP_REGS(hold_regs), STATE, .step = I2CEMU_REGMAP_HOLD,
    .unknown = I2CEMU_REGMAP_READ_00,
};

static const struct i2cemu_reg next_regs[] = {
    { .name = "a", .addr = 0x00, .reset = 0xA0, .wmask = 0xFF, .next = 0x10 },
    { .name = "b", .addr = 0x10, .reset = 0xB0, .wmask = 0xFF, .next = 0x20 },
    { .name = "c", .addr = 0x20, .reset = 0xC0, .wmask = 0xFF, .next = 0x00 },
};
static const struct i2cemu_regmap next_map = {
    I2CEMU_REGMAP_REGS(next_regs), STATE, .step = I2CEMU_REGMAP_NEXT,
};

static const struct i2cemu_reg bank_regs[] = {
    { .name = "data0", .addr = 0, .bank = 0, .reset = 0xA0, .wmask = 0xFF },
    { .name = "data1", .addr = 0, .bank = 1, .reset = 0xB0, .wmask = 0xFF },
    { .name = "common", .addr = 1, .reset = 0xCC,
      .flags = I2CEMU_REG_ANY_BANK },
    { .name = "only1", .addr = 2, .bank = 1, .reset = 0xD1 },
    { .name = "page", .addr = 0xFF, .wmask = 0x10,
      .flags = I2CEMU_REG_ANY_BANK },
};
static const struct i2cemu_regmap bank_map = {
    I2CEMU_REGMAP_REGS(bank_regs), STATE, .bank_addr = 0xFF,
    .bank_mask = 0x10,
};

static unsigned bank_of_state(struct i2cemu_dev *d)
{
    return ((struct tstate *)d->state)->bank;
}
static const struct i2cemu_regmap bank_fn_map = {
    I2CEMU_REGMAP_REGS(bank_regs), STATE, .bank = bank_of_state,
};

static unsigned read_block(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                           uint8_t *buf)
{
    struct tstate *s = d->state;
    (void)r;
    memcpy(buf, s->block, s->block_len);
    return s->block_len;
}

static void write_block(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                        const uint8_t *buf, unsigned len)
{
    struct tstate *s = d->state;
    (void)r;
    memcpy(s->block, buf, len);
    s->block_len = len;
}

static const struct i2cemu_reg block_regs[] = {
    { .name = "before", .addr = 0, .reset = 0x0B },
    { .name = "block", .addr = 1, .flags = I2CEMU_REG_BLOCK,
      .read_block = read_block, .write_block = write_block },
    { .name = "after", .addr = 2, .reset = 0x0A },
};
static const struct i2cemu_regmap block_map = {
    I2CEMU_REGMAP_REGS(block_regs), STATE,
};

static const struct i2cemu_device_type masks_type = TYPE(masks_map),
    wide_type = TYPE(wide_map), hold_type = TYPE(hold_map),
    next_type = TYPE(next_map), bank_type = TYPE(bank_map),
    bank_fn_type = TYPE(bank_fn_map), block_type = TYPE(block_map);

/* ---- helpers --------------------------------------------------------- */

static struct tstate *add(struct bench *t, const struct i2cemu_device_type *ty)
{
    struct i2cemu_error err = {{0}};
    bench_init(t, I2CEMU_CLOCK_FAST);
    int dev = i2cemu_device_add_custom(t->b, ty, "addr=0x40", &err);
    if (dev < 0)
        fail_msg("%s: %s", ty->name, err.msg);
    return i2cemu_device_state(t->b, (unsigned)dev);
}

/* Write the pointer byte(s) `p`, then read n bytes after a repeated START;
 * the transfer must succeed. */
static void read_at(struct bench *t, const uint8_t *p, uint16_t plen,
                    uint8_t *out, uint16_t n)
{
    assert_int_equal(bench_xfer(t, ADDR, p, plen, out, n), 2);
}

#define READ_AT(t, out, n, ...) read_at(t, BYTES(__VA_ARGS__), out, n)

/* ---- tests ----------------------------------------------------------- */

static void test_power_on_and_increment(void **state)
{
    (void)state;
    struct bench t;
    uint8_t buf[6];
    add(&t, &masks_type);
    READ_AT(&t, buf, 5, 0);
    assert_bytes(buf, 0x11, 0xA5, 0xF0, 0x81, 0x00);
    bench_write(&t, ADDR, 0, 0x22, 0x3C); /* plain, then low_nibble */
    READ_AT(&t, buf, 2, 0);
    assert_bytes(buf, 0x22, 0xAC);
    bench_fini(&t);
}

static void test_masks(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b;
    add(&t, &masks_type);
    /* W1C: 1s clear bits 5-4, 0s keep bits 7-6; the low nibble is set. */
    bench_write(&t, ADDR, 2, 0x35);
    READ_AT(&t, &b, 1, 2);
    assert_int_equal(b, 0xC5);
    /* Clear on read: bit 7 reads once. Writes cannot set it back. */
    READ_AT(&t, &b, 1, 3);
    assert_int_equal(b, 0x81);
    READ_AT(&t, &b, 1, 3);
    assert_int_equal(b, 0x01);
    bench_write(&t, ADDR, 3, 0xFF);
    READ_AT(&t, &b, 1, 3);
    assert_int_equal(b, 0x01);
    /* Write-only bits are stored but read as 0. */
    bench_write(&t, ADDR, 4, 0xAB);
    READ_AT(&t, &b, 1, 4);
    assert_int_equal(b, 0x0B);
    assert_int_equal(((struct tstate *)i2cemu_device_state(t.b, 0))->regs[4],
                     0xAB);
    bench_fini(&t);
}

static void test_hooks(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b;
    struct tstate *s = add(&t, &masks_type);
    READ_AT(&t, &b, 1, 5);
    assert_int_equal(b, 0x10);
    READ_AT(&t, &b, 1, 5);
    assert_int_equal(b, 0x0F); /* 0x10 + 0xFF, 8 bits */
    assert_int_equal(s->nreads, 2);
    bench_write(&t, ADDR, 5, 0x40); /* adjusted */
    assert_int_equal(s->regs[5], 0x41);
    bench_write(&t, ADDR, 5, 0xEE); /* vetoed */
    assert_int_equal(s->regs[5], 0x41);
    bench_fini(&t);
}

static void test_unknown_nack(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b;
    add(&t, &masks_type);
    /* A pointer byte naming no register is NACKed, the pointer kept. */
    bench_write(&t, ADDR, 1);
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(0x06), NULL, 0), -EIO);
    assert_int_equal(bench_xfer(&t, ADDR, NULL, 0, &b, 1), 1);
    assert_int_equal(b, 0xA5);
    /* Stepping into the hole: the data byte is NACKed, a read floats. */
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(5, 0x20, 0x30), NULL, 0),
                     -EIO);
    assert_int_equal(bench_xfer(&t, ADDR, NULL, 0, &b, 1), 1);
    assert_int_equal(b, 0xFF);
    bench_fini(&t);
}

/* 16-bit registers in both byte orders, a 2-byte pointer with ignored
 * bits, wrap at 4, unknown registers reading 0xFF. */
static void test_widths_and_orders(void **state)
{
    (void)state;
    struct bench t;
    uint8_t buf[9];
    struct tstate *s = add(&t, &wide_type);
    READ_AT(&t, buf, 9, 0x01, 0x00);
    assert_bytes(buf, 0x12, 0x34, 0x78, 0x56, 0x00, 0x00, 0x9A, 0x13, 0x33);
    /* Both bytes of one read are one sample: 0x1234 + 0xFF. */
    /* Byte-wise writes land at once in their half. */
    bench_write(&t, ADDR, 0xF1, 0x00, 0xAB);
    assert_int_equal(s->regs[0], 0xAB34);
    bench_write(&t, ADDR, 0x01, 0x01, 0xCD);
    assert_int_equal(s->regs[1], 0x56CD);
    bench_write(&t, ADDR, 0x01, 0x01, 0x11, 0x22);
    assert_int_equal(s->regs[1], 0x2211);
    /* WHOLE: nothing until both bytes are in; a STOP drops half. */
    bench_write(&t, ADDR, 0x01, 0x02, 0xAA);
    assert_int_equal(s->regs[2], 0x0000);
    assert_int_equal(s->ncommits, 0);
    bench_write(&t, ADDR, 0x01, 0x02, 0xAA, 0xBB, 0x77); /* then "byte" */
    assert_int_equal(s->regs[2], 0xAABB);
    assert_int_equal(s->ncommits, 1);
    assert_int_equal(s->regs[3], 0x77);
    /* Unknown: writes acknowledged and dropped, reads 0xFF. */
    bench_write(&t, ADDR, 0x00, 0x50, 0x12);
    READ_AT(&t, buf, 2, 0x00, 0x50);
    assert_bytes(buf, 0xFF, 0xFF);
    bench_fini(&t);
}

static void test_hold(void **state)
{
    (void)state;
    struct bench t;
    uint8_t buf[4];
    struct tstate *s = add(&t, &hold_type);
    READ_AT(&t, buf, 3, 0);
    assert_bytes(buf, 0x42, 0x42, 0x42);
    READ_AT(&t, buf, 4, 1);
    assert_bytes(buf, 0xBE, 0xEF, 0xBE, 0xEF);
    bench_write(&t, ADDR, 1, 0x11, 0x22, 0x33); /* 0x33: past the end */
    assert_int_equal(s->regs[1], 0x1122);
    bench_write(&t, ADDR, 0, 0x55, 0x66);
    assert_int_equal(s->regs[0], 0x55);
    READ_AT(&t, buf, 2, 7);
    assert_bytes(buf, 0x00, 0x00);
    bench_fini(&t);
}

static void test_next(void **state)
{
    (void)state;
    struct bench t;
    uint8_t buf[4];
    struct tstate *s = add(&t, &next_type);
    READ_AT(&t, buf, 4, 0x10);
    assert_bytes(buf, 0xB0, 0xC0, 0xA0, 0xB0);
    bench_write(&t, ADDR, 0x10, 0x1B, 0x1C);
    assert_int_equal(s->regs[1], 0x1B);
    assert_int_equal(s->regs[2], 0x1C);
    bench_fini(&t);
}

static void test_banks(void **state)
{
    (void)state;
    struct bench t;
    uint8_t buf[3];
    struct tstate *s = add(&t, &bank_type);
    READ_AT(&t, buf, 2, 0);
    assert_bytes(buf, 0xA0, 0xCC);
    /* Register 2 exists in bank 1 only. */
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(2), NULL, 0), -EIO);
    bench_write(&t, ADDR, 0xFF, 0x10);
    READ_AT(&t, buf, 3, 0);
    assert_bytes(buf, 0xB0, 0xCC, 0xD1);
    bench_write(&t, ADDR, 0, 0x5B);
    assert_int_equal(s->regs[1], 0x5B);
    assert_int_equal(s->regs[0], 0xA0);
    bench_fini(&t);

    /* The same registers, banked by a function of the model's. */
    s = add(&t, &bank_fn_type);
    bench_write(&t, ADDR, 0xFF, 0x10); /* no effect here */
    READ_AT(&t, buf, 1, 0);
    assert_bytes(buf, 0xA0);
    s->bank = 1;
    READ_AT(&t, buf, 1, 0);
    assert_bytes(buf, 0xB0);
    bench_fini(&t);
}

/* SMBus block: count first; SMBus's I2C_M_RECV_LEN reads it. */
static void test_block(void **state)
{
    (void)state;
    struct bench t;
    uint8_t buf[1 + I2C_SMBUS_BLOCK_MAX] = {0};
    struct tstate *s = add(&t, &block_type);
    bench_write(&t, ADDR, 1, 3, 0xA1, 0xA2, 0xA3);
    assert_int_equal(s->block_len, 3);
    READ_AT(&t, buf, 6, 1);
    assert_bytes(buf, 3, 0xA1, 0xA2, 0xA3, 0x0A, 0xFF); /* 3: none */

    struct i2c_msg msgs[2] = {
        { .addr = ADDR, .len = 1, .buf = (uint8_t[]){ 1 } },
        { .addr = ADDR, .flags = I2C_M_RD | I2C_M_RECV_LEN, .len = 1,
          .buf = buf },
    };
    struct i2cemu_transfer x = { .msgs = msgs, .nmsgs = 2 };
    memset(buf, 0, sizeof(buf));
    assert_int_equal(bench_run(&t, bench_bus(&t, 1), &x), 2);
    assert_int_equal(msgs[1].len, 4);
    assert_bytes(buf, 3, 0xA1, 0xA2, 0xA3);

    /* A count of 0 or above 32 is NACKed; a short block is dropped. */
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(1, 0), NULL, 0), -EIO);
    assert_int_equal(bench_xfer(&t, ADDR, BYTES(1, 33), NULL, 0), -EIO);
    bench_write(&t, ADDR, 1, 2, 0xB1);
    assert_int_equal(s->block_len, 3);
    assert_int_equal(s->block[0], 0xA1);
    bench_fini(&t);
}

/* ---- table checks ---------------------------------------------------- */

struct small {
    struct i2cemu_regmap_state io;
    uint16_t regs[2];
};

static const struct i2cemu_reg too_many[] = {
    { .addr = 0 }, { .addr = 1 }, { .addr = 2 },
};
static const struct i2cemu_reg dup[] = {
    { .name = "x", .addr = 1 }, { .name = "y", .addr = 1 },
};
static const struct i2cemu_reg unreachable[] = { { .name = "far", .addr = 8 } };
static const struct i2cemu_reg overlap[] = {
    { .name = "both", .wmask = 0x3, .w1c = 0x2 },
};
static const struct i2cemu_reg odd_width[] = { { .name = "w", .width = 12 } };
static const struct i2cemu_reg too_wide[] = { { .name = "r", .reset = 0x100 } };

#define SMALL I2CEMU_REGMAP_STATE(struct small, io, regs)
static const struct i2cemu_regmap bad_maps[] = {
    { I2CEMU_REGMAP_REGS(too_many), SMALL },
    { I2CEMU_REGMAP_REGS(dup), SMALL },
    { I2CEMU_REGMAP_REGS(unreachable), SMALL, .pointer_mask = 0x07 },
    { I2CEMU_REGMAP_REGS(overlap), SMALL },
    { I2CEMU_REGMAP_REGS(odd_width), SMALL },
    { I2CEMU_REGMAP_REGS(too_wide), SMALL },
    { I2CEMU_REGMAP_REGS(dup), SMALL, .wrap = 3 },
    { I2CEMU_REGMAP_REGS(odd_width), SMALL, .bank_mask = 1 },
};
static const char *const bad_why[] = {
    "3 registers, but state for 2 values",
    "register y at 0x01: its address is taken in its bank",
    "register far at 0x08: the pointer cannot reach its address",
    "register both at 0x00: a bit is in both wmask and w1c",
    "register w at 0x00: width is not 8 or 16",
    "register r at 0x00: a reset value or mask is wider than the register",
    "wrap=3",
    "bank_addr=0x0 is no ANY_BANK register",
};

static void test_bad_tables(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_maps) / sizeof(bad_maps[0]); i++) {
        struct i2cemu_device_type ty = {
            .name = "bad", .state_size = sizeof(struct small),
            .realize = i2cemu_regmap_realize, .event = i2cemu_regmap_event,
            .send = i2cemu_regmap_send, .recv = i2cemu_regmap_recv,
            .regmap = &bad_maps[i],
        };
        struct i2cemu_error err = {{0}};
        struct bench t;
        bench_init(&t, I2CEMU_CLOCK_FAST);
        assert_int_equal(i2cemu_device_add_custom(t.b, &ty, "addr=0x40",
                                                  &err), -1);
        if (!strstr(err.msg, bad_why[i]))
            fail_msg("map %zu: \"%s\" lacks \"%s\"", i, err.msg, bad_why[i]);
        bench_fini(&t);
    }
}

/* Every registered map is well formed, and its fields table covers the
 * protocol state and the values. */
static void test_registered_maps(void **state)
{
    (void)state;
    unsigned seen = 0;
    for (unsigned i = 0; i < i2cemu_default_types.count; i++) {
        const struct i2cemu_device_type *ty = i2cemu_default_types.types[i];
        const struct i2cemu_regmap *m = ty->regmap;
        if (!m)
            continue;
        struct i2cemu_error err = {{0}};
        if (i2cemu_regmap_check(m, &err) < 0)
            fail_msg("%s: %s", ty->name, err.msg);
        assert_true(m->values_offset + 2 * m->nvalues <= ty->state_size);
        bool io = false, values = false;
        for (const struct i2cemu_field *f = ty->fields; f && f->name; f++) {
            io |= f->offset == m->state_offset &&
                  f->size == sizeof(struct i2cemu_regmap_state);
            values |= f->offset == m->values_offset &&
                      f->size == 2 * m->nvalues;
        }
        if (!io || !values)
            fail_msg("%s: the fields table lacks the register map's state",
                     ty->name);
        seen++;
    }
    assert_true(seen >= 3); /* lm75, tmp102, pca9555 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_on_and_increment),
        cmocka_unit_test(test_masks),
        cmocka_unit_test(test_hooks),
        cmocka_unit_test(test_unknown_nack),
        cmocka_unit_test(test_widths_and_orders),
        cmocka_unit_test(test_hold),
        cmocka_unit_test(test_next),
        cmocka_unit_test(test_banks),
        cmocka_unit_test(test_block),
        cmocka_unit_test(test_bad_tables),
        cmocka_unit_test(test_registered_maps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
