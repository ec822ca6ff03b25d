/* SPDX-License-Identifier: MIT */
/*
 * The register-map protocol (include/i2cemu/regmap.h): pointer bytes,
 * register bytes in wire order, access masks, hooks, stepping, banks,
 * SMBus blocks and unknown registers.
 *
 * It lives with the models, as a service of the model kit: it uses only
 * the public device API, and the core (bus, master, board) knows nothing
 * of it, so the core does not grow a dependency on model code.
 */
#include <string.h>

#include <i2cemu/board.h>
#include <i2cemu/regmap.h>

static const struct i2cemu_regmap *map_of(const struct i2cemu_dev *d)
{
    return i2cemu_device_type_of(d->board, d->index)->regmap;
}

static struct i2cemu_regmap_state *io_of(const struct i2cemu_regmap *m,
                                         const struct i2cemu_dev *d)
{
    return (void *)((char *)d->state + m->state_offset);
}

static uint16_t *values_of(const struct i2cemu_regmap *m,
                           const struct i2cemu_dev *d)
{
    return (void *)((char *)d->state + m->values_offset);
}

static uint16_t ptr_mask(const struct i2cemu_regmap *m)
{
    uint16_t full = m->pointer_bytes == 2 ? 0xFFFF : 0xFF;
    return m->pointer_mask ? m->pointer_mask & full : full;
}

static bool wide(const struct i2cemu_reg *r)
{
    return r->width == 16;
}

static uint16_t width_mask(const struct i2cemu_reg *r)
{
    return wide(r) ? 0xFFFF : 0xFF;
}

static bool in_bank(const struct i2cemu_reg *r, unsigned bank)
{
    return r->bank == bank || (r->flags & I2CEMU_REG_ANY_BANK);
}

/* The table index of the register at addr in bank, or -1. */
static int find(const struct i2cemu_regmap *m, uint16_t addr, unsigned bank)
{
    /* Dense tables (entry i at address i) need no search. */
    if (addr < m->nregs && m->regs[addr].addr == addr &&
        in_bank(&m->regs[addr], bank))
        return addr;
    for (unsigned i = 0; i < m->nregs; i++)
        if (m->regs[i].addr == addr && in_bank(&m->regs[i], bank))
            return (int)i;
    return -1;
}

static unsigned current_bank(const struct i2cemu_regmap *m,
                             struct i2cemu_dev *d)
{
    if (m->bank)
        return m->bank(d);
    if (!m->bank_mask)
        return 0;
    int i = find(m, m->bank_addr, 0); /* ANY_BANK: found in any bank */
    if (i < 0)
        return 0;
    return (values_of(m, d)[i] & m->bank_mask) >>
           __builtin_ctz(m->bank_mask);
}

/* Where the pointer goes after register r (NULL: no register there). */
static uint16_t next_pointer(const struct i2cemu_regmap *m, uint16_t p,
                             const struct i2cemu_reg *r)
{
    if (m->step == I2CEMU_REGMAP_HOLD)
        return p;
    if (m->step == I2CEMU_REGMAP_NEXT && r)
        p = r->next;
    else if (m->wrap)
        p = (uint16_t)((p & ~(m->wrap - 1u)) | ((p + 1u) & (m->wrap - 1u)));
    else
        p++;
    return p & ptr_mask(m);
}

/* Apply a written value (the whole register) through masks and hook. */
static void store(struct i2cemu_dev *d, const struct i2cemu_reg *r,
                  uint16_t *slot, uint16_t new)
{
    uint16_t old = *slot;
    uint16_t v = (uint16_t)((old & ~(r->wmask | r->w1c)) |
                            (new & r->wmask) | (old & r->w1c & ~new));
    if (r->write)
        v = r->write(d, r, old, v);
    *slot = v & width_mask(r);
}

/* Byte `pos` (in wire order) of a 16-bit register: is it the high one? */
static bool high_byte(const struct i2cemu_reg *r, unsigned pos)
{
    return (pos == 0) != !!(r->flags & I2CEMU_REG_LSB_FIRST);
}

static enum i2cemu_result send_block(struct i2cemu_dev *d,
                                     const struct i2cemu_regmap *m,
                                     struct i2cemu_regmap_state *io,
                                     const struct i2cemu_reg *r, uint8_t byte)
{
    if (io->pos == 0) {
        /* SMBus 2.0 blocks hold 1 to 32 bytes. */
        if (byte == 0 || byte > I2C_SMBUS_BLOCK_MAX)
            return I2CEMU_NACK;
        io->len = (uint8_t)(1 + byte);
        io->buf[io->pos++] = byte;
        return I2CEMU_ACK;
    }
    if (io->pos >= io->len) /* HOLD: past the block */
        return I2CEMU_ACK;
    io->buf[io->pos++] = byte;
    if (io->pos == io->len) {
        if (r->write_block)
            r->write_block(d, r, io->buf + 1, io->len - 1u);
        if (m->step != I2CEMU_REGMAP_HOLD) {
            io->pointer = next_pointer(m, io->pointer, r);
            io->pos = 0;
        }
    }
    return I2CEMU_ACK;
}

static enum i2cemu_result send_data(struct i2cemu_dev *d,
                                    const struct i2cemu_regmap *m,
                                    struct i2cemu_regmap_state *io,
                                    uint8_t byte)
{
    int i = find(m, io->pointer, current_bank(m, d));
    if (i < 0) {
        if (m->unknown == I2CEMU_REGMAP_NACK)
            return I2CEMU_NACK;
        io->pointer = next_pointer(m, io->pointer, NULL);
        return I2CEMU_ACK;
    }
    const struct i2cemu_reg *r = &m->regs[i];
    if (r->flags & I2CEMU_REG_BLOCK)
        return send_block(d, m, io, r, byte);

    unsigned n = wide(r) ? 2 : 1;
    if (io->pos >= n) /* HOLD: past the register */
        return I2CEMU_ACK;
    unsigned pos = io->pos++;
    uint16_t *slot = &values_of(m, d)[i];
    if (!wide(r)) {
        store(d, r, slot, byte);
    } else if (!(r->flags & I2CEMU_REG_WHOLE)) {
        uint16_t v = *slot;
        v = high_byte(r, pos) ? (uint16_t)((v & 0x00FF) | byte << 8)
                              : (uint16_t)((v & 0xFF00) | byte);
        store(d, r, slot, v);
    } else if (pos == 0) {
        io->buf[0] = byte;
    } else {
        uint8_t first = io->buf[0];
        store(d, r, slot, high_byte(r, 0) ? (uint16_t)(first << 8 | byte)
                                          : (uint16_t)(byte << 8 | first));
    }
    if (io->pos == n && m->step != I2CEMU_REGMAP_HOLD) {
        io->pointer = next_pointer(m, io->pointer, r);
        io->pos = 0;
    }
    return I2CEMU_ACK;
}

enum i2cemu_result i2cemu_regmap_send(struct i2cemu_dev *d, uint8_t byte)
{
    const struct i2cemu_regmap *m = map_of(d);
    struct i2cemu_regmap_state *io = io_of(m, d);
    unsigned nptr = m->pointer_bytes ? m->pointer_bytes : 1;

    if (io->npointer < nptr) {
        io->pending = (uint16_t)(io->pending << 8 | byte);
        if (++io->npointer < nptr)
            return I2CEMU_ACK;
        uint16_t p = io->pending & ptr_mask(m);
        if (m->unknown == I2CEMU_REGMAP_NACK &&
            find(m, p, current_bank(m, d)) < 0)
            return I2CEMU_NACK;
        io->pointer = p;
        io->pos = 0;
        return I2CEMU_ACK;
    }
    return send_data(d, m, io, byte);
}

/* Latch the register at the pointer for reading: its bytes in wire order
 * in buf, and the pointer that follows it in `pending`. */
static void latch(struct i2cemu_dev *d, const struct i2cemu_regmap *m,
                  struct i2cemu_regmap_state *io)
{
    int i = find(m, io->pointer, current_bank(m, d));
    const struct i2cemu_reg *r = i >= 0 ? &m->regs[i] : NULL;

    io->pending = next_pointer(m, io->pointer, r);
    if (!r) {
        io->buf[0] = m->unknown == I2CEMU_REGMAP_READ_00 ? 0x00 : 0xFF;
        io->len = 1;
    } else if (r->flags & I2CEMU_REG_BLOCK) {
        unsigned n = r->read_block ? r->read_block(d, r, io->buf + 1) : 0;
        io->buf[0] = (uint8_t)(n < I2C_SMBUS_BLOCK_MAX ? n
                                                       : I2C_SMBUS_BLOCK_MAX);
        io->len = (uint8_t)(1 + io->buf[0]);
    } else {
        uint16_t *slot = &values_of(m, d)[i];
        uint16_t v = *slot & (uint16_t)~r->wo;
        if (r->read)
            v = r->read(d, r, v);
        *slot &= (uint16_t)~r->cor;
        if (wide(r)) {
            io->buf[high_byte(r, 0) ? 0 : 1] = (uint8_t)(v >> 8);
            io->buf[high_byte(r, 0) ? 1 : 0] = (uint8_t)v;
            io->len = 2;
        } else {
            io->buf[0] = (uint8_t)v;
            io->len = 1;
        }
    }
}

uint8_t i2cemu_regmap_recv(struct i2cemu_dev *d)
{
    const struct i2cemu_regmap *m = map_of(d);
    struct i2cemu_regmap_state *io = io_of(m, d);

    if (io->pos == 0)
        latch(d, m, io);
    uint8_t byte = io->buf[io->pos++];
    if (io->pos >= io->len) {
        io->pointer = io->pending;
        io->pos = 0;
    }
    return byte;
}

enum i2cemu_result i2cemu_regmap_event(struct i2cemu_dev *d,
                                       enum i2cemu_event ev)
{
    struct i2cemu_regmap_state *io = io_of(map_of(d), d);
    /* A new message starts at the first byte of a register; a write's
     * first byte(s) are the pointer. A register left half-written (WHOLE,
     * or a block) is dropped. */
    if (ev != I2CEMU_EV_NACK) {
        io->pos = 0;
        io->npointer = 0;
        io->pending = 0;
    }
    return I2CEMU_ACK;
}

int i2cemu_regmap_check(const struct i2cemu_regmap *m,
                        struct i2cemu_error *err)
{
    uint16_t pm = ptr_mask(m);

    if (m->nregs > m->nvalues) {
        i2cemu_error_set(err, "register map: %u registers, but state for "
                         "%u values", m->nregs, m->nvalues);
        return -1;
    }
    if (m->pointer_bytes > 2 || (m->wrap & (m->wrap - 1u))) {
        i2cemu_error_set(err, "register map: pointer_bytes=%u, wrap=%u "
                         "(1 or 2 bytes, and a power of two)",
                         m->pointer_bytes, m->wrap);
        return -1;
    }
    if (m->bank_mask) {
        int b = find(m, m->bank_addr, 0);
        if (b < 0 || !(m->regs[b].flags & I2CEMU_REG_ANY_BANK)) {
            i2cemu_error_set(err, "register map: bank_addr=0x%x is no "
                             "ANY_BANK register", m->bank_addr);
            return -1;
        }
    }
    for (unsigned i = 0; i < m->nregs; i++) {
        const struct i2cemu_reg *r = &m->regs[i];
        const char *name = r->name ? r->name : "(unnamed)";
        uint16_t wm = width_mask(r);
        const char *bad = NULL;
        if (r->width != 0 && r->width != 8 && r->width != 16)
            bad = "width is not 8 or 16";
        else if (r->addr & ~pm)
            bad = "the pointer cannot reach its address";
        else if (m->step == I2CEMU_REGMAP_NEXT && (r->next & ~pm))
            bad = "the pointer cannot reach its next";
        else if (r->wmask & r->w1c)
            bad = "a bit is in both wmask and w1c";
        else if ((r->reset | r->wmask | r->w1c | r->wo | r->cor) & ~wm)
            bad = "a reset value or mask is wider than the register";
        for (unsigned j = 0; !bad && j < i; j++)
            if (m->regs[j].addr == r->addr &&
                (in_bank(&m->regs[j], r->bank) || in_bank(r, m->regs[j].bank)))
                bad = "its address is taken in its bank";
        if (bad) {
            i2cemu_error_set(err, "register map: register %s at 0x%02x: %s",
                             name, r->addr, bad);
            return -1;
        }
    }
    return 0;
}

int i2cemu_regmap_state_check(const struct i2cemu_regmap *m,
                              const void *state, struct i2cemu_error *err)
{
    const uint16_t *values =
        (const void *)((const char *)state + m->values_offset);
    for (unsigned i = 0; i < m->nregs; i++) {
        const struct i2cemu_reg *r = &m->regs[i];
        if (values[i] & ~width_mask(r)) {
            i2cemu_error_set(err, "registers: %s (0x%02x) holds 0x%x, wider "
                             "than its %u bits",
                             r->name ? r->name : "(unnamed)", r->addr,
                             values[i], wide(r) ? 16u : 8u);
            return -1;
        }
    }
    return 0;
}

int i2cemu_regmap_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    const struct i2cemu_regmap *m = map_of(d);
    if (!m) {
        i2cemu_error_set(err, "the type has no register map");
        return -1;
    }
    if (i2cemu_regmap_check(m, err) < 0)
        return -1;
    memset(io_of(m, d), 0, sizeof(struct i2cemu_regmap_state));
    uint16_t *values = values_of(m, d);
    for (unsigned i = 0; i < m->nregs; i++)
        values[i] = m->regs[i].reset;
    return 0;
}
