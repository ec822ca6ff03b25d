/* SPDX-License-Identifier: MIT */
/*
 * The replay type's recording, parsed (replay_parse.c): the transfers of
 * one device, each as the messages its address saw on the wire, in
 * order. The line format is docs/record-replay.md's.
 */
#ifndef I2CEMU_DEVICES_REPLAY_H
#define I2CEMU_DEVICES_REPLAY_H

#include <i2cemu/device.h>

struct replay_msg {
    bool read;
    bool known;    /* read: its bytes were recorded (the transfer worked);
                      if not, they are 0xff */
    bool pec;      /* its last byte is an SMBus PEC, not register data */
    bool recv_len; /* an SMBus block read: its first byte is the count */
    uint16_t len;  /* bytes on the wire after the address */
    size_t off;    /* into replay_rec.bytes */
};

/* How the device makes a transfer fail again as it failed when recorded,
 * with the errno the master reports for it (replay.c decides). */
enum replay_fail {
    REPLAY_FAIL_NONE,      /* it worked */
    REPLAY_FAIL_ADDR_NACK, /* the first message's address: the bus's
                              NACK errno (ENXIO) */
    REPLAY_FAIL_DATA_NACK, /* a written byte: EIO */
    REPLAY_FAIL_STRETCH,   /* SCL held after a written byte, past the
                              adapter's timeout: ETIMEDOUT */
    REPLAY_FAIL_COUNT,     /* a block read's count byte is 0: EPROTO */
};

struct replay_xfer {
    unsigned line;   /* in the recording */
    int err;         /* the errno it failed with when recorded, or 0 */
    uint8_t fail;    /* enum replay_fail */
    uint16_t fail_msg, fail_byte; /* where: message (in the transfer), byte */
    unsigned first;  /* into replay_rec.msgs */
    unsigned nmsgs;
};

struct replay_rec {
    struct replay_xfer *xfers;
    unsigned nxfers;
    struct replay_msg *msgs;
    unsigned nmsgs;
    uint8_t *bytes;
    size_t nbytes;
};

/* The transfers of `text` (len bytes, the recording `name`) that reach
 * address `addr` (ten-bit or not) on bus number `bus`. 0, or -1 with
 * "NAME:LINE: what is wrong" in err. Free with replay_rec_fini(). */
int replay_parse(const char *text, size_t len, const char *name, int bus,
                 uint16_t addr, bool tenbit, struct replay_rec *rec,
                 struct i2cemu_error *err);
void replay_rec_fini(struct replay_rec *rec);

/* Strict mode: how each transfer that failed when recorded fails again
 * (fail, fail_msg, fail_byte), by what the device at `addr` on bus number
 * `bus` does, so that the master reports the recorded errno; nack_errno
 * is the bus's errno for an address NACK. 0, or -1 with "NAME:LINE: why"
 * in err for the first failure no device can reproduce. */
int replay_plan_failures(struct replay_rec *rec, const char *name, int bus,
                         uint16_t addr, int nack_errno,
                         struct i2cemu_error *err);

/* The most bytes a recording may hold. */
#define REPLAY_MAX_FILE (64u << 20)

#endif
