/* SPDX-License-Identifier: MIT */
/*
 * `i2cemu record -o FILE -- COMMAND`: run COMMAND with the recording
 * library (src/frontends/record/) preloaded in front of whatever is
 * preloaded already, so that every transfer COMMAND (and its children)
 * makes on /dev/i2c-N is appended to FILE. docs/record-replay.md.
 */
#include "cli/record.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontends/record/record_format.h"

#define EXIT_USAGE 2
#define RECORDER_NAME "libi2cemu-record.so"

static const char usage[] =
    "Usage: i2cemu record -o FILE -- COMMAND [ARG]...\n"
    "\n"
    "Run COMMAND and record every transfer it makes on /dev/i2c-N (on\n"
    "the real buses, or under i2cemu on emulated ones) into FILE, for\n"
    "the replay device type. FILE is created or truncated.\n"
    "\n"
    "  -o, --output FILE  the recording\n"
    "  -h, --help         print this help\n";

/* The real path of dir/rel/RECORDER_NAME, or NULL. */
static char *recorder_at(const char *dir, const char *rel)
{
    char *path, *real;

    if (asprintf(&path, "%s/%s/" RECORDER_NAME, dir, rel) < 0)
        return NULL;
    real = realpath(path, NULL);
    free(path);
    return real;
}

/* $I2CEMU_RECORDER; else the build tree's, beside this program; else the
 * installed one, where the preload shim is installed (main.c). */
static char *find_recorder(void)
{
    const char *env = getenv("I2CEMU_RECORDER");
    char exe[PATH_MAX], *real = NULL;
    ssize_t n;

    if (env && *env)
        return realpath(env, NULL);
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *dir = dirname(exe);
        real = recorder_at(dir, "../frontends/record");
        if (!real && *I2CEMU_PRELOAD_RELDIR)
            real = recorder_at(dir, I2CEMU_PRELOAD_RELDIR);
    }
    return real ? real : recorder_at(I2CEMU_PRELOAD_DIR, ".");
}

static int usage_error(const char *msg)
{
    fprintf(stderr, "i2cemu record: %s\nTry 'i2cemu record --help' for "
            "more information.\n", msg);
    return EXIT_USAGE;
}

int cli_record_main(int argc, char **argv)
{
    const char *out = NULL, *old = getenv("LD_PRELOAD");
    char *lib, *path, *preload;
    int i = 1, fd;

    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0)
            && i + 1 < argc)
            out = argv[++i];
        else
            return usage_error("expected -o FILE -- COMMAND");
    }
    if (!out || i + 1 >= argc)
        return usage_error("expected -o FILE -- COMMAND");
    if (!(lib = find_recorder())) {
        fprintf(stderr, "i2cemu record: cannot find " RECORDER_NAME ": set "
                "I2CEMU_RECORDER to its path\n");
        return 1;
    }
    /* Created here, so that a FILE that cannot be written stops us now,
     * and with the header; COMMAND's processes append to it. */
    fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, REC_HEADER, strlen(REC_HEADER)) < 0 ||
        close(fd) < 0 || !(path = realpath(out, NULL))) {
        fprintf(stderr, "i2cemu record: %s: %s\n", out, strerror(errno));
        free(lib);
        return 1;
    }
    /* In front: it records what the program asks of whatever is below. */
    if (asprintf(&preload, "%s%s%s", lib, old && *old ? " " : "",
                 old ? old : "") < 0 ||
        setenv("LD_PRELOAD", preload, 1) < 0 ||
        setenv("I2CEMU_RECORD", path, 1) < 0) {
        fprintf(stderr, "i2cemu record: out of memory\n");
        return 1;
    }
    execvp(argv[i + 1], argv + i + 1);
    fprintf(stderr, "i2cemu record: cannot run %s: %s\n", argv[i + 1],
            strerror(errno));
    return errno == ENOENT ? 127 : 126;
}
