/* SPDX-License-Identifier: MIT */
/* `i2cemu record`: run a command with its bus transfers recorded. */
#ifndef I2CEMU_CLI_RECORD_H
#define I2CEMU_CLI_RECORD_H

/* argv[0] is "record". Returns an exit status if COMMAND could not be
 * run; otherwise it does not return. */
int cli_record_main(int argc, char **argv);

#endif
