// SPDX-License-Identifier: MIT
/*
 * Access to the daemon's socket. Whoever can bind the path clients use can
 * serve them, and the shim hands the server its memory: so the socket is
 * never at a path another user could take over (a predictable name in a
 * world-writable directory, or one left behind when the daemon exits), and
 * the daemon serves only its own user, root and the group it was given.
 */
#include "frontends/sock_access.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

unsigned sock_access_mode(const struct sock_access *a)
{
    return a->mode ? a->mode : a->group ? 0660 : 0600;
}

/* A directory nobody else can write to: ours, not group/other-writable. */
static bool ours_alone(const char *dir)
{
    struct stat st;

    return dir[0] == '/' && stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
           st.st_uid == geteuid() && !(st.st_mode & 0022);
}

char *sock_access_private_dir(const struct sock_access *a,
                              struct i2cemu_error *err)
{
    const char *base = getenv("XDG_RUNTIME_DIR");
    unsigned m = sock_access_mode(a);
    /* Search permission, no more, for those the socket lets in. */
    mode_t dm = 0700 | (m & 0060 ? 0010 : 0) | (m & 0006 ? 0001 : 0);
    char *dir;

    /* Another user's XDG_RUNTIME_DIR (su keeps it) could be renamed under
     * us by its owner: /tmp and mkdtemp then. */
    if (!base || !ours_alone(base))
        base = "/tmp";
    if (asprintf(&dir, "%s/i2cemu-XXXXXX", base) < 0) {
        i2cemu_error_set(err, "out of memory");
        return NULL;
    }
    if (!mkdtemp(dir)) {
        i2cemu_error_set(err, "%s: %s", dir, strerror(errno));
        free(dir);
        return NULL;
    }
    if ((a->group && chown(dir, (uid_t)-1, a->gid) < 0) ||
        chmod(dir, dm) < 0) {
        i2cemu_error_set(err, "%s: %s", dir, strerror(errno));
        rmdir(dir);
        free(dir);
        return NULL;
    }
    return dir;
}

static int check_dir(const char *path, struct i2cemu_error *err)
{
    char *copy = strdup(path);
    const char *dir = copy ? dirname(copy) : NULL;
    struct stat st;
    int r = -1;

    if (!dir)
        i2cemu_error_set(err, "out of memory");
    else if (stat(dir, &st) < 0)
        i2cemu_error_set(err, "%s: %s", dir, strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        i2cemu_error_set(err, "%s: not a directory", dir);
    else if (st.st_uid != geteuid() && st.st_uid != 0)
        i2cemu_error_set(err, "%s: its directory %s belongs to another user "
                         "(uid %u), who could replace the socket", path, dir,
                         (unsigned)st.st_uid);
    else if ((st.st_mode & 0022) && !(st.st_mode & S_ISVTX))
        i2cemu_error_set(err, "%s: its directory %s is writable by others "
                         "and not sticky (mode %04o), so they could replace "
                         "the socket", path, dir,
                         (unsigned)(st.st_mode & 07777));
    else
        r = 0;
    free(copy);
    return r;
}

/* A socket of ours at path: remove it if nothing listens there. */
static int clear_stale(const char *path, struct i2cemu_error *err)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int r, e;

    strcpy(sa.sun_path, path);
    r = fd < 0 ? -1 : connect(fd, (struct sockaddr *)&sa, sizeof sa);
    e = errno;
    if (fd >= 0)
        close(fd);
    if (r == 0 || e == EAGAIN) { /* EAGAIN: listening, its backlog full */
        i2cemu_error_set(err, "%s: in use: a server is listening there",
                         path);
        return -1;
    }
    if (e != ECONNREFUSED) {
        i2cemu_error_set(err, "%s: %s", path, strerror(e));
        return -1;
    }
    /* A daemon of ours was killed: its socket stayed. */
    if (unlink(path) < 0 && errno != ENOENT) {
        i2cemu_error_set(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int sock_access_check_path(const char *path, struct i2cemu_error *err)
{
    struct sockaddr_un sa;
    struct stat st;

    if (strlen(path) >= sizeof sa.sun_path) {
        i2cemu_error_set(err, "%s: socket path too long", path);
        return -1;
    }
    if (check_dir(path, err) < 0)
        return -1;
    if (lstat(path, &st) < 0) {
        if (errno == ENOENT)
            return 0;
        i2cemu_error_set(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISSOCK(st.st_mode)) {
        i2cemu_error_set(err, "%s: exists and is not a socket", path);
        return -1;
    }
    if (st.st_uid != geteuid()) {
        i2cemu_error_set(err, "%s: a socket of another user (uid %u)", path,
                         (unsigned)st.st_uid);
        return -1;
    }
    return clear_stale(path, err);
}

int sock_access_bind(int fd, const char *path, const struct sock_access *a)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    mode_t old;
    int r, e;

    if (strlen(path) >= sizeof sa.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(sa.sun_path, path);
    /* The node gets 0777 less the umask: this umask makes it exactly the
     * mode from the start, with no window for a chmod to close. */
    old = umask(~sock_access_mode(a) & 0777);
    r = bind(fd, (struct sockaddr *)&sa, sizeof sa);
    umask(old);
    if (r == 0 && a->group &&
        fchownat(AT_FDCWD, path, (uid_t)-1, a->gid, AT_SYMLINK_NOFOLLOW) < 0) {
        e = errno;
        unlink(path);
        errno = e;
        return -1;
    }
    return r;
}

/* Whether the peer's primary or supplementary groups include gid. */
static bool peer_in_group(int fd, gid_t primary, gid_t gid)
{
    gid_t few[32], *g = few;
    socklen_t len = sizeof few;
    bool found = primary == gid;

    if (!found && getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len) < 0) {
        if (errno != ERANGE || !(g = malloc(len)) ||
            getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len) < 0)
            len = 0;
    }
    for (size_t i = 0; !found && g && i < len / sizeof *g; i++)
        found = g[i] == gid;
    if (g != few)
        free(g);
    return found;
}

bool sock_access_peer_ok(int fd, const struct sock_access *a, uid_t *uid)
{
    struct ucred cr;
    socklen_t len = sizeof cr;

    *uid = (uid_t)-1;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
        return false;
    *uid = cr.uid;
    return cr.uid == geteuid() || cr.uid == 0 ||
           (a->group && peer_in_group(fd, cr.gid, a->gid));
}
