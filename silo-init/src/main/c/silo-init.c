/*
 * silo-init "P": reads the plan from the sync socket, runs the parent steps, clones "C" with the new
 * namespaces, writes C's id maps, reports PID/READY to Java and (in foreground mode) waits for C.
 * The contract is docs/plan-format.md; this file holds no policy.
 */
#include "silo-init.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};
static volatile pid_t child_pid;

/* ---- payload cursor ---- */

static const uint8_t *take(struct rd *r, size_t n) {
  if (r->err || r->left < n) {
    r->err = 1;
    return NULL;
  }
  const uint8_t *p = r->p;
  r->p += n;
  r->left -= n;
  return p;
}

static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint32_t rd_u32(struct rd *r) {
  const uint8_t *p = take(r, 4);
  return p ? le32(p) : 0;
}

uint64_t rd_u64(struct rd *r) {
  const uint8_t *p = take(r, 8);
  return p ? (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32 : 0;
}

const uint8_t *rd_bytes(struct rd *r, uint32_t *len) {
  *len = rd_u32(r);
  const uint8_t *p = take(r, *len);
  if (!p)
    *len = 0;
  return p;
}

char *rd_str(struct rd *r) {
  uint32_t n;
  const uint8_t *p = rd_bytes(r, &n);
  char *s = malloc(n + 1);
  if (!s)
    abort();
  if (p)
    memcpy(s, p, n);
  s[n] = '\0';
  return s;
}

char *rd_opt_str(struct rd *r) {
  char *s = rd_str(r);
  return s[0] ? s : NULL;
}

char **rd_strs(struct rd *r) {
  uint32_t n = rd_u32(r);
  if (n > r->left / 4) { /* every str needs at least its length */
    r->err = 1;
    n = 0;
  }
  char **v = calloc(n + 1, sizeof(char *));
  if (!v)
    abort();
  for (uint32_t i = 0; i < n; i++)
    v[i] = rd_str(r);
  return v;
}

/* ---- sync messages ---- */

static void put32(uint8_t *p, uint32_t v) {
  p[0] = v;
  p[1] = v >> 8;
  p[2] = v >> 16;
  p[3] = v >> 24;
}

static void send_sync(int fd, uint32_t type, int32_t value) {
  uint8_t m[8];
  put32(m, type);
  put32(m + 4, (uint32_t)value);
  (void)send(fd, m, type == SYNC_READY ? 4 : 8, MSG_NOSIGNAL);
}

int send_sync_error(int sync_fd, int step, int err, const char *detail) {
  size_t dl = strlen(detail);
  if (dl > 1024)
    dl = 1024;
  uint8_t m[16 + 1024];
  put32(m, SYNC_ERROR);
  put32(m + 4, (uint32_t)step);
  put32(m + 8, (uint32_t)err);
  put32(m + 12, (uint32_t)dl);
  memcpy(m + 16, detail, dl);
  return send(sync_fd, m, 16 + dl, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

void set_detail(struct ctx *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->detail, sizeof c->detail, fmt, ap);
  va_end(ap);
}

static void __attribute__((noreturn)) fail(int sync_fd, int step, int err, const char *detail) {
  send_sync_error(sync_fd, step, err, detail);
  _exit(1);
}

/* ---- reading the plan ---- */

/* Returns the number of steps once buf holds the whole plan, 0 if more is needed, -1 if malformed. */
static int plan_complete(const uint8_t *buf, size_t len, struct step **out, uint32_t *flags) {
  if (len < 16)
    return 0;
  if (le32(buf) != PLAN_MAGIC || le32(buf + 4) != PLAN_VERSION)
    return -1;
  uint32_t count = le32(buf + 8);
  size_t off = 16;
  for (uint32_t k = 0; k < count; k++) {
    if (len < off + 8)
      return 0;
    uint32_t plen = le32(buf + off + 4);
    if (len - off - 8 < plen)
      return 0;
    off += 8 + (size_t)plen;
  }
  if (off != len)
    return -1;
  struct step *steps = calloc(count + 1, sizeof *steps);
  if (!steps)
    abort();
  off = 16;
  for (uint32_t k = 0; k < count; k++) {
    steps[k].op = (uint16_t)(buf[off] | buf[off + 1] << 8);
    steps[k].len = le32(buf + off + 4);
    steps[k].payload = buf + off + 8;
    off += 8 + (size_t)steps[k].len;
  }
  *out = steps;
  *flags = le32(buf + 12);
  return (int)count;
}

static int read_plan(int fd, struct step **steps, uint32_t *flags) {
  size_t len = 0, cap = 0;
  uint8_t *buf = NULL;
  for (;;) {
    if (cap - len < MAX_MSG) {
      cap = cap ? cap * 2 : 4 * MAX_MSG;
      buf = realloc(buf, cap);
      if (!buf)
        abort();
    }
    ssize_t n = recv(fd, buf + len, MAX_MSG, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      fail(fd, -1, errno, "reading the plan");
    if (n == 0)
      fail(fd, -1, EINVAL, "plan truncated");
    len += (size_t)n;
    int count = plan_complete(buf, len, steps, flags);
    if (count < 0)
      fail(fd, -1, EINVAL, "malformed plan");
    if (count > 0 || (len >= 16 && le32(buf + 8) == 0))
      return count;
  }
}

/* ---- parent steps ---- */

static int joined_userns;

static int run_parent_step(struct ctx *c, const struct step *s) {
  struct rd r = {s->payload, s->len, 0};
  int err = 0;
  switch (s->op) {
  case OP_JOIN_NS: {
    uint32_t type = rd_u32(&r);
    char *path = rd_str(&r);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      return errno;
    if (setns(fd, (int)type) < 0)
      err = errno;
    joined_userns |= type == CLONE_NEWUSER;
    close(fd);
    return err;
  }
  case OP_JOIN_CGROUP:
    return write_file(rd_str(&r), "0");
  case OP_MKFIFO: {
    char *path = rd_str(&r);
    uint32_t mode = rd_u32(&r);
    /* chmod afterwards so the umask does not narrow the mode */
    if (mkfifo(path, mode & 07777) < 0 || chmod(path, mode & 07777) < 0)
      return errno;
    return 0;
  }
  case OP_STATE_DIR:
    c->statedir_fd = open(rd_str(&r), O_PATH | O_DIRECTORY | O_CLOEXEC);
    return c->statedir_fd < 0 ? errno : 0;
  default:
    set_detail(c, "opcode %u must come after CLONE", s->op);
    return EINVAL;
  }
}

static int is_parent_op(uint16_t op) { return op >= OP_JOIN_NS && op <= OP_SETGROUPS_ALLOW; }
static int is_map_op(uint16_t op) { return op >= OP_UID_MAP && op <= OP_SETGROUPS_ALLOW; }

/* Writes setgroups/uid_map/gid_map of a child in a new user namespace; returns the failing step or -1. */
static int write_id_maps(struct ctx *c, pid_t pid, const struct step *steps, int from, int n, int *err) {
  int uid_step = -1, gid_step = -1, allow = 0;
  for (int k = from; k < n; k++) {
    if (steps[k].op == OP_UID_MAP) uid_step = k;
    if (steps[k].op == OP_GID_MAP) gid_step = k;
    if (steps[k].op == OP_SETGROUPS_ALLOW) allow = 1;
  }
  char path[64];
  if (gid_step >= 0 && !allow) {
    snprintf(path, sizeof path, "/proc/%d/setgroups", (int)pid);
    if ((*err = write_file(path, "deny")) != 0) {
      set_detail(c, "%s", path);
      return gid_step;
    }
  }
  const int order[2] = {uid_step, gid_step};
  for (int i = 0; i < 2; i++) {
    if (order[i] < 0)
      continue;
    struct rd r = {steps[order[i]].payload, steps[order[i]].len, 0};
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, i ? "gid_map" : "uid_map");
    if ((*err = write_file(path, rd_str(&r))) != 0)
      return order[i];
  }
  return -1;
}

/* ---- child ---- */

static void __attribute__((noreturn)) run_child(struct ctx *c, const struct step *steps, int from, int n,
                                               int userns, int clone_step) {
  char go = 0;
  if (read(c->pc_fd, &go, 1) != 1 || go != PC_GO)
    _exit(1);
  /* C keeps its host ids, unmapped in the new user namespace; become its root as runc's nsexec does
     (the plan's SETIDS picks the final ids) */
  if (userns && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
    send_sync_error(c->sync_fd, clone_step, errno, "becoming root in the user namespace");
    tell_parent(c, PC_ERROR);
    _exit(1);
  }
  for (int k = from; k < n; k++) {
    if (is_map_op(steps[k].op))
      continue;
    c->detail[0] = '\0';
    int err = is_parent_op(steps[k].op) ? EINVAL : run_child_step(c, &steps[k]);
    if (is_parent_op(steps[k].op))
      set_detail(c, "opcode %u must come before CLONE", steps[k].op);
    if (err) {
      send_sync_error(c->sync_fd, k, err, c->detail);
      tell_parent(c, PC_ERROR);
      _exit(1);
    }
  }
  send_sync_error(c->sync_fd, -1, EINVAL, "plan has no EXEC step");
  tell_parent(c, PC_ERROR);
  _exit(1);
}

int tell_parent(struct ctx *c, char what) {
  return send(c->pc_fd, &what, 1, MSG_NOSIGNAL) == 1 ? 0 : errno;
}

/* The HOOKS step: P asks Java to run createRuntime/createContainer hooks while C waits, before
 * pivot_root, so the hooks still see the host's paths in the container's mount namespace. */
int hooks_handshake(struct ctx *c) {
  int err = tell_parent(c, PC_HOOKS);
  if (err)
    return err;
  char ack;
  ssize_t n;
  while ((n = read(c->pc_fd, &ack, 1)) < 0 && errno == EINTR)
    ;
  return n == 1 ? 0 : ECANCELED;
}

int ready_handshake(struct ctx *c) {
  int err = tell_parent(c, PC_READY);
  if (err)
    return err;
  char ack;
  while (read(c->pc_fd, &ack, 1) < 0 && errno == EINTR)
    ;
  return 0;
}

/* ---- parent after the clone ---- */

static void forward_signal(int sig) {
  if (sig == SIGWINCH)
    relay_winch = 1;
  if (child_pid > 0)
    kill(child_pid, sig);
}

static int __attribute__((noreturn)) wait_child(pid_t pid) {
  int st;
  while (waitpid(pid, &st, 0) < 0) {
    if (errno != EINTR)
      _exit(1);
  }
  _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

static void __attribute__((noreturn)) supervise(struct ctx *c, int pc, pid_t pid, int foreground,
                                                int console, const sigset_t *oldmask) {
  child_pid = pid;
  if (foreground) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward_signal;
    sa.sa_flags = SA_RESTART;
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
      sigaction(forwarded[i], &sa, NULL);
  }
  sigprocmask(SIG_SETMASK, oldmask, NULL);
  char b = 0;
  ssize_t n;
  for (;;) {
    while ((n = read(pc, &b, 1)) < 0 && errno == EINTR)
      ;
    if (n != 1 || b != PC_HOOKS)
      break;
    /* Java runs the hooks, then sends one message to let C go on; EOF means it gave up. */
    send_sync(c->sync_fd, SYNC_HOOKS, 0);
    char go[16];
    ssize_t r;
    while ((r = recv(c->sync_fd, go, sizeof go, 0)) < 0 && errno == EINTR)
      ;
    if (r <= 0) {
      kill(pid, SIGKILL);
      wait_child(pid);
    }
    char ack = PC_ACK;
    (void)send(pc, &ack, 1, MSG_NOSIGNAL);
  }
  if (n == 1 && b == PC_ERROR) /* C already sent ERROR on the sync socket and exits 1 */
    wait_child(pid);
  if (n == 1 && b == PC_READY) {
    send_sync(c->sync_fd, SYNC_READY, 0);
    char ack = PC_ACK;
    (void)send(pc, &ack, 1, MSG_NOSIGNAL); /* C may already be dead: no SIGPIPE */
  }
  /* EOF: C exec'd without a READY step (its end is CLOEXEC) or died */
  if (!foreground)
    _exit(0);
  if (console >= 0)
    relay_and_exit(console, pid);
  wait_child(pid);
}

static int parse_sync_fd(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--sync-fd") == 0) {
    char *end;
    long fd = strtol(argv[2], &end, 10);
    if (*end == '\0' && fd >= 0 && fd < 1 << 20)
      return (int)fd;
  }
  fprintf(stderr, "usage: silo-init --sync-fd N (started by dev.silo.init.SiloInit)\n");
  exit(2);
}

/* Runs the steps before the clone in P; returns the index of the first step that is not one. */
static int run_parent_steps(struct ctx *c, const struct step *steps, int n) {
  int k = 0;
  for (; k < n && is_parent_op(steps[k].op) && !is_map_op(steps[k].op) && steps[k].op != OP_CLONE; k++) {
    int err = run_parent_step(c, &steps[k]);
    if (err)
      fail(c->sync_fd, k, err, c->detail);
  }
  return k;
}

/* Writes the id maps, reports PID, then lets C go: C's steps cannot fail before Java knows its pid. */
static void release_child(struct ctx *c, int pc, pid_t pid, uint32_t cflags, const struct step *steps, int k,
                          int n, int clone_step) {
  if (cflags & CLONE_NEWUSER) {
    int err = 0;
    int bad = write_id_maps(c, pid, steps, k, n, &err);
    if (bad >= 0) {
      kill(pid, SIGKILL);
      waitpid(pid, NULL, 0);
      fail(c->sync_fd, bad, err, c->detail);
    }
  }
  send_sync(c->sync_fd, SYNC_PID, pid);
  char go = PC_GO;
  if (send(pc, &go, 1, MSG_NOSIGNAL) != 1)
    fail(c->sync_fd, clone_step, errno, "releasing the child");
}

int main(int argc, char **argv) {
  struct ctx c = {.sync_fd = parse_sync_fd(argc, argv), .pc_fd = -1, .statedir_fd = -1, .console_fd = -1};
  if (fcntl(c.sync_fd, F_SETFD, FD_CLOEXEC) < 0)
    return 2;
  struct step *steps;
  uint32_t flags = 0;
  int n = read_plan(c.sync_fd, &steps, &flags);
  /* The console socket is a host path: connect before setns(CLONE_NEWNS) hides it (runc exec -t -d). */
  for (int i = 0; i < n; i++) {
    if (steps[i].op == OP_CONSOLE_CONNECT) {
      struct rd r = {steps[i].payload, steps[i].len, 0};
      int err = console_connect(&c, rd_str(&r));
      if (err)
        fail(c.sync_fd, i, err, "connecting the console socket");
    }
  }
  int k = run_parent_steps(&c, steps, n);
  /* without a CLONE step P still forks: setns(CLONE_NEWPID) only applies to children */
  uint32_t cflags = 0;
  int clone_step = -1;
  if (k < n && steps[k].op == OP_CLONE) {
    struct rd r = {steps[k].payload, steps[k].len, 0};
    cflags = rd_u32(&r);
    clone_step = k++;
  }
  /* CLONE_NEWTIME overlaps CSIGNAL, so clone() cannot take it: unshare it for the children */
  if ((cflags & CLONE_NEWTIME) && unshare(CLONE_NEWTIME) < 0)
    fail(c.sync_fd, clone_step, errno, "unshare(CLONE_NEWTIME)");
  int pc[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pc) < 0)
    fail(c.sync_fd, clone_step, errno, "socketpair");
  sigset_t all, old; /* blocked until P's forwarding handlers are in place */
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  int cr[2] = {-1, -1}; /* console relay: C sends the pty master to P */
  if ((flags & PLAN_FLAG_CONSOLE_RELAY) && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, cr) < 0)
    fail(c.sync_fd, clone_step, errno, "socketpair for the console");
  pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)((cflags & ~CLONE_NEWTIME) | SIGCHLD), 0, 0, 0, 0);
  if (pid < 0)
    fail(c.sync_fd, clone_step, errno, "clone");
  if (pid == 0) {
    close(pc[0]);
    if (cr[0] >= 0) {
      close(cr[0]);
      c.console_fd = cr[1];
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    c.pc_fd = pc[1];
    run_child(&c, steps, k, n, joined_userns || (cflags & CLONE_NEWUSER), clone_step);
  }
  close(pc[1]);
  if (cr[1] >= 0)
    close(cr[1]);
  release_child(&c, pc[0], pid, cflags, steps, k, n, clone_step);
  supervise(&c, pc[0], pid, flags & PLAN_FLAG_FOREGROUND, cr[0], &old);
}
