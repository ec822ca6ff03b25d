/* SPDX-License-Identifier: MIT */
/* The daemon side of the preload frontend: the board's buses served over a
 * unix socket (sockproto.h) on the board's event loop. */
#ifndef I2CEMU_SOCK_SERVER_H
#define I2CEMU_SOCK_SERVER_H

#include <i2cemu/board.h>

#include "frontends/sock_access.h"

/* Clients that may be connected at once; the next is refused (ENFILE). */
#define SOCK_SERVER_MAX_CLIENTS 256
/* How long a client may leave a message half-sent, or stay connected
 * without an OPEN, before it is dropped. */
#define SOCK_SERVER_STALL_MS 5000

struct sock_server_opts {
    struct sock_access access;
    unsigned stall_ms; /* 0: SOCK_SERVER_STALL_MS */
};

struct sock_server;

/* Serve the board's buses to preload clients on a unix socket at path,
 * which must not exist. sock_server_new: mode 0600, our uid and root. */
struct sock_server *sock_server_new(struct i2cemu_board *b, const char *path, struct i2cemu_error *err);
struct sock_server *sock_server_new_with(struct i2cemu_board *b, const char *path,
                                         const struct sock_server_opts *o,
                                         struct i2cemu_error *err);
void sock_server_free(struct sock_server *s);   /* closes clients, unlinks path */

#endif
