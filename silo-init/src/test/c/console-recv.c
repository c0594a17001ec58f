/*
 * Test tool: the other end of CONSOLE_CONNECT/CONSOLE_SETUP, as a containerd shim would be. Listens on
 * an AF_UNIX socket, receives the pty master with SCM_RIGHTS (Java NIO cannot), prints
 * "slave=<name>" and then everything the container writes to its terminal, until the pty hangs up.
 * Usage: silo-console-recv SOCKET
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int receive_fd(int conn, char *name, size_t namelen) {
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  struct iovec iov = {.iov_base = name, .iov_len = namelen - 1};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  ssize_t n = recvmsg(conn, &msg, 0);
  if (n < 0)
    return -1;
  name[n] = '\0';
  struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
  if (!cm || cm->cmsg_type != SCM_RIGHTS)
    return -1;
  int fd;
  memcpy(&fd, CMSG_DATA(cm), sizeof fd);
  return fd;
}

int main(int argc, char **argv) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (argc != 2 || strlen(argv[1]) >= sizeof sa.sun_path) {
    fprintf(stderr, "usage: silo-console-recv SOCKET\n");
    return 2;
  }
  strcpy(sa.sun_path, argv[1]);
  int ls = socket(AF_UNIX, SOCK_STREAM, 0);
  if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(ls, 1) < 0) {
    perror("listen");
    return 1;
  }
  int conn = accept(ls, NULL, NULL);
  char name[256];
  int master = conn < 0 ? -1 : receive_fd(conn, name, sizeof name);
  if (master < 0) {
    perror("receive");
    return 1;
  }
  printf("slave=%s\n", name);
  fflush(stdout);
  char buf[4096];
  ssize_t n;
  /* EIO once the last slave fd is closed (the container exited) */
  while ((n = read(master, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0 && write(1, buf, (size_t)n) < 0)
      return 1;
  unlink(argv[1]);
  return 0;
}
