/* SPDX-License-Identifier: MIT */
/*
 * The text trace sink (i2cemu -v): bus traffic, one line per transaction,
 * in the notation of the kernel's smbus-protocol.rst:
 *
 *   i2c-1 0.000123: S 50 W A 10 A Sr 50 R A ab N P
 *
 * S/Sr/P: START, repeated START, STOP; A/N: ACK, NACK; bytes in hex; the
 * time is the bus time at the end of the first address byte (its ACK bit
 * included), in seconds since the trace began. A fault rule that acts
 * is a line of its own, before its transaction's, timed when it acted:
 *
 *   i2c-1 0.000190: fault data-nack (rule 1) 50 W
 *
 * A bare trace leaves out the "i2c-1 0.000123: " prefix.
 *
 * Used on its own here (it hooks every bus itself, and out stays the
 * caller's), or as one sink among others: trace_text_sink_new() in
 * trace/sink.h.
 */
#ifndef I2CEMU_TRACE_TEXT_H
#define I2CEMU_TRACE_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include <i2cemu/board.h>

struct trace_text;

/* Trace every bus of b to out. Returns NULL when out of memory. */
struct trace_text *trace_text_new(struct i2cemu_board *b, FILE *out);
/* Leave out each line's bus and time, so that the same traffic always
 * gives the same text (expected traces in tests, golden files). */
void trace_text_set_bare(struct trace_text *t, bool bare);
/* Print any unfinished transaction and stop tracing. */
void trace_text_free(struct trace_text *t);

#endif
