/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for board files (src/cli/boardfile.c): the whole text
 * read by cli_boardfile_read(), as `-f FILE` reads it.
 *
 * The first byte chooses --allow-empty and whether relative paths resolve
 * to a subdirectory "b,d" (a comma, which must be escaped in the spec) or
 * to the current directory; the rest is the file.
 *
 * Invariants: 0 or -1; on -1, a message that starts with "fuzz.cfg",
 * is NUL-terminated, was not cut off (shorter than the buffer), and holds
 * no control byte but tab (bad bytes are quoted escaped, if at all); on 0
 * without allow_empty, the board has a bus or a device. No leak.
 *
 * Backing files (file=) are confined as in fuzz_devspec: a private
 * temporary directory, inputs with '/' skipped, emptied after each input.
 */
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "cli/boardfile.h"

static char dir[64];

static void empty(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char name[300];

    if (!d)
        return;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            !strcmp(e->d_name, "b,d"))
            continue;
        snprintf(name, sizeof name, "%s/%s", path, e->d_name);
        unlink(name);
    }
    closedir(d);
}

static void cleanup(void)
{
    empty("b,d");
    empty(".");
    rmdir("b,d");
    if (chdir("/") == 0)
        rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/i2cemu-fuzz-boardfile-XXXXXX");
    FUZZ_CHECK(mkdtemp(dir), "mkdtemp");
    FUZZ_CHECK(chdir(dir) == 0, "chdir");
    FUZZ_CHECK(mkdir("b,d", 0700) == 0, "mkdir");
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || memchr(data, '/', size))
        return -1;

    bool allow_empty = data[0] & 1;
    const char *sub = data[0] & 2 ? "b,d" : NULL;
    FILE *f = fmemopen((void *)(data + 1), size - 1, "r");
    FUZZ_CHECK(f, "fmemopen");

    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct i2cemu_board *b = i2cemu_board_new(loop);
    struct i2cemu_error err;
    memset(&err, 0, sizeof err);

    int r = cli_boardfile_read(b, f, "fuzz.cfg", sub, allow_empty, &err);
    FUZZ_CHECK(r == 0 || r == -1, "returned %d", r);
    if (r < 0) {
        size_t n = strnlen(err.msg, sizeof err.msg);
        FUZZ_CHECK(n < sizeof err.msg - 1, "message cut off: %s", err.msg);
        FUZZ_CHECK(strncmp(err.msg, "fuzz.cfg", 8) == 0, "no file name: %s",
                   err.msg);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK((unsigned char)err.msg[i] >= 0x20 ||
                           err.msg[i] == '\t',
                       "control byte 0x%02x in the message",
                       (unsigned char)err.msg[i]);
    } else if (!allow_empty) {
        FUZZ_CHECK(i2cemu_bus_count(b) + i2cemu_device_count(b) > 0,
                   "an empty board was accepted");
    }
    fclose(f);
    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
    empty("b,d");
    empty(".");
    return 0;
}
