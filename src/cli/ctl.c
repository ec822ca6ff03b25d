/* SPDX-License-Identifier: MIT */
/*
 * `i2cemu ctl`: one request to a running daemon's control socket
 * ($I2CEMU_CONTROL or --socket), its reply printed for people (or as JSON
 * with --json). docs/control.md.
 */
#include "cli/ctl.h"
#include "cli/screenshot.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <limits.h>

#include <jansson.h>

#define EXIT_USAGE 2
#define MAX_REPLY (16u << 20)

static const char usage[] =
    "Usage: i2cemu ctl [--socket PATH] [--json] COMMAND\n"
    "\n"
    "Steer a running i2cemu through its control socket ($I2CEMU_CONTROL,\n"
    "which `i2cemu run` prints and `i2cemu ... -- COMMAND` exports).\n"
    "\n"
    "  list                       buses and devices\n"
    "  get DEV [PROP]...          properties and their values\n"
    "  set DEV PROP=VALUE...      change runtime properties, all or none\n"
    "  wait DEV PROP=VALUE [--timeout MS]\n"
    "                             return once PROP has VALUE\n"
    "  add SPEC                   hot-plug a device (as -d SPEC)\n"
    "  del DEV                    unplug a device\n"
    "  reset BUS                  reset bus BUS (/dev/i2c-BUS)\n"
    "  snapshot save|load FILE    save the whole board, or restore it\n"
    "  screenshot DEV FILE.png    save what a display shows as a PNG\n"
    "  trace [--bus N]            print the bus events as JSON lines until\n"
    "                             interrupted (docs/traces.md)\n"
    "  fault add SPEC             inject faults (as -F SPEC, docs/faults.md)\n"
    "  fault list                 the fault rules, their matches and hits\n"
    "  fault del ID | fault clear remove a rule, or all of them\n"
    "  quit                       stop the daemon\n"
    "\n"
    "DEV is a device as Linux names it: tmp102@1-0048 or 1-0048, or the\n"
    "name its id= gave it.\n"
    "  --socket PATH    the control socket (default: $I2CEMU_CONTROL)\n"
    "  --json           print the daemon's JSON reply\n"
    "  --timeout MS     wait: give up after MS milliseconds\n"
    "  --bus N          trace: only bus N (/dev/i2c-N)\n"
    "  -h, --help       print this help\n";

struct ctl_args {
    const char *socket;
    bool json;
    long timeout_ms; /* -1: none */
    long bus;        /* trace --bus; -1: every bus */
    char **words;    /* COMMAND and its operands */
    int nwords;
};

static int usage_error(const char *fmt, const char *arg)
{
    fputs("i2cemu ctl: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'i2cemu ctl --help' for more information.\n", stderr);
    return EXIT_USAGE;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(struct ctl_args *a, int argc, char **argv)
{
    static const struct option opts[] = {
        { "socket", required_argument, NULL, 's' },
        { "json", no_argument, NULL, 'j' },
        { "timeout", required_argument, NULL, 't' },
        { "bus", required_argument, NULL, 'b' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    char *end;
    int c;

    *a = (struct ctl_args){ .timeout_ms = -1, .bus = -1 };
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            a->socket = optarg;
            break;
        case 'j':
            a->json = true;
            break;
        case 't':
            a->timeout_ms = strtol(optarg, &end, 10);
            if (!*optarg || *end || a->timeout_ms < 0 ||
                a->timeout_ms > 86400000)
                return usage_error("--timeout %s: expected milliseconds",
                                   optarg);
            break;
        case 'b':
            a->bus = strtol(optarg, &end, 10);
            if (!*optarg || *end || a->bus < 0 || a->bus > 0xFFFF)
                return usage_error("--bus %s: expected a bus number",
                                   optarg);
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        case ':':
            return usage_error("missing argument to '%s'", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    a->words = argv + optind;
    a->nwords = argc - optind;
    if (!a->socket)
        a->socket = getenv("I2CEMU_CONTROL");
    if (a->nwords == 0)
        return usage_error("%s", "a command is required (list, get, set, "
                           "wait, add, del, reset, snapshot, trace or quit)");
    if (!a->socket || !*a->socket)
        return usage_error("%s", "no control socket: set I2CEMU_CONTROL or "
                           "give --socket (i2cemu run prints it)");
    return -1;
}

/* {"PROP": "VALUE"} from PROP=VALUE words; NULL after a usage message. */
static json_t *assignments(char **words, int n)
{
    json_t *o = json_object();

    for (int i = 0; o && i < n; i++) {
        char *eq = strchr(words[i], '=');
        if (!eq || eq == words[i]) {
            usage_error("'%s': expected PROP=VALUE", words[i]);
            json_decref(o);
            return NULL;
        }
        *eq = '\0';
        if (json_object_get(o, words[i])) {
            usage_error("%s is given twice", words[i]);
            json_decref(o);
            return NULL;
        }
        json_object_set_new(o, words[i], json_string(eq + 1));
        *eq = '=';
    }
    return o;
}

/* The snapshot request: FILE made absolute, since the daemon's working
 * directory is not ours. */
static json_t *snapshot_request(char **ops, int n)
{
    char cwd[PATH_MAX], *path = NULL;
    json_t *req;

    if (n != 2 || (strcmp(ops[0], "save") != 0 && strcmp(ops[0], "load"))) {
        usage_error("%s", "snapshot: expected save FILE or load FILE");
        return NULL;
    }
    if (ops[1][0] != '/') {
        if (!getcwd(cwd, sizeof(cwd)) ||
            asprintf(&path, "%s/%s", cwd, ops[1]) < 0) {
            usage_error("snapshot: %s: cannot make it absolute", ops[1]);
            return NULL;
        }
    }
    req = json_pack("{ssssss}", "op", "snapshot", "action", ops[0], "file",
                    path ? path : ops[1]);
    free(path);
    return req;
}

/* fault add SPEC | list | del ID | clear */
static json_t *fault_request(char **ops, int n)
{
    const char *act = n ? ops[0] : "";
    char *end;
    long id = n == 2 ? strtol(ops[1], &end, 10) : 0;

    if (n == 2 && strcmp(act, "add") == 0)
        return json_pack("{ssssss}", "op", "fault", "action", "add", "spec",
                         ops[1]);
    if (n == 1 && (strcmp(act, "list") == 0 || strcmp(act, "clear") == 0))
        return json_pack("{ssss}", "op", "fault", "action", act);
    if (n == 2 && strcmp(act, "del") == 0) {
        if (!*ops[1] || *end || id <= 0 || id > INT_MAX) {
            usage_error("fault del: '%s' is not a rule id (fault list)",
                        ops[1]);
            return NULL;
        }
        return json_pack("{sssssi}", "op", "fault", "action", "del", "fault",
                         (int)id);
    }
    usage_error("%s", "fault: expected add SPEC, list, del ID or clear");
    return NULL;
}

/* The request for the command words; NULL with *status set. */
static json_t *build_request(const struct ctl_args *a, int *status)
{
    const char *cmd = a->words[0];
    char **ops = a->words + 1;
    int n = a->nwords - 1;
    json_t *req = NULL, *props;

    *status = EXIT_USAGE;
    if (strcmp(cmd, "list") == 0 || strcmp(cmd, "quit") == 0) {
        if (n) {
            usage_error("%s takes no operands", cmd);
            return NULL;
        }
        req = json_pack("{ss}", "op", cmd);
    } else if (strcmp(cmd, "get") == 0) {
        if (n < 1) {
            usage_error("%s", "get: which device?");
            return NULL;
        }
        req = json_pack("{ssss}", "op", "get", "dev", ops[0]);
        if (req && n > 1) {
            json_t *names = json_array();
            for (int i = 1; i < n; i++)
                json_array_append_new(names, json_string(ops[i]));
            json_object_set_new(req, "props", names);
        }
    } else if (strcmp(cmd, "set") == 0) {
        if (n < 2) {
            usage_error("%s", "set: expected DEV PROP=VALUE...");
            return NULL;
        }
        if (!(props = assignments(ops + 1, n - 1)))
            return NULL;
        req = json_pack("{ssssso}", "op", "set", "dev", ops[0], "props",
                        props);
    } else if (strcmp(cmd, "wait") == 0) {
        const char *key;
        json_t *v;
        if (n != 2 || !(props = assignments(ops + 1, 1))) {
            if (n != 2)
                usage_error("%s", "wait: expected DEV PROP=VALUE");
            return NULL;
        }
        json_object_foreach(props, key, v)
            req = json_pack("{sssssssO}", "op", "wait", "dev", ops[0],
                            "prop", key, "value", v);
        json_decref(props);
        if (req && a->timeout_ms >= 0)
            json_object_set_new(req, "timeout_ms",
                                json_integer(a->timeout_ms));
    } else if (strcmp(cmd, "add") == 0 || strcmp(cmd, "del") == 0) {
        if (n != 1) {
            usage_error("%s", cmd[0] == 'a' ? "add: expected one SPEC"
                                            : "del: expected one DEV");
            return NULL;
        }
        req = json_pack("{ssss}", "op", cmd, cmd[0] == 'a' ? "spec" : "dev",
                        ops[0]);
    } else if (strcmp(cmd, "reset") == 0) {
        char *end;
        long bus = n == 1 ? strtol(ops[0], &end, 10) : -1;
        if (n != 1 || !*ops[0] || *end || bus < 0 || bus > 0xFFFF) {
            usage_error("%s", "reset: expected a bus number");
            return NULL;
        }
        req = json_pack("{sssi}", "op", "reset", "bus", (int)bus);
    } else if (strcmp(cmd, "snapshot") == 0) {
        if (!(req = snapshot_request(ops, n)))
            return NULL;
    } else if (strcmp(cmd, "screenshot") == 0) {
        if (n != 2) {
            usage_error("%s", "screenshot: expected DEV FILE.png");
            return NULL;
        }
        req = json_pack("{sssss[ss]}", "op", "get", "dev", ops[0], "props",
                        "frame", "brightness");
    } else if (strcmp(cmd, "fault") == 0) {
        if (!(req = fault_request(ops, n)))
            return NULL;
    } else {
        usage_error("unknown command '%s'", cmd);
        return NULL;
    }
    if (!req) {
        fprintf(stderr, "i2cemu ctl: out of memory\n");
        *status = 1;
    }
    return req;
}

static int connect_to(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "i2cemu ctl: %s: path too long\n", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        fprintf(stderr, "i2cemu ctl: cannot connect to %s: %s\n", path,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* Send one request line and read one reply line. */
static json_t *exchange(int fd, const json_t *req)
{
    char *line = json_dumps(req, JSON_COMPACT), *buf = NULL;
    size_t len = line ? strlen(line) : 0, got = 0, cap = 0;
    json_error_t jerr;
    json_t *reply = NULL;

    for (size_t off = 0; line && off <= len;) {
        /* MSG_NOSIGNAL: a daemon that went away is an error, not SIGPIPE. */
        ssize_t n = off < len ? send(fd, line + off, len - off, MSG_NOSIGNAL)
                              : send(fd, "\n", 1, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf(stderr, "i2cemu ctl: cannot send: %s\n", strerror(errno));
            goto out;
        }
        off += (size_t)n;
    }
    for (;;) {
        if (got == cap) {
            char *b = cap < MAX_REPLY ? realloc(buf, cap ? cap * 2 : 4096)
                                      : NULL;
            if (!b) {
                fprintf(stderr, "i2cemu ctl: reply too long\n");
                goto out;
            }
            buf = b;
            cap = cap ? cap * 2 : 4096;
        }
        ssize_t n = read(fd, buf + got, cap - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf(stderr, "i2cemu ctl: the daemon closed the connection "
                    "without a reply\n");
            goto out;
        }
        got += (size_t)n;
        char *nl = memchr(buf, '\n', got);
        if (nl) {
            reply = json_loadb(buf, (size_t)(nl - buf), 0, &jerr);
            if (!json_is_object(reply)) {
                fprintf(stderr, "i2cemu ctl: bad reply: %s\n", jerr.text);
                json_decref(reply);
                reply = NULL;
            }
            goto out;
        }
    }
out:
    free(line);
    free(buf);
    return reply;
}

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "?";
}

static void print_list(const json_t *r)
{
    const json_t *v;
    size_t i;

    printf("%-4s %-24s %-8s %s\n", "BUS", "NAME", "PROFILE", "SPEED");
    json_array_foreach(json_object_get(r, "buses"), i, v)
        printf("%-4" JSON_INTEGER_FORMAT " %-24s %-8s %" JSON_INTEGER_FORMAT
               "\n", json_integer_value(json_object_get(v, "number")),
               str(v, "name"), str(v, "profile"),
               json_integer_value(json_object_get(v, "speed_hz")));
    printf("\n%-24s %-10s %-4s %-4s %s\n", "DEVICE", "TYPE", "BUS", "ADDR",
           "ID");
    json_array_foreach(json_object_get(r, "devices"), i, v)
    {
        const char *id = json_string_value(json_object_get(v, "id"));
        id = id ? id : "";
        printf("%-24s %-10s %-4" JSON_INTEGER_FORMAT " 0x%02x%s%s\n",
               str(v, "name"), str(v, "type"),
               json_integer_value(json_object_get(v, "bus")),
               (unsigned)json_integer_value(json_object_get(v, "addr")),
               *id ? " " : "", id);
    }
}

/* fault add: the new rule's id; fault list: a table. */
static void print_faults(const json_t *r)
{
    const json_t *faults = json_object_get(r, "faults"), *v;
    size_t i;

    if (json_is_integer(json_object_get(r, "fault")))
        printf("%" JSON_INTEGER_FORMAT "\n",
               json_integer_value(json_object_get(r, "fault")));
    if (!faults)
        return;
    printf("%-4s %-8s %-8s %s\n", "ID", "MATCHED", "HITS", "SPEC");
    json_array_foreach(faults, i, v)
        printf("%-4" JSON_INTEGER_FORMAT " %-8" JSON_INTEGER_FORMAT
               " %-8" JSON_INTEGER_FORMAT " %s\n",
               json_integer_value(json_object_get(v, "id")),
               json_integer_value(json_object_get(v, "matched")),
               json_integer_value(json_object_get(v, "hits")), str(v, "spec"));
}

static void print_reply(const char *cmd, const json_t *r, bool json)
{
    if (json) {
        char *s = json_dumps(r, JSON_COMPACT);
        if (s)
            puts(s);
        free(s);
    } else if (strcmp(cmd, "list") == 0) {
        print_list(r);
    } else if (strcmp(cmd, "add") == 0) {
        printf("%s\n", str(r, "dev"));
    } else if (strcmp(cmd, "fault") == 0) {
        print_faults(r);
    } else if (strcmp(cmd, "get") == 0) {
        const char *key;
        json_t *v;
        json_object_foreach(json_object_get(r, "props"), key, v)
            /* A value of several lines (a display's frame) starts on a
             * line of its own. */
            printf("%s =%s%s\n", key,
                   strchr(str(v, "value"), '\n') ? "\n" : " ",
                   str(v, "value"));
        json_object_foreach(json_object_get(r, "lines"), key, v)
            printf("line %s = %d\n", key, (int)json_integer_value(v));
    }
}

int cli_ctl_main(int argc, char **argv)
{
    struct ctl_args a;
    json_t *req, *reply;
    int status = parse_args(&a, argc, argv), fd;

    if (status >= 0)
        return status;
    if (a.bus >= 0 && strcmp(a.words[0], "trace") != 0)
        return usage_error("%s", "--bus goes with trace only");
    if (strcmp(a.words[0], "trace") == 0) {
        if (a.nwords != 1)
            return usage_error("%s", "trace takes no operands (--bus N)");
        if ((fd = connect_to(a.socket)) < 0)
            return 1;
        status = cli_ctl_trace(fd, (int)a.bus);
        close(fd);
        return status;
    }
    if (!(req = build_request(&a, &status)))
        return status;
    fd = connect_to(a.socket);
    reply = fd < 0 ? NULL : exchange(fd, req);
    if (fd >= 0)
        close(fd);
    json_decref(req);
    if (!reply)
        return 1;
    if (json_is_true(json_object_get(reply, "ok"))) {
        if (strcmp(a.words[0], "screenshot") == 0) {
            status = cli_screenshot_save(reply, a.words[2]);
        } else {
            print_reply(a.words[0], reply, a.json);
            status = 0;
        }
    } else {
        fprintf(stderr, "i2cemu ctl: %s\n", str(reply, "error"));
        status = 1;
    }
    json_decref(reply);
    return status;
}
