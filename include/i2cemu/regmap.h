/* SPDX-License-Identifier: MIT */
/*
 * Declarative register maps, in the spirit of Linux's regmap_config and
 * QEMU's RegisterAccessInfo: a register chip declares its register file
 * and plugs in the kit's protocol functions instead of coding event, send
 * and recv; its hooks keep only the physics.
 *
 * The protocol is the one most register chips share. The first byte(s) of
 * a write set the pointer; each further byte goes to the register at the
 * pointer; a read returns the register at the pointer. After each register
 * (a byte for an 8-bit one, two for a 16-bit one) the pointer steps. A
 * read latches the register at its first byte, so both bytes of a 16-bit
 * register come from one sample.
 *
 * Register values live in the device's arena state, as plain data: the
 * model embeds a struct i2cemu_regmap_state and a uint16_t array with one
 * value per table entry (indexed like the table, not by address), and its
 * hooks read and write that array directly.
 */
#ifndef I2CEMU_REGMAP_H
#define I2CEMU_REGMAP_H

#include <i2cemu/device.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Register flags. */
#define I2CEMU_REG_LSB_FIRST 0x1u /* 16-bit: low byte first on the wire, as
                                     SMBus words; default MSB first (LM75) */
#define I2CEMU_REG_WHOLE     0x2u /* 16-bit: a write takes effect when both
                                     bytes are in (a STOP before drops it);
                                     default: each byte lands at once */
#define I2CEMU_REG_BLOCK     0x4u /* SMBus block: a count byte, then 1 to 32
                                     bytes, through read_block/write_block;
                                     a written count of 0 or over 32 is
                                     NACKed, a STOP before the last byte
                                     drops the block */
#define I2CEMU_REG_ANY_BANK  0x8u /* present whatever bank is selected */

struct i2cemu_reg {
    const char *name;
    uint16_t addr;  /* pointer value that selects it */
    uint8_t width;  /* 8 (or 0) or 16 bits */
    uint8_t bank;   /* the bank it is in, when the map has banks */
    unsigned flags;
    uint16_t reset; /* power-on value */
    /*
     * Access, per bit. A write sets the wmask bits, clears the w1c bits
     * written as 1 and keeps every other bit (read-only). A read sees the
     * stored value without the wo (write-only) bits, and clears the cor
     * (clear-on-read) bits once latched.
     */
    uint16_t wmask, w1c, wo, cor;
    uint16_t next; /* I2CEMU_REGMAP_NEXT: where the pointer goes after it */

    /* Optional. The value the master reads, computed now (physics) from
     * `v`, the stored value less its wo bits. Called once per read of the
     * register, at its first byte. The hook may update the state. */
    uint16_t (*read)(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                     uint16_t v);
    /* Optional. Side effects of a write; returns what to store (`old` to
     * veto it, or an adjusted value). `v` is the stored value with the
     * written byte merged in and the masks applied. Called for each byte
     * of a byte-wise register, once for a WHOLE one. */
    uint16_t (*write)(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                      uint16_t old, uint16_t v);
    /* BLOCK registers: fill buf (32 bytes) and return the count (0-32);
     * take a complete block of `len` bytes (1-32). Either may be NULL: a
     * read then sends a count of 0, a write is acknowledged and dropped. */
    unsigned (*read_block)(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                           uint8_t *buf);
    void (*write_block)(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                        const uint8_t *buf, unsigned len);
};

/* How the pointer moves after each register. */
enum i2cemu_regmap_step {
    /* pointer + 1, wrapping within aligned blocks of `wrap` addresses:
     * wrap = 2 toggles within a register pair (PCA9555: 0<->1, 2<->3);
     * wrap = 0 wraps at the pointer's width. */
    I2CEMU_REGMAP_INC,
    /* The pointer stays: reads repeat the register, and bytes written
     * past its end are acknowledged and dropped (LM75). */
    I2CEMU_REGMAP_HOLD,
    /* To the register's `next` (unknown registers: + 1). */
    I2CEMU_REGMAP_NEXT,
};

/* What a pointer at no register does. */
enum i2cemu_regmap_unknown {
    /* NACK a pointer or data byte that names no register (the pointer is
     * left as it was); reads see SDA released: 0xFF. */
    I2CEMU_REGMAP_NACK,
    I2CEMU_REGMAP_READ_FF, /* ACK and drop writes, read 0xFF */
    I2CEMU_REGMAP_READ_00, /* ACK and drop writes, read 0x00 */
};

struct i2cemu_regmap {
    const struct i2cemu_reg *regs;
    unsigned nregs;
    uint8_t pointer_bytes;   /* 1 (or 0) or 2, MSB first */
    uint16_t pointer_mask;   /* the bits the part decodes; 0: all */
    enum i2cemu_regmap_step step;
    uint16_t wrap;           /* INC: a power of two, or 0 */
    enum i2cemu_regmap_unknown unknown;
    /* Banks (pages), when the part has them: the current bank is bank(d),
     * or else, if bank_mask is set, the bank_mask bits of the register at
     * bank_addr (an ANY_BANK page-select register), shifted down. */
    unsigned (*bank)(struct i2cemu_dev *d);
    uint16_t bank_addr, bank_mask;
    /* Where the state lives: I2CEMU_REGMAP_STATE(). */
    size_t state_offset, values_offset;
    unsigned nvalues;
};

/* The protocol state, in the model's state struct. */
struct i2cemu_regmap_state {
    uint16_t pointer;
    uint16_t pending;      /* pointer bytes received so far */
    uint8_t npointer;      /* pointer bytes received in this write */
    uint8_t pos;           /* bytes of the current register so far */
    uint8_t len;           /* bytes in buf: the current register's size */
    uint8_t buf[1 + I2C_SMBUS_BLOCK_MAX]; /* latched read, or a write being
                                             assembled (count first) */
};

#define I2CEMU_REGMAP_REGS(table)                                             \
    .regs = (table), .nregs = sizeof(table) / sizeof((table)[0])

/* The state members of `st`: `io`, a struct i2cemu_regmap_state, and
 * `values`, a uint16_t array (a compile error otherwise). */
#define I2CEMU_REGMAP_STATE(st, io, values)                                   \
    .state_offset = _Generic(((st *)0)->io,                                   \
                             struct i2cemu_regmap_state: offsetof(st, io)),   \
    .values_offset = offsetof(st, values),                                    \
    .nvalues = _Generic(((st *)0)->values[0],                                 \
                        uint16_t: sizeof(((st *)0)->values) / 2)

/* The entries of the model's `fields` table that cover them. */
#define I2CEMU_REGMAP_FIELDS(st, io, values)                                  \
    I2CEMU_FIELD("regmap", st, io, I2CEMU_FIELD_RUNTIME),                     \
    I2CEMU_FIELD("registers", st, values, I2CEMU_FIELD_RUNTIME)

/* The type's callbacks: .realize (or call it from the model's own),
 * .event, .send and .recv. realize checks the map and loads the power-on
 * values; a bad table refuses the device. */
int i2cemu_regmap_realize(struct i2cemu_dev *d, struct i2cemu_error *err);
enum i2cemu_result i2cemu_regmap_event(struct i2cemu_dev *d,
                                       enum i2cemu_event ev);
enum i2cemu_result i2cemu_regmap_send(struct i2cemu_dev *d, uint8_t byte);
uint8_t i2cemu_regmap_recv(struct i2cemu_dev *d);

/* 0, or -1 with what is wrong with the table (duplicates, a register the
 * pointer cannot reach, too few values...). */
int i2cemu_regmap_check(const struct i2cemu_regmap *m,
                        struct i2cemu_error *err);

/* A snapshot's state for a type with map `m`, before it is restored: 0,
 * or -1 if a register's value is wider than the register (its hooks
 * index tables with its bits, as the kit never stores more). The
 * snapshot code calls it for every type with a regmap, before the
 * type's own state_check. */
int i2cemu_regmap_state_check(const struct i2cemu_regmap *m,
                              const void *state, struct i2cemu_error *err);

#ifdef __cplusplus
}
#endif
#endif
