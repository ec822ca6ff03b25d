// SPDX-License-Identifier: MIT
/*
 * Device models that exist only for the unit tests (testdevs.h).
 *
 * test-reg is on the register map (i2cemu/regmap.h). The others are
 * not, each for a reason:
 *  - test-pec checks a PEC over the whole message and stores at STOP or
 *    on the PEC byte; test-block answers process calls from what was
 *    written in the same transaction: both are message protocols, not
 *    registers (a map's BLOCK register reads or writes, never both).
 *  - test-mux is a control byte without a pointer; test-gc, test-stretch
 *    and test-smbus have no registers.
 */
#include <errno.h>
#include <stdlib.h>

#include "i2cdev/pec.h"
#include "testdevs.h"

/* ---- test-reg --------------------------------------------------------- */

/* The register map does the protocol; these wrappers only count events
 * and NACK data bytes past `nack-after`. */
static enum i2cemu_result reg_event(struct i2cemu_dev *d, enum i2cemu_event ev)
{
    struct reg_state *s = d->state;
    switch (ev) {
    case I2CEMU_EV_START_SEND:
        s->written = 0;
        s->starts++;
        break;
    case I2CEMU_EV_START_RECV:
        s->starts++;
        break;
    case I2CEMU_EV_FINISH:
        s->finishes++;
        break;
    case I2CEMU_EV_NACK:
        s->nacks++;
        break;
    case I2CEMU_EV_DESELECT:
        s->restarts++;
        break;
    }
    return i2cemu_regmap_event(d, ev);
}

static enum i2cemu_result reg_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct reg_state *s = d->state;
    if (s->io.npointer && s->nack_after && ++s->written > s->nack_after)
        return I2CEMU_NACK;
    return i2cemu_regmap_send(d, byte);
}

#define R1(a) {.addr = (a), .wmask = 0xFF}
#define R4(a) R1(a), R1((a) + 1), R1((a) + 2), R1((a) + 3)
#define R16(a) R4(a), R4((a) + 4), R4((a) + 8), R4((a) + 12)
#define R64(a) R16(a), R16((a) + 16), R16((a) + 32), R16((a) + 48)
static const struct i2cemu_reg reg_regs[256] = {
    R64(0), R64(64), R64(128), R64(192),
};

static const struct i2cemu_regmap reg_map = {
    I2CEMU_REGMAP_REGS(reg_regs),
    .step = I2CEMU_REGMAP_INC,
    I2CEMU_REGMAP_STATE(struct reg_state, io, reg),
};

static const struct i2cemu_prop reg_props[] = {
    I2CEMU_PROP_UINT_("nack-after", struct reg_state, nack_after, 0, 0, 255, 0,
                      "NACK data bytes after this many"),
    I2CEMU_PROP_END,
};

const struct i2cemu_device_type test_reg = {
    .name = "test-reg",
    .help = "256-byte register file",
    .props = reg_props,
    .state_size = sizeof(struct reg_state),
    .flags = I2CEMU_TYPE_TENBIT,
    .regmap = &reg_map,
    .realize = i2cemu_regmap_realize,
    .event = reg_event,
    .send = reg_send,
    .recv = i2cemu_regmap_recv,
};

void test_reg_load(struct reg_state *s, unsigned at, const void *bytes,
                   size_t n)
{
    for (size_t i = 0; i < n; i++)
        s->reg[at + i] = ((const uint8_t *)bytes)[i];
}

bool test_reg_equal(const struct reg_state *s, unsigned at,
                    const void *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s->reg[at + i] != ((const uint8_t *)bytes)[i])
            return false;
    return true;
}

/* ---- test-gc ---------------------------------------------------------- */

static enum i2cemu_result gc_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct gc_state *s = d->state;
    if (s->n < sizeof(s->got))
        s->got[s->n++] = byte;
    return I2CEMU_ACK;
}

const struct i2cemu_device_type test_gc = {
    .name = "test-gc",
    .help = "general-call listener",
    .state_size = sizeof(struct gc_state),
    .flags = I2CEMU_TYPE_GENERAL_CALL,
    .send = gc_send,
};

/* ---- test-stretch, test-gc-stretch ------------------------------------ */

struct stretch_priv {
    struct i2cemu_timer timer;
    struct i2cemu_board *board;
    unsigned index;
};

static void stretch_fire(struct i2cemu_timer *t)
{
    struct stretch_priv *p = t->opaque;
    struct i2cemu_dev d = {.board = p->board, .index = p->index};
    i2cemu_dev_ack(&d, I2CEMU_ACK);
}

static int stretch_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    (void)err;
    struct stretch_priv *p = calloc(1, sizeof(*p));
    p->board = d->board;
    p->index = d->index;
    i2cemu_timer_init(&p->timer, stretch_fire, p);
    d->priv = p;
    return 0;
}

static void stretch_unrealize(struct i2cemu_dev *d)
{
    struct stretch_priv *p = d->priv;
    i2cemu_timer_stop(i2cemu_dev_loop(d), &p->timer);
    free(p);
}

static void stretch_send_async(struct i2cemu_dev *d, uint8_t byte)
{
    struct stretch_state *s = d->state;
    struct stretch_priv *p = d->priv;
    s->got = byte;
    if (s->delay_us)
        i2cemu_timer_start(i2cemu_dev_loop(d), &p->timer,
                           i2cemu_dev_now(d) + s->delay_us * 1000ull);
}

static const struct i2cemu_prop stretch_props[] = {
    I2CEMU_PROP_UINT_("delay-us", struct stretch_state, delay_us, 100, 0,
                      10000000, 0, "stretch per byte; 0 holds forever"),
    I2CEMU_PROP_END,
};

const struct i2cemu_device_type test_stretch = {
    .name = "test-stretch",
    .help = "clock-stretching device",
    .props = stretch_props,
    .state_size = sizeof(struct stretch_state),
    .realize = stretch_realize,
    .unrealize = stretch_unrealize,
    .send_async = stretch_send_async,
};

const struct i2cemu_device_type test_gc_stretch = {
    .name = "test-gc-stretch",
    .help = "general-call listener that stretches",
    .props = stretch_props,
    .state_size = sizeof(struct stretch_state),
    .flags = I2CEMU_TYPE_GENERAL_CALL,
    .realize = stretch_realize,
    .unrealize = stretch_unrealize,
    .send_async = stretch_send_async,
};

/* ---- test-mux --------------------------------------------------------- */

static int mux_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct mux_state *s = d->state;
    for (unsigned i = 0; i < 2; i++) {
        struct i2cemu_bus_config cfg = I2CEMU_BUS_CONFIG_DEFAULT;
        int bus = i2cemu_dev_add_child_bus(d, &cfg, err);
        if (bus < 0)
            return -1;
        s->child[i] = (uint16_t)bus;
    }
    return 0;
}

static enum i2cemu_result mux_send(struct i2cemu_dev *d, uint8_t byte)
{
    ((struct mux_state *)d->state)->ctrl = byte & 3;
    return I2CEMU_ACK;
}

static uint8_t mux_recv(struct i2cemu_dev *d)
{
    return ((struct mux_state *)d->state)->ctrl;
}

static bool mux_match(struct i2cemu_dev *d, uint16_t addr, bool tenbit,
                      bool broadcast, struct i2cemu_matches *m)
{
    struct mux_state s = *(struct mux_state *)d->state;
    unsigned before = m->n;
    if (!broadcast && !tenbit && addr == i2cemu_dev_addr(d))
        i2cemu_matches_add(m, d->index);
    for (unsigned i = 0; i < 2; i++)
        if (s.ctrl & (1u << i))
            i2cemu_bus_match(d->board, s.child[i], addr, tenbit, broadcast, m);
    return m->n > before;
}

const struct i2cemu_device_type test_mux = {
    .name = "test-mux",
    .help = "two-channel I2C switch",
    .state_size = sizeof(struct mux_state),
    .realize = mux_realize,
    .send = mux_send,
    .recv = mux_recv,
    .match = mux_match,
};

/* ---- test-smbus ------------------------------------------------------- */

static int smbus_chip_xfer(struct i2cemu_dev *d, uint16_t flags, char rw,
                           uint8_t cmd, int size, union i2c_smbus_data *data)
{
    (void)d;
    (void)flags;
    if (size != I2C_SMBUS_BYTE_DATA)
        return -EOPNOTSUPP;
    if (rw == I2C_SMBUS_READ)
        data->byte = (uint8_t)(cmd ^ 0xFF);
    return 0;
}

const struct i2cemu_device_type test_smbus = {
    .name = "test-smbus",
    .help = "native SMBus chip",
    .state_size = 8,
    .smbus_xfer = smbus_chip_xfer,
};

/* ---- test-pec --------------------------------------------------------- */

static enum i2cemu_result p_event(struct i2cemu_dev *d, enum i2cemu_event ev)
{
    struct pec_state *s = d->state;
    uint8_t a = (uint8_t)(i2cemu_dev_addr(d) << 1);

    switch (ev) {
    case I2CEMU_EV_START_SEND:
        s->nin = 0;
        break;
    case I2CEMU_EV_START_RECV: {
        uint8_t bytes[4] = { a, s->in[0], a | 1, s->reg[s->in[0]] };

        s->out[0] = bytes[3];
        s->out[1] = i2cdev_pec(0, bytes, 4) ^ (s->corrupt ? 0xFF : 0);
        s->nout = 0;
        break;
    }
    case I2CEMU_EV_FINISH:
        if (s->nin == 2) /* no PEC */
            s->reg[s->in[0]] = s->in[1];
        s->nin = 0;
        break;
    case I2CEMU_EV_NACK:
    case I2CEMU_EV_DESELECT:
        break;
    }
    return I2CEMU_ACK;
}

static enum i2cemu_result p_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct pec_state *s = d->state;

    if (s->nin >= sizeof s->in)
        return I2CEMU_NACK;
    s->in[s->nin++] = byte;
    if (s->nin == 3) {
        uint8_t covered[3] = { (uint8_t)(i2cemu_dev_addr(d) << 1), s->in[0],
                                s->in[1] };

        if (i2cdev_pec(0, covered, 3) != byte)
            return I2CEMU_NACK;
        s->reg[s->in[0]] = s->in[1];
        s->nin = sizeof s->in; /* stored; nothing more to do at STOP */
    }
    return I2CEMU_ACK;
}

static uint8_t p_recv(struct i2cemu_dev *d)
{
    struct pec_state *s = d->state;

    return s->nout < 2 ? s->out[s->nout++] : 0xFF;
}

const struct i2cemu_device_type test_pec = {
    .name = "test-pec", .help = "PEC-checking SMBus device", .state_size = sizeof(struct pec_state),
    .event = p_event, .send = p_send, .recv = p_recv,
};

/* ---- test-block ------------------------------------------------------- */

static enum i2cemu_result k_event(struct i2cemu_dev *d, enum i2cemu_event ev)
{
    struct block_state *s = d->state;
    uint8_t n;

    if (ev == I2CEMU_EV_START_SEND) {
        s->nin = 0;
    } else if (ev == I2CEMU_EV_START_RECV) {
        s->pos = 0;
        s->nout = 0;
        switch (s->in[0]) {
        case K_BLOCK_READ:
            s->out[s->nout++] = s->cnt;
            for (unsigned i = 1; i <= s->cnt && i <= 33; i++)
                s->out[s->nout++] = (uint8_t)(0xD0 + i);
            break;
        case K_PROC_CALL:
            s->out[s->nout++] = s->in[1] ^ 0xFF;
            s->out[s->nout++] = s->in[2] ^ 0xFF;
            break;
        case K_BLOCK_PROC:
            n = s->in[1];
            s->out[s->nout++] = n;
            for (unsigned i = 0; i < n; i++)
                s->out[s->nout++] = s->in[1 + n - i];
            break;
        }
    }
    return I2CEMU_ACK;
}

static enum i2cemu_result k_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct block_state *s = d->state;

    if (s->nin >= sizeof s->in)
        return I2CEMU_NACK;
    s->in[s->nin++] = byte;
    return I2CEMU_ACK;
}

static uint8_t k_recv(struct i2cemu_dev *d)
{
    struct block_state *s = d->state;

    return s->pos < s->nout ? s->out[s->pos++] : 0xFF;
}

const struct i2cemu_device_type test_block = {
    .name = "test-block", .help = "SMBus block device", .state_size = sizeof(struct block_state),
    .event = k_event, .send = k_send, .recv = k_recv,
};

