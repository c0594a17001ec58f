/* silo-init "C": dispatch of the child steps and the process-level ones (ids, caps, seccomp, exec). */
#include "silo-init.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

int console_connect(struct ctx *c, const char *path) {
  if (c->console_fd >= 0) /* P connected it before joining any namespace */
    return 0;
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof sa.sun_path)
    return ENAMETOOLONG;
  strcpy(sa.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return errno;
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    int err = errno;
    close(fd);
    return err;
  }
  c->console_fd = fd;
  return 0;
}

int write_file(const char *path, const char *content) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return errno;
  size_t n = strlen(content);
  ssize_t w = write(fd, content, n);
  int err = w < 0 ? errno : (size_t)w != n ? EIO : 0;
  if (close(fd) < 0 && !err)
    err = errno;
  return err;
}

static int set_ids(uint32_t uid, uint32_t gid) {
  /* keep the permitted set across setuid; CAPS decides what stays */
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
    return errno;
  return prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0 ? errno : 0;
}

static int capset3(uint64_t eff, uint64_t perm, uint64_t inh) {
  struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct d[2] = {
      {(uint32_t)eff, (uint32_t)perm, (uint32_t)inh},
      {(uint32_t)(eff >> 32), (uint32_t)(perm >> 32), (uint32_t)(inh >> 32)},
  };
  return syscall(SYS_capset, &h, d) < 0 ? errno : 0;
}

static int set_caps(struct ctx *c, struct rd *r) {
  uint64_t bounding = rd_u64(r), eff = rd_u64(r), perm = rd_u64(r), inh = rd_u64(r), amb = rd_u64(r);
  /* after SETIDS to a non-root uid the effective set is empty: raise it to the permitted one so that
     CAP_SETPCAP allows the bounding drop */
  struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct cur[2];
  if (syscall(SYS_capget, &h, cur) == 0) {
    uint64_t p = cur[0].permitted | (uint64_t)cur[1].permitted << 32;
    uint64_t i = cur[0].inheritable | (uint64_t)cur[1].inheritable << 32;
    capset3(p, p, i);
  }
  for (int cap = 0; cap < 64; cap++) {
    int in = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
    if (in < 0)
      break; /* past CAP_LAST_CAP */
    if (in && !(bounding >> cap & 1) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
      set_detail(c, "dropping bounding capability %d", cap);
      return errno;
    }
  }
  int err = capset3(eff, perm, inh);
  if (err) {
    set_detail(c, "capset");
    return err;
  }
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return errno;
  for (int cap = 0; cap < 64; cap++) {
    if ((amb >> cap & 1) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) {
      set_detail(c, "raising ambient capability %d", cap);
      return errno;
    }
  }
  return 0;
}

static int install_seccomp(struct rd *r) {
  uint32_t flags = rd_u32(r), len;
  const uint8_t *bytes = rd_bytes(r, &len);
  if (len == 0 || len % sizeof(struct sock_filter) != 0)
    return EINVAL;
  struct sock_filter *filter = malloc(len); /* the payload is not aligned */
  if (!filter)
    return ENOMEM;
  memcpy(filter, bytes, len);
  struct sock_fprog prog = {.len = (unsigned short)(len / sizeof *filter), .filter = filter};
  long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
  free(filter);
  return rc < 0 ? errno : 0;
}

/* Marks every fd >= from close-on-exec: the helper's own fds are needed until execve. */
static int close_fds(uint32_t from) {
  if (syscall(SYS_close_range, from, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
    return 0;
  long max = sysconf(_SC_OPEN_MAX);
  for (long fd = from; fd < (max > 0 ? max : 1024); fd++)
    fcntl((int)fd, F_SETFD, FD_CLOEXEC);
  return 0;
}

static int set_groups(struct rd *r) {
  uint32_t n = rd_u32(r);
  if (n > r->left / 4)
    return EINVAL;
  gid_t *gids = calloc(n + 1, sizeof(gid_t));
  if (!gids)
    return ENOMEM;
  for (uint32_t i = 0; i < n; i++)
    gids[i] = rd_u32(r);
  int err = setgroups(n, gids) < 0 ? errno : 0;
  free(gids);
  return err;
}

static const char *env_path(char **envp) {
  for (; *envp; envp++)
    if (strncmp(*envp, "PATH=", 5) == 0)
      return *envp + 5;
  return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

/* execve with the PATH of the container's environment, as runc resolves args[0]. */
static int do_exec(struct ctx *c, struct rd *r) {
  char *path = rd_str(r), **argv = rd_strs(r), **envp = rd_strs(r);
  if (r->err)
    return EINVAL;
  char *fallback[] = {path, NULL};
  char **args = argv[0] ? argv : fallback;
  set_detail(c, "exec %s", path);
  if (strchr(path, '/')) {
    execve(path, args, envp);
    return errno;
  }
  int err = ENOENT;
  const char *p = env_path(envp);
  char buf[4096];
  while (*p) {
    size_t n = strcspn(p, ":");
    if (snprintf(buf, sizeof buf, "%.*s/%s", (int)n, n ? p : ".", path) < (int)sizeof buf) {
      execve(buf, args, envp);
      if (errno == EACCES)
        err = EACCES;
      else if (errno != ENOENT && errno != ENOTDIR)
        return errno;
    }
    p += n + (p[n] == ':');
  }
  set_detail(c, "exec %s: not found in $PATH", path);
  return err;
}

static int exec_fifo_wait(struct ctx *c, struct rd *r) {
  char *name = rd_str(r);
  if (c->statedir_fd < 0) {
    set_detail(c, "no STATE_DIR before");
    return EBADF;
  }
  ready_handshake(c);
  int fd;
  while ((fd = openat(c->statedir_fd, name, O_WRONLY | O_CLOEXEC)) < 0 && errno == EINTR)
    ;
  if (fd < 0)
    return errno;
  char zero = 0;
  int err = write(fd, &zero, 1) == 1 ? 0 : errno;
  close(fd);
  return err;
}

static int errno_of(int rc) { return rc < 0 ? errno : 0; }

int run_child_step(struct ctx *c, const struct step *s) {
  struct rd r = {s->payload, s->len, 0};
  int err;
  switch (s->op) {
  case OP_CONSOLE_CONNECT: err = console_connect(c, rd_str(&r)); break;
  case OP_SETHOSTNAME: { char *n = rd_str(&r); err = errno_of(sethostname(n, strlen(n))); break; }
  case OP_SETDOMAINNAME: { char *n = rd_str(&r); err = errno_of(setdomainname(n, strlen(n))); break; }
  case OP_MOUNT: err = step_mount(c, &r); break;
  case OP_MKDIRS: { char *p = rd_str(&r); err = mkdir_p(p, rd_u32(&r)); break; }
  case OP_MKNOD: err = step_mknod(c, &r); break;
  case OP_BIND_DEVICE: err = step_bind_device(c, &r); break;
  case OP_SYMLINK: {
    char *target = rd_str(&r), *link = rd_str(&r);
    err = symlink(target, link) < 0 && errno != EEXIST ? errno : 0;
    break;
  }
  case OP_MASK_PATH: err = step_mask_path(c, &r); break;
  case OP_READONLY_PATH: err = step_readonly_path(c, &r); break;
  case OP_PIVOT_ROOT: err = step_pivot_root(c, &r); break;
  case OP_CHROOT_MOVE: err = step_chroot_move(c, &r); break;
  case OP_SET_PROPAGATION: {
    char *target = rd_str(&r);
    err = errno_of(mount(NULL, target, NULL, (unsigned long)rd_u64(&r), NULL));
    break;
  }
  case OP_CONSOLE_SETUP: err = step_console_setup(c); break;
  case OP_SETSID: err = errno_of(setsid()); break;
  case OP_SETRLIMIT: {
    int res = (int)rd_u32(&r);
    struct rlimit rl;
    rl.rlim_cur = rd_u64(&r);
    rl.rlim_max = rd_u64(&r);
    err = errno_of(prlimit(0, res, &rl, NULL));
    break;
  }
  case OP_WRITE_FILE: { char *p = rd_str(&r); err = write_file(p, rd_str(&r)); break; }
  case OP_SETGROUPS: err = set_groups(&r); break;
  case OP_SETIDS: { uint32_t uid = rd_u32(&r); err = set_ids(uid, rd_u32(&r)); break; }
  case OP_CAPS: err = set_caps(c, &r); break;
  case OP_NO_NEW_PRIVS: err = errno_of(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)); break;
  case OP_SECCOMP: err = install_seccomp(&r); break;
  case OP_CHDIR: err = errno_of(chdir(rd_str(&r))); break;
  case OP_UMASK: umask(rd_u32(&r) & 0777); err = 0; break;
  case OP_FCHOWN: { /* the console's slave belongs to the container's user, as in runc */
    uint32_t fd = rd_u32(&r), uid = rd_u32(&r);
    err = errno_of(fchown((int)fd, uid, rd_u32(&r)));
    break;
  }
  case OP_WINSIZE: {
    uint32_t fd = rd_u32(&r);
    struct winsize ws = {0};
    ws.ws_row = (unsigned short)rd_u32(&r);
    ws.ws_col = (unsigned short)rd_u32(&r);
    err = errno_of(ioctl((int)fd, TIOCSWINSZ, &ws));
    break;
  }
  case OP_CLOSE_FDS: err = close_fds(3 + rd_u32(&r)); break;
  case OP_EXEC_FIFO_WAIT: err = exec_fifo_wait(c, &r); break;
  case OP_READY: err = ready_handshake(c); break;
  case OP_HOOKS: err = hooks_handshake(c); break;
  case OP_EXEC: err = do_exec(c, &r); break;
  default:
    set_detail(c, "unknown opcode %u", s->op);
    return EINVAL;
  }
  if (r.err && !err) {
    set_detail(c, "truncated payload of opcode %u", s->op);
    return EINVAL;
  }
  return err;
}
