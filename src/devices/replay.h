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
    bool known;    /* read: its bytes were recorded (the transfer worked) */
    bool pec;      /* its last byte is an SMBus PEC, not register data */
    uint16_t len;  /* bytes on the wire after the address */
    size_t off;    /* into replay_rec.bytes */
};

struct replay_xfer {
    unsigned line;   /* in the recording */
    bool failed;     /* it failed when recorded: replayed as an address
                        NACK of its first message */
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

/* The most bytes a recording may hold. */
#define REPLAY_MAX_FILE (64u << 20)

#endif
