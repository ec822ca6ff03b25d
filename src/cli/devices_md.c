/* SPDX-License-Identifier: MIT */
/* i2cemu-devices-md: print docs/devices.md from the type table (a build
 * tool; the unit suite checks the file in the tree is its output). */
#include "cli/devices.h"

int main(void)
{
    cli_devices_markdown(stdout);
    return fflush(stdout) == 0 ? 0 : 1;
}
