/* SPDX-License-Identifier: MIT */
#include "cli/boardfile.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

static int add_line(struct i2cemu_board *b, char *line,
                    struct i2cemu_error *err)
{
    char *s = strip(line);

    if (!*s)
        return 0;
    if (strncmp(s, "bus", 3) == 0 && (!s[3] || isspace((unsigned char)s[3]))) {
        s += 3;
        while (isspace((unsigned char)*s))
            s++;
        return i2cemu_bus_add_spec(b, s, err) < 0 ? -1 : 0;
    }
    return i2cemu_device_add(b, s, err) < 0 ? -1 : 0;
}

int cli_boardfile_read(struct i2cemu_board *b, FILE *f, const char *name,
                       struct i2cemu_error *err)
{
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0;
    int ret = 0;

    while (getline(&line, &cap, f) >= 0) {
        struct i2cemu_error e;

        lineno++;
        if (add_line(b, line, &e) < 0) {
            i2cemu_error_set(err, "%s:%u: %s", name, lineno, e.msg);
            ret = -1;
            break;
        }
    }
    /* A directory opens fine and fails here, with EISDIR. */
    if (ret == 0 && ferror(f)) {
        i2cemu_error_set(err, "%s: %s", name, strerror(errno));
        ret = -1;
    }
    free(line);
    return ret;
}

int cli_boardfile_load(struct i2cemu_board *b, const char *path,
                       struct i2cemu_error *err)
{
    FILE *f = fopen(path, "re");

    if (!f) {
        i2cemu_error_set(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    int ret = cli_boardfile_read(b, f, path, err);
    fclose(f);
    return ret;
}
