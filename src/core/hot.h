/* SPDX-License-Identifier: MIT */
/*
 * I2CEMU_HOT marks the functions every request round of a frontend runs
 * (CUSE's reader, the i2c-dev layer's decoding, the master's submit), and
 * the transfer callbacks of the 24Cxx EEPROMs, the part nearly every
 * board carries, so that GCC places them together in .text.hot. Under a
 * TCG guest each context switch empties the emulated TLB, and a round
 * pays for every page it touches afterwards (docs/benchmarks.md,
 * "Pages").
 */
#ifndef I2CEMU_HOT_H
#define I2CEMU_HOT_H

#define I2CEMU_HOT __attribute__((hot))

#endif
