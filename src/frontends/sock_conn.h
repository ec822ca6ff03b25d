/* SPDX-License-Identifier: MIT */
/*
 * One connection of the socket server: one open file description of
 * /dev/i2c-N, and the protocol it speaks (sockproto.h). sock_conn.c moves
 * its messages; sock_server.c accepts connections, keeps the list, and
 * drops the broken and the stalled.
 */
#ifndef I2CEMU_SOCK_CONN_H
#define I2CEMU_SOCK_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <i2cemu/board.h>
#include <i2cemu/i2cdev.h>

#include "frontends/sockproto.h"

/* Client memory regions one request may hold: those its IOCTL carries
 * (SOCKPROTO_MAX_IN at most) and those fetched with NEED. */
#define MAX_REGIONS 64

struct sock_server;

enum conn_state {
    C_OPEN, /* waiting for OPEN */
    C_IDLE, /* waiting for a request */
    C_NEED, /* waiting for MEM or MEMFAULT */
    C_BUSY, /* the transfer is on the bus */
    C_DONE, /* it completed; the answer goes out from the loop */
};

/* Client memory of the current request: len bytes at conn.mem + off. */
struct region {
    uint64_t addr;
    uint32_t len;
    bool fault; /* the client could not read it: no bytes */
    size_t off;
};

struct conn {
    struct sock_server *srv; /* NULL once dropped with a transfer in flight */
    struct i2cemu_board *board;
    struct conn *next, **pprev;
    int fd;
    struct i2cemu_watch *watch;
    struct i2cemu_timer answer;
    enum conn_state state;
    bool broken;
    bool pollout;
    bool shared; /* it was given the arena's memfd: share_peer_add */
    /* CLOCK_MONOTONIC since when the client owes us the rest of a message
     * or its OPEN; 0: it owes nothing. */
    uint64_t stall_since;

    struct i2cemu_i2cdev_file file;
    struct i2cemu_i2cdev_req req;
    struct i2cemu_umem umem;
    struct region regions[MAX_REGIONS];
    unsigned nregions;
    uint8_t *mem; /* the regions' bytes, kept from one request to the next */
    size_t mem_len, mem_cap;

    /* The message being received: header, then body. */
    struct sockproto_hdr hdr;
    size_t got;
    uint8_t *body; /* grown to the message's length, shrunk after a big one */
    size_t body_cap;

    uint8_t *out;
    size_t out_len, out_sent, out_cap;
};

/* Set up c (srv, board and fd filled in) and send the HELLO. */
void sock_conn_start(struct conn *c);
/* Take what the client sent, while no answer is waiting to go out. */
void sock_conn_input(struct conn *c);
/* Send what is queued; watch for input once it is all out. */
void sock_conn_flush(struct conn *c);
/* Close c's socket and free c, now or, with a transfer on the bus, once
 * it is cancelled. */
void sock_conn_free(struct conn *c);

/* The server's side (sock_server.c). Drop c from the server and free it: */
void sock_server_drop(struct conn *c);
/* After c's progress changed: time it while it owes us something. */
void sock_server_check_stall(struct conn *c);

#endif
