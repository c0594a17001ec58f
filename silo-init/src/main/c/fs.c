/* silo-init "C": the filesystem steps (mounts, devices, pivot_root, console). */
#include "silo-init.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#define MS_PROPAGATION (MS_PRIVATE | MS_SLAVE | MS_SHARED | MS_UNBINDABLE)
#define OPT_MKDIR 1u
#define OPT_MKFILE 2u
#define OPT_IGNORE_MISSING 4u
#define OPT_REMOUNT_BIND 8u

int mkdir_p(const char *path, unsigned mode) {
  char *p = strdup(path);
  if (!p)
    return ENOMEM;
  for (char *s = p + 1;; s++) {
    if (*s != '/' && *s != '\0')
      continue;
    char saved = *s;
    *s = '\0';
    if (mkdir(p, mode) < 0 && errno != EEXIST) {
      int err = errno;
      free(p);
      return err;
    }
    if (saved == '\0')
      break;
    *s = saved;
  }
  free(p);
  struct stat st;
  if (stat(path, &st) < 0)
    return errno;
  return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
}

/* An empty regular file as a bind-mount target (files cannot be bound onto directories). */
static int make_file(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0)
    return 0;
  char *dir = strdup(path), *slash = dir ? strrchr(dir, '/') : NULL;
  int err = 0;
  if (slash && slash != dir) {
    *slash = '\0';
    err = mkdir_p(dir, 0755);
  }
  free(dir);
  if (err)
    return err;
  int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    return errno;
  close(fd);
  return 0;
}

/* Flags a mount already has that a bind remount inside a user namespace may not clear (locked). */
static unsigned long locked_flags(const char *path) {
  struct statvfs sv;
  if (statvfs(path, &sv) < 0)
    return 0;
  return sv.f_flag & (ST_RDONLY | ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_NOATIME | ST_NODIRATIME | ST_RELATIME);
}

static int remount_bind(const char *target, unsigned long flags) {
  flags &= ~(unsigned long)(MS_REC | MS_BIND | MS_REMOUNT | MS_PROPAGATION);
  if (mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | flags, NULL) == 0)
    return 0;
  if (errno != EPERM)
    return errno;
  /* as runc does: retry keeping the flags the kernel locked on the source mount */
  return mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | flags | locked_flags(target), NULL) < 0 ? errno : 0;
}

int step_mount(struct ctx *c, struct rd *r) {
  char *src = rd_opt_str(r), *target = rd_str(r), *fstype = rd_opt_str(r);
  unsigned long flags = (unsigned long)rd_u64(r);
  char *data = rd_opt_str(r);
  uint32_t opts = rd_u32(r);
  struct stat st;
  if ((opts & OPT_IGNORE_MISSING) && src && src[0] == '/' && stat(src, &st) < 0 && errno == ENOENT)
    return 0;
  int err = 0;
  if ((opts & OPT_MKDIR) && (err = mkdir_p(target, 0755)) != 0) {
    set_detail(c, "mkdir -p %s", target);
    return err;
  }
  if ((opts & OPT_MKFILE) && (err = make_file(target)) != 0) {
    set_detail(c, "creating %s", target);
    return err;
  }
  /* mount(2) ignores propagation flags mixed with others: apply them in a second call, as runc does */
  unsigned long prop = flags & MS_PROPAGATION, main = flags & ~MS_PROPAGATION;
  if ((src || fstype || (main & ~(unsigned long)MS_REC)) && mount(src, target, fstype, main, data) < 0)
    return errno;
  if ((opts & OPT_REMOUNT_BIND) && (err = remount_bind(target, main)) != 0) {
    set_detail(c, "remount");
    return err;
  }
  if (prop && mount(NULL, target, NULL, prop | (flags & MS_REC), NULL) < 0) {
    set_detail(c, "propagation");
    return errno;
  }
  return 0;
}

int step_mknod(struct ctx *c, struct rd *r) {
  char *path = rd_str(r);
  uint32_t mode = rd_u32(r), major = rd_u32(r), minor = rd_u32(r), uid = rd_u32(r), gid = rd_u32(r);
  mode_t old = umask(0); /* device permissions are given exactly */
  int rc = mknod(path, mode, makedev(major, minor));
  if (rc < 0 && errno == EEXIST && unlink(path) == 0)
    rc = mknod(path, mode, makedev(major, minor));
  int err = rc < 0 ? errno : 0;
  umask(old);
  if (err)
    return err;
  if (chown(path, uid, gid) < 0) {
    set_detail(c, "chown");
    return errno;
  }
  return 0;
}

int step_bind_device(struct ctx *c, struct rd *r) {
  char *host = rd_str(r), *target = rd_str(r);
  int err = make_file(target);
  if (err) {
    set_detail(c, "creating %s", target);
    return err;
  }
  return mount(host, target, NULL, MS_BIND, NULL) < 0 ? errno : 0;
}

int step_mask_path(struct ctx *c, struct rd *r) {
  (void)c;
  char *path = rd_str(r);
  struct stat st;
  if (stat(path, &st) < 0)
    return errno == ENOENT || errno == ENOTDIR ? 0 : errno;
  int rc = S_ISDIR(st.st_mode) ? mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL)
                               : mount("/dev/null", path, NULL, MS_BIND, NULL);
  return rc < 0 && errno != ENOENT ? errno : 0;
}

int step_readonly_path(struct ctx *c, struct rd *r) {
  char *path = rd_str(r);
  if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
    return errno == ENOENT ? 0 : errno;
  set_detail(c, "remount read-only");
  return remount_bind(path, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
}

int step_pivot_root(struct ctx *c, struct rd *r) {
  char *root = rd_str(r);
  int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  int newroot = open(root, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  int err = 0;
  if (oldroot < 0 || newroot < 0) {
    err = errno;
    set_detail(c, "open");
  } else if (fchdir(newroot) < 0 || syscall(SYS_pivot_root, ".", ".") < 0) {
    err = errno;
    set_detail(c, "pivot_root");
  } else if (fchdir(oldroot) < 0 || mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) {
    /* the old root is stacked on "."; making it a slave keeps the unmount from reaching the host */
    err = errno;
    set_detail(c, "making the old root a slave");
  } else if (umount2(".", MNT_DETACH) < 0) {
    err = errno;
    set_detail(c, "unmounting the old root");
  } else if (chdir("/") < 0) {
    err = errno;
    set_detail(c, "chdir /");
  }
  if (oldroot >= 0)
    close(oldroot);
  if (newroot >= 0)
    close(newroot);
  return err;
}

int step_chroot_move(struct ctx *c, struct rd *r) {
  char *root = rd_str(r);
  if (chdir(root) < 0) {
    set_detail(c, "chdir");
    return errno;
  }
  if (mount(root, "/", NULL, MS_MOVE, NULL) < 0) {
    set_detail(c, "MS_MOVE");
    return errno;
  }
  if (chroot(".") < 0 || chdir("/") < 0) {
    set_detail(c, "chroot");
    return errno;
  }
  return 0;
}

static int send_fd(int sock, int fd, const char *name) {
  struct iovec iov = {.iov_base = (void *)name, .iov_len = strlen(name)};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  memset(&u, 0, sizeof u);
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cm), &fd, sizeof fd);
  return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? errno : 0;
}

static int open_pty(struct ctx *c, int *master, char *name, size_t namelen) {
  int unlock = 0, n = 0;
  *master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (*master < 0) {
    set_detail(c, "open /dev/ptmx");
    return errno;
  }
  if (ioctl(*master, TIOCSPTLCK, &unlock) < 0 || ioctl(*master, TIOCGPTN, &n) < 0) {
    set_detail(c, "unlockpt");
    return errno;
  }
  snprintf(name, namelen, "/dev/pts/%d", n);
  return 0;
}

int step_console_setup(struct ctx *c) {
  if (c->console_fd < 0) {
    set_detail(c, "no CONSOLE_CONNECT before");
    return EBADF;
  }
  int master, slave, err;
  char name[64];
  if ((err = open_pty(c, &master, name, sizeof name)) != 0)
    return err;
  if ((slave = open(name, O_RDWR | O_NOCTTY)) < 0) {
    set_detail(c, "open %s", name);
    return errno;
  }
  if ((err = send_fd(c->console_fd, master, name)) != 0) {
    set_detail(c, "sending the pty master");
    return err;
  }
  close(c->console_fd);
  close(master);
  c->console_fd = -1;
  if (setsid() < 0 && errno != EPERM) {
    set_detail(c, "setsid");
    return errno;
  }
  for (int fd = 0; fd < 3; fd++) {
    if (dup2(slave, fd) < 0) {
      set_detail(c, "dup2");
      return errno;
    }
  }
  if (slave > 2)
    close(slave);
  if (ioctl(0, TIOCSCTTY, 0) < 0) {
    set_detail(c, "TIOCSCTTY");
    return errno;
  }
  return 0;
}
