/* SPDX-License-Identifier: MIT */
#include "cli/demo.h"

#include <fcntl.h>

#include <i2cemu/i2cemu.h>

static const char *const demo_devices[] = {
    "24c02,addr=0x50",
    "tmp102,addr=0x48",
    "lm75,addr=0x49",
    "regbank,addr=0x52",
};

/* Written through the bus, as a client would, so that the first i2cdump
 * shows more than zeros. */
static const uint8_t demo_text[] = "i2cemu demo bank";

int cli_demo_add(struct i2cemu_board *b, struct i2cemu_error *err)
{
    struct i2cemu_i2cdev_file f;

    for (size_t i = 0; i < sizeof(demo_devices) / sizeof(demo_devices[0]); i++)
        if (i2cemu_device_add(b, demo_devices[i], err) < 0)
            return -1;
    if (i2cemu_i2cdev_open(&f, b, 1, O_RDWR) < 0 ||
        i2cemu_smbus_set_addr(&f, 0x52) < 0 ||
        i2cemu_smbus_write_i2c_block_data(&f, 0x00, sizeof(demo_text) - 1,
                                          demo_text) < 0) {
        i2cemu_error_set(err, "demo board: cannot fill the regbank");
        return -1;
    }
    return 0;
}
