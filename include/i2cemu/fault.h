/* SPDX-License-Identifier: MIT */
/*
 * Fault injection (docs/faults.md): rules that make the bus fail on
 * purpose, the way real buses fail, with the errno a Linux adapter
 * reports (Documentation/i2c/fault-codes.rst).
 *
 * A rule is a kind (what goes wrong), a match (which transfers it may act
 * on: device, bus, address, register, direction) and a trigger (which of
 * those it acts on: once, every Nth, after N, with probability p from a
 * seed, within a window of board time). Its spec is one string,
 *
 *   KIND[,key=value|flag]...     e.g. "data-nack,dev=1-0050,byte=1,every=3"
 *
 * the same on the command line (-F), in a board file (`fault` line), on
 * the control plane and in Python. The rules live in the core, so every
 * frontend sees the same faults. At most one rule acts on a transfer: the
 * first, in the order they were added, that matches it and fires.
 */
#ifndef I2CEMU_FAULT_H
#define I2CEMU_FAULT_H

#include <i2cemu/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct i2cemu_board;

enum i2cemu_fault_kind {
    I2CEMU_FAULT_ADDR_NACK,   /* the address is NACKed: ENXIO */
    I2CEMU_FAULT_DATA_NACK,   /* written byte N is NACKed: EIO */
    I2CEMU_FAULT_ARB_LOSS,    /* arbitration lost at byte N: EAGAIN */
    I2CEMU_FAULT_STRETCH,     /* SCL held low: ETIMEDOUT past the timeout */
    I2CEMU_FAULT_SDA_STUCK,   /* SDA held low: EBUSY until recovered */
    I2CEMU_FAULT_BAD_PEC,     /* the last byte read is corrupted: EBADMSG */
    I2CEMU_FAULT_BITFLIP,     /* one bit of read byte N flipped */
    I2CEMU_FAULT_BLOCK_COUNT, /* an SMBus block count of 0 or > 32: EPROTO */
    I2CEMU_FAULT_GONE,        /* the device NACKs for a time: ENXIO */
    I2CEMU_FAULT_SLOW,        /* latency added to each transfer */
    I2CEMU_FAULT_NKINDS,
};

/* Rules per board. */
#define I2CEMU_FAULT_MAX 64
/* byte= absent: the address byte (arb-loss, stretch). */
#define I2CEMU_FAULT_ADDRESS 0xFFFFu
#define I2CEMU_FAULT_DEV_MAX 64

/* One rule: what the spec said, then its counters. */
struct i2cemu_fault {
    enum i2cemu_fault_kind kind;
    /* Match; -1 (or "") for any. */
    char dev[I2CEMU_FAULT_DEV_MAX]; /* as given: id, TYPE@N-AAAA or N-AAAA */
    int bus;  /* /dev/i2c-N */
    int addr;
    int reg;  /* the first byte written to the device in the transfer */
    int dir;  /* 0 write, 1 read */
    /* What it does. */
    uint16_t byte;  /* data byte N of the message (0: the first) */
    uint8_t bit;    /* bitflip */
    uint8_t count;  /* block-count: the count byte the master reads */
    uint8_t clocks; /* sda-stuck: clocks until the device lets go; 0 never */
    uint64_t time_ns; /* stretch, gone, slow */
    /* Trigger: every condition given must hold. */
    uint32_t times;  /* fire at most this often (once: 1); 0: no limit */
    uint32_t every;  /* the Nth, 2Nth... matching transfer */
    uint32_t after;  /* matching transfers after the first N */
    double p;        /* probability, 1 when not given */
    uint64_t seed;
    uint64_t from_ns, to_ns; /* board time window; to_ns 0: no end */
    /* State. */
    unsigned id;      /* given when added: 1, 2... */
    uint64_t matched; /* transfers it matched (in its window) */
    uint64_t hits;    /* times it acted */
    uint64_t prng;    /* splitmix64 state, from seed */
    uint64_t gone_until_ns;
};

/* What a fired rule does to one transfer: the master's copy, which a
 * transfer in flight drops when its rule is deleted. */
struct i2cemu_fault_action {
    uint8_t kind;   /* enum i2cemu_fault_kind */
    uint8_t bit;
    uint8_t count;
    uint8_t clocks;
    uint16_t msg;   /* the message it acts on */
    uint16_t byte;  /* its byte, or I2CEMU_FAULT_ADDRESS */
    unsigned id;
    uint64_t time_ns;
};

/* Parse a spec into *f (state zeroed, id 0). Returns 0, or -1 with err
 * naming the bad part. Pure: no board needed. */
int i2cemu_fault_parse(const char *spec, struct i2cemu_fault *f,
                       struct i2cemu_error *err);
/* The spec of a rule, as i2cemu_fault_parse reads it back (snprintf
 * semantics). */
int i2cemu_fault_format(const struct i2cemu_fault *f, char *out, size_t len);
/* The kind's name in a spec ("data-nack"). */
const char *i2cemu_fault_kind_name(enum i2cemu_fault_kind k);
/* A transfer at board time now matched f: count it, and say whether f
 * fires (then its hit is counted too). Pure: the trigger rules alone. */
bool i2cemu_fault_trigger(struct i2cemu_fault *f, uint64_t now_ns);

/* Add a rule to the board; its device (dev=) must exist. Returns the
 * rule's id (> 0), or -1 with err set and nothing changed. */
int i2cemu_fault_add(struct i2cemu_board *b, const char *spec,
                     struct i2cemu_error *err);
/* Remove the rule with that id: 0, or -1 when there is none. A transfer
 * it was acting on (waiting for a stretch or a back-off) goes on without
 * it. */
int i2cemu_fault_del(struct i2cemu_board *b, unsigned id);
/* Remove every rule, and let go of every stuck SDA line. */
void i2cemu_fault_clear(struct i2cemu_board *b);
/* The rules, in order: i from 0 while the result is not NULL. */
const struct i2cemu_fault *i2cemu_fault_at(const struct i2cemu_board *b,
                                           unsigned i);
/* True when a rule may act on the bus's tree or its SDA is stuck: a
 * transfer there takes the fault engine's path. One load (bus_rt). */
bool i2cemu_bus_faults_armed(const struct i2cemu_board *b, unsigned bus);

#ifdef __cplusplus
}
#endif
#endif
