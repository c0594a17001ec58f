/* silo-init: executes a plan compiled by dev.silo.init.Plan (see docs/plan-format.md). */
#ifndef SILO_INIT_H
#define SILO_INIT_H

#include <stddef.h>
#include <signal.h>
#include <stdint.h>

#define PLAN_MAGIC 0x534c4f50u
#define PLAN_VERSION 1u
#define PLAN_FLAG_FOREGROUND 1u
#define PLAN_FLAG_CONSOLE_RELAY 2u
#define MAX_MSG 65536

enum opcode {
  OP_JOIN_NS = 1, OP_JOIN_CGROUP = 2, OP_MKFIFO = 3, OP_STATE_DIR = 4, OP_CLONE = 5,
  OP_UID_MAP = 6, OP_GID_MAP = 7, OP_SETGROUPS_ALLOW = 8, OP_CONSOLE_CONNECT = 9,
  OP_SETHOSTNAME = 20, OP_SETDOMAINNAME = 21, OP_MOUNT = 22, OP_MKDIRS = 23, OP_MKNOD = 24,
  OP_BIND_DEVICE = 25, OP_SYMLINK = 26, OP_MASK_PATH = 27, OP_READONLY_PATH = 28,
  OP_PIVOT_ROOT = 29, OP_CHROOT_MOVE = 30, OP_SET_PROPAGATION = 31, OP_CONSOLE_SETUP = 32,
  OP_SETSID = 33, OP_SETRLIMIT = 34, OP_WRITE_FILE = 35, OP_SETGROUPS = 36, OP_SETIDS = 37,
  OP_CAPS = 38, OP_NO_NEW_PRIVS = 39, OP_SECCOMP = 40, OP_CHDIR = 41, OP_UMASK = 42,
  OP_CLOSE_FDS = 43, OP_EXEC_FIFO_WAIT = 44, OP_READY = 45, OP_EXEC = 46, OP_FCHOWN = 47, OP_WINSIZE = 48, OP_HOOKS = 49,
};

enum sync_type { SYNC_PID = 1, SYNC_READY = 2, SYNC_ERROR = 3, SYNC_HOOKS = 4 };

/* Bytes on the P<->C socketpair. */
#define PC_GO 'G'
#define PC_READY 'R'
#define PC_ERROR 'E'
#define PC_ACK 'A'
#define PC_HOOKS 'H'

struct step {
  uint16_t op;
  const uint8_t *payload;
  uint32_t len;
};

/* A bounds-checked cursor over one step's payload; err is set on overrun. */
struct rd {
  const uint8_t *p;
  size_t left;
  int err;
};

struct ctx {
  int sync_fd;      /* SEQPACKET socket to Java, CLOEXEC */
  int pc_fd;        /* C's end of the P<->C socketpair, CLOEXEC */
  int statedir_fd;  /* O_PATH state dir opened by P before any namespace change */
  int console_fd;   /* connected console socket (CONSOLE_CONNECT) */
  char detail[512]; /* set by a failing step, sent with ERROR */
};

uint32_t rd_u32(struct rd *r);
uint64_t rd_u64(struct rd *r);
/* A NUL-terminated copy (never freed: the helper execs or exits soon). */
char *rd_str(struct rd *r);
/* Like rd_str, but "" becomes NULL (optional mount(2) arguments). */
char *rd_opt_str(struct rd *r);
char **rd_strs(struct rd *r);
const uint8_t *rd_bytes(struct rd *r, uint32_t *len);

int mkdir_p(const char *path, unsigned mode);
/* open(O_WRONLY) + one write + close, for /proc files; returns 0 or a positive errno. */
int write_file(const char *path, const char *content);
void set_detail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int send_sync_error(int sync_fd, int step, int err, const char *detail);

/* Filesystem steps (fs.c); each returns 0 or a positive errno. */
int step_mount(struct ctx *c, struct rd *r);
int step_mknod(struct ctx *c, struct rd *r);
int step_bind_device(struct ctx *c, struct rd *r);
int step_mask_path(struct ctx *c, struct rd *r);
int step_readonly_path(struct ctx *c, struct rd *r);
int step_pivot_root(struct ctx *c, struct rd *r);
int step_chroot_move(struct ctx *c, struct rd *r);
int step_console_setup(struct ctx *c);
int console_connect(struct ctx *c, const char *path);

/* relay.c */
extern volatile sig_atomic_t relay_winch;
void relay_and_exit(int sock, pid_t pid) __attribute__((noreturn));

/* Runs one child step; returns 0 or a positive errno (with c->detail possibly set). */
int run_child_step(struct ctx *c, const struct step *s);
/* Sends one byte to P (PC_READY / PC_ERROR). */
int tell_parent(struct ctx *c, char what);
/* READY / EXEC_FIFO_WAIT: tells P, and waits until P has sent READY to Java, so that an ERROR of a later
   step can never overtake READY on the sync socket. */
int ready_handshake(struct ctx *c);
int hooks_handshake(struct ctx *c);

#endif
