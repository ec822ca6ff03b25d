/* SPDX-License-Identifier: MIT */
/* 24Cxx backing files (the backing-store service, i2cemu/backing.h): which
 * files are used, how images are created, stored, synced, and what a
 * failing disk or a kill does. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <i2cemu/backing.h>

#include "devtest.h"

/*
 * Every pwrite() and fdatasync() of the program lands here (the
 * executable's definition wins over libc's), so a test can check how the
 * model writes its image, and make the disk fail.
 */
static struct {
    bool on;
    unsigned calls;
    off_t off;
    size_t len;
    char name[160]; /* the file written to */
    bool die;       /* the next pwrite() kills the process instead */
    int fail;       /* pwrite() fails with this errno */
    int sync_fail;  /* fdatasync() fails with this errno */
    unsigned syncs; /* fdatasync() calls */
} pw;

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
    if (pw.on) {
        pw.calls++;
        pw.off = off;
        pw.len = len;
        char fdpath[32];
        snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
        ssize_t n = readlink(fdpath, pw.name, sizeof(pw.name) - 1);
        pw.name[n > 0 ? n : 0] = 0;
    }
    if (pw.die)
        raise(SIGKILL);
    if (pw.fail) {
        errno = pw.fail;
        return -1;
    }
    return syscall(SYS_pwrite64, fd, buf, len, off);
}

int fdatasync(int fd)
{
    pw.syncs++;
    if (pw.sync_fail) {
        errno = pw.sync_fail;
        return -1;
    }
    return (int)syscall(SYS_fdatasync, fd);
}

static void tmp_path(char *out, size_t n, const char *tag)
{
    snprintf(out, n, "/tmp/i2cemu-test-at24-%d-%s.bin", (int)getpid(), tag);
    unlink(out);
}

/* Random read: the word address (1 or 2 bytes), then n bytes. */
static void ee_read(struct bench *t, uint16_t addr, unsigned word,
                    unsigned abytes, uint8_t *buf, uint16_t n)
{
    uint8_t w[2] = { (uint8_t)(word >> 8), (uint8_t)word };
    assert_int_equal(bench_xfer(t, addr, abytes == 2 ? w : w + 1,
                                (uint16_t)abytes, buf, n), 2);
}

static void read_file(const char *path, uint8_t *buf, size_t n)
{
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(read(fd, buf, n), (ssize_t)n);
    close(fd);
}

/* The image survives the board: missing file created erased, each page
 * stored at STOP, contents loaded back by a new board. */
static void test_file_persists(void **state)
{
    (void)state;
    char path[128], spec[200];
    uint8_t img[256], buf[2];
    struct bench t;
    tmp_path(path, sizeof(path), "persist");
    snprintf(spec, sizeof(spec), "24c02,addr=0x50,file=%s", path);

    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, spec);
    read_file(path, img, sizeof(img));
    for (unsigned i = 0; i < 256; i++)
        assert_int_equal(img[i], 0xFF);
    bench_write(&t, 0x50, 0x7F, 0xC0, 0xDE);
    read_file(path, img, sizeof(img)); /* on disk before the board goes */
    assert_int_equal(img[0x7F], 0xC0);
    assert_int_equal(img[0x78], 0xDE); /* rolled over in 0x78-0x7F */
    bench_fini(&t);

    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, spec);
    ee_read(&t, 0x50, 0x7F, 1, buf, 2);
    assert_bytes(buf, 0xC0, 0xFF);
    /* One image, one daemon: a second user is refused. */
    struct bench t2;
    bench_init(&t2, I2CEMU_CLOCK_VIRTUAL);
    bench_refuse(&t2, spec, "in use");
    bench_fini(&t2);
    bench_fini(&t);
    unlink(path);
}

/* A file created for a part that was never programmed is removed at
 * shut-down: a board that failed to start leaves nothing behind. */
static void test_unwritten_new_file_is_removed(void **state)
{
    (void)state;
    char path[128], spec[200];
    struct bench t;
    tmp_path(path, sizeof(path), "pristine");
    snprintf(spec, sizeof(spec), "24c02,addr=0x50,file=%s", path);
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, spec);
    assert_int_equal(access(path, F_OK), 0); /* created, and locked */
    uint8_t buf[1];
    ee_read(&t, 0x50, 0x00, 1, buf, 1); /* reads do not keep it */
    bench_fini(&t);
    assert_int_equal(access(path, F_OK), -1);

    /* An existing image stays, written or not. */
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, spec);
    bench_write(&t, 0x50, 0x00, 0x42);
    bench_fini(&t);
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, spec);
    bench_fini(&t);
    assert_int_equal(access(path, F_OK), 0);
    unlink(path);
}

static void test_file_errors(void **state)
{
    (void)state;
    char path[128], spec[200];
    struct bench t;
    tmp_path(path, sizeof(path), "short");
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "0123456789", 10), 10);
    close(fd);

    bench_init(&t, I2CEMU_CLOCK_FAST);
    snprintf(spec, sizeof(spec), "24c02,addr=0x50,file=%s", path);
    bench_refuse(&t, spec, "10 bytes, but a 24c02 holds 256");
    bench_refuse(&t, "24c02,addr=0x50,file=/nonexistent-dir/x.bin",
                 "/nonexistent-dir/x.bin: No such file or directory");
    bench_fini(&t);
    unlink(path);
}

/* Backing files are opened without following a link, must belong to the
 * user i2cemu runs as (root included), and must have the part's size. */
static void test_file_must_be_ours(void **state)
{
    (void)state;
    char path[128], link[128], spec[200];
    struct bench t;
    tmp_path(path, sizeof(path), "owner");
    tmp_path(link, sizeof(link), "link");
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    assert_true(fd >= 0);
    uint8_t img[256];
    memset(img, 0x11, sizeof(img));
    assert_int_equal(write(fd, img, sizeof(img)), sizeof(img));
    close(fd);
    assert_int_equal(symlink(path, link), 0);

    bench_init(&t, I2CEMU_CLOCK_FAST);
    snprintf(spec, sizeof(spec), "24c02,addr=0x50,file=%s", link);
    bench_refuse(&t, spec, "a symbolic link");
    /* A dangling link is not followed to create its target either. */
    unlink(path);
    bench_refuse(&t, spec, "a symbolic link");
    assert_int_equal(access(path, F_OK), -1);

    fd = open(path, O_WRONLY | O_CREAT, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, img, sizeof(img)), sizeof(img));
    assert_int_equal(fchown(fd, 1000, 1000), 0);
    close(fd);
    snprintf(spec, sizeof(spec), "24c02,addr=0x50,file=%s", path);
    char want[64];
    snprintf(want, sizeof(want), "(uid 1000), not by the user i2cemu runs "
             "as (uid %u)", (unsigned)geteuid());
    bench_refuse(&t, spec, want);
    assert_int_equal(chown(path, geteuid(), getegid()), 0);
    bench_add(&t, spec);
    uint8_t b;
    ee_read(&t, 0x50, 0x42, 1, &b, 1);
    assert_int_equal(b, 0x11);
    bench_fini(&t);
    unlink(path);
    unlink(link);
}

/* A missing image is created whole, under a temporary name first, so that
 * no kill leaves a short image behind: the only pwrite() before the name
 * appears is the whole erased image into another file, and no temporary
 * file is left. */
static void test_new_image_appears_whole(void **state)
{
    (void)state;
    char dir[] = "/tmp/i2cemu-test-at24-XXXXXX", path[128], spec[200];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/ee.bin", dir);
    snprintf(spec, sizeof(spec), "24c64,addr=0x50,file=%s", path);
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    pw.on = true;
    pw.calls = 0;
    bench_add(&t, spec);
    pw.on = false;
    assert_int_equal(pw.calls, 1);
    assert_int_equal(pw.len, 8192);
    assert_int_equal(strncmp(pw.name, path, strlen(path)), 0);
    assert_string_not_equal(pw.name, path); /* ee.bin.XXXXXX */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 8192);
    assert_int_equal(st.st_mode & 0777, 0644 & ~(unsigned)umask(022));
    bench_write(&t, 0x50, 0x00, 0x00, 0x42);
    bench_fini(&t);
    /* Only the image in the directory: no temporary file. */
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "test \"$(ls -A %s)\" = ee.bin", dir);
    assert_int_equal(system(cmd), 0);
    unlink(path);
    rmdir(dir);
}

/* Killed while it creates the image, before writing a byte: the next
 * start finds no image (and creates one), not an empty one it refuses. */
static void test_kill_during_creation_blocks_nothing(void **state)
{
    (void)state;
    char dir[] = "/tmp/i2cemu-test-at24-XXXXXX", path[128], spec[200];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/ee.bin", dir);
    snprintf(spec, sizeof(spec), "24c02,addr=0x50,file=%s", path);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct i2cemu_error err;
        struct i2cemu_loop *l = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
        struct i2cemu_board *b = i2cemu_board_new(l);
        pw.die = true;
        i2cemu_device_add(b, spec, &err);
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(access(path, F_OK), -1);
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, spec);
    bench_write(&t, 0x50, 0x00, 0x42);
    bench_fini(&t);
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -r %s", dir);
    assert_int_equal(system(cmd), 0);
}

/*
 * A full disk or an I/O error: the write that could not be saved was
 * acknowledged (its STOP had come), but the next write is refused (its
 * first data byte NACKed) while the image cannot be saved; the EEPROM
 * still reads. Once the disk takes writes again, the whole image is saved
 * and writes are acknowledged again; a store still failing at shut-down
 * counts in i2cemu_backing_failures().
 */
static void test_failed_save_refuses_writes(void **state)
{
    (void)state;
    char path[128], spec[200];
    struct bench t;
    uint8_t b;
    tmp_path(path, sizeof(path), "enospc");
    snprintf(spec, sizeof(spec), "24c02,addr=0x50,file=%s", path);
    unsigned failures = i2cemu_backing_failures();

    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, spec);
    pw.fail = ENOSPC;
    bench_write(&t, 0x50, 0x10, 0xAB);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x11, 0xCD), NULL, 0), -EIO);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x10), &b, 1), 2);
    assert_int_equal(b, 0xAB);
    pw.fail = 0;
    bench_write(&t, 0x50, 0x11, 0xCD); /* saves the whole image again */
    uint8_t img[256];
    read_file(path, img, sizeof(img));
    assert_bytes(img + 0x10, 0xAB, 0xCD);

    pw.sync_fail = EIO;
    bench_write(&t, 0x50, 0x12, 0xEF);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x13, 0x01), NULL, 0), -EIO);
    assert_int_equal(i2cemu_backing_failures(), failures);
    bench_fini(&t); /* still failing: counted */
    pw.sync_fail = 0;
    assert_int_equal(i2cemu_backing_failures(), failures + 1);
    unlink(path);
}

/* sync=stop syncs at each STOP; sync=interval within `interval` ms of
 * board time, once for many writes; sync=none only at shut-down. */
static void test_sync_policies(void **state)
{
    (void)state;
    char path[128], spec[200];
    struct bench t;
    tmp_path(path, sizeof(path), "sync");
    static const char *const policy[] = {
        "sync=stop", "sync=interval,interval=20", "sync=none",
    };
    /* fdatasync() calls: before and at 20 ms after the first STOP, and
     * after shut-down. */
    static const unsigned before[] = { 2, 0, 0 }, at[] = { 2, 1, 0 },
                          after[] = { 3, 2, 1 };
    for (unsigned i = 0; i < 3; i++) {
        snprintf(spec, sizeof(spec), "24c02,addr=0x50,file=%s,%s", path,
                 policy[i]);
        bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
        bench_add(&t, spec);
        pw.syncs = 0;
        bench_write(&t, 0x50, 0x00, 0x01);
        i2cemu_loop_advance(t.loop, 10 * MS);
        bench_write(&t, 0x50, 0x08, 0x02);
        i2cemu_loop_advance(t.loop, 10 * MS - 1);
        assert_int_equal(pw.syncs, before[i]);
        i2cemu_loop_advance(t.loop, 1); /* 20 ms after the first STOP */
        assert_int_equal(pw.syncs, at[i]);
        bench_fini(&t);
        assert_int_equal(pw.syncs, after[i]);
        unlink(path);
    }
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_refuse(&t, "24c02,addr=0x50,sync=always", "sync=always");
    bench_refuse(&t, "24c02,addr=0x50,interval=0", "interval=0");
    bench_fini(&t);
}

/* A committed page reaches the file in ONE pwrite() of the whole page at
 * its page offset, so no crash can leave half a page (see at24.c). */
static void test_page_is_one_pwrite(void **state)
{
    (void)state;
    char path[128], spec[200];
    struct bench t;
    tmp_path(path, sizeof(path), "pwrite");
    snprintf(spec, sizeof(spec), "24c256,addr=0x50,file=%s", path);
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, spec);
    pw.on = true;
    pw.calls = 0;
    bench_write(&t, 0x50, 0x12, 0x3E, 1, 2, 3, 4);
    pw.on = false;
    assert_int_equal(pw.calls, 1);
    assert_int_equal(pw.off, 0x1200);
    assert_int_equal(pw.len, 64);
    bench_fini(&t);
    unlink(path);
}

/*
 * Crash test: a child programs whole pages, each filled with one value,
 * as fast as it can; it is SIGKILLed mid-stream. Every page of the image
 * must then hold a single value: old or new, never a mix.
 */
static void test_kill_never_tears_a_page(void **state)
{
    (void)state;
    char path[128], spec[200];
    tmp_path(path, sizeof(path), "kill");
    /* A kill, not a power loss: no sync is needed to keep the pages. */
    snprintf(spec, sizeof(spec), "24c64,addr=0x50,file=%s,sync=none", path);

    for (int round = 0; round < 3; round++) {
        int ready[2];
        assert_int_equal(pipe(ready), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            /* No cmocka asserts here: a failure must not resume the test
             * runner in the child. */
            struct i2cemu_error err;
            struct i2cemu_loop *l = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
            struct i2cemu_board *b = i2cemu_board_new(l);
            if (i2cemu_device_add(b, spec, &err) < 0)
                _exit(1);
            uint8_t msg[2 + 32];
            struct i2c_msg m = { .addr = 0x50, .len = sizeof(msg),
                                 .buf = msg };
            for (unsigned n = 0;; n++) {
                unsigned page = (n * 37) % 256;
                msg[0] = (uint8_t)(page >> 3);
                msg[1] = (uint8_t)(page << 5);
                memset(msg + 2, (int)(n & 0x7F), 32);
                bool done = false;
                struct i2cemu_transfer x = { .msgs = &m, .nmsgs = 1,
                                             .done = bench_done,
                                             .opaque = &done };
                i2cemu_transfer_submit(b, (unsigned)i2cemu_bus_find(b, 1),
                                       &x);
                while (!done)
                    i2cemu_loop_run_once(l, false);
                if (n == 256 && write(ready[1], "", 1) != 1)
                    _exit(1); /* every page programmed once: kill me */
            }
        }
        char c;
        close(ready[1]);
        assert_int_equal(read(ready[0], &c, 1), 1);
        close(ready[0]);
        usleep(1000 * (unsigned)round);
        kill(pid, SIGKILL);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));

        uint8_t img[8192];
        read_file(path, img, sizeof(img));
        for (unsigned p = 0; p < 256; p++) {
            for (unsigned i = 1; i < 32; i++)
                if (img[p * 32 + i] != img[p * 32])
                    fail_msg("page %u torn at byte %u", p, i);
            assert_true(img[p * 32] < 0x80); /* programmed */
        }
    }
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_persists),
        cmocka_unit_test(test_unwritten_new_file_is_removed),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_file_must_be_ours),
        cmocka_unit_test(test_new_image_appears_whole),
        cmocka_unit_test(test_kill_during_creation_blocks_nothing),
        cmocka_unit_test(test_failed_save_refuses_writes),
        cmocka_unit_test(test_sync_policies),
        cmocka_unit_test(test_page_is_one_pwrite),
        cmocka_unit_test(test_kill_never_tears_a_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
