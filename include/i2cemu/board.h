/* SPDX-License-Identifier: MIT */
/*
 * A board: buses and the devices on them. All of it is plain data in one
 * arena (indices, no pointers), so a board can be copied, snapshotted, and
 * later mapped by another process. Code (types, callbacks, loop handles,
 * open files) lives outside the arena and is found by type index.
 */
#ifndef I2CEMU_BOARD_H
#define I2CEMU_BOARD_H

#include <i2cemu/device.h>
#include <i2cemu/loop.h>
#include <i2cemu/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How the adapter behind a bus behaves at the i2c-dev ABI
 * (i2c-dev-abi.md section 5.3). */
enum i2cemu_profile {
    I2CEMU_PROFILE_I2C,  /* plain I2C adapter, SMBus emulated by the core */
    I2CEMU_PROFILE_STUB, /* SMBus-only, exactly like Linux's i2c-stub */
};

/* What the kernel would have registered at an address (I2C_SLAVE's busy
 * check, i2c-dev-abi.md section 2.1). */
enum i2cemu_claim {
    I2CEMU_CLAIM_NONE,   /* nothing registered */
    I2CEMU_CLAIM_CLIENT, /* a client with no driver bound: not busy */
    I2CEMU_CLAIM_DRIVER, /* a driver is bound: I2C_SLAVE fails with EBUSY */
};

#define I2CEMU_MAX_BUSES   64
#define I2CEMU_MAX_DEVICES 512

struct i2cemu_bus_config {
    int number;                  /* N of /dev/i2c-N; -1: first free */
    enum i2cemu_profile profile;
    uint32_t speed_hz;           /* 0: 100 kHz */
    int nack_errno;              /* 0: the profile's (ENXIO, or ENODEV) */
    uint32_t funcs;              /* 0: the profile's I2C_FUNCS mask */
    const char *name;            /* adapter name; NULL: the profile's */
};
#define I2CEMU_BUS_CONFIG_DEFAULT { .number = -1, .profile = I2CEMU_PROFILE_I2C }

/* A board that knows the device types of `types` by name (it must outlive
 * the board). The core itself knows no model. */
struct i2cemu_board *
i2cemu_board_new_with_types(struct i2cemu_loop *loop,
                            const struct i2cemu_type_table *types);
/* The same with the registered models, i2cemu_default_types. */
struct i2cemu_board *i2cemu_board_new(struct i2cemu_loop *loop);
/* Unrealizes every device (backing files are flushed), then frees. */
void i2cemu_board_free(struct i2cemu_board *b);
struct i2cemu_loop *i2cemu_board_loop(const struct i2cemu_board *b);

/* Add a root bus. Returns its index, or -1 with err set. */
int i2cemu_bus_add(struct i2cemu_board *b, const struct i2cemu_bus_config *cfg,
                   struct i2cemu_error *err);
/* Parse "N [speed=400k] [profile=stub] [name=...] [nack=ENXIO]" (the
 * board-file `bus` line without the word) and add the bus. */
int i2cemu_bus_add_spec(struct i2cemu_board *b, const char *spec,
                        struct i2cemu_error *err);
unsigned i2cemu_bus_count(const struct i2cemu_board *b);
/* Index of the bus numbered N, or -1. */
int i2cemu_bus_find(const struct i2cemu_board *b, int number);
int i2cemu_bus_number(const struct i2cemu_board *b, unsigned bus);
const char *i2cemu_bus_name(const struct i2cemu_board *b, unsigned bus);
enum i2cemu_profile i2cemu_bus_profile(const struct i2cemu_board *b,
                                       unsigned bus);
uint32_t i2cemu_bus_funcs(const struct i2cemu_board *b, unsigned bus);
uint32_t i2cemu_bus_speed_hz(const struct i2cemu_board *b, unsigned bus);
/* The errno of an address nobody ACKs (nack=, else ENXIO, or ENODEV). */
int i2cemu_bus_nack_errno(const struct i2cemu_board *b, unsigned bus);
/* Adapter-wide settings (I2C_RETRIES, I2C_TIMEOUT), shared by every fd. */
void i2cemu_bus_set_retries(struct i2cemu_board *b, unsigned bus, uint32_t n);
void i2cemu_bus_set_timeout_ms(struct i2cemu_board *b, unsigned bus,
                               uint32_t ms);
/* True when I2C_SLAVE (not FORCE) must fail with EBUSY for addr: a
 * driver-claimed device at addr on this bus, an ancestor or a child. */
bool i2cemu_bus_addr_busy(const struct i2cemu_board *b, unsigned bus,
                          uint16_t addr);

/*
 * Add and realize a device from a QEMU-style string:
 *   "TYPE,addr=0x50[,bus=N][,claim=driver|client][,prop=value...]"
 * bus=N names /dev/i2c-N; without it, bus 1 (created if the board has no
 * bus 1). Returns the device index, or -1 with err set, and the board is
 * left as it was.
 */
int i2cemu_device_add(struct i2cemu_board *b, const char *spec,
                      struct i2cemu_error *err);
/* The same with a type of your own that is not in the registry (a model
 * written in a test); `spec` holds the properties without the type name:
 * "addr=0x50,bus=1,prop=value". The type must outlive the board. */
int i2cemu_device_add_custom(struct i2cemu_board *b,
                             const struct i2cemu_device_type *type,
                             const char *spec, struct i2cemu_error *err);
unsigned i2cemu_device_count(const struct i2cemu_board *b);
/* Index of the device at addr on bus (bus index), or -1. */
int i2cemu_device_find(const struct i2cemu_board *b, unsigned bus,
                       uint16_t addr);
const struct i2cemu_device_type *
i2cemu_device_type_of(const struct i2cemu_board *b, unsigned dev);
unsigned i2cemu_device_bus(const struct i2cemu_board *b, unsigned dev);
uint16_t i2cemu_device_addr(const struct i2cemu_board *b, unsigned dev);
/* The instance state in the arena; valid until the board changes shape. */
void *i2cemu_device_state(const struct i2cemu_board *b, unsigned dev);
/* The name of the device's type, as recorded in the arena. */
const char *i2cemu_device_type_name(const struct i2cemu_board *b,
                                    unsigned dev);
/*
 * Set a runtime property from text, as on the command line: parsed and
 * range-checked, then applied whole or not at all, and the type's
 * `changed` hook is told (see its contract in device.h). Properties
 * without I2CEMU_PROP_RUNTIME can only be set in the device string, and
 * read-only ones never. Returns 0, or -1 with err set and nothing changed.
 */
int i2cemu_device_set(struct i2cemu_board *b, unsigned dev, const char *name,
                      const char *value, struct i2cemu_error *err);
/* Format any property's current value as text (hex for I2CEMU_PROP_HEX),
 * as i2cemu_device_set takes it. Returns the length it needed (output
 * truncated to outlen like snprintf), or -1 with err set. */
int i2cemu_device_get(const struct i2cemu_board *b, unsigned dev,
                      const char *name, char *out, size_t outlen,
                      struct i2cemu_error *err);

/* Every state field of the device (its type's `fields` table), with its
 * current bytes: what a snapshot saves. A TAIL field's size is what the
 * device's tail holds. The bytes are valid during the call only. */
typedef void (*i2cemu_field_fn)(void *opaque, const struct i2cemu_field *f,
                                const void *bytes, size_t size);
void i2cemu_device_fields_dump(const struct i2cemu_board *b, unsigned dev,
                               i2cemu_field_fn fn, void *opaque);

/* Output lines (device.h, i2cemu_dev_line_set). The index of the line
 * named `name` on the device, or -1. */
int i2cemu_device_line_find(const struct i2cemu_board *b, unsigned dev,
                            const char *name);
/* A line's level; false for an index past the type's lines. */
bool i2cemu_device_line(const struct i2cemu_board *b, unsigned dev,
                        unsigned line);
/* Called on every change of any device's line (the control plane and the
 * trace hook here). One listener per board; NULL removes it. */
typedef void (*i2cemu_line_fn)(void *opaque, unsigned dev, unsigned line,
                               bool level);
void i2cemu_board_set_line_listener(struct i2cemu_board *b, i2cemu_line_fn fn,
                                    void *opaque);

/* The wall clock models read (i2cemu_dev_wall_time_ns): make it read `ns`
 * (since the Unix epoch) now, and run on from there. */
void i2cemu_board_set_wall_time(struct i2cemu_board *b, int64_t ns);
int64_t i2cemu_board_wall_time_ns(const struct i2cemu_board *b);

/* ---- device names and hot-plug (the control plane) ------------------ */

/* A name given with id= in the device string ("id=fan-ctl"): a letter,
 * then letters, digits, '_' or '-', shorter than this. */
#define I2CEMU_DEVICE_ID_MAX 32
/* The device's id=, or "" when it has none. */
const char *i2cemu_device_id(const struct i2cemu_board *b, unsigned dev);
/* Index of the present device with that id, or -1. */
int i2cemu_device_find_id(const struct i2cemu_board *b, const char *id);
/* False for an index past the devices and for a removed device. Removed
 * devices keep their index (no index ever moves), so a loop over
 * 0..i2cemu_device_count() - 1 skips the ones this says are gone. */
bool i2cemu_device_present(const struct i2cemu_board *b, unsigned dev);
/*
 * Hot-unplug: the device NACKs from the next transfer on and is
 * unrealized (its backing file flushed). Returns 0 when that is done, 1
 * when a transfer holds its bus between START and STOP: it answers until
 * that transfer has ended and is removed from the loop right after
 * (poll i2cemu_device_present()); -1 with err set, and nothing changed,
 * for a device already removed or a mux (its channels would dangle).
 */
int i2cemu_device_remove(struct i2cemu_board *b, unsigned dev,
                         struct i2cemu_error *err);
/* Bytes of the device's state, its tail included (what
 * i2cemu_device_state() points at). */
size_t i2cemu_device_state_size(const struct i2cemu_board *b, unsigned dev);
/* Whether the device's model can run from `state`, an image for
 * i2cemu_device_restore(): 0, or -1 with why (each property's field
 * holds a value of its kind: a bool 0 or 1, an enum one of its names, a
 * string its NUL; then the type's state_check, device.h; a register
 * chip's map is checked by i2cemu_regmap_state_check(), regmap.h). */
int i2cemu_device_check_state(struct i2cemu_board *b, unsigned dev,
                              const void *state, struct i2cemu_error *err);
/* Restore a snapshot's image of the device: `state` (all
 * i2cemu_device_state_size() bytes) is copied in, the output lines take
 * the levels of `lines` (bit i: the type's lines[i]; changes reach the
 * line listener), then the type's `restored` hook runs. No `changed`
 * hook runs: the state already holds what followed from its values. */
void i2cemu_device_restore(struct i2cemu_board *b, unsigned dev,
                           const void *state, uint32_t lines);

/* The arena: one contiguous block of plain data. */
const void *i2cemu_board_arena(const struct i2cemu_board *b, size_t *size);

/* Bus trace: every START, byte and STOP, with ACK/NACK and bus time.
 * t_ns is the bus time at the end of the event's last bit. */
enum i2cemu_trace_kind {
    I2CEMU_TRACE_START, /* addr, tenbit, read, ack; repeated: an Sr */
    I2CEMU_TRACE_BYTE,  /* byte, read (direction), ack, stretch_ns */
    I2CEMU_TRACE_STOP,  /* result: the transfer's outcome */
    I2CEMU_TRACE_FAULT, /* a fault rule acts (fault.h): fault_id,
                           fault_kind; addr: the message's address */
    I2CEMU_TRACE_SET,   /* a runtime property was set (i2cemu_device_set):
                           dev, prop, value; addr: the device's */
};
struct i2cemu_trace_ev {
    enum i2cemu_trace_kind kind;
    uint64_t t_ns;
    uint16_t addr;
    bool tenbit;
    bool read;
    bool repeated;
    uint8_t byte;
    enum i2cemu_result ack;
    /* BYTE: how long the device held SCL low between the 8th data bit
     * and the ACK bit (clock stretching). */
    uint64_t stretch_ns;
    /* STOP: messages done, or -errno (an address NACK, ETIMEDOUT...). */
    int result;
    /* FAULT: the rule's id and its enum i2cemu_fault_kind. */
    unsigned fault_id;
    unsigned fault_kind;
    /* START (the first of a transfer) and STOP: the client process, 0 if
     * unknown (struct i2cemu_transfer's pid). */
    int pid;
    /* SET: the device's index, the property and its new value, as
     * i2cemu_device_get() prints it. */
    unsigned dev;
    const char *prop, *value;
};
typedef void (*i2cemu_trace_fn)(void *opaque, unsigned bus,
                                const struct i2cemu_trace_ev *ev);
void i2cemu_bus_set_trace(struct i2cemu_board *b, unsigned bus,
                          i2cemu_trace_fn fn, void *opaque);

/* Used by match hooks: add every device of `bus` that answers addr. */
void i2cemu_bus_match(struct i2cemu_board *b, unsigned bus, uint16_t addr,
                      bool tenbit, bool broadcast, struct i2cemu_matches *m);

#ifdef __cplusplus
}
#endif
#endif
