/* SPDX-License-Identifier: MIT */
/*
 * The board's arena layout and runtime, private to the core.
 *
 * The arena is one block of plain data: a header, fixed tables of bus and
 * device records that refer to each other by index, then each device's
 * state (8-byte aligned). No pointers: a device's type is recorded by its
 * name, so the arena means the same to any board built with the same
 * types, in whatever order they are registered. It can be copied
 * (snapshot), copied back (restore) or mapped by another process.
 * Everything else (the type table and each device's resolved type, model
 * priv, transfer queues, trace hooks) is in struct i2cemu_board, outside it.
 *
 * Who calls whom inside src/core (one way, no circle):
 *   device.c -> board.c -> master.c -> fastpath.c -> master_queue.c
 *   -> mux_select.c -> changes.c -> bus.c -> addr_table.c -> props.c (master_internal.h:
 *   inline helpers the master files share)
 *   services.c -> master.c, bus.c; typecheck.c -> props.c; all -> loop.c
 *   master.c -> fault_master.c -> fault_board.c -> fault.c -> props.c
 */
#ifndef I2CEMU_CORE_BOARD_INTERNAL_H
#define I2CEMU_CORE_BOARD_INTERNAL_H

#include <i2cemu/board.h>
#include <i2cemu/fault.h>
#include <i2cemu/master.h>

#define I2CEMU_ARENA_MAGIC   0x65633269u /* "i2ce" */
#define I2CEMU_ARENA_VERSION 3u /* 2: types by name, output lines; 3: ids,
                                  * removed devices */

struct i2cemu_bus_rec {
    int32_t number;      /* /dev/i2c-N */
    uint16_t parent_dev; /* the mux owning this bus, or I2CEMU_NONE */
    uint8_t profile;     /* enum i2cemu_profile */
    uint8_t pad;
    int32_t nack_errno;
    uint32_t speed_hz;
    uint32_t funcs;
    uint32_t retries;    /* I2C_RETRIES: adapter-wide */
    uint32_t timeout_ms; /* I2C_TIMEOUT: adapter-wide */
    uint32_t arb_loss;   /* fault injection: attempts still to lose */
    uint64_t hold_until_ns; /* fault injection: another master has it */
    char name[48];
};

struct i2cemu_dev_rec {
    char type[I2CEMU_TYPE_NAME_MAX]; /* the type's name, NUL-terminated */
    uint16_t bus;   /* bus index */
    uint16_t addr;
    uint8_t tenbit;
    uint8_t claim;  /* enum i2cemu_claim */
    uint8_t gone;   /* enum dev_gone: hot-unplugged (a tombstone) */
    uint8_t pad;
    uint32_t lines; /* output line levels, bit i for the type's lines[i] */
    uint32_t state_off;
    uint32_t state_size;
    char id[I2CEMU_DEVICE_ID_MAX]; /* the name id= gave it, or "" */
};

/* A removed device keeps its record and state, so that no index held
 * anywhere (a transfer's matches, a bus record's parent_dev, the control
 * plane's pending requests) ever points at another device; everything
 * that walks devices skips it. */
enum dev_gone {
    DEV_PRESENT,
    DEV_REMOVING, /* answers until the transfer in flight on its bus ends */
    DEV_REMOVED,  /* unrealized; never matched, listed or called again */
};

struct i2cemu_arena {
    uint32_t magic, version;
    uint32_t size; /* bytes in use, header included */
    uint32_t nbuses, ndevs;
    uint32_t pad;
    /* Wall clock: on the VIRTUAL clock, the wall time at board time 0;
     * on the others, an offset added to the host's CLOCK_REALTIME. */
    int64_t wall_base_ns;
    struct i2cemu_bus_rec bus[I2CEMU_MAX_BUSES];
    struct i2cemu_dev_rec dev[I2CEMU_MAX_DEVICES];
    /* device states follow */
};

/* addr_table.c: who answers each 7-bit address of a bus, so that a START
 * costs the same with 1 device on the bus or 100. Derived from the device
 * records and types, outside the arena; rebuilt when they change. */
#define ADDR_NOBODY 0xFFFFu /* no device answers */
#define ADDR_SCAN   0xFFFEu /* ask every device (match hooks, shared addresses) */
struct addr_table {
    uint16_t dev[128];   /* i2cemu_bus_match's answer for a 7-bit START */
    uint16_t smbus[128]; /* the native SMBus device: the first live one
                          * with smbus_xfer at that raw address */
};

struct bus_rt {
    struct i2cemu_transfer *owner; /* holds the bus from START to STOP */
    struct i2cemu_transfer *qhead, *qtail;
    i2cemu_trace_fn trace;
    void *trace_opaque;
    /* Fault rules that may act on this tree, plus 1 while its SDA is
     * stuck (fault_board.c): nonzero sends its transfers through the
     * fault engine; zero costs the master one branch per transfer. */
    unsigned faults;
    struct addr_table addrs; /* addr_table.c */
};

/* Per device, outside the arena. */
struct dev_rt {
    const struct i2cemu_device_type *type; /* resolved */
    void *priv;                            /* the model's */
    /* changes.c: bit i, props[i] changed and its hook waits for the bus */
    uint64_t changed;
};

#define MAX_CUSTOM_TYPES 32

/* Where the arena lives: the heap (board.c), or shared memory a preload
 * client maps (share.c). board_arena_grow() is the one place that asks
 * for more. */
struct arena_alloc {
    /* Make b->a hold `cap` bytes (more than b->cap), the first b->cap
     * kept and the rest zero; set b->a and b->cap. 0, or -1 with err. */
    int (*grow)(struct i2cemu_board *b, size_t cap, struct i2cemu_error *err);
    /* The board is freed. */
    void (*release)(struct i2cemu_board *b);
};

struct i2cemu_board {
    /* What a transfer reads comes first, and the first buses' and
     * devices' entries follow it: under a TCG guest a request pays for
     * every page it touches (benchmarks.md, "Pages"). */
    struct i2cemu_loop *loop;
    struct i2cemu_arena *a;
    /* fastpath.c: the master's straight-line path is allowed (on unless
     * I2CEMU_FASTPATH=0 in the environment: docs/benchmarks.md); the
     * transfers it ran (the tests check which path ran). */
    bool fastpath;
    unsigned long fastpath_runs;
    struct fault_set *faults; /* fault_board.c; NULL until a rule is added */
    /* changes.c: some device waits for its bus to be idle. */
    bool changes_waiting;
    /* addr_table.c: the tables (rt[].addrs) valid unless stale. */
    bool addr_tables_stale;
    /* Bumped whenever the board changes shape (a device or bus added or
     * removed, types bound, the arena grown): what a client mapping the
     * arena derived from it must be rebuilt (share.c). */
    uint32_t shape_gen;
    i2cemu_line_fn line_fn;
    void *line_opaque;
    size_t cap;
    const struct arena_alloc *alloc;
    void *alloc_opaque;
    const struct i2cemu_type_table *types; /* names device strings use */
    unsigned ncustom;
    /* Runtime property changes whose hook waits for the bus (changes.c). */
    struct i2cemu_timer changes_timer;
    struct dev_rt devs[I2CEMU_MAX_DEVICES];
    struct bus_rt rt[I2CEMU_MAX_BUSES];
    const struct i2cemu_device_type *custom[MAX_CUSTOM_TYPES];
};

static inline struct i2cemu_bus_rec *bus_rec(const struct i2cemu_board *b,
                                             unsigned bus)
{
    return &b->a->bus[bus];
}

static inline struct i2cemu_dev_rec *dev_rec(const struct i2cemu_board *b,
                                             unsigned dev)
{
    return &b->a->dev[dev];
}

/* False for a removed device: every loop over devices skips those. */
static inline bool dev_live(const struct i2cemu_board *b, unsigned dev)
{
    return b->a->dev[dev].gone != DEV_REMOVED;
}

static inline const struct i2cemu_device_type *
board_type(const struct i2cemu_board *b, unsigned dev)
{
    return b->devs[dev].type;
}

/* The handle passed to a model's callbacks. */
static inline struct i2cemu_dev dev_handle(struct i2cemu_board *b, unsigned i)
{
    struct i2cemu_dev d = {
        .board = b,
        .index = i,
        .state = (char *)b->a + b->a->dev[i].state_off,
        .priv = b->devs[i].priv,
    };
    return d;
}

/* board.c: the arena and the types. */
/* Make room for `n` more bytes at the end of the arena (zeroed). */
int board_arena_grow(struct i2cemu_board *b, size_t n,
                     struct i2cemu_error *err);
/* The type named `name`: the board's table, then its custom types. */
const struct i2cemu_device_type *board_type_find(const struct i2cemu_board *b,
                                                 const char *name);
/* Resolve every device's type from the name in the arena (after the arena
 * was copied in). Returns 0, or -1 with err set and nothing changed. */
int board_bind_types(struct i2cemu_board *b, struct i2cemu_error *err);
void board_unrealize(struct i2cemu_board *b, unsigned dev);

/* bus.c */
int bus_add(struct i2cemu_board *b, const struct i2cemu_bus_config *cfg,
            uint16_t parent, struct i2cemu_error *err);
/* The root of a bus's mux tree: the bus whose queue serialises transfers. */
unsigned bus_root(const struct i2cemu_board *b, unsigned bus);
/* True between a transfer's first START and its STOP on this tree. */
bool bus_mid_transfer(const struct i2cemu_board *b, unsigned bus);
/* Bytes on the wire of an SMBus transaction (the timing of native SMBus
 * transfers). */
unsigned smbus_wire_bytes(const struct i2cemu_smbus_op *op);

/* addr_table.c */
/* A device record, type or the device count changed: rebuild the tables
 * before the next lookup. */
static inline void addr_tables_invalidate(struct i2cemu_board *b)
{
    b->addr_tables_stale = true;
    b->shape_gen++;
}
void addr_tables_build(struct i2cemu_board *b);
/* The table of `bus`, rebuilt first if stale (inline: a lookup is on
 * every transfer's path). */
static inline const struct addr_table *addr_table_of(struct i2cemu_board *b,
                                                     unsigned bus)
{
    if (b->addr_tables_stale)
        addr_tables_build(b);
    return &b->rt[bus].addrs;
}

/* changes.c: runtime property change hooks. */
void changes_init(struct i2cemu_board *b);
/* Tell the model its property `prop` (index in props) changed: now, or
 * once the transfer in progress on its bus has ended. */
void changes_notify(struct i2cemu_board *b, unsigned dev, unsigned prop);
/* A transfer on `root` ended: run the hooks that waited, from the loop. */
void changes_bus_idle(struct i2cemu_board *b, unsigned root);
/* Hot-unplug: remove the device now if its bus is idle (true), else mark
 * it and remove it once the transfer in flight has ended (false). */
bool changes_remove(struct i2cemu_board *b, unsigned dev);

/* props.c: property parsing and formatting. */
const struct i2cemu_prop *prop_find(const struct i2cemu_device_type *t,
                                    const char *name);
void prop_set_default(const struct i2cemu_prop *p, void *state);
/* Parse `value` into the property's field `f`; on error `f` is unchanged. */
int prop_parse(const struct i2cemu_prop *p, void *f, const char *value,
               struct i2cemu_error *err);
int prop_format(const struct i2cemu_prop *p, const void *state, char *out,
                size_t outlen);
/* A value in `state` that no setting of the property writes and its
 * readers cannot take: a bool byte other than 0 or 1, an enum index past
 * its names, a string with no NUL (a crafted snapshot). 0, or -1 with
 * err. */
int prop_check_stored(const struct i2cemu_prop *p, const void *state,
                      struct i2cemu_error *err);
/* "0x50", "80": a number in C syntax, whole string. */
bool parse_ulong(const char *s, unsigned long *out);
/* A short, escaped excerpt of user text, valid until the end of the
 * enclosing statement's block: for quoting a value in an error message. */
#define EXCERPT(s)                                                            \
    i2cemu_excerpt((char[I2CEMU_EXCERPT_SIZE]){0}, I2CEMU_EXCERPT_SIZE, (s),  \
                   I2CEMU_EXCERPT_MAX)

/* fault_board.c: the board's fault rules (fault.h). */
/* A transfer on a tree whose bus_rt.faults is nonzero starts: pick the
 * rule acting on it (none: it runs as usual) and apply what acts on the
 * whole transfer. 0, or -errno when it fails before its first message. */
int fault_begin(struct i2cemu_transfer *t);
/* Recount bus_rt.faults on every bus (a rule or a bus came or went). */
void fault_rearm(struct i2cemu_board *b);
/* The bus was reset: its SDA is free again. */
void fault_bus_reset(struct i2cemu_board *b, unsigned root);
void fault_free(struct i2cemu_board *b);
/* fault.c: the direction a kind acts in, whatever dir= says (0 write,
 * 1 read), or -1 for either. */
int fault_kind_dir(enum i2cemu_fault_kind k);

/* master_queue.c: cancel every queued and running transfer (board
 * teardown). */
void master_shutdown(struct i2cemu_board *b);
/* master.c */
/* A transfer in WAIT_STRETCH got its ACK. */
void master_stretch_done(struct i2cemu_board *b, unsigned dev,
                         enum i2cemu_result r);
/* The transfer holding device dev's bus, once started: its bus time, and
 * in its address phase the address on the wire (else -1). False while
 * the bus is idle. */
bool master_position(const struct i2cemu_board *b, unsigned dev,
                     uint64_t *bus_ns, int *addr);

#endif
