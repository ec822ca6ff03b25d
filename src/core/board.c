/* SPDX-License-Identifier: MIT */
/* A board: its arena of plain data, buses, and device instances created
 * from QEMU-style strings ("TYPE,addr=0x50,bus=1,prop=value"). */
#include "core/board_internal.h"
#include "core/loop_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATE_ALIGN 8u
#define MAX_SPEC_KEYS 32

/* i2c-dev-abi.md section 5.2/5.3: what each profile's adapter reports. */
#define FUNCS_I2C  0x0FFF8009u /* I2C | SMBUS_EMUL_ALL */
#define FUNCS_STUB 0x0C7F0000u /* i2c-stub's default */
#define STUB_MASK  0x0F7F0000u /* i2c-stub clips what it reports to this */

struct i2cemu_board *i2cemu_board_new(struct i2cemu_loop *loop)
{
    struct i2cemu_board *b = calloc(1, sizeof(*b));
    if (!b)
        return NULL;
    b->cap = sizeof(struct i2cemu_arena) + 4096;
    b->a = calloc(1, b->cap);
    if (!b->a) {
        free(b);
        return NULL;
    }
    b->a->magic = I2CEMU_ARENA_MAGIC;
    b->a->version = I2CEMU_ARENA_VERSION;
    b->a->size = sizeof(struct i2cemu_arena);
    b->loop = loop;
    return b;
}

static void unrealize(struct i2cemu_board *b, unsigned i)
{
    const struct i2cemu_device_type *t = board_type(b, i);
    if (t->unrealize) {
        struct i2cemu_dev d = dev_handle(b, i);
        t->unrealize(&d);
    }
    b->priv[i] = NULL;
}

void i2cemu_board_free(struct i2cemu_board *b)
{
    if (!b)
        return;
    master_shutdown(b);
    for (unsigned i = b->a->ndevs; i-- > 0;)
        unrealize(b, i);
    free(b->a);
    free(b);
}

struct i2cemu_loop *i2cemu_board_loop(const struct i2cemu_board *b)
{
    return b->loop;
}

const void *i2cemu_board_arena(const struct i2cemu_board *b, size_t *size)
{
    if (size)
        *size = b->a->size;
    return b->a;
}

/* ---- buses ----------------------------------------------------------- */

static int add_bus(struct i2cemu_board *b, const struct i2cemu_bus_config *cfg,
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
    return (int)a->nbuses++;
}

int i2cemu_bus_add(struct i2cemu_board *b, const struct i2cemu_bus_config *cfg,
                   struct i2cemu_error *err)
{
    return add_bus(b, cfg, I2CEMU_NONE, err);
}

int i2cemu_dev_add_child_bus(struct i2cemu_dev *d,
                             const struct i2cemu_bus_config *cfg,
                             struct i2cemu_error *err)
{
    return add_bus(d->board, cfg, (uint16_t)d->index, err);
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
            answers(b, i, addr))
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

/* ---- devices --------------------------------------------------------- */

/* Make room for `n` more bytes at the end of the arena. */
static int arena_grow(struct i2cemu_board *b, size_t n, struct i2cemu_error *err)
{
    size_t need = b->a->size + n;
    if (need > UINT32_MAX) {
        i2cemu_error_set(err, "board too large");
        return -1;
    }
    if (need > b->cap) {
        size_t cap = b->cap;
        while (cap < need)
            cap *= 2;
        void *a = realloc(b->a, cap);
        if (!a) {
            i2cemu_error_set(err, "out of memory");
            return -1;
        }
        b->a = a;
        memset((char *)b->a + b->cap, 0, cap - b->cap);
        b->cap = cap;
    }
    memset((char *)b->a + b->a->size, 0, n);
    b->a->size = (uint32_t)need;
    return 0;
}

struct spec_kv {
    char *key, *value;
};

/* Split "k=v,k=v" in place, QEMU style: ",," is a literal comma. */
static int split_spec(char *s, struct spec_kv *kv, unsigned max,
                      struct i2cemu_error *err)
{
    unsigned n = 0;
    while (*s) {
        if (n == max) {
            i2cemu_error_set(err, "too many properties");
            return -1;
        }
        char *start = s, *w = s;
        for (; *s; s++) {
            if (*s == ',' && s[1] == ',')
                *w++ = *s++;
            else if (*s == ',')
                break;
            else
                *w++ = *s;
        }
        bool more = *s == ',';
        if (more)
            s++;
        *w = '\0';
        char *eq = strchr(start, '=');
        if (!eq || eq == start) {
            i2cemu_error_set(err, "'%s' is not key=value", start);
            return -1;
        }
        *eq = '\0';
        kv[n].key = start;
        kv[n].value = eq + 1;
        for (unsigned i = 0; i < n; i++) {
            if (strcmp(kv[i].key, start) == 0) {
                i2cemu_error_set(err, "%s is given twice", start);
                return -1;
            }
        }
        n++;
        if (more && !*s) {
            i2cemu_error_set(err, "trailing comma");
            return -1;
        }
    }
    return (int)n;
}

/* A 7-bit address where device `dev` answers together with another
 * device: (address << 16) | other, or -1. */
static int overlap(struct i2cemu_board *b, unsigned bus, unsigned dev)
{
    for (uint16_t addr = 0x03; addr <= 0x77; addr++) {
        struct i2cemu_matches m = {0};
        i2cemu_bus_match(b, bus, addr, false, false, &m);
        bool mine = false;
        int other = -1;
        for (unsigned i = 0; i < m.n; i++) {
            if (m.dev[i] == dev)
                mine = true;
            else
                other = m.dev[i];
        }
        if (mine && other >= 0)
            return addr << 16 | other;
    }
    return -1;
}

static void list_props(const struct i2cemu_device_type *t, char *out,
                       size_t len)
{
    size_t used = (size_t)snprintf(out, len, "addr, bus, claim%s",
                                   t->flags & I2CEMU_TYPE_TENBIT ? ", tenbit" : "");
    for (const struct i2cemu_prop *p = t->props; p && p->name && used < len; p++)
        used += (size_t)snprintf(out + used, len - used, ", %s", p->name);
}

static int add_device(struct i2cemu_board *b, const struct i2cemu_device_type *t,
                      uint16_t type_index, char *props, struct i2cemu_error *err)
{
    struct i2cemu_arena *a = b->a;
    struct spec_kv kv[MAX_SPEC_KEYS];
    int n = split_spec(props, kv, MAX_SPEC_KEYS, err);
    if (n < 0)
        return -1;
    if (a->ndevs >= I2CEMU_MAX_DEVICES) {
        i2cemu_error_set(err, "too many devices (at most %d)",
                         I2CEMU_MAX_DEVICES);
        return -1;
    }

    long addr = -1, busnum = 1;
    unsigned long v;
    uint8_t claim = I2CEMU_CLAIM_NONE;
    bool tenbit = false;
    for (int i = 0; i < n; i++) {
        const char *k = kv[i].key, *val = kv[i].value;
        if (strcmp(k, "addr") == 0) {
            if (!parse_ulong(val, &v) || v > 0x3FF) {
                i2cemu_error_set(err, "addr=%s: expected an address such as "
                                 "0x50", val);
                return -1;
            }
            addr = (long)v;
        } else if (strcmp(k, "bus") == 0) {
            if (!parse_ulong(val, &v) || v > 0xFFFF) {
                i2cemu_error_set(err, "bus=%s: expected a bus number", val);
                return -1;
            }
            busnum = (long)v;
        } else if (strcmp(k, "claim") == 0) {
            if (strcmp(val, "driver") == 0)
                claim = I2CEMU_CLAIM_DRIVER;
            else if (strcmp(val, "client") == 0)
                claim = I2CEMU_CLAIM_CLIENT;
            else if (strcmp(val, "none") == 0)
                claim = I2CEMU_CLAIM_NONE;
            else {
                i2cemu_error_set(err, "claim=%s: expected driver, client or "
                                 "none", val);
                return -1;
            }
        } else if (strcmp(k, "tenbit") == 0 && (t->flags & I2CEMU_TYPE_TENBIT)) {
            if (strcmp(val, "on") != 0 && strcmp(val, "off") != 0) {
                i2cemu_error_set(err, "tenbit=%s: expected on or off", val);
                return -1;
            }
            tenbit = strcmp(val, "on") == 0;
        } else if (!prop_find(t, k)) {
            char known[200];
            list_props(t, known, sizeof(known));
            i2cemu_error_set(err, "%s has no property '%s' (it has: %s)",
                             t->name, k, known);
            return -1;
        }
    }
    if (addr < 0) {
        i2cemu_error_set(err, "%s: addr= is required", t->name);
        return -1;
    }
    /* i2c-stub's accepted range; 0x00-0x02 and 0x78-0x7F are reserved. */
    if (!tenbit && (addr < 0x03 || addr > 0x77)) {
        i2cemu_error_set(err, "addr=0x%02lx: a 7-bit device address must be "
                         "0x03 to 0x77", addr);
        return -1;
    }

    int bus = i2cemu_bus_find(b, (int)busnum);
    bool new_bus = bus < 0;
    unsigned saved_nbuses = a->nbuses;
    if (new_bus) {
        struct i2cemu_bus_config cfg = I2CEMU_BUS_CONFIG_DEFAULT;
        cfg.number = (int)busnum;
        bus = i2cemu_bus_add(b, &cfg, err);
        if (bus < 0)
            return -1;
    }
    struct i2cemu_matches m = {0};
    i2cemu_bus_match(b, (unsigned)bus, (uint16_t)addr, tenbit, false, &m);
    if (m.n) {
        i2cemu_error_set(err, "addr=0x%02lx: bus %ld already has %s there",
                         addr, busnum, board_type(b, m.dev[0])->name);
        goto fail_bus;
    }
    if (bus_rec(b, (unsigned)bus)->profile == I2CEMU_PROFILE_STUB &&
        !t->smbus_xfer) {
        i2cemu_error_set(err, "%s cannot sit on bus %ld: a stub-profile bus is "
                         "SMBus-only and takes SMBus chips such as regbank",
                         t->name, busnum);
        goto fail_bus;
    }

    /* Reserve the state, apply defaults then the given properties. */
    uint32_t saved_size = a->size;
    uint32_t off = (a->size + STATE_ALIGN - 1) & ~(STATE_ALIGN - 1);
    if (arena_grow(b, off - a->size + t->state_size, err) < 0)
        goto fail_bus;
    a = b->a;
    void *state = (char *)a + off;
    for (const struct i2cemu_prop *p = t->props; p && p->name; p++)
        prop_set_default(p, state);
    for (int i = 0; i < n; i++) {
        const struct i2cemu_prop *p = prop_find(t, kv[i].key);
        if (p && prop_parse(p, (char *)state + p->offset, kv[i].value,
                            err) < 0)
            goto fail_state;
    }
    size_t tail = t->tail_size ? t->tail_size(state) : 0;
    if (tail) {
        if (arena_grow(b, tail, err) < 0)
            goto fail_state;
        a = b->a;
    }

    unsigned idx = a->ndevs;
    struct i2cemu_dev_rec *r = &a->dev[idx];
    memset(r, 0, sizeof(*r));
    r->type = type_index;
    r->bus = (uint16_t)bus;
    r->addr = (uint16_t)addr;
    r->tenbit = tenbit;
    r->claim = claim;
    r->state_off = off;
    r->state_size = (uint32_t)(t->state_size + tail);
    /* Counted now so realize can add child buses that refer to it. */
    a->ndevs++;
    b->priv[idx] = NULL;
    if (t->realize) {
        struct i2cemu_dev d = dev_handle(b, idx);
        int rc = t->realize(&d, err);
        b->priv[idx] = d.priv;
        if (rc < 0) {
            b->priv[idx] = NULL;
            b->a->ndevs--;
            goto fail_state;
        }
    }
    if (t->match) {
        /* It answers addresses of its own choosing (a 24c16 takes eight):
         * none of them may be another device's. */
        int other = overlap(b, (unsigned)bus, idx);
        if (other >= 0) {
            i2cemu_error_set(err, "addr=0x%02x: bus %ld already has %s there",
                             other >> 16, busnum,
                             board_type(b, other & 0xFFFF)->name);
            unrealize(b, idx);
            b->a->ndevs--;
            goto fail_state;
        }
    }
    return (int)idx;

fail_state:
    b->a->size = saved_size;
fail_bus:
    b->a->nbuses = saved_nbuses;
    return -1;
}

int i2cemu_device_add(struct i2cemu_board *b, const char *spec,
                      struct i2cemu_error *err)
{
    char *copy = strdup(spec);
    if (!copy) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }
    char *comma = strchr(copy, ',');
    if (comma)
        *comma = '\0';
    const struct i2cemu_device_type *t = i2cemu_device_type_find(copy);
    int rc = -1;
    if (!*copy)
        i2cemu_error_set(err, "empty device string");
    else if (!t)
        i2cemu_error_set(err, "unknown device type '%s' (see: i2cemu devices)",
                         copy);
    else {
        unsigned idx = 0;
        while (i2cemu_device_types[idx] != t)
            idx++;
        rc = add_device(b, t, (uint16_t)idx, comma ? comma + 1 : copy + strlen(copy), err);
    }
    free(copy);
    return rc;
}

int i2cemu_device_add_custom(struct i2cemu_board *b,
                             const struct i2cemu_device_type *type,
                             const char *spec, struct i2cemu_error *err)
{
    unsigned i;
    for (i = 0; i < b->ncustom && b->custom[i] != type; i++)
        ;
    if (i == b->ncustom) {
        if (b->ncustom == MAX_CUSTOM_TYPES) {
            i2cemu_error_set(err, "too many custom types");
            return -1;
        }
        b->custom[b->ncustom++] = type;
    }
    char *copy = strdup(spec);
    if (!copy) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }
    int rc = add_device(b, type, (uint16_t)(i2cemu_device_type_count + i), copy,
                        err);
    free(copy);
    return rc;
}

unsigned i2cemu_device_count(const struct i2cemu_board *b) { return b->a->ndevs; }

int i2cemu_device_find(const struct i2cemu_board *b, unsigned bus,
                       uint16_t addr)
{
    for (unsigned i = 0; i < b->a->ndevs; i++)
        if (b->a->dev[i].bus == bus && b->a->dev[i].addr == addr)
            return (int)i;
    return -1;
}

const struct i2cemu_device_type *
i2cemu_device_type_of(const struct i2cemu_board *b, unsigned dev)
{
    return board_type(b, dev);
}

unsigned i2cemu_device_bus(const struct i2cemu_board *b, unsigned dev)
{
    return dev_rec(b, dev)->bus;
}

uint16_t i2cemu_device_addr(const struct i2cemu_board *b, unsigned dev)
{
    return dev_rec(b, dev)->addr;
}

void *i2cemu_device_state(const struct i2cemu_board *b, unsigned dev)
{
    return (char *)b->a + dev_rec(b, dev)->state_off;
}

int i2cemu_device_set_prop(struct i2cemu_board *b, unsigned dev,
                           const char *name, const char *value,
                           struct i2cemu_error *err)
{
    const struct i2cemu_device_type *t = board_type(b, dev);
    const struct i2cemu_prop *p = prop_find(t, name);
    if (!p) {
        i2cemu_error_set(err, "%s has no property '%s'", t->name, name);
        return -1;
    }
    if (!(p->flags & I2CEMU_PROP_RUNTIME)) {
        i2cemu_error_set(err, "%s: %s can only be set when the device is "
                         "created", t->name, name);
        return -1;
    }
    /* prop_parse writes only after the value has passed every check. */
    return prop_parse(p, (char *)i2cemu_device_state(b, dev) + p->offset,
                      value, err);
}

int i2cemu_device_get_prop(const struct i2cemu_board *b, unsigned dev,
                           const char *name, char *out, size_t outlen)
{
    const struct i2cemu_prop *p = prop_find(board_type(b, dev), name);
    if (!p)
        return -1;
    return prop_format(p, i2cemu_device_state(b, dev), out, outlen);
}

/* ---- services for models --------------------------------------------- */

struct i2cemu_loop *i2cemu_dev_loop(const struct i2cemu_dev *d)
{
    return d->board->loop;
}

uint64_t i2cemu_dev_now(const struct i2cemu_dev *d)
{
    return i2cemu_loop_now(d->board->loop);
}

bool i2cemu_dev_honours_busy_times(const struct i2cemu_dev *d)
{
    return i2cemu_loop_mode(d->board->loop) != I2CEMU_CLOCK_FAST;
}

uint16_t i2cemu_dev_addr(const struct i2cemu_dev *d)
{
    return dev_rec(d->board, d->index)->addr;
}

void i2cemu_dev_ack(struct i2cemu_dev *d, enum i2cemu_result r)
{
    master_stretch_done(d->board, d->index, r);
}
