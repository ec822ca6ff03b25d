/* SPDX-License-Identifier: MIT */
/*
 * The i2cemu command: build a board from -d/-f (or the demo board), serve
 * it on a unix socket for the preload shim, and either wait for SIGINT or
 * SIGTERM, or run a command under the shim and exit with its status.
 */
#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <i2cemu/backing.h>
#include <i2cemu/board.h>

#include "cli/boardfile.h"
#include "cli/ctl.h"
#include "cli/record.h"
#include "cli/demo.h"
#include "cli/devices.h"
#include "cli/options.h"
#include "trace/sink.h"
#include "frontends/cuse.h"
#include "frontends/sock_server.h"
#include "control/control.h"
#include "control/snapshot.h"
#include "frontends/vhost_user.h"

#define EXIT_USAGE 2 /* bad command line or board: nothing was started */

#define PRELOAD_NAME "libi2cemu-preload.so"

extern char **environ;

struct cli_run {
    struct i2cemu_loop *loop;
    pid_t child;  /* CLI_EXEC: the command, until it is reaped */
    int status;   /* what main returns */
};

static int build_sources(struct i2cemu_board *b, const struct cli_options *o,
                         struct i2cemu_error *err)
{
    if (o->nsources == 0)
        return cli_demo_add(b, err);
    for (unsigned i = 0; i < o->nsources; i++) {
        const struct cli_source *s = &o->sources[i];
        struct i2cemu_error e;

        if (s->file) {
            if (cli_boardfile_load(b, s->arg, o->allow_empty, err) < 0)
                return -1;
        } else if (cli_check_spec(s->arg, &e) < 0 ||
                   i2cemu_device_add(b, s->arg, &e) < 0) {
            char quoted[64 * 4 + 8];
            i2cemu_error_set(err, "-d %s: %s",
                             i2cemu_excerpt(quoted, sizeof(quoted), s->arg, 64),
                             e.msg);
            return -1;
        }
    }
    return 0;
}

/* The board from -d and -f, then --snapshot over it, then -F. */
static int build_board(struct i2cemu_board *b, const struct cli_options *o,
                       struct i2cemu_error *err)
{
    struct i2cemu_error e;

    if (build_sources(b, o, err) < 0)
        return -1;
    if (o->snapshot && ctl_snapshot_load(b, o->snapshot, &e) < 0) {
        i2cemu_error_set(err, "--snapshot: %s", e.msg);
        return -1;
    }
    for (unsigned i = 0; i < o->nfaults; i++) {
        if (i2cemu_fault_add(b, o->faults[i], &e) < 0) {
            i2cemu_error_set(err, "-F %s: %s", o->faults[i], e.msg);
            return -1;
        }
    }
    return 0;
}

/* --socket PATH, checked (a stale socket of ours removed); else "sock" in
 * a new private directory, returned in *dir to be removed at exit. NULL
 * with err set and *status the exit status. */
static char *socket_path(const struct cli_options *o,
                         const struct sock_access *a, char **dir,
                         int *status, struct i2cemu_error *err)
{
    char *path = NULL;

    *dir = NULL;
    *status = EXIT_USAGE;
    if (o->socket && sock_access_check_path(o->socket, err) < 0)
        return NULL;
    *status = 1;
    if (o->socket)
        path = strdup(o->socket);
    else if (!(*dir = sock_access_private_dir(a, err)))
        return NULL;
    else if (asprintf(&path, "%s/sock", *dir) < 0)
        path = NULL;
    if (!path)
        i2cemu_error_set(err, "out of memory");
    return path;
}

/* The real path of dir/rel/PRELOAD_NAME, or NULL if there is none. */
static char *preload_at(const char *dir, const char *rel)
{
    char *path, *real;

    if (asprintf(&path, "%s/%s/" PRELOAD_NAME, dir, rel) < 0)
        return NULL;
    real = realpath(path, NULL);
    free(path);
    return real;
}

/* $I2CEMU_PRELOAD; else the shim of the build tree this binary was built
 * in (build/src/cli/i2cemu -> build/src/frontends/); else the installed
 * one, relative to this binary (bin/ -> lib/i2cemu/, wherever the tree
 * was installed or unpacked), then at its configured path. An absolute
 * path, as the command may change directory; or NULL with err set. */
static char *find_preload(struct i2cemu_error *err)
{
    const char *env = getenv("I2CEMU_PRELOAD");
    char exe[PATH_MAX], *real = NULL;
    ssize_t n;

    if (env && *env) {
        real = realpath(env, NULL);
        if (!real)
            i2cemu_error_set(err, "I2CEMU_PRELOAD=%s: %s", env,
                             strerror(errno));
        return real;
    }
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *dir = dirname(exe);
        real = preload_at(dir, "../frontends");
        if (!real && *I2CEMU_PRELOAD_RELDIR)
            real = preload_at(dir, I2CEMU_PRELOAD_RELDIR);
    }
    if (!real)
        real = preload_at(I2CEMU_PRELOAD_DIR, ".");
    if (!real)
        i2cemu_error_set(err, "cannot find " I2CEMU_PRELOAD_DIR "/"
                         PRELOAD_NAME ": set I2CEMU_PRELOAD to its path");
    return real;
}

/* Our environment with `vars` (NULL-terminated "NAME=value" strings) in
 * place of any variables of those names. Free the array, not the strings. */
static char **child_env(char *const *vars)
{
    size_t n = 0, nv = 0, k = 0;
    char **env;

    while (environ[n])
        n++;
    while (vars[nv])
        nv++;
    env = calloc(n + nv + 1, sizeof(*env));
    if (!env)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        bool replaced = false;
        for (size_t v = 0; v < nv && !replaced; v++)
            replaced = strncmp(environ[i], vars[v],
                               strcspn(vars[v], "=") + 1) == 0;
        if (!replaced)
            env[k++] = environ[i];
    }
    for (size_t v = 0; v < nv; v++)
        env[k++] = vars[v];
    return env;
}

/* Returns 0, or the exit status to give up with (127: not found). */
static int start(struct cli_run *r, char **command, char **env,
                 const sigset_t *mask)
{
    posix_spawnattr_t attr;
    int e;

    /* The command gets the signal mask we were started with, not the
     * one that routes our signals to the signalfd. */
    posix_spawnattr_init(&attr);
    posix_spawnattr_setsigmask(&attr, mask);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    e = posix_spawnp(&r->child, command[0], NULL, &attr, command, env);
    posix_spawnattr_destroy(&attr);
    if (e) {
        fprintf(stderr, "i2cemu: cannot run %s: %s\n", command[0],
                strerror(e));
        e = e == ENOENT ? 127 : 126; /* as shells do */
    }
    return e;
}

/* Run the command under the shim, or as it is when socket is NULL
 * (--cuse: it reaches the buses through the real nodes); either way with
 * I2CEMU_CONTROL. Returns like start(). */
static int spawn(struct cli_run *r, char **command, const char *socket,
                 const char *control, const sigset_t *mask)
{
    struct i2cemu_error err;
    char *preload = NULL, *vars[4] = { NULL, NULL, NULL, NULL };
    char **env = NULL;
    const char *old = getenv("LD_PRELOAD");
    bool ok;
    int e;

    if (socket && !(preload = find_preload(&err))) {
        fprintf(stderr, "i2cemu: %s\n", err.msg);
        return 1;
    }
    ok = asprintf(&vars[0], "I2CEMU_CONTROL=%s", control) >= 0;
    /* The shim goes first; whatever was preloaded already stays. */
    if (ok && socket)
        ok = asprintf(&vars[1], "LD_PRELOAD=%s%s%s", preload,
                      old ? " " : "", old ? old : "") >= 0 &&
             asprintf(&vars[2], "I2CEMU_SOCKET=%s", socket) >= 0;
    if (ok)
        env = child_env(vars);
    free(preload);
    if (!env) {
        fprintf(stderr, "i2cemu: out of memory\n");
        e = 1;
        goto out;
    }
    e = start(r, command, env, mask);
out:
    free(env);
    for (int i = 0; i < 3; i++)
        free(vars[i]);
    return e;
}

static void on_signal(struct i2cemu_watch *w, int fd, int revents,
                      void *opaque)
{
    struct cli_run *r = opaque;
    struct signalfd_siginfo si;
    int st;

    (void)w;
    (void)revents;
    while (read(fd, &si, sizeof(si)) == sizeof(si)) {
        if (si.ssi_signo == SIGCHLD) {
            if (r->child <= 0 || waitpid(r->child, &st, WNOHANG) != r->child)
                continue;
            r->child = 0;
            r->status = WIFEXITED(st) ? WEXITSTATUS(st)
                                      : 128 + WTERMSIG(st);
            i2cemu_loop_stop(r->loop);
        } else if (r->child > 0) {
            /* Ctrl-C reaches the whole foreground process group, the
             * command included; pass on only what was sent to us alone,
             * and keep serving until the command is gone. */
            if (si.ssi_code == SI_USER || si.ssi_code == SI_QUEUE)
                kill(r->child, (int)si.ssi_signo);
        } else {
            i2cemu_loop_stop(r->loop);
        }
    }
}

/* A control client asked us to quit: stop serving, or with a command,
 * end it and exit with its status. */
static void on_quit(void *opaque)
{
    struct cli_run *r = opaque;

    if (r->child > 0)
        kill(r->child, SIGTERM);
    else
        i2cemu_loop_stop(r->loop);
}

static void print_banner(struct i2cemu_board *b, const char *socket,
                         const char *control)
{
    struct i2cemu_error err;
    char *preload = find_preload(&err);

    for (unsigned bus = 0; bus < i2cemu_bus_count(b); bus++) {
        printf("i2c-%d (%s):", i2cemu_bus_number(b, bus),
               i2cemu_bus_name(b, bus));
        for (unsigned d = 0; d < i2cemu_device_count(b); d++)
            if (i2cemu_device_bus(b, d) == bus &&
                i2cemu_device_present(b, d))
                printf(" %s@0x%02x", i2cemu_device_type_of(b, d)->name,
                       i2cemu_device_addr(b, d));
        putchar('\n');
    }
    printf("Clients connect to %s. In another shell:\n", socket);
    if (!preload)
        fprintf(stderr, "i2cemu: warning: %s\n", err.msg);
    printf("  export LD_PRELOAD=%s I2CEMU_SOCKET=%s I2CEMU_CONTROL=%s\n",
           preload ? preload : "/path/to/" PRELOAD_NAME, socket, control);
    if (i2cemu_bus_count(b) > 0)
        printf("  i2cdetect -y %d\n", i2cemu_bus_number(b, 0));
    printf("Stop with Ctrl-C.\n");
    fflush(stdout);
    free(preload);
}

/* A user or group given by name or number. */
static int lookup_id(const char *what, const char *name, bool group,
                     unsigned *id, struct i2cemu_error *err)
{
    char *end;
    unsigned long n = strtoul(name, &end, 10);
    if (*name && !*end && n <= UINT_MAX) {
        *id = (unsigned)n;
        return 0;
    }
    const struct passwd *pw = group ? NULL : getpwnam(name);
    const struct group *gr = group ? getgrnam(name) : NULL;
    if (!pw && !gr) {
        i2cemu_error_set(err, "%s %s: no such %s", what, name,
                         group ? "group" : "user");
        return -1;
    }
    *id = pw ? pw->pw_uid : gr->gr_gid;
    return 0;
}

static int cuse_settings(const struct cli_options *o, struct cuse_options *co,
                         struct i2cemu_error *err)
{
    unsigned uid = 0, gid = 0;
    if ((o->cuse_owner &&
         lookup_id("--cuse-owner", o->cuse_owner, false, &uid, err) < 0) ||
        (o->cuse_group &&
         lookup_id("--cuse-group", o->cuse_group, true, &gid, err) < 0))
        return -1;
    *co = (struct cuse_options){ .prefix = o->cuse_name, .mode = o->cuse_mode,
                                 .uid = uid, .gid = gid };
    return 0;
}

/* --socket-group: the socket's group, whose members are served too. */
static int socket_group(const struct cli_options *o, struct sock_access *a,
                        struct i2cemu_error *err)
{
    unsigned gid;

    if (!o->socket_group)
        return 0;
    if (lookup_id("--socket-group", o->socket_group, true, &gid, err) < 0)
        return -1;
    a->group = true;
    a->gid = (gid_t)gid;
    return 0;
}

/* CUSE nodes as the options say. By default `run` serves them when
 * /dev/cuse is usable, and carries on without them (with a warning) when
 * that fails; a -- COMMAND keeps to the shim, whose /dev/i2c-N always
 * means the board's bus N, where a CUSE node may have to take another
 * number. Returns 0 (serving, or not wanted) or -1 with err set. */
static int start_cuse(struct i2cemu_board *b, const struct cli_options *o,
                      const struct cuse_options *co,
                      struct cuse_frontend **cuse, struct i2cemu_error *err)
{
    bool autom = o->cuse == CLI_CUSE_AUTO;
    *cuse = NULL;
    if (o->cuse == CLI_CUSE_OFF ||
        (autom && (o->action != CLI_SERVE ||
                   access("/dev/cuse", R_OK | W_OK) != 0)))
        return 0;
    *cuse = cuse_frontend_start(b, co, err);
    if (*cuse || !autom)
        return *cuse ? 0 : -1;
    fprintf(stderr, "i2cemu: warning: no CUSE nodes (%s); --no-cuse "
            "silences this\n", err->msg);
    return 0;
}

/* -v, and each --trace, into one fan-out, which `ctl trace` joins later
 * (with no sink, it hooks no bus: it costs nothing). */
static int start_traces(struct i2cemu_board *b, const struct cli_options *o,
                        struct trace_fanout **fanout, struct i2cemu_error *err)
{
    if (!(*fanout = trace_fanout_new(b)))
        goto oom;
    struct trace_sink *s;
    if (o->trace && (!(s = trace_text_sink_new(b, stderr)) ||
                     trace_fanout_add(*fanout, s, -1) < 0))
        goto oom;
    for (unsigned i = 0; i < o->ntraces; i++) {
        int bus;
        if (!(s = trace_spec_open(b, &o->traces[i], &bus, err)))
            return -1;
        if (trace_fanout_add(*fanout, s, bus) < 0)
            goto oom;
    }
    return 0;
oom:
    i2cemu_error_set(err, "out of memory");
    return -1;
}

/* --vhost-user BUS=PATH: one socket per bus, into vus[]. Returns 0, or -1
 * with err set. */
static int start_vhost_user(struct i2cemu_board *b, const struct cli_options *o,
                            struct vhost_user **vus, struct i2cemu_error *err)
{
    for (unsigned i = 0; i < o->nvhost_user; i++) {
        const struct cli_vhost_user *v = &o->vhost_user[i];
        int bus = i2cemu_bus_find(b, v->bus);

        if (bus < 0) {
            i2cemu_error_set(err, "--vhost-user %d=%s: the board has no bus "
                             "%d", v->bus, v->path, v->bus);
            return -1;
        }
        if (!(vus[i] = vhost_user_start(b, (unsigned)bus, v->path, err)))
            return -1;
    }
    return 0;
}

static int serve(const struct cli_options *o)
{
    struct cli_run r = { .status = 0 };
    struct i2cemu_board *board = NULL;
    struct trace_fanout *traces = NULL;
    struct sock_server *server = NULL;
    struct ctl_server *ctl = NULL;
    struct cuse_frontend *cuse = NULL;
    struct vhost_user **vus = calloc(o->nvhost_user + 1, sizeof(*vus));
    struct cuse_options cuse_opts;
    struct sock_server_opts sock_opts = { .access.mode = o->socket_mode };
    struct i2cemu_watch *watch = NULL;
    struct i2cemu_error err;
    char *socket = NULL, *sockdir = NULL, *control = NULL;
    sigset_t sigs, oldmask;
    int sfd = -1, status;

    r.loop = i2cemu_loop_new(o->clock);
    board = r.loop ? i2cemu_board_new(r.loop) : NULL;
    if (!board || !vus) {
        fprintf(stderr, "i2cemu: out of memory\n");
        r.status = 1;
        goto out;
    }
    if (cuse_settings(o, &cuse_opts, &err) < 0 ||
        socket_group(o, &sock_opts.access, &err) < 0 ||
        build_board(board, o, &err) < 0) {
        fprintf(stderr, "i2cemu: %s\n", err.msg);
        r.status = EXIT_USAGE;
        goto out;
    }
    if (start_traces(board, o, &traces, &err) < 0) {
        fprintf(stderr, "i2cemu: %s\n", err.msg);
        r.status = 1;
        goto out;
    }

    /* Blocked before the command starts, so no SIGCHLD is missed. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    sigaddset(&sigs, SIGCHLD);
    sigprocmask(SIG_BLOCK, &sigs, &oldmask);
    sfd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
    watch = sfd < 0 ? NULL
                    : i2cemu_watch_new(r.loop, sfd, POLLIN, on_signal, &r);
    if (!watch) {
        fprintf(stderr, "i2cemu: cannot watch signals: %s\n",
                strerror(errno));
        r.status = 1;
        goto out;
    }

    socket = socket_path(o, &sock_opts.access, &sockdir, &status, &err);
    if (!socket) {
        fprintf(stderr, "i2cemu: %s\n", err.msg);
        r.status = status;
        goto out;
    }
    server = sock_server_new_with(board, socket, &sock_opts, &err);
    if (!server) {
        fprintf(stderr, "i2cemu: %s\n", err.msg);
        r.status = 1;
        goto out;
    }
    control = ctl_socket_path(socket);
    ctl = control ? ctl_server_new(board, control, on_quit, &r, &err) : NULL;
    if (!ctl) {
        fprintf(stderr, "i2cemu: %s\n", control ? err.msg : "out of memory");
        r.status = 1;
        goto out;
    }
    ctl_server_set_traces(ctl, traces);
    if (start_vhost_user(board, o, vus, &err) < 0 ||
        start_cuse(board, o, &cuse_opts, &cuse, &err) < 0) {
        fprintf(stderr, "i2cemu: %s\n", err.msg);
        r.status = 1;
        goto out;
    }

    if (o->action == CLI_EXEC) {
        r.status = spawn(&r, o->command, cuse ? NULL : socket, control,
                         &oldmask);
        if (r.status)
            goto out;
    } else {
        for (unsigned bus = 0; cuse && bus < i2cemu_bus_count(board); bus++)
            printf("i2c-%d is also at %s\n", i2cemu_bus_number(board, bus),
                   cuse_frontend_node(cuse, bus));
        print_banner(board, socket, control);
    }
    i2cemu_loop_run(r.loop);

out:
    for (unsigned i = 0; vus && i < o->nvhost_user; i++)
        vhost_user_stop(vus[i]);
    free(vus);
    cuse_frontend_stop(cuse);
    ctl_server_free(ctl);
    free(control);
    sock_server_free(server);
    if (sockdir)
        rmdir(sockdir);
    free(sockdir);
    free(socket);
    i2cemu_watch_free(watch);
    if (sfd >= 0)
        close(sfd);
    if (trace_fanout_free(traces, &err) < 0) {
        fprintf(stderr, "i2cemu: %s\n", err.msg);
        if (!r.status)
            r.status = 1;
    }
    i2cemu_board_free(board); /* flushes backing files */
    i2cemu_loop_free(r.loop);
    /* Data acknowledged on the bus and not saved fails the run. */
    if (i2cemu_backing_failures() && r.status == 0)
        r.status = 1;
    return r.status;
}

int main(int argc, char **argv)
{
    struct cli_options o;
    struct i2cemu_error err;
    int status = 0;

    if (argc > 1 && strcmp(argv[1], "ctl") == 0)
        return cli_ctl_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "record") == 0)
        return cli_record_main(argc - 1, argv + 1);
    if (cli_options_parse(&o, argc, argv, &err) < 0) {
        fprintf(stderr, "i2cemu: %s\nTry 'i2cemu --help' for more "
                "information.\n", err.msg);
        cli_options_free(&o);
        return EXIT_USAGE;
    }
    switch (o.action) {
    case CLI_HELP:
        fputs(cli_usage, stdout);
        break;
    case CLI_VERSION:
        puts("i2cemu " I2CEMU_VERSION);
        break;
    case CLI_DEVICES:
        cli_devices_print(stdout);
        break;
    case CLI_SERVE:
    case CLI_EXEC:
        status = serve(&o);
        break;
    }
    cli_options_free(&o);
    return status;
}
