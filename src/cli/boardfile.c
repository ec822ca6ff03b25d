/* SPDX-License-Identifier: MIT */
#include "cli/boardfile.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

/* How much of a file name messages quote. */
#define CLI_NAME_EXCERPT 128

/* Cut the comment off and trim blanks; returns the start of what is left.
 * A '#' inside a word (a file name, say) is kept. */
static char *strip(char *line)
{
    for (char *p = line; *p; p++) {
        if (*p == '#' && (p == line || isspace((unsigned char)p[-1]))) {
            *p = '\0';
            break;
        }
    }
    size_t n = strlen(line);
    while (n > 0 && isspace((unsigned char)line[n - 1]))
        line[--n] = '\0';
    while (isspace((unsigned char)*line))
        line++;
    return line;
}

/* `spec` with each relative file=PATH made relative to `dir` instead of
 * the current directory (a comma in dir written twice, as in any value).
 * Returns a string to free, or NULL when out of memory. */
static char *resolve_paths(const char *spec, const char *dir)
{
    size_t n = strlen(spec), dirlen = 0;
    for (const char *p = dir; *p; p++)
        dirlen += *p == ',' ? 2 : 1;
    unsigned files = 0;
    for (const char *p = spec; (p = strstr(p, ",file=")); p++)
        files++;
    char *out = malloc(n + files * (dirlen + 1) + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        /* ",," is a comma inside a value, not the start of a field. */
        if (spec[i] == ',' && spec[i + 1] == ',') {
            *o++ = spec[i++];
            *o++ = spec[i++];
            continue;
        }
        bool field = spec[i] == ',';
        *o++ = spec[i++];
        if (field && strncmp(spec + i, "file=", 5) == 0 &&
            spec[i + 5] && spec[i + 5] != '/') {
            memcpy(o, "file=", 5);
            o += 5;
            i += 5;
            for (const char *p = dir; *p; p++) {
                *o++ = *p;
                if (*p == ',')
                    *o++ = ',';
            }
            *o++ = '/';
        }
    }
    *o = '\0';
    return out;
}

/* A bus name given with name= has no blanks; the defaults, which any
 * number of buses share, have. */
static bool name_taken(const struct i2cemu_board *b, unsigned bus)
{
    const char *name = i2cemu_bus_name(b, bus);
    if (strchr(name, ' '))
        return false;
    for (unsigned i = 0; i < i2cemu_bus_count(b); i++)
        if (i != bus && strcmp(i2cemu_bus_name(b, i), name) == 0)
            return true;
    return false;
}

/* Returns 1 for a bus or device added, 0 for a blank line or a fault,
 * -1 on error. */
static int add_line(struct i2cemu_board *b, char *line, const char *dir,
                    struct i2cemu_error *err)
{
    char *s = strip(line);

    if (!*s)
        return 0;
    if (strncmp(s, "bus", 3) == 0 && (!s[3] || isspace((unsigned char)s[3]))) {
        s += 3;
        while (isspace((unsigned char)*s))
            s++;
        int bus = i2cemu_bus_add_spec(b, s, err);
        if (bus < 0)
            return -1;
        if (name_taken(b, (unsigned)bus)) {
            i2cemu_error_set(err, "bus %d: name=%s: another bus has that "
                             "name", i2cemu_bus_number(b, (unsigned)bus),
                             i2cemu_bus_name(b, (unsigned)bus));
            return -1;
        }
        return 1;
    }
    if (strncmp(s, "fault", 5) == 0 && (!s[5] || isspace((unsigned char)s[5]))) {
        /* A fault rule (docs/faults.md): after the devices it names. */
        s += 5;
        while (isspace((unsigned char)*s))
            s++;
        return i2cemu_fault_add(b, s, err) < 0 ? -1 : 0;
    }
    if (!dir)
        return i2cemu_device_add(b, s, err) < 0 ? -1 : 1;
    char *spec = resolve_paths(s, dir);
    if (!spec) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }
    int ret = i2cemu_device_add(b, spec, err) < 0 ? -1 : 1;
    free(spec);
    return ret;
}

/* err for byte c, or 0 when c may be in a line: printable bytes, UTF-8
 * included, and tabs. Nothing else, as messages quote the line. */
static int check_byte(int c, struct i2cemu_error *err)
{
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
        i2cemu_error_set(err, "byte 0x%02x is not text", c);
        return -1;
    }
    return 0;
}

int cli_check_spec(const char *spec, struct i2cemu_error *err)
{
    if (strlen(spec) > CLI_BOARDFILE_MAX_LINE) {
        i2cemu_error_set(err, "longer than %d bytes", CLI_BOARDFILE_MAX_LINE);
        return -1;
    }
    for (const char *p = spec; *p; p++)
        if (check_byte((unsigned char)*p, err) < 0)
            return -1;
    return 0;
}

/* Read one line of at most CLI_BOARDFILE_MAX_LINE bytes into buf, with
 * *total counting the bytes of the file so far. Returns 1 for a line, 0
 * at the end, -1 with err set ("what is wrong", without FILE:LINE:). */
static int read_line(FILE *f, char *buf, size_t *total,
                     struct i2cemu_error *err)
{
    size_t n = 0;
    int c;

    while ((c = getc(f)) != EOF) {
        if (++*total > CLI_BOARDFILE_MAX_SIZE) {
            i2cemu_error_set(err, "board file larger than %d bytes",
                             CLI_BOARDFILE_MAX_SIZE);
            return -1;
        }
        if (c == '\n')
            break;
        if (c == '\r') { /* of a CRLF line end: skipped; any other, refused */
            int next = getc(f);
            if (next != EOF)
                ungetc(next, f);
            if (next == '\n' || next == EOF)
                continue;
        }
        if (check_byte(c, err) < 0)
            return -1;
        if (n == CLI_BOARDFILE_MAX_LINE) {
            i2cemu_error_set(err, "line longer than %d bytes",
                             CLI_BOARDFILE_MAX_LINE);
            return -1;
        }
        buf[n++] = (char)c;
    }
    buf[n] = '\0';
    return c == EOF && n == 0 ? 0 : 1;
}

int cli_boardfile_read(struct i2cemu_board *b, FILE *f, const char *name,
                       const char *dir, bool allow_empty,
                       struct i2cemu_error *err)
{
    char *line = malloc(CLI_BOARDFILE_MAX_LINE + 1);
    size_t total = 0;
    char quoted[CLI_NAME_EXCERPT * 4 + 8];
    unsigned lineno = 0, added = 0;
    int ret = 0, r;

    if (!line) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }
    for (;;) {
        struct i2cemu_error e;

        lineno++;
        errno = 0;
        r = read_line(f, line, &total, &e);
        if (r > 0)
            r = add_line(b, line, dir, &e);
        if (r < 0) {
            i2cemu_error_set(err, "%s:%u: %s",
                             i2cemu_excerpt(quoted, sizeof(quoted), name,
                                         CLI_NAME_EXCERPT), lineno, e.msg);
            ret = -1;
            break;
        }
        added += (unsigned)r;
        if (feof(f) || ferror(f))
            break;
    }
    /* A directory opens fine and fails here, with EISDIR. */
    if (ret == 0 && ferror(f)) {
        i2cemu_error_set(err, "%s: %s", i2cemu_excerpt(quoted, sizeof(quoted),
                         name, CLI_NAME_EXCERPT), strerror(errno));
        ret = -1;
    } else if (ret == 0 && added == 0 && !allow_empty) {
        i2cemu_error_set(err, "%s: no bus or device in it (--allow-empty "
                         "serves an empty board)",
                         i2cemu_excerpt(quoted, sizeof(quoted), name,
                                     CLI_NAME_EXCERPT));
        ret = -1;
    }
    free(line);
    return ret;
}

int cli_boardfile_load(struct i2cemu_board *b, const char *path,
                       bool allow_empty, struct i2cemu_error *err)
{
    if (strcmp(path, "-") == 0)
        return cli_boardfile_read(b, stdin, "<stdin>", NULL, allow_empty,
                                  err);

    FILE *f = fopen(path, "re");
    char *copy = strdup(path);

    if (!f || !copy) {
        char quoted[CLI_NAME_EXCERPT * 4 + 8];
        i2cemu_error_set(err, "%s: %s",
                         i2cemu_excerpt(quoted, sizeof(quoted), path,
                                     CLI_NAME_EXCERPT),
                         strerror(f ? ENOMEM : errno));
        if (f)
            fclose(f);
        free(copy);
        return -1;
    }
    /* Paths inside are relative to the file's directory; "." needs no
     * help, and leaves messages about them as the user wrote them. */
    const char *dir = dirname(copy);
    int ret = cli_boardfile_read(b, f, path, strcmp(dir, ".") ? dir : NULL,
                                 allow_empty, err);
    fclose(f);
    free(copy);
    return ret;
}
