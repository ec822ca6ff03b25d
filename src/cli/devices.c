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
static unsigned family_size(const struct i2cemu_type_table *tt, unsigned first)
{
    unsigned n = 1;
    while (tt->types[first]->family && first + n < tt->count &&
           tt->types[first + n]->family &&
           strcmp(tt->types[first + n]->family, tt->types[first]->family) == 0)
        n++;
    return n;
}

/* Member t's property called `name`, or NULL: members of a family may
 * have different lists, so they are matched by name. */
static const struct i2cemu_prop *prop_named(const struct i2cemu_device_type *t,
                                            const char *name)
{
    for (const struct i2cemu_prop *p = t->props; p && p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

/* Whether t has the property (or the output line) called `name`. */
static bool has(const struct i2cemu_device_type *t, const char *name,
                bool line)
{
    if (!line)
        return prop_named(t, name) != NULL;
    for (unsigned i = 0; t->lines && t->lines[i]; i++)
        if (strcmp(t->lines[i], name) == 0)
            return true;
    return false;
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

enum column { COL_KIND, COL_DEFAULT, COL_RANGE, COL_FLAGS };

static void cell(char *s, size_t n, const struct i2cemu_prop *p, enum column c)
{
    switch (c) {
    case COL_KIND:
        snprintf(s, n, "%s", kind_name[p->kind]);
        break;
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

/* A cell of property `name` for the members of a family that have it:
 * "per type" where they differ (an EEPROM's size). */
static void family_cell(char *s, size_t n, const struct i2cemu_type_table *tt,
                        unsigned first, unsigned count, const char *name,
                        enum column c)
{
    *s = '\0';
    bool seen = false;
    for (unsigned k = 0; k < count; k++) {
        const struct i2cemu_prop *p = prop_named(tt->types[first + k], name);
        char mine[128];
        if (!p)
            continue;
        cell(mine, sizeof(mine), p, c);
        if (!seen) {
            snprintf(s, n, "%s", mine);
            seen = true;
        } else if (strcmp(mine, s) != 0) {
            snprintf(s, n, "per type");
            return;
        }
    }
}

/* "not on `a`, `b`": the members of a family without property (or output
 * line) `name`; empty when all have it. */
static void missing_from(char *s, size_t n, const struct i2cemu_type_table *tt,
                         unsigned first, unsigned count, const char *name,
                         bool line)
{
    size_t used = 0;
    *s = '\0';
    for (unsigned k = 0; k < count && used < n; k++) {
        const struct i2cemu_device_type *t = tt->types[first + k];
        if (!has(t, name, line))
            used += (size_t)snprintf(s + used, n - used, "%s`%s`",
                                     used ? ", " : "not on ", t->name);
    }
}

/* True if an earlier member than `k` has property (or line) `name`: the
 * row is printed already. */
static bool listed_before(const struct i2cemu_type_table *tt, unsigned first,
                          unsigned k, const char *name, bool line)
{
    for (unsigned j = 0; j < k; j++)
        if (has(tt->types[first + j], name, line))
            return true;
    return false;
}

/* The properties of a family: every member's, by name, in the order they
 * first appear; a row names the members that lack it. */
static void property_table(FILE *out, const struct i2cemu_type_table *tt,
                           unsigned first, unsigned count)
{
    bool header = false;
    for (unsigned k = 0; k < count; k++) {
        const struct i2cemu_device_type *t = tt->types[first + k];
        for (const struct i2cemu_prop *p = t->props; p && p->name; p++) {
            char kind[128], def[128], range[128], flags[128], missing[256];
            if (listed_before(tt, first, k, p->name, false))
                continue;
            if (!header)
                fputs("\n### Properties\n\n| name | type | default | range "
                      "| flags | help |\n|---|---|---|---|---|---|\n", out);
            header = true;
            family_cell(kind, sizeof(kind), tt, first, count, p->name,
                        COL_KIND);
            family_cell(def, sizeof(def), tt, first, count, p->name,
                        COL_DEFAULT);
            family_cell(range, sizeof(range), tt, first, count, p->name,
                        COL_RANGE);
            family_cell(flags, sizeof(flags), tt, first, count, p->name,
                        COL_FLAGS);
            missing_from(missing, sizeof(missing), tt, first, count, p->name,
                         false);
            fprintf(out, "| `%s` | %s | %s | %s | %s%s%s | %s |\n", p->name,
                    kind, def, range, flags, *flags && *missing ? ", " : "",
                    missing, p->help);
        }
    }
}

/* The output lines of a family, by name, as the properties. */
static void line_list(FILE *out, const struct i2cemu_type_table *tt,
                      unsigned first, unsigned count)
{
    bool any = false;
    for (unsigned k = 0; k < count; k++) {
        const struct i2cemu_device_type *t = tt->types[first + k];
        for (unsigned i = 0; t->lines && t->lines[i]; i++) {
            char missing[256];
            if (listed_before(tt, first, k, t->lines[i], true))
                continue;
            missing_from(missing, sizeof(missing), tt, first, count,
                         t->lines[i], true);
            fprintf(out, "%s `%s`%s%s%s", any ? "," : "\nOutput lines:",
                    t->lines[i], *missing ? " (" : "", missing,
                    *missing ? ")" : "");
            any = true;
        }
    }
    if (any)
        fputs(".\n", out);
}

void cli_devices_markdown_sections(FILE *out,
                                   const struct i2cemu_type_table *tt)
{
    for (unsigned first = 0, count; first < tt->count; first += count) {
        const struct i2cemu_device_type *t = tt->types[first];
        count = family_size(tt, first);
        fprintf(out, "\n---\n\n## %s\n\n", title(t));
        if (count == 1) {
            fprintf(out, "Type `%s`: %s.\n", t->name, t->help);
        } else {
            fputs("| type | what |\n|---|---|\n", out);
            for (unsigned k = 0; k < count; k++)
                fprintf(out, "| `%s` | %s |\n", tt->types[first + k]->name,
                        tt->types[first + k]->help);
        }
        property_table(out, tt, first, count);
        line_list(out, tt, first, count);
        /* The family's notes are its first member's (device.h). */
        if (t->doc)
            fprintf(out, "\n%s", t->doc);
    }
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
    cli_devices_markdown_sections(out, tt);
}
