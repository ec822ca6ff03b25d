/* SPDX-License-Identifier: MIT */
/* `i2cemu devices` and docs/devices.md: the device types and their
 * properties, from the same table that parses device strings. */
#ifndef I2CEMU_CLI_DEVICES_H
#define I2CEMU_CLI_DEVICES_H

#include <stdio.h>

#include <i2cemu/device.h>

void cli_devices_print(FILE *out);
/* docs/devices.md, whole. */
void cli_devices_markdown(FILE *out);
/* Its per-type part, for any table: a section per family (consecutive
 * types with the same `family`), whose property table and output lines
 * are all its members' by name. */
void cli_devices_markdown_sections(FILE *out,
                                   const struct i2cemu_type_table *tt);

#endif
