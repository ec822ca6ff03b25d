/* SPDX-License-Identifier: MIT */
/* `i2cemu devices` and docs/devices.md, both printed from the type table:
 * names, help, properties (kind, default, range, flags) and each family's
 * notes. */
#include "cli/devices.h"

#include <ctype.h>
#include <string.h>

#include <i2cemu/device.h>

static const char *const kind_name[] = {
    [I2CEMU_PROP_UINT] = "uint",     [I2CEMU_PROP_INT] = "int",
    [I2CEMU_PROP_BOOL] = "bool",     [I2CEMU_PROP_FLOAT] = "float",
    [I2CEMU_PROP_STRING] = "string", [I2CEMU_PROP_ENUM] = "enum",
};

static void format_number(char *s, size_t n, const struct i2cemu_prop *p,
                          double v)
{
    if (p->flags & I2CEMU_PROP_HEX)
        snprintf(s, n, "0x%llx", (unsigned long long)v);
    else
        snprintf(s, n, "%.15g", v);
}

static void format_default(char *s, size_t n, const struct i2cemu_prop *p)
{
    switch (p->kind) {
    case I2CEMU_PROP_UINT:
    case I2CEMU_PROP_INT:
        format_number(s, n, p, (double)p->def.i);
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

/* `sep` goes between a range's ends and between enum values. */
static void format_range(char *s, size_t n, const struct i2cemu_prop *p,
                         const char *to, const char *sep)
{
    double lo, hi;
    char a[32], b[32];
    switch (p->kind) {
    case I2CEMU_PROP_UINT:
    case I2CEMU_PROP_INT:
    case I2CEMU_PROP_FLOAT:
        i2cemu_prop_range(p, &lo, &hi);
        format_number(a, sizeof(a), p, lo);
        format_number(b, sizeof(b), p, hi);
        snprintf(s, n, "%s%s%s", a, to, b);
        break;
    case I2CEMU_PROP_BOOL:
        snprintf(s, n, "on%soff", sep);
        break;
    case I2CEMU_PROP_STRING:
        snprintf(s, n, "up to %zu chars", p->size - 1);
        break;
    case I2CEMU_PROP_ENUM:
        *s = '\0';
        for (size_t i = 0, used = 0; p->names[i] && used < n; i++)
            used += (size_t)snprintf(s + used, n - used, "%s%s",
                                     i ? sep : "", p->names[i]);
        break;
    }
}

void cli_devices_print(FILE *out)
{
    fputs("Every device takes addr=ADDR (required), bus=N (default 1) and\n"
          "claim=driver|client|none (what I2C_SLAVE finds there). Properties\n"
          "marked * can also be changed while the board runs; read-only ones\n"
          "are the model's to set, and can only be read.\n\n",
          out);
    fprintf(out, "  %-14s %-6s %-9s %-16s %s\n", "PROPERTY", "TYPE",
            "DEFAULT", "RANGE", "DESCRIPTION");
    for (unsigned i = 0; i < i2cemu_default_types.count; i++) {
        const struct i2cemu_device_type *t = i2cemu_default_types.types[i];

        fprintf(out, "\n%s: %s\n", t->name, t->help);
        for (const struct i2cemu_prop *p = t->props; p && p->name; p++) {
            char name[64], def[64], range[128];

            snprintf(name, sizeof(name), "%s%s", p->name,
                     p->flags & I2CEMU_PROP_RUNTIME ? "*" : "");
            format_default(def, sizeof(def), p);
            format_range(range, sizeof(range), p, "..", "|");
            fprintf(out, "  %-14s %-6s %-9s %-16s %s%s\n", name,
                    kind_name[p->kind], def, range, p->help,
                    p->flags & I2CEMU_PROP_READONLY ? " (read-only)" : "");
        }
    }
}

/* ---- docs/devices.md ---------------------------------------------------- */

static const char *title(const struct i2cemu_device_type *t)
{
    return t->family ? t->family : t->name;
}

/* The types from `first` that share its section: one family, in a row. */
static unsigned family_size(unsigned first)
{
    const struct i2cemu_type_table *tt = &i2cemu_default_types;
    unsigned n = 1;
    while (tt->types[first]->family && first + n < tt->count &&
           tt->types[first + n]->family &&
           strcmp(tt->types[first + n]->family, tt->types[first]->family) == 0)
        n++;
    return n;
}

/* GitHub's anchor for a heading. */
static void anchor(char *s, size_t n, const char *heading)
{
    size_t k = 0;
    for (; *heading && k + 1 < n; heading++) {
        unsigned char c = (unsigned char)*heading;
        if (isalnum(c) || c == '-' || c == '_')
            s[k++] = (char)tolower(c);
        else if (c == ' ')
            s[k++] = '-';
    }
    s[k] = '\0';
}

enum column { COL_DEFAULT, COL_RANGE, COL_FLAGS };

static void cell(char *s, size_t n, const struct i2cemu_prop *p, enum column c)
{
    switch (c) {
    case COL_DEFAULT:
        format_default(s, n, p);
        break;
    case COL_RANGE:
        format_range(s, n, p, " to ", " \\| ");
        break;
    case COL_FLAGS:
        snprintf(s, n, "%s%s%s",
                 p->flags & I2CEMU_PROP_RUNTIME ? "runtime " : "",
                 p->flags & I2CEMU_PROP_READONLY ? "read-only " : "",
                 p->flags & I2CEMU_PROP_HEX ? "hex " : "");
        if (*s)
            s[strlen(s) - 1] = '\0';
        break;
    }
}

/* A cell of property `pi` for the whole family: "per type" where the
 * members differ (an EEPROM's size). */
static void family_cell(char *s, size_t n, unsigned first, unsigned count,
                        unsigned pi, enum column c)
{
    cell(s, n, &i2cemu_default_types.types[first]->props[pi], c);
    for (unsigned k = 1; k < count; k++) {
        char other[128];
        cell(other, sizeof(other),
             &i2cemu_default_types.types[first + k]->props[pi], c);
        if (strcmp(other, s) != 0) {
            snprintf(s, n, "per type");
            return;
        }
    }
}

static void markdown_section(FILE *out, unsigned first, unsigned count)
{
    const struct i2cemu_device_type *t = i2cemu_default_types.types[first];
    fprintf(out, "\n---\n\n## %s\n\n", title(t));
    if (count == 1) {
        fprintf(out, "Type `%s`: %s.\n", t->name, t->help);
    } else {
        fputs("| type | what |\n|---|---|\n", out);
        for (unsigned k = 0; k < count; k++)
            fprintf(out, "| `%s` | %s |\n",
                    i2cemu_default_types.types[first + k]->name,
                    i2cemu_default_types.types[first + k]->help);
    }
    if (t->props && t->props[0].name) {
        fputs("\n### Properties\n\n| name | type | default | range | flags "
              "| help |\n|---|---|---|---|---|---|\n", out);
        for (unsigned pi = 0; t->props[pi].name; pi++) {
            char def[128], range[128], flags[64];
            family_cell(def, sizeof(def), first, count, pi, COL_DEFAULT);
            family_cell(range, sizeof(range), first, count, pi, COL_RANGE);
            family_cell(flags, sizeof(flags), first, count, pi, COL_FLAGS);
            fprintf(out, "| `%s` | %s | %s | %s | %s | %s |\n",
                    t->props[pi].name, kind_name[t->props[pi].kind], def,
                    range, flags, t->props[pi].help);
        }
    }
    if (t->lines && t->lines[0]) {
        fputs("\nOutput lines:", out);
        for (unsigned i = 0; t->lines[i]; i++)
            fprintf(out, "%s `%s`", i ? "," : "", t->lines[i]);
        fputs(".\n", out);
    }
    if (t->doc)
        fprintf(out, "\n%s", t->doc);
}

void cli_devices_markdown(FILE *out)
{
    const struct i2cemu_type_table *tt = &i2cemu_default_types;
    fputs("# Device reference\n\n"
          "<!-- Generated from the type table (src/devices/types.def) and "
          "the\n     models' `doc` notes by build/src/cli/i2cemu-devices-md:"
          " edit those,\n     then regenerate this file. A unit test fails "
          "while it differs. -->\n\n"
          "Every device is added with a QEMU-style string, on the command "
          "line\n(`-d`), in a board file, or with `i2cemu_device_add()`:\n\n"
          "```\nTYPE,addr=0x50[,bus=N][,claim=driver|client][,prop=value...]"
          "\n```\n\n"
          "`addr`, `bus` and `claim` are common to all types (see "
          "`board.h`). The\nproperties below are each type's own. "
          "Properties flagged *runtime* can also\nbe changed while the board "
          "runs (`i2cemu ctl set`, `i2cemu_device_set()`);\nthe others only "
          "when the device is created. *Read-only* properties are\nset by "
          "the model and only read (`i2cemu_device_get()`); *hex* ones are\n"
          "shown in hex. `i2cemu devices` prints the same table.\n\n"
          "| type | what |\n|---|---|\n", out);
    for (unsigned i = 0; i < tt->count; i++) {
        char a[96];
        anchor(a, sizeof(a), title(tt->types[i]));
        fprintf(out, "| [`%s`](#%s) | %s |\n", tt->types[i]->name, a,
                tt->types[i]->help);
    }
    fputs("\nModels see bus events and bytes, as hardware does; how a client "
          "reached the\nbus (CUSE, preload, in-process) makes no "
          "difference.\n", out);
    for (unsigned i = 0; i < tt->count; i += family_size(i))
        markdown_section(out, i, family_size(i));
}
