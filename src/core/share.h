/* SPDX-License-Identifier: MIT */
/*
 * The board's arena in shared memory, for the preload shim's fast path
 * (docs/fastpath.md). One memfd holds a control block (this header's
 * struct share_ctrl) and, after it, the arena. The daemon maps it at a
 * fixed reservation, so the arena never moves; a client maps the same.
 *
 * Locking: each root bus has a robust, process-shared mutex. The daemon
 * holds every one of them while it runs; right before its loop waits it
 * lends (unlocks) the eligible ones, and on waking it takes them back.
 * A client runs a transfer with the bus's mutex held: a bounded run of
 * instructions, no system call.
 *
 * share.c is the daemon's side; share_client.c (built into the shim and
 * the unit tests) the client's.
 */
#ifndef I2CEMU_CORE_SHARE_H
#define I2CEMU_CORE_SHARE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <i2cemu/board.h>
#include <i2cemu/i2cdev.h>
#include <i2cemu/loop.h>

#define SHARE_MAGIC   0x72687369u /* "ishr" */
#define SHARE_VERSION 1u
/* Layouts differ between 64- and 32-bit builds (pthread_mutex_t, the
 * alignment of doubles in device states): both ends must agree. */
#define SHARE_ABI ((uint32_t)(sizeof(long) | sizeof(pthread_mutex_t) << 8))
#define SHARE_CTRL_SIZE 8192u             /* the arena starts here */
#define SHARE_RESERVE   (256u << 20)      /* mapped; the file grows within */

struct share_bus {
    pthread_mutex_t lock; /* robust, process-shared */
    uint32_t eligible;    /* lent at the daemon's last sleep */
    uint32_t wanted;      /* the daemon is taking it back: do not enter */
    uint32_t needs_reset; /* a client died holding it */
    uint32_t pad;
};

struct share_ctrl {
    uint32_t magic, version, abi, ctrl_size;
    uint64_t reserve;   /* bytes to map */
    uint64_t file_size; /* bytes of the memfd: ctrl_size + arena capacity */
    uint64_t gen;       /* the board's shape generation */
    uint64_t time_ns;   /* FAST board time: clients publish the later */
    uint64_t recoveries; /* buses reset after a client died holding them */
    struct share_bus bus[I2CEMU_MAX_BUSES];
};
_Static_assert(sizeof(struct share_ctrl) <= SHARE_CTRL_SIZE, "ctrl");

/* ---- share.c: the daemon ---- */

/* Move the board's arena into a new memfd (idempotent). 0, or -1 with
 * err. The board keeps it until it is freed. */
int share_enable(struct i2cemu_board *b, struct i2cemu_error *err);
/* The memfd to pass to a client, or -1 when the board is not shared. */
int share_fd(const struct i2cemu_board *b);
/* A connection was given the memfd, or has gone: buses are lent only
 * while at least one such is open (a client without an open file makes
 * no request), so that a daemon nobody maps the arena of pays nothing
 * for it at each sleep and wake. No-ops when the board is not shared. */
void share_peer_add(struct i2cemu_board *b);
void share_peer_remove(struct i2cemu_board *b);
/* The control block, or NULL (tests). */
struct share_ctrl *share_ctrl_of(const struct i2cemu_board *b);

/* ---- share_client.c: a client ---- */

struct share_client;
/* A board over a mapping of the daemon's memfd, built from `types`: the
 * fd is checked (seals, size, magic, version) and may be closed after.
 * NULL with errno when it does not qualify. */
struct share_client *share_client_attach(int memfd,
                                         const struct i2cemu_type_table *types);
void share_client_detach(struct share_client *c);
/* The client's board, for i2cemu_i2cdev_open and prepare. */
struct i2cemu_board *share_client_board(struct share_client *c);
/* Take bus `bus` for one transfer on the client's board, if it is lent
 * now and can run here: true with it held, to be released by
 * share_client_leave; false, with nothing done, to take the slow path. */
bool share_client_enter(struct share_client *c, unsigned bus);
/* Publish the board time and release the bus. `stalled`: the transfer
 * did not complete at once (a bug of eligibility) and was cancelled; the
 * daemon resets the bus. */
void share_client_leave(struct share_client *c, unsigned bus, bool stalled);
/* Run a prepared request (SUBMIT) on file f of the client's board, if its
 * bus is lent now: true with req->result and outputs set, ready to copy
 * out; false, with nothing done, to take the slow path. */
bool share_client_run(struct share_client *c, struct i2cemu_i2cdev_file *f,
                      struct i2cemu_i2cdev_req *req);

#endif
