/* SPDX-License-Identifier: MIT */
/* Base64 (RFC 4648 section 4, with '=' padding) for snapshot byte arrays:
 * jansson has none, and an EEPROM's cells take a third more as base64
 * where hex would double them. */
#ifndef I2CEMU_CONTROL_BASE64_H
#define I2CEMU_CONTROL_BASE64_H

#include <stdbool.h>
#include <stddef.h>

/* The encoding of `len` bytes, NUL-terminated; NULL when out of memory.
 * Free it. */
char *ctl_base64_encode(const void *data, size_t len);
/* Decode `s` (strict: the alphabet, padding only at the end, no spaces,
 * no stray bits) into exactly `len` bytes at out. False, out untouched
 * past what it wrote, when s is not that. */
bool ctl_base64_decode(const char *s, void *out, size_t len);

#endif
