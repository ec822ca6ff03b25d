/* SPDX-License-Identifier: MIT */
/* The daemon side of the preload frontend: the board's buses served over a
 * unix socket (sockproto.h) on the board's event loop. */
#ifndef I2CEMU_SOCK_SERVER_H
#define I2CEMU_SOCK_SERVER_H

#include <i2cemu/board.h>

struct sock_server;

/* Serve the board's buses to preload clients on a unix socket. */
struct sock_server *sock_server_new(struct i2cemu_board *b, const char *path, struct i2cemu_error *err);
void sock_server_free(struct sock_server *s);   /* closes clients, unlinks path */

#endif
