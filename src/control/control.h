/* SPDX-License-Identifier: MIT */
/* The control socket (docs/control.md): newline-delimited JSON requests
 * that inspect and change the board, served on the board's loop. */
#ifndef I2CEMU_CONTROL_H
#define I2CEMU_CONTROL_H

#include <i2cemu/board.h>

struct ctl_server;

/* Where the control socket of a daemon whose clients connect to
 * `client_socket` lives: beside it, "<client_socket>.ctl". Free it. */
char *ctl_socket_path(const char *client_socket);

/* Serve control requests on a new unix socket at `path` (mode 0600; only
 * our own uid and root may talk to it). `quit` is called after the reply
 * to a "quit" request has been sent. NULL with err set on failure. */
struct ctl_server *ctl_server_new(struct i2cemu_board *b, const char *path,
                                  void (*quit)(void *opaque), void *opaque,
                                  struct i2cemu_error *err);
/* The fan-out that the `trace` op adds its streams to; it must outlive
 * the server. Without it, `trace` is refused. */
struct trace_fanout;
void ctl_server_set_traces(struct ctl_server *s, struct trace_fanout *f);
/* Closes every connection and unlinks the socket. */
void ctl_server_free(struct ctl_server *s);

#endif
