/* SPDX-License-Identifier: MIT */
#include "control/base64.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *ctl_base64_encode(const void *data, size_t len)
{
    const unsigned char *p = data;
    char *out = malloc((len + 2) / 3 * 4 + 1), *w = out;

    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < len)
            v |= p[i + 2];
        *w++ = alphabet[v >> 18];
        *w++ = alphabet[v >> 12 & 63];
        *w++ = i + 1 < len ? alphabet[v >> 6 & 63] : '=';
        *w++ = i + 2 < len ? alphabet[v & 63] : '=';
    }
    *w = '\0';
    return out;
}

static int digit(char c)
{
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

bool ctl_base64_decode(const char *s, void *out, size_t len)
{
    unsigned char *o = out;
    size_t n = strlen(s);

    if (n != (len + 2) / 3 * 4)
        return false;
    for (size_t i = 0, k = 0; i < n; i += 4) {
        /* Bytes this quantum holds: 3, or fewer in the last one. */
        size_t bytes = len - k < 3 ? len - k : 3;
        uint32_t v = 0;
        for (size_t j = 0; j < 4; j++) {
            int d = digit(s[i + j]);
            if (j > bytes) {
                if (s[i + j] != '=')
                    return false;
                d = 0;
            } else if (d < 0) {
                return false;
            }
            v = v << 6 | (uint32_t)d;
        }
        /* The bits past the last byte must be zero (canonical form). */
        if ((bytes == 1 && (v & 0xFFFF)) || (bytes == 2 && (v & 0xFF)))
            return false;
        for (size_t j = 0; j < bytes; j++)
            o[k++] = (unsigned char)(v >> (16 - 8 * j));
    }
    return true;
}
