/* SPDX-License-Identifier: MIT */
/* `i2cemu ctl`: the command-line client of the control socket. */
#ifndef I2CEMU_CLI_CTL_H
#define I2CEMU_CLI_CTL_H

/* argv[0] is "ctl". Returns the exit status: 0, 1 (the request failed)
 * or 2 (usage). */
int cli_ctl_main(int argc, char **argv);

/* `ctl trace` on a connected control socket; bus -1: every bus. Returns
 * the exit status. */
int cli_ctl_trace(int fd, int bus);

#endif
