/* SPDX-License-Identifier: MIT */
/* Buses: configuration and accessors, the mux tree, the I2C_SLAVE busy
 * check, address matching, the bus trace and fault injection. */
#include "core/board_internal.h"
#include "core/hot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* i2c-dev-abi.md section 5.2/5.3: what each profile's adapter reports. */
#define FUNCS_I2C  0x0FFF8009u /* I2C | SMBUS_EMUL_ALL */
#define FUNCS_STUB 0x0C7F0000u /* i2c-stub's default */
#define STUB_MASK  0x0F7F0000u /* i2c-stub clips what it reports to this */

/* ---- buses ----------------------------------------------------------- */

int bus_add(struct i2cemu_board *b, const struct i2cemu_bus_config *cfg,
            uint16_t parent, struct i2cemu_error *err)
{
    struct i2cemu_arena *a = b->a;
    if (a->nbuses >= I2CEMU_MAX_BUSES) {
        i2cemu_error_set(err, "too many buses (at most %d)", I2CEMU_MAX_BUSES);
        return -1;
    }
    int number = cfg->number;
    if (number < 0) {
        for (number = 0; i2cemu_bus_find(b, number) >= 0; number++)
            ;
    } else if (i2cemu_bus_find(b, number) >= 0) {
        i2cemu_error_set(err, "bus %d already exists (a device on it may "
                         "have created it: define buses before their "
                         "devices)", number);
        return -1;
    }
    if (cfg->speed_hz > 5000000u) {
        i2cemu_error_set(err, "speed %u Hz: I2C goes up to 5 MHz (UFm)",
                         cfg->speed_hz);
        return -1;
    }
    struct i2cemu_bus_rec *r = &a->bus[a->nbuses];
    memset(r, 0, sizeof(*r));
    r->number = number;
    r->parent_dev = parent;
    r->profile = (uint8_t)cfg->profile;
    r->speed_hz = cfg->speed_hz ? cfg->speed_hz : 100000u;
    bool stub = cfg->profile == I2CEMU_PROFILE_STUB;
    r->nack_errno = cfg->nack_errno ? cfg->nack_errno : stub ? ENODEV : ENXIO;
    if (stub)
        r->funcs = (cfg->funcs ? cfg->funcs : FUNCS_STUB) & STUB_MASK;
    else
        r->funcs = cfg->funcs ? cfg->funcs : FUNCS_I2C;
    r->retries = 0;       /* i2c-dev-abi.md 4.6: the drivers' defaults */
    r->timeout_ms = 1000;
    snprintf(r->name, sizeof(r->name), "%s",
             cfg->name ? cfg->name
             : stub    ? "SMBus stub driver"
                       : "i2cemu adapter");
    addr_tables_invalidate(b);
    a->nbuses++;
    fault_rearm(b); /* rules for every bus cover this one too */
    return (int)a->nbuses - 1;
}

int i2cemu_bus_add(struct i2cemu_board *b, const struct i2cemu_bus_config *cfg,
                   struct i2cemu_error *err)
{
    return bus_add(b, cfg, I2CEMU_NONE, err);
}

/* "100k", "400k", "1M", "3.4M", or plain Hz. */
static bool parse_speed(const char *s, uint32_t *hz)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || v <= 0)
        return false;
    if (*end == 'k' || *end == 'K')
        v *= 1e3, end++;
    else if (*end == 'M')
        v *= 1e6, end++;
    /* Written so that NaN ("speed=nan") fails too. */
    if (*end || !(v >= 1 && v <= 5e6))
        return false;
    *hz = (uint32_t)(v + 0.5);
    return true;
}

int i2cemu_bus_add_spec(struct i2cemu_board *b, const char *spec,
                        struct i2cemu_error *err)
{
    struct i2cemu_bus_config cfg = I2CEMU_BUS_CONFIG_DEFAULT;
    char buf[256], name[48] = "";
    if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf)) {
        i2cemu_error_set(err, "bus line too long");
        return -1;
    }
    char *save, *tok = strtok_r(buf, " \t", &save);
    unsigned long n;
    if (!tok || !parse_ulong(tok, &n) || n > 0xFFFF) {
        i2cemu_error_set(err, "bus: expected a bus number, got '%s'",
                         tok ? tok : "");
        return -1;
    }
    cfg.number = (int)n;
    while ((tok = strtok_r(NULL, " \t", &save))) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            i2cemu_error_set(err, "bus %d: '%s' is not key=value", cfg.number,
                             tok);
            return -1;
        }
        *eq = '\0';
        const char *v = eq + 1;
        unsigned long u;
        if (strcmp(tok, "speed") == 0) {
            if (!parse_speed(v, &cfg.speed_hz)) {
                i2cemu_error_set(err, "bus %d: speed=%s: expected Hz or "
                                 "100k, 400k, 1M, 3.4M", cfg.number, v);
                return -1;
            }
        } else if (strcmp(tok, "profile") == 0) {
            if (strcmp(v, "i2c") == 0)
                cfg.profile = I2CEMU_PROFILE_I2C;
            else if (strcmp(v, "stub") == 0)
                cfg.profile = I2CEMU_PROFILE_STUB;
            else {
                i2cemu_error_set(err, "bus %d: profile=%s: expected i2c or "
                                 "stub", cfg.number, v);
                return -1;
            }
        } else if (strcmp(tok, "funcs") == 0 && parse_ulong(v, &u) &&
                   u <= 0xFFFFFFFFu) {
            cfg.funcs = (uint32_t)u;
        } else if (strcmp(tok, "name") == 0) {
            snprintf(name, sizeof(name), "%s", v);
            cfg.name = name;
        } else if (strcmp(tok, "nack") == 0) {
            static const struct { const char *s; int e; } nacks[] = {
                {"ENXIO", ENXIO}, {"ENODEV", ENODEV}, {"EREMOTEIO", EREMOTEIO},
                {"EIO", EIO}};
            cfg.nack_errno = 0;
            for (size_t i = 0; i < sizeof(nacks) / sizeof(nacks[0]); i++)
                if (strcmp(v, nacks[i].s) == 0)
                    cfg.nack_errno = nacks[i].e;
            if (!cfg.nack_errno) {
                i2cemu_error_set(err, "bus %d: nack=%s: expected ENXIO, "
                                 "ENODEV, EREMOTEIO or EIO", cfg.number, v);
                return -1;
            }
        } else {
            i2cemu_error_set(err, "bus %d: unknown or bad setting '%s=%s' "
                             "(known: speed, profile, funcs, name, nack)",
                             cfg.number, tok, v);
            return -1;
        }
    }
    return i2cemu_bus_add(b, &cfg, err);
}

unsigned i2cemu_bus_count(const struct i2cemu_board *b) { return b->a->nbuses; }

int i2cemu_bus_find(const struct i2cemu_board *b, int number)
{
    for (unsigned i = 0; i < b->a->nbuses; i++)
        if (b->a->bus[i].number == number)
            return (int)i;
    return -1;
}

int i2cemu_bus_number(const struct i2cemu_board *b, unsigned bus)
{
    return bus_rec(b, bus)->number;
}

const char *i2cemu_bus_name(const struct i2cemu_board *b, unsigned bus)
{
    return bus_rec(b, bus)->name;
}

enum i2cemu_profile i2cemu_bus_profile(const struct i2cemu_board *b,
                                       unsigned bus)
{
    return (enum i2cemu_profile)bus_rec(b, bus)->profile;
}

uint32_t i2cemu_bus_funcs(const struct i2cemu_board *b, unsigned bus)
{
    return bus_rec(b, bus)->funcs;
}

int i2cemu_bus_nack_errno(const struct i2cemu_board *b, unsigned bus)
{
    return bus_rec(b, bus)->nack_errno;
}

uint32_t i2cemu_bus_speed_hz(const struct i2cemu_board *b, unsigned bus)
{
    return bus_rec(b, bus)->speed_hz;
}

void i2cemu_bus_set_retries(struct i2cemu_board *b, unsigned bus, uint32_t n)
{
    bus_rec(b, bus)->retries = n;
}

void i2cemu_bus_set_timeout_ms(struct i2cemu_board *b, unsigned bus,
                               uint32_t ms)
{
    bus_rec(b, bus)->timeout_ms = ms;
}

unsigned bus_root(const struct i2cemu_board *b, unsigned bus)
{
    while (b->a->bus[bus].parent_dev != I2CEMU_NONE)
        bus = b->a->dev[b->a->bus[bus].parent_dev].bus;
    return bus;
}

/* Does device i answer addr? A device with a match hook decides: Linux's
 * at24 registers a dummy client, bound to the dummy driver, at each extra
 * address of a 24c04/08/16, so those are busy too. Unlike bus matching,
 * the 10-bit flag is not compared: i2c-dev's busy check compares the raw
 * client address (i2cdev_check), and so does this. */
static bool answers(const struct i2cemu_board *b, unsigned i, uint16_t addr)
{
    const struct i2cemu_device_type *t = board_type(b, i);
    if (!t->match)
        return b->a->dev[i].addr == addr;
    struct i2cemu_matches m = {0};
    struct i2cemu_dev d = dev_handle((struct i2cemu_board *)b, i);
    t->match(&d, addr, false, false, &m);
    for (unsigned k = 0; k < m.n; k++)
        if (m.dev[k] == i)
            return true;
    return false;
}

static bool claimed_on(const struct i2cemu_board *b, unsigned bus,
                       uint16_t addr)
{
    for (unsigned i = 0; i < b->a->ndevs; i++) {
        const struct i2cemu_dev_rec *r = &b->a->dev[i];
        if (r->bus == bus && r->claim == I2CEMU_CLAIM_DRIVER &&
            dev_live(b, i) && answers(b, i, addr))
            return true;
    }
    return false;
}

/* Is `bus` the bus `top` or a mux channel anywhere below it? */
static bool bus_under(const struct i2cemu_board *b, unsigned bus, unsigned top)
{
    for (;;) {
        if (bus == top)
            return true;
        uint16_t p = b->a->bus[bus].parent_dev;
        if (p == I2CEMU_NONE)
            return false;
        bus = b->a->dev[p].bus;
    }
}

bool i2cemu_bus_addr_busy(const struct i2cemu_board *b, unsigned bus,
                          uint16_t addr)
{
    /* The kernel searches the adapter, its ancestors up the mux tree and
     * every mux child below it (i2c-dev-abi.md 2.1). */
    for (unsigned c = 0; c < b->a->nbuses; c++)
        if ((bus_under(b, c, bus) || bus_under(b, bus, c)) &&
            claimed_on(b, c, addr))
            return true;
    return false;
}

bool bus_mid_transfer(const struct i2cemu_board *b, unsigned bus)
{
    const struct i2cemu_transfer *t = b->rt[bus_root(b, bus)].owner;
    return t && t->state != I2CEMU_M_IDLE && t->state != I2CEMU_M_FINISHED;
}

/* ---- matching, trace, faults ------------------------------------------ */

bool i2cemu_matches_add(struct i2cemu_matches *m, unsigned dev)
{
    for (unsigned i = 0; i < m->n; i++)
        if (m->dev[i] == dev)
            return true;
    if (m->n == I2CEMU_MAX_MATCHES)
        return false;
    m->dev[m->n++] = (uint16_t)dev;
    return true;
}

void i2cemu_bus_match(struct i2cemu_board *b, unsigned bus, uint16_t addr,
                      bool tenbit, bool broadcast, struct i2cemu_matches *m)
{
    if (!tenbit && !broadcast && addr < 128) {
        uint16_t e = addr_table_of(b, bus)->dev[addr];
        if (e != ADDR_SCAN) {
            if (e != ADDR_NOBODY)
                i2cemu_matches_add(m, e);
            return;
        }
    }
    for (unsigned i = 0; i < b->a->ndevs; i++) {
        const struct i2cemu_dev_rec *r = dev_rec(b, i);
        if (r->bus != bus || !dev_live(b, i))
            continue;
        const struct i2cemu_device_type *t = board_type(b, i);
        if (t->match) {
            /* A mux answers for itself and for its selected channels. */
            struct i2cemu_dev d = dev_handle(b, i);
            t->match(&d, addr, tenbit, broadcast, m);
        } else if (broadcast) {
            if (t->flags & I2CEMU_TYPE_GENERAL_CALL)
                i2cemu_matches_add(m, i);
        } else if (r->addr == addr && (bool)r->tenbit == tenbit) {
            i2cemu_matches_add(m, i);
        }
    }
}

void i2cemu_bus_set_trace(struct i2cemu_board *b, unsigned bus,
                          i2cemu_trace_fn fn, void *opaque)
{
    b->rt[bus].trace = fn;
    b->rt[bus].trace_opaque = opaque;
}

uint64_t i2cemu_bus_bit_time_ns(const struct i2cemu_board *b, unsigned bus,
                                unsigned bits)
{
    return (uint64_t)bits * 1000000000u / bus_rec(b, bus)->speed_hz;
}

/* Arbitration and a held bus happen on the wire: a mux channel shares its
 * root's, which is where the master looks. */
void i2cemu_bus_inject_arbitration_loss(struct i2cemu_board *b, unsigned bus,
                                        unsigned n)
{
    bus_rec(b, bus_root(b, bus))->arb_loss = n;
}

void i2cemu_bus_inject_hold(struct i2cemu_board *b, unsigned bus, uint64_t ns)
{
    bus_rec(b, bus_root(b, bus))->hold_until_ns = i2cemu_loop_now(b->loop) + ns;
}

/* Bytes on the wire of an SMBus transaction (i2c-dev-abi.md 4.2), for
 * the timing model of native SMBus (stub profile) transfers. */
I2CEMU_HOT
unsigned smbus_wire_bytes(const struct i2cemu_smbus_op *op)
{
    bool rd = op->read_write == I2C_SMBUS_READ;
    unsigned n = op->data ? op->data->block[0] : 0;
    switch (op->size) {
    case I2C_SMBUS_QUICK:
        return 1;
    case I2C_SMBUS_BYTE:
        return 2;
    case I2C_SMBUS_BYTE_DATA:
        return rd ? 4 : 3;
    case I2C_SMBUS_WORD_DATA:
        return rd ? 5 : 4;
    case I2C_SMBUS_PROC_CALL:
        return 7;
    case I2C_SMBUS_BLOCK_DATA:
        return rd ? 4 + n : 3 + n;
    case I2C_SMBUS_BLOCK_PROC_CALL:
        return 5 + 2 * n;
    default: /* I2C block */
        return rd ? 3 + n : 2 + n;
    }
}
