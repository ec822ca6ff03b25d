/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for regbank's i2cdump loader (src/devices/regbank.c,
 * property `file`): the input is written to a temporary file and loaded
 * with i2cemu_device_add("regbank,addr=0x52,file=TMP").
 *
 * Invariants: success, or failure with a message and the board exactly
 * as it was; after a success the registers read back through the i2c-dev
 * layer (SMBus word reads on the stub bus); no leak or memory error.
 */
#include <fcntl.h>
#include <unistd.h>

#include "fuzz_common.h"

static char path[64], spec[128];

static void cleanup(void)
{
    unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    int fd;

    snprintf(path, sizeof path, "/tmp/i2cemu-fuzz-i2cdump-XXXXXX");
    fd = mkstemp(path);
    FUZZ_CHECK(fd >= 0, "mkstemp");
    close(fd);
    snprintf(spec, sizeof spec, "regbank,addr=0x52,bus=3,file=%s", path);
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return -1;
    FILE *f = fopen(path, "we");
    FUZZ_CHECK(f, "fopen");
    FUZZ_CHECK(fwrite(data, 1, size, f) == size, "fwrite");
    FUZZ_CHECK(fclose(f) == 0, "fclose");

    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct i2cemu_board *b = i2cemu_board_new(loop);
    struct i2cemu_error err = { "" };
    struct arena_snap snap;

    FUZZ_CHECK(i2cemu_bus_add_spec(b, "3 profile=stub", &err) >= 0, "bus");
    arena_snap_take(b, &snap);
    int dev = i2cemu_device_add(b, spec, &err);
    if (dev < 0) {
        const char *diff = arena_snap_diff(b, &snap);
        FUZZ_CHECK(err.msg[0], "failed without a message");
        FUZZ_CHECK(!diff, "failed (%s) but changed the board: %s", err.msg,
                   diff);
    } else {
        /* The loaded registers read back through the i2c-dev layer. */
        struct i2cemu_i2cdev_file file;
        FUZZ_CHECK(i2cemu_i2cdev_open(&file, b, 3, O_RDWR) == 0, "open");
        FUZZ_CHECK(i2cemu_smbus_set_addr(&file, 0x52) == 0, "I2C_SLAVE");
        for (unsigned r = 0; r < 256; r += 17) {
            int v = i2cemu_smbus_read_word_data(&file, (uint8_t)r);
            FUZZ_CHECK(v >= 0 && v <= 0xFFFF, "read word %02x: %d", r, v);
        }
    }
    arena_snap_free(&snap);
    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
    return 0;
}
