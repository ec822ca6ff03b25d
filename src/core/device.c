/* SPDX-License-Identifier: MIT */
/*
 * Devices: created from QEMU-style strings ("TYPE,addr=0x50,bus=1,prop=v")
 * in three steps, parse (the common keys and the properties' names),
 * reserve (the bus and the state in the arena, with defaults and values)
 * and realize (the record, the model's realize, its addresses). A failure
 * at any step leaves the board as it was. Then their properties and state.
 */
#include "core/board_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATE_ALIGN 8u
#define MAX_SPEC_KEYS 32

struct spec_kv {
    char *key, *value;
};

/* A parsed device string. */
struct dev_spec {
    const struct i2cemu_device_type *t;
    struct spec_kv kv[MAX_SPEC_KEYS];
    int n;
    long addr, busnum;
    uint8_t claim;
    bool tenbit;
    const char *id; /* id=, or NULL */
};

/* Where reserve() put the device, and what to undo. */
struct dev_place {
    unsigned bus;
    uint32_t off, tail;
    uint32_t saved_size, saved_nbuses;
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
            i2cemu_error_set(err, "'%s' is not key=value", EXCERPT(start));
            return -1;
        }
        *eq = '\0';
        kv[n].key = start;
        kv[n].value = eq + 1;
        for (unsigned i = 0; i < n; i++) {
            if (strcmp(kv[i].key, start) == 0) {
                i2cemu_error_set(err, "%s is given twice", EXCERPT(start));
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

static void list_props(const struct i2cemu_device_type *t, char *out,
                       size_t len)
{
    size_t used = (size_t)snprintf(out, len, "addr, bus, claim, id%s",
                                   t->flags & I2CEMU_TYPE_TENBIT ? ", tenbit" : "");
    for (const struct i2cemu_prop *p = t->props; p && p->name && used < len; p++)
        used += (size_t)snprintf(out + used, len - used, ", %s", p->name);
}

/* id=NAME: [A-Za-z0-9_-], 1 to I2CEMU_DEVICE_ID_MAX - 1 characters, and
 * no other device's. Starting with a letter, so it never reads as a bus
 * number ("1-0048"). */
static int parse_id(struct i2cemu_board *b, const char *val,
                    struct i2cemu_error *err)
{
    size_t n = strlen(val);
    bool ok = n > 0 && n < I2CEMU_DEVICE_ID_MAX &&
              ((val[0] >= 'a' && val[0] <= 'z') ||
               (val[0] >= 'A' && val[0] <= 'Z'));
    for (size_t i = 0; ok && i < n; i++)
        ok = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789_-", val[i]) != NULL;
    if (!ok) {
        i2cemu_error_set(err, "id=%s: expected a letter then letters, digits, "
                         "'_' or '-', at most %d in all", EXCERPT(val),
                         I2CEMU_DEVICE_ID_MAX - 1);
        return -1;
    }
    if (i2cemu_device_find_id(b, val) >= 0) {
        i2cemu_error_set(err, "id=%s: another device already has that id",
                         EXCERPT(val));
        return -1;
    }
    return 0;
}

/* The common keys (addr, bus, claim, id, tenbit); every other key must
 * name a property that may be set in a device string. */
static int parse_key(struct i2cemu_board *b, struct dev_spec *s,
                     const char *k, const char *val, struct i2cemu_error *err)
{
    const struct i2cemu_device_type *t = s->t;
    unsigned long v;
    if (strcmp(k, "addr") == 0) {
        if (!parse_ulong(val, &v) || v > 0x3FF) {
            i2cemu_error_set(err, "addr=%s: expected an address such as "
                             "0x50", EXCERPT(val));
            return -1;
        }
        s->addr = (long)v;
    } else if (strcmp(k, "bus") == 0) {
        if (!parse_ulong(val, &v) || v > 0xFFFF) {
            i2cemu_error_set(err, "bus=%s: expected a bus number", EXCERPT(val));
            return -1;
        }
        s->busnum = (long)v;
    } else if (strcmp(k, "id") == 0) {
        if (parse_id(b, val, err) < 0)
            return -1;
        s->id = val;
    } else if (strcmp(k, "claim") == 0) {
        if (strcmp(val, "driver") == 0)
            s->claim = I2CEMU_CLAIM_DRIVER;
        else if (strcmp(val, "client") == 0)
            s->claim = I2CEMU_CLAIM_CLIENT;
        else if (strcmp(val, "none") == 0)
            s->claim = I2CEMU_CLAIM_NONE;
        else {
            i2cemu_error_set(err, "claim=%s: expected driver, client or "
                             "none", EXCERPT(val));
            return -1;
        }
    } else if (strcmp(k, "tenbit") == 0 && (t->flags & I2CEMU_TYPE_TENBIT)) {
        if (strcmp(val, "on") != 0 && strcmp(val, "off") != 0) {
            i2cemu_error_set(err, "tenbit=%s: expected on or off", EXCERPT(val));
            return -1;
        }
        s->tenbit = strcmp(val, "on") == 0;
    } else {
        const struct i2cemu_prop *p = prop_find(t, k);
        if (!p) {
            char known[200];
            list_props(t, known, sizeof(known));
            i2cemu_error_set(err, "%s has no property '%s' (it has: %s)",
                             t->name, EXCERPT(k), known);
            return -1;
        }
        if (p->flags & I2CEMU_PROP_READONLY) {
            i2cemu_error_set(err, "%s: %s is read-only", t->name, EXCERPT(k));
            return -1;
        }
    }
    return 0;
}

static int parse(struct i2cemu_board *b, struct dev_spec *s, char *props,
                 struct i2cemu_error *err)
{
    s->n = split_spec(props, s->kv, MAX_SPEC_KEYS, err);
    if (s->n < 0)
        return -1;
    if (b->a->ndevs >= I2CEMU_MAX_DEVICES) {
        i2cemu_error_set(err, "too many devices (at most %d)",
                         I2CEMU_MAX_DEVICES);
        return -1;
    }
    if (strlen(s->t->name) >= I2CEMU_TYPE_NAME_MAX) {
        i2cemu_error_set(err, "type name '%s' is longer than %d characters",
                         s->t->name, I2CEMU_TYPE_NAME_MAX - 1);
        return -1;
    }
    s->addr = -1;
    s->busnum = 1;
    for (int i = 0; i < s->n; i++)
        if (parse_key(b, s, s->kv[i].key, s->kv[i].value, err) < 0)
            return -1;
    if (s->addr < 0) {
        i2cemu_error_set(err, "%s: addr= is required", s->t->name);
        return -1;
    }
    /* i2c-stub's accepted range; 0x00-0x02 and 0x78-0x7F are reserved. */
    if (!s->tenbit && (s->addr < 0x03 || s->addr > 0x77)) {
        i2cemu_error_set(err, "addr=0x%02lx: a 7-bit device address must be "
                         "0x03 to 0x77", s->addr);
        return -1;
    }
    return 0;
}

static void unreserve(struct i2cemu_board *b, const struct dev_place *pl)
{
    b->a->size = pl->saved_size;
    b->a->nbuses = pl->saved_nbuses;
}

/* The bus (created if need be), then the state: defaults, values, tail. */
static int reserve(struct i2cemu_board *b, const struct dev_spec *s,
                   struct dev_place *pl, struct i2cemu_error *err)
{
    const struct i2cemu_device_type *t = s->t;
    pl->saved_size = b->a->size;
    pl->saved_nbuses = b->a->nbuses;
    int bus = i2cemu_bus_find(b, (int)s->busnum);
    if (bus < 0) {
        struct i2cemu_bus_config cfg = I2CEMU_BUS_CONFIG_DEFAULT;
        cfg.number = (int)s->busnum;
        bus = i2cemu_bus_add(b, &cfg, err);
        if (bus < 0)
            return -1;
    }
    pl->bus = (unsigned)bus;
    struct i2cemu_matches m = {0};
    i2cemu_bus_match(b, pl->bus, (uint16_t)s->addr, s->tenbit, false, &m);
    if (m.n) {
        i2cemu_error_set(err, "addr=0x%02lx: bus %ld already has %s there",
                         s->addr, s->busnum, board_type(b, m.dev[0])->name);
        goto fail;
    }
    if (bus_rec(b, pl->bus)->profile == I2CEMU_PROFILE_STUB &&
        !t->smbus_xfer) {
        i2cemu_error_set(err, "%s cannot sit on bus %ld: a stub-profile bus is "
                         "SMBus-only and takes SMBus chips such as regbank",
                         t->name, s->busnum);
        goto fail;
    }

    pl->off = (b->a->size + STATE_ALIGN - 1) & ~(STATE_ALIGN - 1);
    if (board_arena_grow(b, pl->off - b->a->size + t->state_size, err) < 0)
        goto fail;
    void *state = (char *)b->a + pl->off;
    for (const struct i2cemu_prop *p = t->props; p && p->name; p++)
        prop_set_default(p, state);
    for (int i = 0; i < s->n; i++) {
        const struct i2cemu_prop *p = prop_find(t, s->kv[i].key);
        if (p && prop_parse(p, (char *)state + p->offset, s->kv[i].value,
                            err) < 0)
            goto fail;
    }
    size_t tail = t->tail_size ? t->tail_size(state) : 0;
    if (tail > UINT32_MAX || (tail && board_arena_grow(b, tail, err) < 0))
        goto fail;
    pl->tail = (uint32_t)tail;
    return 0;

fail:
    unreserve(b, pl);
    return -1;
}

/* A 7-bit address where device `dev` answers together with another
 * device: (address << 16) | other, or -1. */
/* Whether devices `x` and `y` may both answer `addr`: a command address
 * of their type (I2CEMU_TYPE_SHARED_CMDS), neither one's own address. */
static bool shared_cmd(struct i2cemu_board *b, unsigned x, unsigned y,
                       uint16_t addr)
{
    const struct i2cemu_device_type *t = board_type(b, x);
    return t == board_type(b, y) && (t->flags & I2CEMU_TYPE_SHARED_CMDS) &&
           addr != dev_rec(b, x)->addr && addr != dev_rec(b, y)->addr;
}

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
            else if (!shared_cmd(b, dev, m.dev[i], addr))
                other = m.dev[i];
        }
        if (mine && other >= 0)
            return addr << 16 | other;
    }
    return -1;
}

/* The record, then the model's realize, then its own addresses. */
static int realize(struct i2cemu_board *b, const struct dev_spec *s,
                   const struct dev_place *pl, struct i2cemu_error *err)
{
    const struct i2cemu_device_type *t = s->t;
    unsigned idx = b->a->ndevs;
    struct i2cemu_dev_rec *r = dev_rec(b, idx);
    memset(r, 0, sizeof(*r));
    snprintf(r->type, sizeof(r->type), "%s", t->name);
    r->bus = (uint16_t)pl->bus;
    r->addr = (uint16_t)s->addr;
    r->tenbit = s->tenbit;
    r->claim = s->claim;
    if (s->id)
        snprintf(r->id, sizeof(r->id), "%s", s->id);
    r->state_off = pl->off;
    r->state_size = (uint32_t)t->state_size + pl->tail;
    b->devs[idx].type = t;
    b->devs[idx].priv = NULL;
    b->devs[idx].changed = 0;
    /* Counted now so realize can add child buses that refer to it. */
    b->a->ndevs++;
    addr_tables_invalidate(b);
    if (t->realize) {
        struct i2cemu_dev d = dev_handle(b, idx);
        int rc = t->realize(&d, err);
        b->devs[idx].priv = rc < 0 ? NULL : d.priv;
        if (rc < 0)
            goto fail;
    }
    if (t->match) {
        /* It answers addresses of its own choosing (a 24c16 takes eight):
         * none of them may be another device's. */
        int other = overlap(b, pl->bus, idx);
        if (other >= 0) {
            i2cemu_error_set(err, "addr=0x%02x: bus %ld already has %s there",
                             other >> 16, s->busnum,
                             board_type(b, other & 0xFFFF)->name);
            board_unrealize(b, idx);
            goto fail;
        }
    }
    return (int)idx;

fail:
    b->a->ndevs--;
    addr_tables_invalidate(b);
    unreserve(b, pl);
    return -1;
}

static int add_device(struct i2cemu_board *b, const struct i2cemu_device_type *t,
                      char *props, struct i2cemu_error *err)
{
    struct dev_spec s = {.t = t};
    struct dev_place pl;
    if (parse(b, &s, props, err) < 0 || reserve(b, &s, &pl, err) < 0)
        return -1;
    return realize(b, &s, &pl, err);
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
    const struct i2cemu_device_type *t = i2cemu_type_table_find(b->types, copy);
    int rc = -1;
    if (!*copy)
        i2cemu_error_set(err, "empty device string");
    else if (!t)
        i2cemu_error_set(err, "unknown device type '%s' (see: i2cemu devices)",
                         EXCERPT(copy));
    else
        rc = add_device(b, t, comma ? comma + 1 : copy + strlen(copy), err);
    free(copy);
    return rc;
}

int i2cemu_device_add_custom(struct i2cemu_board *b,
                             const struct i2cemu_device_type *type,
                             const char *spec, struct i2cemu_error *err)
{
    /* The arena knows a type by its name: one name, one type. */
    const struct i2cemu_device_type *known = board_type_find(b, type->name);
    if (known && known != type) {
        i2cemu_error_set(err, "another type is already named '%s'",
                         type->name);
        return -1;
    }
    if (!known) {
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
    int rc = add_device(b, type, copy, err);
    free(copy);
    return rc;
}

/* ---- what a device is and holds ---------------------------------------- */

unsigned i2cemu_device_count(const struct i2cemu_board *b) { return b->a->ndevs; }

int i2cemu_device_find(const struct i2cemu_board *b, unsigned bus,
                       uint16_t addr)
{
    for (unsigned i = 0; i < b->a->ndevs; i++)
        if (b->a->dev[i].bus == bus && b->a->dev[i].addr == addr &&
            dev_live(b, i))
            return (int)i;
    return -1;
}

bool i2cemu_device_present(const struct i2cemu_board *b, unsigned dev)
{
    return dev < b->a->ndevs && dev_live(b, dev);
}

const char *i2cemu_device_id(const struct i2cemu_board *b, unsigned dev)
{
    return dev_rec(b, dev)->id;
}

int i2cemu_device_find_id(const struct i2cemu_board *b, const char *id)
{
    for (unsigned i = 0; *id && i < b->a->ndevs; i++)
        if (dev_live(b, i) && strcmp(dev_rec(b, i)->id, id) == 0)
            return (int)i;
    return -1;
}

int i2cemu_device_remove(struct i2cemu_board *b, unsigned dev,
                         struct i2cemu_error *err)
{
    if (!i2cemu_device_present(b, dev) ||
        dev_rec(b, dev)->gone == DEV_REMOVING) {
        i2cemu_error_set(err, "device %u is already removed", dev);
        return -1;
    }
    /* A mux's channels are buses whose records name it: they would be
     * left hanging off nothing. */
    for (unsigned i = 0; i < b->a->nbuses; i++) {
        if (bus_rec(b, i)->parent_dev == dev) {
            i2cemu_error_set(err, "%s is the mux of bus %d: a mux cannot be "
                             "removed", board_type(b, dev)->name,
                             bus_rec(b, i)->number);
            return -1;
        }
    }
    return changes_remove(b, dev) ? 0 : 1;
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

size_t i2cemu_device_state_size(const struct i2cemu_board *b, unsigned dev)
{
    return dev_rec(b, dev)->state_size;
}

int i2cemu_device_check_state(struct i2cemu_board *b, unsigned dev,
                              const void *state, struct i2cemu_error *err)
{
    const struct i2cemu_device_type *t = board_type(b, dev);
    struct i2cemu_dev d = dev_handle(b, dev);
    for (const struct i2cemu_prop *p = t->props; p && p->name; p++)
        if (prop_check_stored(p, state, err) < 0)
            return -1;
    return t->state_check ? t->state_check(&d, state, err) : 0;
}

void i2cemu_device_restore(struct i2cemu_board *b, unsigned dev,
                           const void *state, uint32_t lines)
{
    const struct i2cemu_device_type *t = board_type(b, dev);
    struct i2cemu_dev d = dev_handle(b, dev);
    memcpy(d.state, state, dev_rec(b, dev)->state_size);
    for (unsigned i = 0; i < I2CEMU_MAX_LINES; i++)
        i2cemu_dev_line_set(&d, i, (lines >> i) & 1u);
    if (t->restored)
        t->restored(&d);
}

/* A trace on the device's bus sees the change, with the value as stored. */
static void trace_set(struct i2cemu_board *b, unsigned dev,
                      const struct i2cemu_prop *p)
{
    const struct i2cemu_dev_rec *r = dev_rec(b, dev);
    const struct bus_rt *rt = &b->rt[r->bus];
    char value[256];
    if (!rt->trace ||
        prop_format(p, i2cemu_device_state(b, dev), value, sizeof value) < 0)
        return;
    struct i2cemu_trace_ev ev = {
        .kind = I2CEMU_TRACE_SET, .t_ns = i2cemu_loop_now(b->loop),
        .addr = r->addr, .dev = dev, .prop = p->name, .value = value,
    };
    rt->trace(rt->trace_opaque, r->bus, &ev);
}

int i2cemu_device_set(struct i2cemu_board *b, unsigned dev, const char *name,
                      const char *value, struct i2cemu_error *err)
{
    const struct i2cemu_device_type *t = board_type(b, dev);
    const struct i2cemu_prop *p = prop_find(t, name);
    if (!p) {
        i2cemu_error_set(err, "%s has no property '%s'", t->name, EXCERPT(name));
        return -1;
    }
    if (p->flags & I2CEMU_PROP_READONLY) {
        i2cemu_error_set(err, "%s: %s is read-only", t->name, EXCERPT(name));
        return -1;
    }
    if (!(p->flags & I2CEMU_PROP_RUNTIME)) {
        i2cemu_error_set(err, "%s: %s can only be set when the device is "
                         "created", t->name, name);
        return -1;
    }
    char *f = (char *)i2cemu_device_state(b, dev) + p->offset;
    char old[256];
    size_t keep = p->size < sizeof(old) ? p->size : sizeof(old);
    memcpy(old, f, keep);
    /* prop_parse writes only after the value has passed every check. */
    if (prop_parse(p, f, value, err) < 0)
        return -1;
    trace_set(b, dev, p);
    if (memcmp(old, f, keep) != 0 || p->size > sizeof(old))
        changes_notify(b, dev, (unsigned)(p - t->props));
    return 0;
}

int i2cemu_device_get(const struct i2cemu_board *b, unsigned dev,
                      const char *name, char *out, size_t outlen,
                      struct i2cemu_error *err)
{
    const struct i2cemu_device_type *t = board_type(b, dev);
    const struct i2cemu_prop *p = prop_find(t, name);
    if (!p) {
        i2cemu_error_set(err, "%s has no property '%s'", t->name, EXCERPT(name));
        return -1;
    }
    return prop_format(p, i2cemu_device_state(b, dev), out, outlen);
}

void i2cemu_device_fields_dump(const struct i2cemu_board *b, unsigned dev,
                               i2cemu_field_fn fn, void *opaque)
{
    const struct i2cemu_device_type *t = board_type(b, dev);
    const struct i2cemu_dev_rec *r = dev_rec(b, dev);
    const char *state = (const char *)b->a + r->state_off;
    for (const struct i2cemu_field *f = t->fields; f && f->name; f++)
        fn(opaque, f, state + f->offset,
           f->size ? f->size : r->state_size - t->state_size);
}
