/* SPDX-License-Identifier: MIT */
/*
 * The vhost-user-i2c frontend: one bus of the board served to a QEMU guest
 * as a virtio-i2c adapter. The daemon listens on a unix socket; QEMU
 * (-device vhost-user-i2c-pci) connects, shares the guest's memory and
 * the ring, and the guest kernel's own i2c-virtio driver talks to the bus.
 * One connection at a time; after a disconnect the next is accepted.
 * Served on the board's loop, never blocking. docs/vhost-user.md.
 */
#ifndef I2CEMU_VHOST_USER_H
#define I2CEMU_VHOST_USER_H

#include <i2cemu/board.h>

struct vhost_user;

/* Listen on `path` for bus index `bus` (an i2c-profile bus). The path is
 * checked like --socket's (sock_access.h). Returns NULL with err set. */
struct vhost_user *vhost_user_start(struct i2cemu_board *b, unsigned bus,
                                    const char *path,
                                    struct i2cemu_error *err);
/* Drop the connection (a transfer on the bus is cancelled), remove the
 * socket. NULL is a no-op. */
void vhost_user_stop(struct vhost_user *vu);

#endif
