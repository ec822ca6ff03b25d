// SPDX-License-Identifier: MIT
/* The CUSE frontend's nodes (cuse.h): each bus's character device set up,
 * with its reader thread, and everything taken down again. The requests
 * they serve are cuse.c's. */
#include "frontends/cuse_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* FUSE moves at most max_pages pages each way in an ioctl round, and CUSE
 * cannot raise max_pages from its default (fs/fuse/ioctl.c). */
#define IOCTL_MAX_PAGES 32
/* How long the kernel may take to create a node (udev, without devtmpfs). */
#define NODE_TIMEOUT_MS 2000

static bool wait_node(const char *path)
{
    for (int ms = 0; access(path, F_OK) < 0; ms++) {
        if (ms == NODE_TIMEOUT_MS)
            return false;
        nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
    }
    return true;
}

static bool node_own(void *opaque, const struct fuse_buf *buf)
{
    return cuse_wire_serve(opaque, buf);
}

static int node_start(struct cuse_frontend *cf, struct cuse_node *n,
                      unsigned bus, const struct cuse_options *o,
                      struct i2cemu_error *err)
{
    const char *prefix = o->prefix ? o->prefix : "i2c-";
    char devname[96], fdpath[32], arg0[] = "i2cemu", arg1[] = "-d";
    char *argv[] = { arg0, arg1, NULL };
    const char *info[] = { devname };
    struct cuse_info ci = {
        .dev_info_argc = 1,
        .dev_info_argv = info,
        .flags = CUSE_UNRESTRICTED_IOCTL,
    };
    struct fuse_args args = FUSE_ARGS_INIT(o->debug ? 2 : 1, argv);
    int fd, num;

    n->cf = cf;
    n->number = i2cemu_bus_number(cf->board, bus);
    /* The bus number, unless /dev has it already (the kernel's i2c-0). */
    for (num = n->number; num < n->number + 256; num++) {
        snprintf(n->path, sizeof(n->path), "/dev/%s%d", prefix, num);
        if (access(n->path, F_OK) < 0 && errno == ENOENT)
            break;
    }
    snprintf(devname, sizeof(devname), "DEVNAME=%s%d", prefix, num);

    n->se = cuse_lowlevel_new(&args, &ci, &cuse_node_ops, n);
    fuse_opt_free_args(&args);
    if (!n->se) {
        snprintf(err->msg, sizeof(err->msg), "%s: cannot set up CUSE",
                 n->path);
        return -1;
    }
    fd = open("/dev/cuse", O_RDWR | O_CLOEXEC); /* the reader blocks */
    if (fd < 0) {
        snprintf(err->msg, sizeof(err->msg),
                 "/dev/cuse: %s (needs root and `modprobe cuse`)",
                 strerror(errno));
        return -1;
    }
    snprintf(fdpath, sizeof(fdpath), "/dev/fd/%d", fd);
    if (fuse_session_mount(n->se, fdpath) < 0) {
        close(fd);
        snprintf(err->msg, sizeof(err->msg), "%s: cannot set up CUSE",
                 n->path);
        return -1;
    }
    n->fd = fd; /* the session's now: fuse_session_destroy() closes it */

    /* The kernel sends CUSE_INIT at open; it creates the device while it
     * reads the answer. Answer now, so that the node exists on return. */
    if (poll(&(struct pollfd){ .fd = fd, .events = POLLIN }, 1,
             NODE_TIMEOUT_MS) == 1 &&
        fuse_session_receive_buf(n->se, &n->reader.buf) > 0)
        fuse_session_process_buf(n->se, &n->reader.buf);
    if (!wait_node(n->path)) {
        snprintf(err->msg, sizeof(err->msg), "%s: CUSE did not create it",
                 n->path);
        return -1;
    }
    if (chown(n->path, o->uid, o->gid) < 0 ||
        chmod(n->path, o->mode ? o->mode : 0600) < 0) {
        snprintf(err->msg, sizeof(err->msg), "%s: %s", n->path,
                 strerror(errno));
        return -1;
    }
    if (cuse_reader_start(&cf->readers, &n->reader, n->se, n->path,
                          node_own, n) < 0) {
        snprintf(err->msg, sizeof(err->msg), "%s: cannot start its thread",
                 n->path);
        return -1;
    }
    return 0;
}

struct cuse_frontend *cuse_frontend_start(struct i2cemu_board *b,
                                          const struct cuse_options *opts,
                                          struct i2cemu_error *err)
{
    struct cuse_frontend *cf = calloc(1, sizeof(*cf));
    unsigned n = i2cemu_bus_count(b);

    if (!cf || !(cf->nodes = calloc(n ? n : 1, sizeof(*cf->nodes)))) {
        free(cf);
        snprintf(err->msg, sizeof(err->msg), "out of memory");
        return NULL;
    }
    cf->board = b;
    cf->ioctl_max = IOCTL_MAX_PAGES * (size_t)sysconf(_SC_PAGESIZE);
    if (cuse_readers_init(&cf->readers, i2cemu_board_loop(b)) < 0) {
        cuse_frontend_stop(cf);
        snprintf(err->msg, sizeof(err->msg), "out of memory");
        return NULL;
    }
    for (; cf->nnodes < n; cf->nnodes++) {
        if (node_start(cf, &cf->nodes[cf->nnodes], cf->nnodes, opts, err)) {
            cf->nnodes++; /* stop cleans up the partial node too */
            cuse_frontend_stop(cf);
            return NULL;
        }
    }
    return cf;
}

const char *cuse_frontend_node(const struct cuse_frontend *cf, unsigned bus)
{
    return bus < cf->nnodes ? cf->nodes[bus].path : NULL;
}

void cuse_frontend_stop(struct cuse_frontend *cf)
{
    if (!cf)
        return;
    cuse_readers_stop(&cf->readers);
    /* Cancelling completes the call, which answers it and leaves the list;
     * answer while the sessions are still there. */
    while (cf->calls)
        i2cemu_i2cdev_cancel(&cf->calls->r);
    for (unsigned i = 0; i < cf->nnodes; i++) {
        struct cuse_node *n = &cf->nodes[i];

        if (n->se)
            fuse_session_destroy(n->se); /* closing the fd removes the node */
        free(n->reader.buf.mem);
    }
    while (cf->files)
        cuse_file_free(cf->files);
    /* Calls kept for a retry the kernel never sent. */
    for (unsigned i = 0; i < cf->nnodes; i++)
        for (unsigned t = 0; t < CUSE_ASKED_THREADS; t++)
            if (cf->nodes[i].asked.t[t].kept)
                cuse_call_free(cf->nodes[i].asked.t[t].kept);
    while (cf->spare) {
        struct cuse_call *c = cf->spare;

        cf->spare = c->next;
        free(c);
    }
    free(cf->nodes);
    free(cf);
}
