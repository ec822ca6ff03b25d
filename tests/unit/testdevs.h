/* SPDX-License-Identifier: MIT */
/* Device models that exist only for the unit tests, each with the state
 * a test may read or set through i2cemu_device_state(). */
#ifndef I2CEMU_TESTS_TESTDEVS_H
#define I2CEMU_TESTS_TESTDEVS_H

#include <i2cemu/i2cemu.h>
#include <i2cemu/regmap.h>

/* test-reg: 256 byte registers on the register map, behind an 8-bit
 * pointer; the first byte of a write sets it, and it steps on every byte.
 * Counts the events it gets. Device T of the i2c-dev fixture F-I2C
 * (i2c-dev-abi.md section 8.0). */
struct reg_state {
    struct i2cemu_regmap_state io; /* io.pointer: the register pointer */
    uint32_t nack_after; /* NACK written data bytes past this many; 0: never */
    uint32_t written;
    uint32_t finishes, nacks, starts, restarts;
    uint16_t reg[256];   /* one byte value each */
};
extern const struct i2cemu_device_type test_reg;
/* Load n bytes into registers at.., or compare them. */
void test_reg_load(struct reg_state *s, unsigned at, const void *bytes,
                   size_t n);
bool test_reg_equal(const struct reg_state *s, unsigned at,
                    const void *bytes, size_t n);

/* test-gc: answers the general call and records what it was sent. */
struct gc_state {
    uint8_t got[8];
    uint32_t n;
};
extern const struct i2cemu_device_type test_gc;

/* test-stretch: stretches SCL on every written byte and ACKs after
 * `delay-us` (0: never). test-gc-stretch does it on the general call. */
struct stretch_state {
    uint32_t delay_us;
    uint32_t got;
};
extern const struct i2cemu_device_type test_stretch;
extern const struct i2cemu_device_type test_gc_stretch;

/* test-mux: a two-channel switch (PCA9543-like): its control byte's bits
 * 0-1 enable the channels; it answers its own address and its open
 * channels'. */
struct mux_state {
    uint8_t ctrl;
    uint16_t child[2];
};
extern const struct i2cemu_device_type test_mux;

/* test-smbus: a native SMBus chip for the stub profile; byte data only,
 * a read returns the command inverted. */
extern const struct i2cemu_device_type test_smbus;

/* test-pec: byte data with PEC. A write c, v, pec is NACKed on its PEC
 * byte when the PEC is wrong; a read returns reg[c] and its PEC (wrong
 * when `corrupt`). Device P of F-I2C. */
struct pec_state {
    uint8_t reg[256];
    uint8_t in[4];
    uint8_t nin, out[2], nout;
    bool corrupt;
};
extern const struct i2cemu_device_type test_pec;

/* test-block: an SMBus block device; the command selects the answer.
 * Device K of F-I2C. */
#define K_BLOCK_READ 0x20 /* block read: [cnt, 0xD1, 0xD2...] */
#define K_PROC_CALL  0x40 /* returns word ^ 0xFFFF */
#define K_BLOCK_PROC 0x60 /* returns the sent data reversed */
struct block_state {
    uint8_t cnt;
    uint8_t in[40];
    uint8_t nin;
    uint8_t out[40];
    uint8_t nout, pos;
};
extern const struct i2cemu_device_type test_block;

#endif
