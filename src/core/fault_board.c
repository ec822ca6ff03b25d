/* SPDX-License-Identifier: MIT */
/*
 * A board's fault rules: adding and removing them, the per-bus count the
 * master reads (bus_rt.faults), and at the start of each transfer on an
 * armed bus, the rule that acts on it. docs/faults.md.
 */
#include "core/master_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Clocks the kernel's bus recovery sends (i2c_generic_scl_recovery). */
#define RECOVERY_CLOCKS 9u

struct fault_set {
    struct i2cemu_fault rule[I2CEMU_FAULT_MAX];
    /* Each rule's bus (index) and address, dev= resolved; -1 any. */
    int bus[I2CEMU_FAULT_MAX], addr[I2CEMU_FAULT_MAX];
    unsigned n, next_id;
    /* Per root bus: SDA held low, and the clocks that free it (0 never). */
    bool stuck[I2CEMU_MAX_BUSES];
    uint8_t stuck_clocks[I2CEMU_MAX_BUSES];
};

void fault_rearm(struct i2cemu_board *b)
{
    struct fault_set *fs = b->faults;
    for (unsigned i = 0; i < b->a->nbuses; i++)
        b->rt[i].faults = 0;
    if (!fs)
        return;
    for (unsigned i = 0; i < b->a->nbuses; i++) {
        unsigned root = bus_root(b, i);
        if (root == i)
            b->rt[i].faults += fs->stuck[i];
        for (unsigned r = 0; r < fs->n; r++)
            if (fs->bus[r] < 0 ? root == i : (unsigned)fs->bus[r] == i)
                b->rt[root].faults++;
    }
}

bool i2cemu_bus_faults_armed(const struct i2cemu_board *b, unsigned bus)
{
    return b->rt[bus_root(b, bus)].faults != 0;
}

/* dev=: an id, TYPE@N-AAAA or N-AAAA, as the control plane names it. */
static int resolve_dev(const struct i2cemu_board *b, const char *s,
                       struct i2cemu_error *err)
{
    const char *at = strchr(s, '@'), *name = at ? at + 1 : s;
    int dev = at ? -1 : i2cemu_device_find_id(b, s);
    if (dev >= 0)
        return dev;
    char *end;
    unsigned long bus = strtoul(name, &end, 10);
    int busi = end != name && *end == '-' && strlen(end + 1) == 4
                   ? i2cemu_bus_find(b, (int)bus) : -1;
    unsigned long addr = busi >= 0 ? strtoul(end + 1, &end, 16) : 0;
    if (busi >= 0 && !*end)
        dev = i2cemu_device_find(b, (unsigned)busi, (uint16_t)addr);
    if (dev >= 0 && at &&
        (strncmp(i2cemu_device_type_name(b, (unsigned)dev), s,
                 (size_t)(at - s)) ||
         i2cemu_device_type_name(b, (unsigned)dev)[at - s]))
        dev = -1;
    if (dev < 0)
        i2cemu_error_set(err, "fault: dev=%s: no such device (an id, or a "
                         "name such as tmp102@1-0048 or 1-0048)",
                         EXCERPT(s));
    return dev;
}

int i2cemu_fault_add(struct i2cemu_board *b, const char *spec,
                     struct i2cemu_error *err)
{
    struct i2cemu_fault f;
    int bus = -1, addr = -1;
    if (i2cemu_fault_parse(spec, &f, err))
        return -1;
    if (f.dev[0]) {
        int dev = resolve_dev(b, f.dev, err);
        if (dev < 0)
            return -1;
        bus = (int)i2cemu_device_bus(b, (unsigned)dev);
        addr = i2cemu_device_addr(b, (unsigned)dev);
    } else {
        if (f.bus >= 0 && (bus = i2cemu_bus_find(b, f.bus)) < 0) {
            i2cemu_error_set(err, "fault: there is no bus %d", f.bus);
            return -1;
        }
        addr = f.addr;
    }
    if (!b->faults && !(b->faults = calloc(1, sizeof(*b->faults)))) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }
    struct fault_set *fs = b->faults;
    if (fs->n == I2CEMU_FAULT_MAX) {
        i2cemu_error_set(err, "fault: too many rules (at most %d)",
                         I2CEMU_FAULT_MAX);
        return -1;
    }
    f.id = ++fs->next_id;
    fs->bus[fs->n] = bus;
    fs->addr[fs->n] = addr;
    fs->rule[fs->n++] = f;
    fault_rearm(b);
    return (int)f.id;
}

static int rule_index(const struct fault_set *fs, unsigned id)
{
    for (unsigned i = 0; i < fs->n; i++)
        if (fs->rule[i].id == id)
            return (int)i;
    return -1;
}

/* A removed rule acts no more, on a transfer in flight either (one
 * waiting for a clock stretch or an arbitration back-off). */
static void forget_removed(struct i2cemu_board *b)
{
    for (unsigned i = 0; i < b->a->nbuses; i++) {
        struct i2cemu_transfer *t = b->rt[i].owner;
        if (t && t->faulty && rule_index(b->faults, t->fault.id) < 0)
            t->faulty = false;
    }
}

int i2cemu_fault_del(struct i2cemu_board *b, unsigned id)
{
    struct fault_set *fs = b->faults;
    int r = fs ? rule_index(fs, id) : -1;
    if (r < 0)
        return -1;
    unsigned i = (unsigned)r;
    size_t tail = fs->n - i - 1;
    memmove(&fs->rule[i], &fs->rule[i + 1], tail * sizeof(fs->rule[0]));
    memmove(&fs->bus[i], &fs->bus[i + 1], tail * sizeof(fs->bus[0]));
    memmove(&fs->addr[i], &fs->addr[i + 1], tail * sizeof(fs->addr[0]));
    fs->n--;
    fault_rearm(b);
    forget_removed(b);
    return 0;
}

void i2cemu_fault_clear(struct i2cemu_board *b)
{
    struct fault_set *fs = b->faults;
    if (!fs)
        return;
    fs->n = 0; /* ids go on counting: an old id never names a new rule */
    memset(fs->stuck, 0, sizeof(fs->stuck));
    fault_rearm(b);
    forget_removed(b);
}

const struct i2cemu_fault *i2cemu_fault_at(const struct i2cemu_board *b,
                                           unsigned i)
{
    return b->faults && i < b->faults->n ? &b->faults->rule[i] : NULL;
}

void fault_bus_reset(struct i2cemu_board *b, unsigned root)
{
    if (b->faults && b->faults->stuck[root]) {
        b->faults->stuck[root] = false;
        fault_rearm(b);
    }
}

void fault_free(struct i2cemu_board *b)
{
    free(b->faults);
    b->faults = NULL;
}

/* ---- which rule acts on a transfer ------------------------------------ */

/* The first byte written to addr in messages 0..m, or -1. */
static int reg_of(const struct i2cemu_transfer *t, unsigned m, uint16_t addr)
{
    for (unsigned j = 0; j <= m; j++) {
        const struct i2c_msg *w = &t->msgs[j];
        if (!(w->flags & I2C_M_RD) && w->len && wire_addr(w) == addr)
            return w->buf[0];
    }
    return -1;
}

/* Whether message m of t has what the kind acts on. */
static bool kind_fits(const struct i2cemu_fault *f,
                      const struct i2cemu_transfer *t, unsigned m)
{
    const struct i2c_msg *msg = &t->msgs[m];
    bool rd = msg->flags & I2C_M_RD, blk = msg->flags & I2C_M_RECV_LEN;
    switch (f->kind) {
    case I2CEMU_FAULT_DATA_NACK:
        return !rd && msg->len > f->byte;
    case I2CEMU_FAULT_ARB_LOSS:
    case I2CEMU_FAULT_STRETCH:
        return f->byte == I2CEMU_FAULT_ADDRESS || (!rd && msg->len > f->byte);
    case I2CEMU_FAULT_BITFLIP:
        return rd && !blk && msg->len > f->byte;
    case I2CEMU_FAULT_BAD_PEC:
        return rd && m == t->nmsgs - 1 && msg->len;
    case I2CEMU_FAULT_BLOCK_COUNT:
        return rd && blk;
    default:
        return true;
    }
}

/* Whether rule r may act on t, and on which message. */
static bool match(const struct fault_set *fs, unsigned r,
                  const struct i2cemu_transfer *t, unsigned *msg)
{
    const struct i2cemu_fault *f = &fs->rule[r];
    int addr = fs->addr[r], kdir = fault_kind_dir(f->kind);
    int dir = f->dir >= 0 ? f->dir : kdir;
    if (fs->bus[r] >= 0 && (unsigned)fs->bus[r] != t->bus)
        return false;
    if (t->smbus) {
        /* A native SMBus transaction is answered whole: only what acts
         * on its address or its time applies. */
        const struct i2cemu_smbus_op *op = t->smbus;
        bool rd = op->read_write == I2C_SMBUS_READ;
        *msg = 0;
        return (f->kind == I2CEMU_FAULT_ADDR_NACK ||
                f->kind == I2CEMU_FAULT_GONE || f->kind == I2CEMU_FAULT_SLOW ||
                f->kind == I2CEMU_FAULT_SDA_STUCK) &&
               (addr < 0 || op->addr == addr) && (dir < 0 || rd == dir) &&
               (f->reg < 0 || (op->size != I2C_SMBUS_QUICK &&
                               !(op->size == I2C_SMBUS_BYTE && rd) &&
                               op->command == f->reg));
    }
    for (unsigned m = 0; m < t->nmsgs; m++) {
        const struct i2c_msg *w = &t->msgs[m];
        uint16_t wa = wire_addr(w);
        if ((addr < 0 || wa == addr) &&
            (dir < 0 || (bool)(w->flags & I2C_M_RD) == dir) &&
            (f->reg < 0 || reg_of(t, m, wa) == f->reg) && kind_fits(f, t, m)) {
            *msg = m;
            return true;
        }
    }
    return false;
}

/* A transfer finds SDA low: the adapter clocks SCL nine times and sends
 * a STOP (i2c_generic_scl_recovery); if the device still holds SDA the
 * transfer fails with EBUSY (fault-codes.rst: "the bus was busy"). */
static int stuck_sda(struct i2cemu_transfer *t, unsigned root)
{
    struct fault_set *fs = t->board->faults;
    spend_bits(t, RECOVERY_CLOCKS + BITS_STOP);
    if (fs->stuck_clocks[root] && fs->stuck_clocks[root] <= RECOVERY_CLOCKS) {
        fault_bus_reset(t->board, root);
        return 0;
    }
    return -EBUSY;
}

int fault_begin(struct i2cemu_transfer *t)
{
    struct fault_set *fs = t->board->faults;
    unsigned root = bus_root(t->board, t->bus);
    uint64_t n = now(t);
    if (fs->stuck[root])
        return stuck_sda(t, root);
    if (t->faulty) {
        /* Only an arb-loss rule brings a transfer back here: each retry
         * is another attempt on the wire, which the rule's trigger
         * judges again. */
        int r = rule_index(fs, t->fault.id);
        t->faulty = r >= 0 && i2cemu_fault_trigger(&fs->rule[r], n);
        if (t->faulty) {
            fault_note(t, &t->fault);
            t->fault_state = t->state;
            t->state = I2CEMU_M_FAULTY;
        }
        return 0;
    }
    unsigned msg;
    for (unsigned r = 0; r < fs->n; r++) {
        struct i2cemu_fault *f = &fs->rule[r];
        if (!match(fs, r, t, &msg))
            continue;
        if (f->kind == I2CEMU_FAULT_GONE && f->gone_until_ns > n) {
            f->matched++; /* still gone */
            f->hits++;
        } else if (!i2cemu_fault_trigger(f, n)) {
            continue;
        } else if (f->kind == I2CEMU_FAULT_GONE) {
            f->gone_until_ns = n + f->time_ns;
        }
        struct i2cemu_fault_action a = {
            .kind = (uint8_t)f->kind, .bit = f->bit, .count = f->count,
            .clocks = f->clocks, .msg = (uint16_t)msg, .byte = f->byte,
            .id = f->id, .time_ns = f->time_ns,
        };
        switch (f->kind) {
        case I2CEMU_FAULT_SLOW:
            fault_note(t, &a);
            t->t_stretched_ns += f->time_ns;
            return 0;
        case I2CEMU_FAULT_SDA_STUCK:
            fault_note(t, &a);
            fs->stuck[root] = true;
            fs->stuck_clocks[root] = f->clocks;
            fault_rearm(t->board);
            return stuck_sda(t, root);
        default:
            t->faulty = true;
            t->fault = a;
            t->fault_state = t->state;
            t->state = I2CEMU_M_FAULTY;
            return 0;
        }
    }
    return 0;
}
