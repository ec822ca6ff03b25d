/* SPDX-License-Identifier: MIT */
#include "cli/devices.h"

#include <i2cemu/device.h>

static const char *const kind_name[] = {
    [I2CEMU_PROP_UINT] = "uint",     [I2CEMU_PROP_INT] = "int",
    [I2CEMU_PROP_BOOL] = "bool",     [I2CEMU_PROP_FLOAT] = "float",
    [I2CEMU_PROP_STRING] = "string", [I2CEMU_PROP_ENUM] = "enum",
};

static void format_default(char *s, size_t n, const struct i2cemu_prop *p)
{
    switch (p->kind) {
    case I2CEMU_PROP_UINT:
    case I2CEMU_PROP_INT:
        snprintf(s, n, "%lld", (long long)p->def.i);
        break;
    case I2CEMU_PROP_BOOL:
        snprintf(s, n, "%s", p->def.i ? "on" : "off");
        break;
    case I2CEMU_PROP_FLOAT:
        snprintf(s, n, "%.15g", p->def.f);
        break;
    case I2CEMU_PROP_STRING:
        snprintf(s, n, "\"%s\"", p->def.s ? p->def.s : "");
        break;
    case I2CEMU_PROP_ENUM:
        snprintf(s, n, "%s", p->names[p->def.i]);
        break;
    }
}

static void format_range(char *s, size_t n, const struct i2cemu_prop *p)
{
    switch (p->kind) {
    case I2CEMU_PROP_UINT:
    case I2CEMU_PROP_INT:
    case I2CEMU_PROP_FLOAT:
        snprintf(s, n, "%.15g..%.15g", p->min, p->max);
        break;
    case I2CEMU_PROP_BOOL:
        snprintf(s, n, "on|off");
        break;
    case I2CEMU_PROP_STRING:
        snprintf(s, n, "up to %zu chars", p->size - 1);
        break;
    case I2CEMU_PROP_ENUM:
        *s = '\0';
        for (size_t i = 0, used = 0; p->names[i] && used < n; i++)
            used += (size_t)snprintf(s + used, n - used, "%s%s", i ? "|" : "",
                                     p->names[i]);
        break;
    }
}

void cli_devices_print(FILE *out)
{
    fputs("Every device takes addr=ADDR (required), bus=N (default 1) and\n"
          "claim=driver|client|none (what I2C_SLAVE finds there). Properties\n"
          "marked * can also be changed while the board runs.\n\n",
          out);
    fprintf(out, "  %-14s %-6s %-9s %-16s %s\n", "PROPERTY", "TYPE",
            "DEFAULT", "RANGE", "DESCRIPTION");
    for (unsigned i = 0; i < i2cemu_device_type_count; i++) {
        const struct i2cemu_device_type *t = i2cemu_device_types[i];

        fprintf(out, "\n%s: %s\n", t->name, t->help);
        for (const struct i2cemu_prop *p = t->props; p && p->name; p++) {
            char name[64], def[64], range[128];

            snprintf(name, sizeof(name), "%s%s", p->name,
                     p->flags & I2CEMU_PROP_RUNTIME ? "*" : "");
            format_default(def, sizeof(def), p);
            format_range(range, sizeof(range), p);
            fprintf(out, "  %-14s %-6s %-9s %-16s %s\n", name,
                    kind_name[p->kind], def, range, p->help);
        }
    }
}
