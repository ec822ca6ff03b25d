/* SPDX-License-Identifier: MIT */
/*
 * Who may reach the daemon's socket: where it lives (a private directory of
 * ours, or a path the user gave that nobody else can replace), its mode and
 * group, and the credentials of each peer. docs/usage.md, "The socket".
 */
#ifndef I2CEMU_SOCK_ACCESS_H
#define I2CEMU_SOCK_ACCESS_H

#include <stdbool.h>
#include <sys/types.h>

#include <i2cemu/device.h>

struct sock_access {
    unsigned mode; /* the socket's permissions; 0: 0600, or 0660 with group */
    bool group;    /* gid names the socket's group, whose members are served */
    gid_t gid;
};

/* The socket's permissions as bound. */
unsigned sock_access_mode(const struct sock_access *a);

/* A new private directory for the socket, $XDG_RUNTIME_DIR/i2cemu-XXXXXX
 * (when that is ours alone) or /tmp/i2cemu-XXXXXX: mode 0700, with search
 * permission added for the classes the socket's mode lets in. Returns the
 * directory (free it, rmdir it after the socket is gone), or NULL with err
 * set. */
char *sock_access_private_dir(const struct sock_access *a,
                              struct i2cemu_error *err);

/* A path the user chose: its directory must be ours or root's and not
 * writable by others unless sticky; what is there already must be a socket
 * of ours that nothing listens on (a killed daemon's), and is removed.
 * Returns 0, or -1 with err set. */
int sock_access_check_path(const char *path, struct i2cemu_error *err);

/* bind() fd to path with exactly the socket's mode, whatever the umask,
 * and give it the group. Returns 0, or -1 with errno set. */
int sock_access_bind(int fd, const char *path, const struct sock_access *a);

/* Whether the peer on fd may be served: our own uid, root, or a member of
 * the socket's group. *uid: the peer's. */
bool sock_access_peer_ok(int fd, const struct sock_access *a, uid_t *uid);

#endif
