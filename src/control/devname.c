/* SPDX-License-Identifier: MIT */
/* Device names as Linux spells them: "1-0048" is the client at 0x48 on
 * i2c-1 (the kernel's "%d-%04x"); "tmp102@1-0048" adds the type, which
 * must then match. Or the name id= gave it ("fan-ctl"), which starts
 * with a letter and has no '@', so the two never read alike. */
#include "control/request.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ctl_device_name(const struct i2cemu_board *b, unsigned dev, char *out,
                     size_t len)
{
    snprintf(out, len, "%s@%d-%04x", i2cemu_device_type_of(b, dev)->name,
             i2cemu_bus_number(b, i2cemu_device_bus(b, dev)),
             (unsigned)i2cemu_device_addr(b, dev));
}

/* "N-AAAA": a decimal bus number and 1 to 4 hex digits. */
static bool parse_linux_name(const char *s, long *bus, unsigned *addr)
{
    char *end;
    size_t digits = 0;

    if (!isdigit((unsigned char)*s))
        return false;
    *bus = strtol(s, &end, 10);
    if (*end != '-' || end - s > 5)
        return false;
    s = end + 1;
    *addr = 0;
    for (; isxdigit((unsigned char)*s) && digits < 4; s++, digits++)
        *addr = *addr << 4 |
                (unsigned)(isdigit((unsigned char)*s)
                               ? *s - '0'
                               : tolower((unsigned char)*s) - 'a' + 10);
    return digits > 0 && !*s;
}

int ctl_device_lookup(const struct i2cemu_board *b, const json_t *name,
                      json_t **fail)
{
    const char *s, *at, *linux_name;
    long bus;
    unsigned addr;
    int busi, dev;

    if (!json_is_string(name)) {
        *fail = ctl_fail("\"dev\" must be a string such as tmp102@1-0048");
        return -1;
    }
    s = json_string_value(name);
    at = strchr(s, '@');
    if (!at && (dev = i2cemu_device_find_id(b, s)) >= 0)
        return dev;
    linux_name = at ? at + 1 : s;
    if (!parse_linux_name(linux_name, &bus, &addr)) {
        *fail = ctl_fail("device '%s': no device has that id, and it is "
                         "not a name such as tmp102@1-0048 or 1-0048", s);
        return -1;
    }
    busi = i2cemu_bus_find(b, (int)bus);
    if (busi < 0) {
        *fail = ctl_fail("device '%s': there is no bus %ld", s, bus);
        return -1;
    }
    dev = i2cemu_device_find(b, (unsigned)busi, (uint16_t)addr);
    if (dev < 0) {
        *fail = ctl_fail("device '%s': no device at 0x%02x on bus %ld", s,
                         addr, bus);
        return -1;
    }
    if (at) {
        const char *type = i2cemu_device_type_of(b, (unsigned)dev)->name;
        if ((size_t)(at - s) != strlen(type) ||
            strncmp(s, type, (size_t)(at - s)) != 0) {
            *fail = ctl_fail("device '%s': %s is a %s", s, linux_name, type);
            return -1;
        }
    }
    return dev;
}
