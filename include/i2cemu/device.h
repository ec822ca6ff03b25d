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

#include <i2cemu/loop.h>
#include <i2cemu/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct i2cemu_board;
struct i2cemu_bus_config;

/* The handle a model's callbacks receive. `state` points into the arena
 * and is valid for the duration of the call only. */
struct i2cemu_dev {
    struct i2cemu_board *board;
    unsigned index; /* device index on the board */
    void *state;
    void *priv;
};

/* ---- properties ---------------------------------------------------- */

enum i2cemu_prop_kind {
    I2CEMU_PROP_UINT,   /* uint32_t */
    I2CEMU_PROP_INT,    /* int32_t */
    I2CEMU_PROP_BOOL,   /* bool */
    I2CEMU_PROP_FLOAT,  /* double */
    I2CEMU_PROP_STRING, /* char[size], NUL-terminated */
    I2CEMU_PROP_ENUM,   /* uint32_t index into `names` */
};

/* Property flags. */
#define I2CEMU_PROP_RUNTIME 0x1u /* may be changed while the board runs */

struct i2cemu_prop {
    const char *name;
    enum i2cemu_prop_kind kind;
    size_t offset; /* into the state struct */
    size_t size;   /* STRING: capacity including the NUL */
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

#define I2CEMU_PROP_UINT_(n, st, m, d, lo, hi, fl, h)                         \
    { .name = n, .kind = I2CEMU_PROP_UINT, .offset = offsetof(st, m),         \
      .size = sizeof(((st *)0)->m), .help = h, .flags = fl, .def.i = d,       \
      .min = lo, .max = hi }
#define I2CEMU_PROP_INT_(n, st, m, d, lo, hi, fl, h)                          \
    { .name = n, .kind = I2CEMU_PROP_INT, .offset = offsetof(st, m),          \
      .size = sizeof(((st *)0)->m), .help = h, .flags = fl, .def.i = d,       \
      .min = lo, .max = hi }
#define I2CEMU_PROP_BOOL_(n, st, m, d, fl, h)                                 \
    { .name = n, .kind = I2CEMU_PROP_BOOL, .offset = offsetof(st, m),         \
      .size = sizeof(((st *)0)->m), .help = h, .flags = fl, .def.i = d }
#define I2CEMU_PROP_FLOAT_(n, st, m, d, lo, hi, fl, h)                        \
    { .name = n, .kind = I2CEMU_PROP_FLOAT, .offset = offsetof(st, m),        \
      .size = sizeof(((st *)0)->m), .help = h, .flags = fl, .def.f = d,       \
      .min = lo, .max = hi }
#define I2CEMU_PROP_STRING_(n, st, m, d, fl, h)                               \
    { .name = n, .kind = I2CEMU_PROP_STRING, .offset = offsetof(st, m),       \
      .size = sizeof(((st *)0)->m), .help = h, .flags = fl, .def.s = d }
#define I2CEMU_PROP_ENUM_(n, st, m, d, nm, fl, h)                             \
    { .name = n, .kind = I2CEMU_PROP_ENUM, .offset = offsetof(st, m),         \
      .size = sizeof(((st *)0)->m), .help = h, .flags = fl, .def.i = d,       \
      .names = nm }
#define I2CEMU_PROP_END { .name = NULL }

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

struct i2cemu_device_type {
    const char *name; /* as typed on the command line: "24c02" */
    const char *help; /* one line */
    const struct i2cemu_prop *props;
    const struct i2cemu_field *fields;
    size_t state_size; /* fixed part of the instance state */
    unsigned flags;

    /* Extra bytes after the fixed state (an EEPROM's cells), computed from
     * the properties already set. Optional. */
    size_t (*tail_size)(const void *state);

    /* Check properties, set up state and priv. Return 0, or -1 with a
     * message in err. Optional. */
    int (*realize)(struct i2cemu_dev *d, struct i2cemu_error *err);
    /* Flush and free priv. Optional. */
    void (*unrealize)(struct i2cemu_dev *d);

    /* START_SEND / START_RECV: ACK to answer the address, NACK to refuse.
     * FINISH / NACK / RESTART: the result is ignored. Optional (ACK
     * everything). */
    enum i2cemu_result (*event)(struct i2cemu_dev *d, enum i2cemu_event ev);
    /* A byte written by the master. */
    enum i2cemu_result (*send)(struct i2cemu_dev *d, uint8_t byte);
    /* Instead of send: take the byte and stretch the clock until the model
     * calls i2cemu_dev_ack(). Optional. */
    void (*send_async)(struct i2cemu_dev *d, uint8_t byte);
    /* A byte read by the master. Cannot fail: the model always drives SDA. */
    uint8_t (*recv)(struct i2cemu_dev *d);

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

    /* A native SMBus handler, for chips on a `stub`-profile bus (an
     * SMBus-only adapter such as Linux's i2c-stub answers per transaction,
     * not per byte). Returns 0 or -errno; `data` as in I2C_SMBUS. Only
     * types with this hook may sit on a stub bus. */
    int (*smbus_xfer)(struct i2cemu_dev *d, uint16_t flags, char read_write,
                      uint8_t command, int size, union i2c_smbus_data *data);
};

/* The registered types, in one table (src/devices/registry.c). */
extern const struct i2cemu_device_type *const i2cemu_device_types[];
extern const unsigned i2cemu_device_type_count;
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

/* Error helper for realize and property parsing. */
void i2cemu_error_set(struct i2cemu_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif
#endif
