/* SPDX-License-Identifier: MIT */
/*
 * The slave device API. A device type is a declaration: name, help, typed
 * properties, state fields, and callbacks that see bus events and bytes as
 * hardware does. Device models know nothing of frontends.
 *
 * An instance's state is a plain struct (no pointers) that lives in the
 * board's arena; the type's properties are stored inside it. Anything that
 * cannot live in the arena (file descriptors, timers) goes in `priv`,
 * which the model allocates in realize and frees in unrealize.
 */
#ifndef I2CEMU_DEVICE_H
#define I2CEMU_DEVICE_H

#include <i2cemu/crc8.h>
#include <i2cemu/loop.h>
#include <i2cemu/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct i2cemu_board;
struct i2cemu_bus_config;
struct i2cemu_device_type;

/* The handle a model's callbacks receive. `state` points into the arena
 * and is valid for the duration of the call only. */
struct i2cemu_dev {
    struct i2cemu_board *board;
    unsigned index; /* device index on the board */
    void *state;
    void *priv;
};

/* ---- properties ---------------------------------------------------- */

/*
 * A property is a typed field of the state struct, set from text ("
 * temperature=41.5"). Integer kinds honour the field's size: 1, 2, 4 or
 * 8 bytes (uint8_t ... uint64_t for UINT and ENUM, int8_t ... int64_t for
 * INT); any other size is a compile error in the I2CEMU_PROP_*_ macros,
 * and the range is clamped to what the field can hold.
 */
enum i2cemu_prop_kind {
    I2CEMU_PROP_UINT,   /* unsigned integer of 1, 2, 4 or 8 bytes */
    I2CEMU_PROP_INT,    /* signed integer of 1, 2, 4 or 8 bytes */
    I2CEMU_PROP_BOOL,   /* bool */
    I2CEMU_PROP_FLOAT,  /* double */
    I2CEMU_PROP_STRING, /* char[size], NUL-terminated */
    I2CEMU_PROP_ENUM,   /* unsigned index into `names`, 1 to 8 bytes */
};

/* Property flags. */
#define I2CEMU_PROP_RUNTIME  0x1u /* may be changed while the board runs
                                     (i2cemu_device_set) */
#define I2CEMU_PROP_HEX      0x2u /* UINT shown in hex: masks, addresses */
#define I2CEMU_PROP_READONLY 0x4u /* observed: the model sets it, anyone can
                                     read it (i2cemu_device_get), nobody
                                     sets it from text */

/* At most this many properties per type. */
#define I2CEMU_MAX_PROPS 64

struct i2cemu_prop {
    const char *name;
    enum i2cemu_prop_kind kind;
    size_t offset; /* into the state struct */
    size_t size;   /* of the field; STRING: capacity including the NUL */
    const char *help;
    unsigned flags;
    union {
        int64_t i;
        double f;
        const char *s;
    } def;
    double min, max;          /* UINT, INT, FLOAT: inclusive range */
    const char *const *names; /* ENUM: NULL-terminated value names */
};

/* 0, or a compile error (a negative array size) where `cond` is false;
 * a constant expression, so it works inside a static initializer. */
#define I2CEMU_CHECK_(cond) (0 * sizeof(char[(cond) ? 1 : -1]))
#define I2CEMU_SIZEOF_(st, m) sizeof(((st *)0)->m)
#define I2CEMU_INT_SIZE_(st, m)                                               \
    (I2CEMU_SIZEOF_(st, m) +                                                  \
     I2CEMU_CHECK_(I2CEMU_SIZEOF_(st, m) == 1 || I2CEMU_SIZEOF_(st, m) == 2 ||\
                   I2CEMU_SIZEOF_(st, m) == 4 || I2CEMU_SIZEOF_(st, m) == 8))
#define I2CEMU_EXACT_SIZE_(st, m, type)                                       \
    (I2CEMU_SIZEOF_(st, m) +                                                  \
     I2CEMU_CHECK_(I2CEMU_SIZEOF_(st, m) == sizeof(type)))

#define I2CEMU_PROP_UINT_(n, st, m, d, lo, hi, fl, h)                         \
    { .name = n, .kind = I2CEMU_PROP_UINT, .offset = offsetof(st, m),         \
      .size = I2CEMU_INT_SIZE_(st, m), .help = h, .flags = fl, .def.i = d,    \
      .min = lo, .max = hi }
#define I2CEMU_PROP_INT_(n, st, m, d, lo, hi, fl, h)                          \
    { .name = n, .kind = I2CEMU_PROP_INT, .offset = offsetof(st, m),          \
      .size = I2CEMU_INT_SIZE_(st, m), .help = h, .flags = fl, .def.i = d,    \
      .min = lo, .max = hi }
#define I2CEMU_PROP_BOOL_(n, st, m, d, fl, h)                                 \
    { .name = n, .kind = I2CEMU_PROP_BOOL, .offset = offsetof(st, m),         \
      .size = I2CEMU_EXACT_SIZE_(st, m, bool), .help = h, .flags = fl,        \
      .def.i = d }
#define I2CEMU_PROP_FLOAT_(n, st, m, d, lo, hi, fl, h)                        \
    { .name = n, .kind = I2CEMU_PROP_FLOAT, .offset = offsetof(st, m),        \
      .size = I2CEMU_EXACT_SIZE_(st, m, double), .help = h, .flags = fl,      \
      .def.f = d, .min = lo, .max = hi }
#define I2CEMU_PROP_STRING_(n, st, m, d, fl, h)                               \
    { .name = n, .kind = I2CEMU_PROP_STRING, .offset = offsetof(st, m),       \
      .size = I2CEMU_SIZEOF_(st, m) +                                         \
              I2CEMU_CHECK_(sizeof(((st *)0)->m[0]) == 1 &&                   \
                            I2CEMU_SIZEOF_(st, m) > 1),                       \
      .help = h, .flags = fl, .def.s = d }
#define I2CEMU_PROP_ENUM_(n, st, m, d, nm, fl, h)                             \
    { .name = n, .kind = I2CEMU_PROP_ENUM, .offset = offsetof(st, m),         \
      .size = I2CEMU_INT_SIZE_(st, m), .help = h, .flags = fl, .def.i = d,    \
      .names = nm }
#define I2CEMU_PROP_END { .name = NULL }

/* The range a UINT, INT or FLOAT property accepts: its min and max,
 * clamped to what its field can hold. */
void i2cemu_prop_range(const struct i2cemu_prop *p, double *min, double *max);

/* ---- state fields (what a snapshot saves) --------------------------- */

#define I2CEMU_FIELD_PERSISTENT 0x1u /* survives power cycles (EEPROM cells) */
#define I2CEMU_FIELD_RUNTIME    0x2u /* volatile device state (pointers...) */

struct i2cemu_field {
    const char *name;
    size_t offset;
    size_t size; /* 0: from offset to the end of the instance state */
    unsigned flags;
};

#define I2CEMU_FIELD(n, st, m, fl)                                            \
    { .name = n, .offset = offsetof(st, m), .size = sizeof(((st *)0)->m),     \
      .flags = fl }
#define I2CEMU_FIELD_TAIL(n, st, m, fl)                                       \
    { .name = n, .offset = offsetof(st, m), .size = 0, .flags = fl }
#define I2CEMU_FIELD_END { .name = NULL }

/*
 * A type's fields and properties together must describe its whole state:
 * every byte of state_size (and the tail) belongs to exactly one of them,
 * except the padding the compiler puts before a field to align it (at
 * most to 8) and after the last one. (So a member left out is caught
 * unless it is smaller than the padding it could pass for: a uint8_t
 * before a uint32_t.) This checks that, and the rest of the
 * table (names, defaults in range, line and property counts). Returns 0,
 * or -1 with what is wrong in err. Run over every registered type by the
 * unit tests; run it over your own types in your tests too.
 */
int i2cemu_device_type_check(const struct i2cemu_device_type *t,
                             struct i2cemu_error *err);

/* ---- address matching (muxes, general call) ------------------------- */

#define I2CEMU_MAX_MATCHES 32

/* Devices that answer the current address, collected by the match hooks. */
struct i2cemu_matches {
    unsigned n;
    uint16_t dev[I2CEMU_MAX_MATCHES];
};

/* Add device `dev` to `m` once: a device already there is not added
 * again, and a full set takes no more. Returns false only when `dev` could
 * not be added because the set is full. Every match hook adds through
 * this, never by writing `m` itself. */
bool i2cemu_matches_add(struct i2cemu_matches *m, unsigned dev);

/* Type flags. */
#define I2CEMU_TYPE_GENERAL_CALL 0x1u /* receives writes to address 0x00 */
#define I2CEMU_TYPE_TENBIT       0x2u /* may take a 10-bit address */
/* The addresses its match hook answers besides its own are bus-wide
 * command addresses that every device of the type on the bus answers
 * together (EE1004's page select at 0x36/0x37): they may be shared. */
#define I2CEMU_TYPE_SHARED_CMDS  0x4u
/* Safe to run inside a preload client (docs/fastpath.md): its callbacks
 * touch only its arena state (no priv, timers, output lines, clock but
 * i2cemu_dev_bus_time) and its realize leaves priv NULL and arms no
 * timer, at least without a backing file (a device with priv is never
 * run in a client). */
#define I2CEMU_TYPE_CLIENT_SAFE  0x8u

/* A type's name, with its NUL, fits in this (the arena records it). */
#define I2CEMU_TYPE_NAME_MAX 32
/* At most this many output lines per type. */
#define I2CEMU_MAX_LINES 32

struct i2cemu_device_type {
    const char *name; /* as typed on the command line: "24c02" */
    const char *help; /* one line */
    /* docs/devices.md: the section title shared by the consecutive types
     * of a family ("24Cxx serial EEPROMs"; NULL: the type's name) and
     * its notes in Markdown (behaviour, registers, datasheet references),
     * printed after the generated tables. Optional. A family's members
     * may have different props and lines (its tables list them all, by
     * name); its notes are its first member's `doc`. */
    const char *family;
    const char *doc;
    const struct i2cemu_prop *props;
    const struct i2cemu_field *fields;
    size_t state_size; /* fixed part of the instance state */
    unsigned flags;
    /* Output signals (INT, ALERT, OS pins): NULL-terminated names. The
     * model drives them with i2cemu_dev_line_set(); they start low. */
    const char *const *lines;

    /*
     * A runtime property was changed by i2cemu_device_set() (a test, the
     * control plane) to a new value: re-evaluate what depends on it (an
     * alarm, an output line, a conversion). The contract:
     *  - it is called on the loop's thread, between transfers: from
     *    i2cemu_device_set() itself while the device's bus is idle; never
     *    while a transfer holds the bus between START and STOP (a change
     *    made then is applied at once, and the hook runs from the loop
     *    after the STOP, once per property however often it changed);
     *  - the new value is already in the state; it is not called for
     *    values set when the device is created (realize sees those) nor
     *    for a value set again unchanged;
     *  - it may update the state, drive lines, arm timers and use every
     *    service below; it must not start or wait for a transfer, nor
     *    add or remove devices.
     * Optional.
     */
    void (*changed)(struct i2cemu_dev *d, const struct i2cemu_prop *p);

    /* Extra bytes after the fixed state (an EEPROM's cells), computed from
     * the properties already set. Optional. */
    size_t (*tail_size)(const void *state);

    /* Check properties, set up state and priv. Return 0, or -1 with a
     * message in err. Optional. */
    int (*realize)(struct i2cemu_dev *d, struct i2cemu_error *err);
    /* Flush and free priv. Optional. */
    void (*unrealize)(struct i2cemu_dev *d);
    /* A snapshot's state for the device, before it is restored: 0 if the
     * model can run from it, or -1 with a message in err (say, an address
     * counter past the end of the memory, which a hand-edited or damaged
     * snapshot may hold: the model would read or write outside its
     * state). `d` is the device as it is, with its priv and its board;
     * `state` the image, which must not be changed. The restore then
     * changes nothing. Optional: needed by a model whose state holds an
     * index or a length that outlives a transfer. */
    int (*state_check)(struct i2cemu_dev *d, const void *state,
                       struct i2cemu_error *err);
    /* A snapshot has just been restored into the state (docs/control.md):
     * bring what lives outside the arena in line with it, between
     * transfers; a model with persistent storage writes the restored
     * cells through to its backing file. Optional. */
    void (*restored)(struct i2cemu_dev *d);

    /*
     * The bus callbacks (event, send, send_async, recv, smbus_xfer) run
     * inside a transfer. One may end it, as a
     * part that resets the bus would: i2cemu_bus_reset() on its bus ends
     * it with -EIO, i2cemu_transfer_abort() with -ECANCELED (master.h),
     * at the bus time the callback saw (t_end_ns; an abort's STOP bit
     * after it). The master then makes no other call for that transfer
     * but the FINISH the reset or the abort's STOP sends (to this device
     * too, from inside the callback), and the submitter's `done` runs
     * once, after the callback has returned. During a mux's control
     * write, before the transfer's own first START, a reset ends nothing
     * (the transfer has not started) and an abort ends it.
     */
    /* START_SEND / START_RECV: ACK to answer the address, NACK to refuse.
     * FINISH / NACK / DESELECT: the result is ignored. Optional (ACK
     * everything). */
    enum i2cemu_result (*event)(struct i2cemu_dev *d, enum i2cemu_event ev);
    /* Events `event` does nothing for, as I2CEMU_EV_BIT(ev): the master
     * may leave those calls out (a model that ignores the master's NACK
     * then costs nothing there). Only FINISH, NACK and DESELECT, whose
     * result is ignored, may be listed; a listed event may still be
     * delivered. Every other call is made as without it, in the same
     * order. 0: no promise. */
    uint32_t events_ignored;
    /* A byte written by the master. */
    enum i2cemu_result (*send)(struct i2cemu_dev *d, uint8_t byte);
    /* Instead of send: take the byte and stretch the clock until the model
     * calls i2cemu_dev_ack(). Optional. */
    void (*send_async)(struct i2cemu_dev *d, uint8_t byte);
    /* A byte read by the master. Cannot fail: the model always drives SDA. */
    uint8_t (*recv)(struct i2cemu_dev *d);
    /* With recv, optional: the `n` bytes that `n` calls of recv would
     * return, and their effect on the state, in one call (an EEPROM's
     * sequential read). The master may use it for a read message, or
     * call recv byte by byte (while tracing, say); it checks after the
     * call whether the transfer ended. */
    void (*recv_buf)(struct i2cemu_dev *d, uint8_t *buf, size_t n);

    /* Decide who answers `addr` (a mux adds its selected children's
     * devices, see i2cemu_bus_match()), with i2cemu_matches_add(). Return
     * true if anything was added. Optional: the default matches the
     * device's own address. A match hook is pure: it answers "who answers
     * this address" and changes nothing, since the board also asks it
     * for lookups that are no START (address checks when a device is
     * added, I2C_SLAVE's busy check). A part that latches address bits
     * (a 24c16's block select) does it at its START event, reading the
     * address with i2cemu_dev_start_addr(). */
    bool (*match)(struct i2cemu_dev *d, uint16_t addr, bool tenbit,
                  bool broadcast, struct i2cemu_matches *m);

    /* A mux or switch whose channels are child buses: before a transfer
     * submitted on its child bus `child` (a bus index), as Linux's i2c-mux
     * core calls the mux's select, the master asks this whether a control
     * byte must be written to the device's address on its own bus to
     * connect that channel. Return true with the byte in *ctrl, or false
     * if the channel is connected already. The master then writes it (a
     * transfer of its own, START to STOP, in the channel's trace) and runs
     * the messages on the parent's wire, through the match hook. Pure, as
     * match: the write itself reaches the device through send. Optional:
     * without it a child bus's transfers reach its own devices only. */
    bool (*select_channel)(struct i2cemu_dev *d, unsigned child,
                           uint8_t *ctrl);

    /* A native SMBus handler, for chips on a `stub`-profile bus (an
     * SMBus-only adapter such as Linux's i2c-stub answers per transaction,
     * not per byte). Returns 0 or -errno; `data` as in I2C_SMBUS. Only
     * types with this hook may sit on a stub bus. */
    int (*smbus_xfer)(struct i2cemu_dev *d, uint16_t flags, char read_write,
                      uint8_t command, int size, union i2c_smbus_data *data);

    /* The register map of a register chip (i2cemu/regmap.h), which its
     * event/send/recv (i2cemu_regmap_*) run. Optional. */
    const struct i2cemu_regmap *regmap;
};

/* ---- type tables and the registry ------------------------------------ */

/* A set of types a board knows by name (i2cemu_board_new_with_types). */
struct i2cemu_type_table {
    const struct i2cemu_device_type *const *types;
    unsigned count;
};
const struct i2cemu_device_type *
i2cemu_type_table_find(const struct i2cemu_type_table *t, const char *name);

/* The registered models (src/devices/types.def: one line per type). The
 * core does not use it: i2cemu_board_new() passes it to the board. */
extern const struct i2cemu_type_table i2cemu_default_types;
const struct i2cemu_device_type *i2cemu_device_type_find(const char *name);

/* ---- services a model may use -------------------------------------- */

struct i2cemu_loop *i2cemu_dev_loop(const struct i2cemu_dev *d);
uint64_t i2cemu_dev_now(const struct i2cemu_dev *d);
/* True when the clock is paced (REALTIME or VIRTUAL): models then honour
 * their internal busy periods. False in FAST mode. */
bool i2cemu_dev_honours_busy_times(const struct i2cemu_dev *d);
/* End the clock stretch started by send_async. */
void i2cemu_dev_ack(struct i2cemu_dev *d, enum i2cemu_result r);
uint16_t i2cemu_dev_addr(const struct i2cemu_dev *d);
/* During I2CEMU_EV_START_SEND / START_RECV: the address on the wire that
 * the device was matched for (7 or 10 bits; a 24c16 answers eight).
 * Otherwise i2cemu_dev_addr(). */
uint16_t i2cemu_dev_start_addr(const struct i2cemu_dev *d);
/* The bus time of the event being delivered, on the loop's clock: for
 * FINISH the time of the STOP, which a paced transfer reaches only after
 * its bytes' bit times; outside a transfer, i2cemu_dev_now(). A busy
 * period the datasheet starts at STOP (an EEPROM's tWR) starts here. */
uint64_t i2cemu_dev_bus_time(const struct i2cemu_dev *d);
/* Give the device a child bus (a mux channel). Returns the bus index or -1. */
int i2cemu_dev_add_child_bus(struct i2cemu_dev *d,
                             const struct i2cemu_bus_config *cfg,
                             struct i2cemu_error *err);
/* The bus index of the n-th child bus the device was given, or -1. */
int i2cemu_dev_child_bus(const struct i2cemu_dev *d, unsigned n);

/* Calendar time for RTCs, in ns since the Unix epoch (UTC). FAST and
 * REALTIME clocks: the host's CLOCK_REALTIME. VIRTUAL clock: a fixed epoch
 * (2000-01-01T00:00:00Z unless i2cemu_board_set_wall_time() moved it) plus
 * board time, so a test reads the same dates on every run. */
int64_t i2cemu_dev_wall_time_ns(const struct i2cemu_dev *d);

/* Drive output line `line` (an index into the type's `lines`) to `level`.
 * The level lives in the arena (a snapshot keeps it); the board's line
 * listener hears each change. An index past the type's lines is ignored. */
void i2cemu_dev_line_set(struct i2cemu_dev *d, unsigned line, bool level);

/* Error helper for realize and property parsing. */
void i2cemu_error_set(struct i2cemu_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* User text for an error message: at most `max` bytes of `s`, control
 * bytes and backslashes escaped as \xNN, "..." where it was cut. Writes
 * `out` (size bytes) and returns it. */
char *i2cemu_excerpt(char *out, size_t size, const char *s, size_t max);
/* How much of a user's value a core message quotes, and the buffer an
 * excerpt of that length needs at worst (every byte escaped). */
#define I2CEMU_EXCERPT_MAX  40
#define I2CEMU_EXCERPT_SIZE (4 * I2CEMU_EXCERPT_MAX + 4)

#ifdef __cplusplus
}
#endif
#endif
