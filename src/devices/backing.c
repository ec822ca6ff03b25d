/* SPDX-License-Identifier: MIT */
/*
 * Backing files of models' non-volatile memory: the contract is in
 * include/i2cemu/backing.h. A service for models, which the core does not
 * call (like regmap.c), so that any model with NVRAM, in the registry or a
 * custom type, stores it the same crash-safe way.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <i2cemu/backing.h>

const char *const i2cemu_sync_names[] = { "stop", "interval", "none", NULL };

struct i2cemu_backing {
    int fd;
    size_t size;
    enum i2cemu_sync_policy sync;
    uint64_t interval_ns;
    struct i2cemu_loop *loop;
    struct i2cemu_timer timer; /* INTERVAL: the sync to come */
    bool sync_pending;
    bool created; /* open made the image */
    bool stored;  /* a store was made to it */
    bool failed;  /* a write or sync failed, and nothing cured it yet */
    const char *what, *path;
    char names[]; /* what and path */
};

static unsigned failures;

unsigned i2cemu_backing_failures(void)
{
    return failures;
}

/* Logged once per failure, not per write a client retries. */
static void fail(struct i2cemu_backing *bk, const char *op, int e)
{
    if (!bk->failed)
        fprintf(stderr, "i2cemu: %s: %s: %s: %s; writes are refused until "
                "the image can be saved\n", bk->what, bk->path, op,
                strerror(e));
    bk->failed = true;
}

static int sync_now(struct i2cemu_backing *bk)
{
    if (fdatasync(bk->fd) == 0)
        return 0;
    fail(bk, "fdatasync", errno);
    return -1;
}

static void sync_due(struct i2cemu_timer *t)
{
    struct i2cemu_backing *bk = t->opaque;
    bk->sync_pending = false;
    sync_now(bk);
}

/* One pwrite(), so that a kill leaves each page-cache page old or new. A
 * regular file is written short only when its filesystem is full. */
static int write_range(int fd, const void *mem, size_t off, size_t len)
{
    ssize_t n = pwrite(fd, (const char *)mem + off, len, (off_t)off);
    if (n == (ssize_t)len)
        return 0;
    if (n >= 0)
        errno = ENOSPC;
    return -1;
}

int i2cemu_backing_store(struct i2cemu_backing *bk, const void *mem,
                         size_t off, size_t len)
{
    bk->stored = true;
    if (write_range(bk->fd, mem, off, len) < 0) {
        fail(bk, "write", errno);
        return -1;
    }
    switch (bk->sync) {
    case I2CEMU_SYNC_STOP:
        return sync_now(bk);
    case I2CEMU_SYNC_INTERVAL:
        if (!bk->sync_pending) {
            bk->sync_pending = true;
            i2cemu_timer_start(bk->loop, &bk->timer,
                               i2cemu_loop_now(bk->loop) + bk->interval_ns);
        }
        return 0;
    case I2CEMU_SYNC_NONE:
        break;
    }
    return 0;
}

/* After a failure the kernel may have dropped the pages it could not
 * write, and a later fsync reports nothing: only writing the whole image
 * again and syncing it makes it good. */
bool i2cemu_backing_ready(struct i2cemu_backing *bk, const void *mem)
{
    if (!bk->failed)
        return true;
    if (write_range(bk->fd, mem, 0, bk->size) < 0 || fdatasync(bk->fd) < 0)
        return false;
    bk->failed = false;
    fprintf(stderr, "i2cemu: %s: %s: saved again\n", bk->what, bk->path);
    return true;
}

int i2cemu_backing_close(struct i2cemu_backing *bk, const void *mem)
{
    int rc = 0;
    if (!bk)
        return 0;
    if (bk->sync_pending)
        i2cemu_timer_stop(bk->loop, &bk->timer);
    /* An image we created and never stored to holds nothing: a board that
     * failed to start, or never wrote, leaves nothing behind. */
    if (bk->created && !bk->stored) {
        unlink(bk->path);
    } else if (!i2cemu_backing_ready(bk, mem) || sync_now(bk) < 0) {
        fprintf(stderr, "i2cemu: %s: %s: data written to the part is not "
                "saved\n", bk->what, bk->path);
        failures++;
        rc = -1;
    }
    close(bk->fd);
    free(bk);
    return rc;
}

/* Put the complete temporary image in place under its name, never over a
 * file that appeared meanwhile (another daemon, a symlink). */
static int place(const char *tmp, const char *path)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    /* A filesystem without RENAME_NOREPLACE: link() never replaces. */
    if (link(tmp, path) < 0)
        return -1;
    unlink(tmp);
    return 0;
}

static int sync_dir_of(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    int rc = fd >= 0 ? fsync(fd) : -1;
    if (fd >= 0)
        close(fd);
    return rc;
}

/*
 * A new image, erased, written whole under a temporary name in the same
 * directory, synced, then named, so that no kill leaves a short image that
 * the next start would refuse. Returns the fd, locked; -2 when the name
 * appeared meanwhile; -1 with a message in err.
 */
static int create_image(const struct i2cemu_backing_config *cfg, void *mem,
                        struct i2cemu_error *err)
{
    size_t n = strlen(cfg->path) + sizeof(".XXXXXX");
    char *tmp = malloc(n);
    if (!tmp) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }
    snprintf(tmp, n, "%s.XXXXXX", cfg->path);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        i2cemu_error_set(err, "%s: %s", cfg->path, strerror(errno));
        free(tmp);
        return -1;
    }
    mode_t mask = umask(0); /* mkostemp made it 0600: as open() would */
    umask(mask);
    memset(mem, cfg->erased, cfg->size);
    int rc = -1;
    if (fchmod(fd, 0644 & ~mask) < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0 ||
        write_range(fd, mem, 0, cfg->size) < 0 || fsync(fd) < 0) {
        i2cemu_error_set(err, "%s: creating %zu bytes: %s", cfg->path,
                         cfg->size, strerror(errno));
    } else if (place(tmp, cfg->path) < 0) {
        if (errno == EEXIST)
            rc = -2;
        else
            i2cemu_error_set(err, "%s: %s", cfg->path, strerror(errno));
    } else if (sync_dir_of(cfg->path) < 0) {
        i2cemu_error_set(err, "%s: syncing its directory: %s", cfg->path,
                         strerror(errno));
        unlink(cfg->path);
    } else {
        rc = fd;
    }
    if (rc < 0) {
        unlink(tmp);
        close(fd);
    }
    free(tmp);
    return rc;
}

static int open_error(const char *path, struct i2cemu_error *err)
{
    if (errno == ELOOP)
        i2cemu_error_set(err, "%s: a symbolic link; backing files are "
                         "opened without following links: name the file "
                         "itself", path);
    else
        i2cemu_error_set(err, "%s: %s", path, strerror(errno));
    return -1;
}

/* Check an existing image and load it. */
static int load_image(int fd, const struct i2cemu_backing_config *cfg,
                      void *mem, struct i2cemu_error *err)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return open_error(cfg->path, err);
    if (!S_ISREG(st.st_mode)) {
        i2cemu_error_set(err, "%s: not a regular file", cfg->path);
        return -1;
    }
    /* Another user's file could be swapped or read under us: refused even
     * to root, who must run as its owner to use it. */
    if (st.st_uid != geteuid()) {
        const struct passwd *pw = getpwuid(st.st_uid);
        i2cemu_error_set(err, "%s: owned by user %s (uid %u), not by the "
                         "user i2cemu runs as (uid %u)", cfg->path,
                         pw ? pw->pw_name : "?", (unsigned)st.st_uid,
                         (unsigned)geteuid());
        return -1;
    }
    /* Two daemons programming one image would each overwrite the other. */
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        i2cemu_error_set(err, "%s: %s", cfg->path,
                         errno == EWOULDBLOCK ? "in use by another process"
                                              : strerror(errno));
        return -1;
    }
    if (st.st_size != (off_t)cfg->size) {
        i2cemu_error_set(err, "%s: %lld bytes, but a %s holds %zu",
                         cfg->path, (long long)st.st_size, cfg->what,
                         cfg->size);
        return -1;
    }
    if (pread(fd, mem, cfg->size, 0) != (ssize_t)cfg->size) {
        i2cemu_error_set(err, "%s: cannot read %zu bytes", cfg->path,
                         cfg->size);
        return -1;
    }
    return 0;
}

struct i2cemu_backing *
i2cemu_backing_open(struct i2cemu_dev *d, const struct i2cemu_backing_config *cfg,
                    void *mem, struct i2cemu_error *err)
{
    size_t wl = strlen(cfg->what) + 1, pl = strlen(cfg->path) + 1;
    struct i2cemu_backing *bk = calloc(1, sizeof(*bk) + wl + pl);
    if (!bk) {
        i2cemu_error_set(err, "out of memory");
        return NULL;
    }
    bk->what = memcpy(bk->names, cfg->what, wl);
    bk->path = memcpy(bk->names + wl, cfg->path, pl);
    bk->size = cfg->size;
    bk->sync = cfg->sync;
    bk->interval_ns = (uint64_t)cfg->interval_ms * 1000000u;
    bk->loop = i2cemu_dev_loop(d);
    i2cemu_timer_init(&bk->timer, sync_due, bk);

    int fd = open(cfg->path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        fd = create_image(cfg, mem, err);
        bk->created = fd >= 0;
        if (fd == -2) /* lost a race to create it: use the winner's */
            fd = open(cfg->path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
        else if (fd < 0)
            goto fail;
    }
    if (fd < 0) {
        open_error(cfg->path, err);
        goto fail;
    }
    bk->fd = fd;
    if (!bk->created && load_image(fd, cfg, mem, err) < 0) {
        close(fd);
        goto fail;
    }
    return bk;

fail:
    free(bk);
    return NULL;
}
