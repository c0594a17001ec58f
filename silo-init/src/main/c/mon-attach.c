/* silo-monitor: attach.sock. Output goes to every client as Docker's multiplexed stream frames
 * (type 1/2, three zero bytes, big-endian length) or raw for a tty; clients send frames of the same
 * shape: 0 = stdin bytes, 3 = resize (rows, cols: big-endian u16 each), 4 = close stdin. */
#include "monitor.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

int attach_listen(const char *name) {
  struct sockaddr_un a;
  memset(&a, 0, sizeof a);
  a.sun_family = AF_UNIX;
  size_t n = str_len(name);
  if (n >= sizeof a.sun_path)
    return -ENAMETOOLONG;
  memcpy(a.sun_path, name, n);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -errno;
  (void)unlink(name);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 8) < 0) {
    int err = errno;
    close(fd);
    return -err;
  }
  return fd;
}

void attach_accept(int listen_fd, struct client *clients) {
  int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0)
    return;
  for (int i = 0; i < MON_MAX_CLIENTS; i++) {
    if (clients[i].fd < 0) {
      memset(&clients[i], 0, sizeof clients[i]);
      clients[i].fd = fd;
      int buf = 1 << 20; /* room for bursts: a client that cannot keep up is dropped */
      (void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
      return;
    }
  }
  close(fd); /* full */
}

static void drop(struct client *cl) {
  close(cl->fd);
  cl->fd = -1;
}

void attach_broadcast(struct client *clients, int tty, int stream, const char *data, size_t len) {
  uint8_t hdr[8] = {(uint8_t)stream, 0, 0, 0, (uint8_t)(len >> 24), (uint8_t)(len >> 16),
                    (uint8_t)(len >> 8), (uint8_t)len};
  struct iovec iov[2] = {{hdr, sizeof hdr}, {(void *)data, len}};
  struct msghdr m = {.msg_iov = tty ? iov + 1 : iov, .msg_iovlen = tty ? 1 : 2};
  size_t want = tty ? len : len + sizeof hdr;
  for (int i = 0; i < MON_MAX_CLIENTS; i++) {
    if (clients[i].fd < 0)
      continue;
    ssize_t w;
    while ((w = sendmsg(clients[i].fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT)) < 0 && errno == EINTR)
      ;
    if (w != (ssize_t)want) /* a torn frame would corrupt the stream: drop the client instead */
      drop(&clients[i]);
  }
}

static void resize(int fd, const uint8_t *p) {
  struct winsize ws = {.ws_row = (unsigned short)(p[0] << 8 | p[1]),
                       .ws_col = (unsigned short)(p[2] << 8 | p[3])};
  (void)ioctl(fd, TIOCSWINSZ, &ws);
}

int attach_read(struct client *cl, int *stdin_fd, int tty) {
  static uint8_t buf[4096];
  ssize_t n;
  while ((n = read(cl->fd, buf, sizeof buf)) < 0 && errno == EINTR)
    ;
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return 0;
  if (n <= 0) {
    drop(cl);
    return -1;
  }
  for (ssize_t i = 0; i < n;) {
    if (cl->have < 8) {
      cl->hdr[cl->have++] = buf[i++];
      if (cl->have == 8) {
        cl->left = (uint32_t)cl->hdr[4] << 24 | (uint32_t)cl->hdr[5] << 16 | (uint32_t)cl->hdr[6] << 8 |
                   cl->hdr[7];
        cl->ctl_have = 0;
        uint8_t type = cl->hdr[0];
        if ((type != ATTACH_STDIN && type != ATTACH_RESIZE && type != ATTACH_CLOSE_STDIN) ||
            (type == ATTACH_RESIZE && cl->left != 4) || (type == ATTACH_CLOSE_STDIN && cl->left != 0)) {
          drop(cl);
          return -1;
        }
      } else {
        continue;
      }
    } else {
      size_t take = (size_t)(n - i) < cl->left ? (size_t)(n - i) : cl->left;
      if (cl->hdr[0] == ATTACH_STDIN) {
        if (*stdin_fd >= 0)
          (void)write_all(*stdin_fd, buf + i, take);
      } else {
        memcpy(cl->ctl + cl->ctl_have, buf + i, take);
        cl->ctl_have += (unsigned)take;
      }
      i += (ssize_t)take;
      cl->left -= (uint32_t)take;
    }
    if (cl->have == 8 && cl->left == 0) { /* a whole frame */
      if (cl->hdr[0] == ATTACH_RESIZE && tty && *stdin_fd >= 0)
        resize(*stdin_fd, cl->ctl);
      if (cl->hdr[0] == ATTACH_CLOSE_STDIN && *stdin_fd >= 0) {
        if (tty) {
          (void)write_all(*stdin_fd, "\x04", 1); /* EOF for the line discipline; the pty stays */
        } else {
          close(*stdin_fd);
          *stdin_fd = -1;
        }
      }
      cl->have = 0;
    }
  }
  return 0;
}

void attach_close_all(struct client *clients) {
  for (int i = 0; i < MON_MAX_CLIENTS; i++)
    if (clients[i].fd >= 0)
      drop(&clients[i]);
}
