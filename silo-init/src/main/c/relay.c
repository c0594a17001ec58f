/* silo-init "P": the console relay of a foreground run with a terminal (runc run without -d).
 * C sends the pty master here instead of to a caller's socket; P copies its own stdin to the master and
 * the master to its stdout until C exits, keeps the window size in step, and exits with C's status. */
#include "silo-init.h"
#include "fdpass.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

volatile sig_atomic_t relay_winch;

static void copy_winsize(int master) {
  struct winsize ws;
  if (ioctl(0, TIOCGWINSZ, &ws) == 0)
    (void)ioctl(master, TIOCSWINSZ, &ws);
}

static int write_all(int fd, const char *buf, ssize_t len) {
  while (len > 0) {
    ssize_t w = write(fd, buf, (size_t)len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    buf += w;
    len -= w;
  }
  return 0;
}

static void drain(int master) {
  char buf[8192];
  int fl = fcntl(master, F_GETFL);
  if (fl >= 0)
    (void)fcntl(master, F_SETFL, fl | O_NONBLOCK);
  ssize_t r;
  while ((r = read(master, buf, sizeof buf)) > 0)
    if (write_all(1, buf, r) < 0)
      return;
}

static int exit_code(int st) { return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st); }

void relay_and_exit(int sock, pid_t pid) {
  int master = recv_fd(sock);
  close(sock);
  int st;
  if (master < 0) { /* C died before its console was set up: it reported why */
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
      ;
    _exit(1);
  }
  struct termios saved;
  int raw = 0;
  if (isatty(0) && tcgetattr(0, &saved) == 0) {
    struct termios t = saved;
    cfmakeraw(&t);
    raw = tcsetattr(0, TCSANOW, &t) == 0;
  }
  copy_winsize(master);
  int in_open = 1, done = 0;
  char buf[8192];
  while (!done) {
    struct pollfd p[2] = {{.fd = master, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
    int n = poll(p, in_open ? 2 : 1, 100);
    if (relay_winch) {
      relay_winch = 0;
      copy_winsize(master);
    }
    if (n > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t r = read(master, buf, sizeof buf);
      if (r > 0)
        (void)write_all(1, buf, r);
      else if (!(r < 0 && errno == EINTR))
        break; /* EIO: every slave is closed */
    }
    if (n > 0 && in_open && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t r = read(0, buf, sizeof buf);
      if (r > 0)
        (void)write_all(master, buf, r);
      else if (!(r < 0 && errno == EINTR))
        in_open = 0;
    }
    if (waitpid(pid, &st, WNOHANG) == pid) {
      drain(master);
      done = 1;
    }
  }
  if (!done)
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
      ;
  if (raw)
    (void)tcsetattr(0, TCSANOW, &saved);
  _exit(exit_code(st));
}
