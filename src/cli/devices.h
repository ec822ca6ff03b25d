/* SPDX-License-Identifier: MIT */
/* `i2cemu devices` and docs/devices.md: the device types and their
 * properties, from the same table that parses device strings. */
#ifndef I2CEMU_CLI_DEVICES_H
#define I2CEMU_CLI_DEVICES_H

#include <stdio.h>

void cli_devices_print(FILE *out);
/* docs/devices.md, whole. */
void cli_devices_markdown(FILE *out);

#endif
