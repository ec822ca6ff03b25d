/* SPDX-License-Identifier: MIT */
/*
 * -v: bus traffic as text, one line per transaction, in the notation of
 * the kernel's smbus-protocol.rst:
 *
 *   i2c-1 0.000123: S 50 W A 10 A Sr 50 R A ab N P
 *
 * S/Sr/P: START, repeated START, STOP; A/N: ACK, NACK; bytes in hex; the
 * time is the bus time of the START, in seconds since the trace began.
 */
#ifndef I2CEMU_CLI_TRACE_H
#define I2CEMU_CLI_TRACE_H

#include <stdio.h>

#include <i2cemu/board.h>

struct cli_trace;

/* Trace every bus of b to out. Returns NULL when out of memory. */
struct cli_trace *cli_trace_new(struct i2cemu_board *b, FILE *out);
/* Print any unfinished transaction and stop tracing. */
void cli_trace_free(struct cli_trace *t);

#endif
