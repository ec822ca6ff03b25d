/* SPDX-License-Identifier: MIT */
/*
 * The PMBus base (PMBus 1.3 Part II, over SMBus with PEC): the protocol,
 * pages, status and limits, and the data formats, shared by the PMBus
 * parts. A part is a command table plus its physical inputs; the base
 * runs the bus side and the standard commands' semantics, keyed by their
 * PMBus command codes.
 */
#ifndef I2CEMU_DEVICES_PMBUS_H
#define I2CEMU_DEVICES_PMBUS_H

#include <i2cemu/device.h>

/* Standard command codes (PMBus 1.3 Part II, Appendix I). */
enum {
    PMBUS_PAGE = 0x00,
    PMBUS_OPERATION = 0x01,
    PMBUS_ON_OFF_CONFIG = 0x02,
    PMBUS_CLEAR_FAULTS = 0x03,
    PMBUS_WRITE_PROTECT = 0x10,
    PMBUS_CAPABILITY = 0x19,
    PMBUS_VOUT_MODE = 0x20,
    PMBUS_VOUT_COMMAND = 0x21,
    PMBUS_VOUT_OV_FAULT_LIMIT = 0x40,
    PMBUS_VOUT_OV_WARN_LIMIT = 0x42,
    PMBUS_VOUT_UV_WARN_LIMIT = 0x43,
    PMBUS_VOUT_UV_FAULT_LIMIT = 0x44,
    PMBUS_IOUT_OC_FAULT_LIMIT = 0x46,
    PMBUS_IOUT_OC_WARN_LIMIT = 0x4A,
    PMBUS_IOUT_UC_FAULT_LIMIT = 0x4B,
    PMBUS_OT_FAULT_LIMIT = 0x4F,
    PMBUS_OT_WARN_LIMIT = 0x51,
    PMBUS_UT_WARN_LIMIT = 0x52,
    PMBUS_UT_FAULT_LIMIT = 0x53,
    PMBUS_VIN_OV_FAULT_LIMIT = 0x55,
    PMBUS_VIN_OV_WARN_LIMIT = 0x57,
    PMBUS_VIN_UV_WARN_LIMIT = 0x58,
    PMBUS_VIN_UV_FAULT_LIMIT = 0x59,
    PMBUS_IIN_OC_FAULT_LIMIT = 0x5B,
    PMBUS_IIN_OC_WARN_LIMIT = 0x5D,
    PMBUS_POUT_OP_FAULT_LIMIT = 0x68,
    PMBUS_POUT_OP_WARN_LIMIT = 0x6A,
    PMBUS_PIN_OP_WARN_LIMIT = 0x6B,
    PMBUS_STATUS_BYTE = 0x78,
    PMBUS_STATUS_WORD = 0x79,
    PMBUS_STATUS_VOUT = 0x7A,
    PMBUS_STATUS_IOUT = 0x7B,
    PMBUS_STATUS_INPUT = 0x7C,
    PMBUS_STATUS_TEMPERATURE = 0x7D,
    PMBUS_STATUS_CML = 0x7E,
    PMBUS_STATUS_OTHER = 0x7F,
    PMBUS_STATUS_MFR_SPECIFIC = 0x80,
    PMBUS_STATUS_FANS_1_2 = 0x81,
    PMBUS_READ_VIN = 0x88,
    PMBUS_READ_IIN = 0x89,
    PMBUS_READ_VOUT = 0x8B,
    PMBUS_READ_IOUT = 0x8C,
    PMBUS_READ_TEMPERATURE_1 = 0x8D,
    PMBUS_READ_TEMPERATURE_2 = 0x8E,
    PMBUS_READ_TEMPERATURE_3 = 0x8F,
    PMBUS_READ_FAN_SPEED_1 = 0x90,
    PMBUS_READ_POUT = 0x96,
    PMBUS_READ_PIN = 0x97,
    PMBUS_REVISION = 0x98,
    PMBUS_MFR_ID = 0x99,
    PMBUS_MFR_MODEL = 0x9A,
    PMBUS_MFR_REVISION = 0x9B,
};

/* STATUS_CML bits (Part II 17.7). */
#define PMBUS_CML_INVALID_CMD  0x80u
#define PMBUS_CML_INVALID_DATA 0x40u
#define PMBUS_CML_PEC_FAILED   0x20u
#define PMBUS_CML_OTHER_COMM   0x02u

/* What the READ_* commands measure: the inputs a part takes. */
enum pmbus_sensor {
    PMBUS_VIN, PMBUS_IIN, PMBUS_VOUT, PMBUS_IOUT, PMBUS_POUT, PMBUS_PIN,
    PMBUS_TEMP1, PMBUS_TEMP2, PMBUS_TEMP3, PMBUS_FAN1, PMBUS_NSENSORS,
};

/* A sensor's data format (Part II, "Data Formats"). */
enum pmbus_format {
    PMBUS_LINEAR11, /* 5-bit exponent, 11-bit mantissa, both signed */
    PMBUS_LINEAR16, /* VOUT: unsigned 16-bit mantissa, VOUT_MODE exponent */
    PMBUS_DIRECT,   /* Y = (m X + b) 10^R, with the part's coefficients */
};

struct pmbus_coef {
    enum pmbus_format format;
    double m, b;
    int R;
    uint16_t max; /* DIRECT: the largest code (a 12-bit ADC: 0x0FFF) */
};

/* Command sizes: bytes after the command code. */
enum pmbus_size {
    PMBUS_SEND = 0,   /* send byte: no data (CLEAR_FAULTS) */
    PMBUS_BYTE = 1,
    PMBUS_WORD = 2,
    PMBUS_BLOCK = 0xFF, /* SMBus block: a count, then 1-32 bytes */
};

/* Command flags. */
#define PMBUS_RO     0x1u /* read-only: a write is an invalid command */
#define PMBUS_GLOBAL 0x2u /* one value for every page */

/* A command the part answers, with its power-on value. */
struct pmbus_cmd {
    uint8_t code;
    uint8_t size;     /* enum pmbus_size */
    uint8_t flags;
    uint16_t reset;
    uint32_t pages;   /* the pages it exists on (bit n: page n); 0: all */
    const char *str;  /* BLOCK reads: the constant string */
};

#define PMBUS_MAX_PAGES 24
#define PMBUS_MAX_CMDS  64
#define PMBUS_BUF       (2 + I2C_SMBUS_BLOCK_MAX + 1) /* cmd/count, data, PEC */

/* A physical input, a double property of the part's state. */
struct pmbus_input {
    uint8_t page;
    uint8_t sensor; /* enum pmbus_sensor */
    size_t offset;
};

struct pmbus_part {
    const struct pmbus_cmd *cmds;
    unsigned ncmds;
    unsigned npages;
    bool all_pages; /* PAGE 0xFF (write to every page) accepted */
    bool no_pec;    /* CAPABILITY bit 7 clear: a byte past the data is one
                       too many, and reads carry no PEC */
    bool iout_oc_swapped; /* IOUT_OC_FAULT_LIMIT at 0x4A and the warning at
                             0x46 (the MAX344xx's addresses) */
    const struct pmbus_input *inputs;
    unsigned ninputs;
    size_t pm_offset; /* the struct pmbus_state in the part's state */
    /* A sensor's format on a page; `c` starts as coef[sensor]. */
    struct pmbus_coef coef[PMBUS_NSENSORS];
    void (*coef_hook)(struct i2cemu_dev *d, unsigned page, unsigned sensor,
                      struct pmbus_coef *c);
    /* Optional: power-on values that depend on the part's properties
     * (the generic part's rail), set after the table's. */
    void (*power_on)(struct i2cemu_dev *d);
    /* Optional: after each evaluation (peak registers). */
    void (*update)(struct i2cemu_dev *d);
    /* Optional: a part-specific read; true if it answered. For a BLOCK
     * command, *v is the count and buf (32 bytes) the data. */
    bool (*read)(struct i2cemu_dev *d, const struct pmbus_cmd *c,
                 unsigned page, uint16_t *v, uint8_t *buf);
    /* Optional: a part-specific write; true if it took the value. */
    bool (*write)(struct i2cemu_dev *d, const struct pmbus_cmd *c,
                  unsigned page, uint16_t v);
};

/* The transaction in progress. */
struct pmbus_xfer {
    uint8_t in[PMBUS_BUF];  /* written: command, data, PEC */
    uint8_t out[PMBUS_BUF]; /* to read: data (count first), PEC */
    uint8_t nin, nout, pos;
    uint8_t crc;       /* PEC over the transaction so far */
    uint8_t cmd;       /* table index of in[0] */
    bool rejected;     /* a byte was NACKed: the rest is refused */
};

struct pmbus_state {
    bool smbalert; /* read-only property: SMBALERT#'s level, 1 released */
    uint8_t page;
    uint8_t cml;   /* STATUS_CML */
    uint8_t status[PMBUS_MAX_PAGES][8]; /* STATUS_VOUT .. STATUS_FANS_1_2 */
    uint16_t val[PMBUS_MAX_PAGES][PMBUS_MAX_CMDS];
    struct pmbus_xfer x;
};

/* The smbalert property and the state's fields, for a part whose state
 * `st` has its struct pmbus_state in member `pm`. */
#define PMBUS_ALERT_PROP(st)                                                  \
    I2CEMU_PROP_BOOL_("smbalert", st, pm.smbalert, true, I2CEMU_PROP_READONLY,\
                      "SMBALERT#'s level (open drain: 1 released, 0 "         \
                      "asserted)")
#define PMBUS_FIELDS(st)                                                      \
    I2CEMU_FIELD("page", st, pm.page, I2CEMU_FIELD_RUNTIME),                  \
    I2CEMU_FIELD("status_cml", st, pm.cml, I2CEMU_FIELD_RUNTIME),             \
    I2CEMU_FIELD("status", st, pm.status, I2CEMU_FIELD_RUNTIME),              \
    I2CEMU_FIELD("commands", st, pm.val, I2CEMU_FIELD_RUNTIME),               \
    I2CEMU_FIELD("transaction", st, pm.x, I2CEMU_FIELD_RUNTIME)

#define PMBUS_CMDS(table)                                                     \
    .cmds = (table), .ncmds = sizeof(table) / sizeof((table)[0])
#define PMBUS_INPUTS(table)                                                   \
    .inputs = (table), .ninputs = sizeof(table) / sizeof((table)[0])

/* The protocol, for the part's own callbacks (PMBUS_CALLBACKS). */
int pmbus_realize(struct i2cemu_dev *d, const struct pmbus_part *p,
                  struct i2cemu_error *err);
enum i2cemu_result pmbus_event(struct i2cemu_dev *d, const struct pmbus_part *p,
                               enum i2cemu_event ev);
enum i2cemu_result pmbus_send(struct i2cemu_dev *d, const struct pmbus_part *p,
                              uint8_t byte);
uint8_t pmbus_recv(struct i2cemu_dev *d, const struct pmbus_part *p);
/* Re-check the limits against the inputs (a property changed). */
void pmbus_evaluate(struct i2cemu_dev *d, const struct pmbus_part *p);

/* A snapshot's state for part `p` (its type's state_check): the page
 * selects the rows that writes land on, and a transaction in progress
 * indexes the command table and the write buffer. */
int pmbus_state_check(const struct pmbus_part *p, const void *state,
                      struct i2cemu_error *err);

/* A command's stored value on a page (the part's hooks). */
uint16_t *pmbus_value(struct i2cemu_dev *d, const struct pmbus_part *p,
                      uint8_t code, unsigned page);
/* The code a physical value reads as, and back (pmbus_format.c). */
uint16_t pmbus_encode(const struct pmbus_coef *c, int vout_exp, double x);
double pmbus_decode(const struct pmbus_coef *c, int vout_exp, uint16_t y);
/* The low `bits` bits of v as a two's complement number. */
int pmbus_sext(unsigned v, unsigned bits);
/* A physical value as a part reads it: the input, or the power computed
 * from voltage and current, in the sensor's unit. */
double pmbus_input(struct i2cemu_dev *d, const struct pmbus_part *p,
                   unsigned page, unsigned sensor);
/* The sensor's reading, encoded. */
uint16_t pmbus_reading(struct i2cemu_dev *d, const struct pmbus_part *p,
                       unsigned page, unsigned sensor);

/* The type callbacks of part `p` (a static const struct pmbus_part),
 * named p_realize, p_event, p_send, p_recv, p_changed. */
#define PMBUS_CALLBACKS(p)                                                    \
    static int p##_realize(struct i2cemu_dev *d, struct i2cemu_error *err)    \
    {                                                                         \
        return pmbus_realize(d, &p, err);                                     \
    }                                                                         \
    static enum i2cemu_result p##_event(struct i2cemu_dev *d,                 \
                                        enum i2cemu_event ev)                 \
    {                                                                         \
        return pmbus_event(d, &p, ev);                                        \
    }                                                                         \
    static enum i2cemu_result p##_send(struct i2cemu_dev *d, uint8_t b)       \
    {                                                                         \
        return pmbus_send(d, &p, b);                                          \
    }                                                                         \
    static uint8_t p##_recv(struct i2cemu_dev *d) { return pmbus_recv(d, &p); }\
    static void p##_changed(struct i2cemu_dev *d, const struct i2cemu_prop *pr)\
    {                                                                         \
        (void)pr;                                                             \
        pmbus_evaluate(d, &p);                                                \
    }                                                                         \
    static int p##_state_check(struct i2cemu_dev *d, const void *state,       \
                               struct i2cemu_error *err)                      \
    {                                                                         \
        (void)d;                                                              \
        return pmbus_state_check(&p, state, err);                             \
    }

#define PMBUS_TYPE_CALLBACKS(p)                                               \
    .realize = p##_realize, .event = p##_event, .send = p##_send,             \
    .recv = p##_recv, .changed = p##_changed, .state_check = p##_state_check

extern const char *const pmbus_lines[]; /* { "smbalert", NULL } */

#endif
