/*
 * silo-monitor: owns one container in daemon mode, as conmon does for podman (docs/monitor.md).
 * Started by Java with a SEQPACKET socket at --sync-fd, it detaches (fork + setsid, so it outlives
 * its starter), becomes a child subreaper, runs silo-init with the container's stdio on its own
 * pipes (or receives the pty master), relays the plan and silo-init's PID/READY/ERROR messages,
 * then logs the output in json-file format, serves attach.sock and records exit.json.
 */
#include "monitor.h"
#include "fdpass.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYNC_PID 1
#define SYNC_READY 2
#define SYNC_ERROR 3
#define SYNC_MONITOR 5
#define RELAY_MAX 65536
#define DRAIN_MS 2000

struct opts {
  int sync_fd;
  const char *dir, *init, *log;
  long long max_size;
  int max_files, tty, open_stdin;
};

struct mon {
  struct opts o;
  int java_fd, p_fd;
  pid_t p_pid, c_pid;
  int ready, exited, status;
  int out_fd, err_fd;
  int out_ep;      /* epoll (edge-triggered) over out_fd and err_fd: its ready list keeps their order */
  int ready_q[2];  /* streams with output to read, oldest first; a full read sends one to the back */
  int ready_n;
  int hung_up[2];  /* by stream: the writers are gone (EPOLLHUP came), so read on to the EOF */
  struct stdin_q in;
  int console_listen, console_conn;
  int attach_fd, sig_fd;
  struct log_file log;
  struct client clients[MON_MAX_CLIENTS];
};

static struct line_buf out_line, err_line;
static uint8_t relay_buf[RELAY_MAX];
static char io_buf[32768];

static int eq(const char *a, const char *b) { return strcmp(a, b) == 0; }

static long long num(const char *s) {
  char *end;
  long long v = strtoll(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v < 0)
    die("bad number", EINVAL);
  return v;
}

static void usage(void) {
  static const char u[] = "usage: silo-monitor --sync-fd N --dir STATE_DIR --init SILO_INIT --log FILE "
                          "[--log-max-size BYTES] [--log-max-file N] [--tty] [--stdin]\n";
  (void)write_all(2, u, sizeof u - 1);
  _exit(2);
}

static struct opts parse(int argc, char **argv) {
  struct opts o = {.sync_fd = -1, .max_files = 1};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (eq(a, "--tty")) o.tty = 1;
    else if (eq(a, "--stdin")) o.open_stdin = 1;
    else if (!v) usage();
    else if (eq(a, "--sync-fd")) o.sync_fd = (int)num(v), i++;
    else if (eq(a, "--dir")) o.dir = v, i++;
    else if (eq(a, "--init")) o.init = v, i++;
    else if (eq(a, "--log")) o.log = v, i++;
    else if (eq(a, "--log-max-size")) o.max_size = num(v), i++;
    else if (eq(a, "--log-max-file")) o.max_files = (int)num(v), i++;
    else usage();
  }
  if (o.sync_fd < 0 || !o.dir || !o.init || !o.log || o.max_files < 1)
    usage();
  return o;
}

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

/* An ERROR for Java with no step (-1): the monitor itself failed before silo-init ran. */
static void __attribute__((noreturn)) fail(int fd, const char *what, int err) {
  uint8_t m[16 + 128];
  size_t n = str_len(what);
  if (n > 128)
    n = 128;
  put32(m, SYNC_ERROR);
  put32(m + 4, (uint32_t)-1);
  put32(m + 8, (uint32_t)err);
  put32(m + 12, (uint32_t)n);
  memcpy(m + 16, what, n);
  (void)send(fd, m, 16 + n, MSG_NOSIGNAL);
  die(what, err);
}

static void write_pid(const char *name, pid_t pid) {
  char b[24];
  size_t n = fmt_uint(b, (unsigned long long)pid);
  (void)write_atomically(name, b, n);
}

static void detach(struct mon *m) {
  pid_t pid = fork();
  if (pid < 0)
    fail(m->java_fd, "fork", errno);
  if (pid > 0)
    _exit(0); /* the starter reaps this one; the monitor is re-parented to init or a subreaper */
  if (setsid() < 0)
    fail(m->java_fd, "setsid", errno);
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0)
    fail(m->java_fd, "open /dev/null", errno);
  for (int fd = 0; fd < 3; fd++)
    (void)dup2(null, fd);
  close(null);
}

/*
 * Output is read through an edge-triggered epoll set, not by polling the two fds: the kernel appends
 * an fd to the set's ready list when a write makes it readable, so when a wake-up finds both streams
 * readable the list says which was written first (poll's revents cannot). Reads are non-blocking.
 */
static void watch_output(struct mon *m, int fd, int stream) {
  (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u32 = (uint32_t)stream};
  if (epoll_ctl(m->out_ep, EPOLL_CTL_ADD, fd, &ev) < 0)
    fail(m->java_fd, "epoll_ctl", errno);
}

/* The container's stdio: fds for silo-init's 0, 1, 2 (closed here after the fork). */
static void make_stdio(struct mon *m, int child[3]) {
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0)
    fail(m->java_fd, "open /dev/null", errno);
  child[0] = child[1] = child[2] = null;
  if (m->o.tty) {
    m->console_listen = attach_listen("console.sock");
    if (m->console_listen < 0)
      fail(m->java_fd, "console.sock", -m->console_listen);
    return;
  }
  int out[2], err[2], in[2];
  if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
    fail(m->java_fd, "pipe", errno);
  m->out_fd = out[0];
  m->err_fd = err[0];
  watch_output(m, out[0], MON_STDOUT);
  watch_output(m, err[0], MON_STDERR);
  child[1] = out[1];
  child[2] = err[1];
  if (m->o.open_stdin) {
    if (pipe2(in, O_CLOEXEC) < 0)
      fail(m->java_fd, "pipe", errno);
    m->in.fd = in[1];
    (void)fcntl(in[1], F_SETFL, O_NONBLOCK);
    child[0] = in[0];
  }
}

static void spawn_init(struct mon *m, const sigset_t *oldmask) {
  int child[3], sp[2];
  make_stdio(m, child);
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
    fail(m->java_fd, "socketpair", errno);
  pid_t pid = fork();
  if (pid < 0)
    fail(m->java_fd, "fork", errno);
  if (pid == 0) {
    for (int fd = 0; fd < 3; fd++)
      if (dup2(child[fd], fd) < 0)
        _exit(127);
    if (sp[1] == 3 ? fcntl(3, F_SETFD, 0) < 0 : dup2(sp[1], 3) < 0)
      _exit(127);
    signal(SIGPIPE, SIG_DFL); /* an ignored signal would stay ignored in the container */
    sigprocmask(SIG_SETMASK, oldmask, NULL);
    char *argv[] = {(char *)m->o.init, "--sync-fd", "3", NULL};
    char *envp[] = {NULL};
    execve(m->o.init, argv, envp);
    _exit(127);
  }
  m->p_pid = pid;
  close(sp[1]);
  m->p_fd = sp[0];
  for (int fd = 0; fd < 3; fd++)
    if (fd == 0 || child[fd] != child[fd - 1])
      close(child[fd]);
}

/* Java → silo-init: the plan and the go-ahead after hooks; EOF is passed on. */
static void relay_from_java(struct mon *m) {
  ssize_t n;
  while ((n = recv(m->java_fd, relay_buf, RELAY_MAX, 0)) < 0 && errno == EINTR)
    ;
  if (n > 0) {
    if (m->p_fd >= 0)
      (void)send(m->p_fd, relay_buf, (size_t)n, MSG_NOSIGNAL);
    return;
  }
  close(m->java_fd);
  m->java_fd = -1;
  if (m->p_fd >= 0)
    shutdown(m->p_fd, SHUT_WR);
  /* the starter gave up (or died) before the container was ready: nobody will ever own it */
  if (!m->ready && m->c_pid > 0)
    kill(m->c_pid, SIGKILL);
}

/* silo-init → Java, learning the container's pid and readiness on the way. */
static void relay_from_init(struct mon *m) {
  ssize_t n;
  while ((n = recv(m->p_fd, relay_buf, RELAY_MAX, 0)) < 0 && errno == EINTR)
    ;
  if (n <= 0) {
    close(m->p_fd);
    m->p_fd = -1;
    if (m->java_fd >= 0) {
      close(m->java_fd);
      m->java_fd = -1;
    }
    return;
  }
  uint32_t type = n >= 4 ? le32(relay_buf) : 0;
  if (type == SYNC_PID && n >= 8) {
    m->c_pid = (pid_t)le32(relay_buf + 4);
    write_pid("init.pid", m->c_pid);
  } else if (type == SYNC_READY) {
    m->ready = 1;
  }
  if (m->java_fd >= 0)
    (void)send(m->java_fd, relay_buf, (size_t)n, MSG_NOSIGNAL);
}

static void reap(struct mon *m) {
  struct signalfd_siginfo si;
  while (read(m->sig_fd, &si, sizeof si) > 0)
    ;
  int st;
  pid_t pid;
  while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
    if (pid == m->c_pid) {
      m->exited = 1;
      m->status = st;
    } else if (pid == m->p_pid) {
      m->p_pid = 0;
    }
  }
}

/* One read of the container's output: logged (stamped with the time of the read) and sent to attached
 * clients. 1 when the read filled the buffer (more may wait), 0 when the stream is drained, -1 at EOF. */
static int pump(struct mon *m, int *fd, int stream) {
  ssize_t n;
  while ((n = read(*fd, io_buf, sizeof io_buf)) < 0 && errno == EINTR)
    ;
  if (n < 0 && errno == EAGAIN)
    return 0;
  if (n <= 0) { /* EOF, or EIO on a pty master once the slave side is gone */
    log_flush(&m->log, stream == MON_STDERR ? &err_line : &out_line, stream);
    (void)epoll_ctl(m->out_ep, EPOLL_CTL_DEL, *fd, NULL); /* a pty master stays open for stdin */
    if (*fd != m->in.fd)
      close(*fd);
    *fd = -1;
    return -1;
  }
  struct timespec at;
  clock_gettime(CLOCK_REALTIME, &at);
  log_feed(&m->log, stream == MON_STDERR ? &err_line : &out_line, stream, io_buf, (size_t)n, &at);
  attach_broadcast(m->clients, m->o.tty, stream, io_buf, (size_t)n);
  return (size_t)n == sizeof io_buf;
}

/*
 * Reads the streams in the order they became readable (the epoll ready list), one chunk each per
 * pass, so a stream with much to say never holds back the other's older output for more than a chunk.
 */
static void pump_ready(struct mon *m) {
  struct epoll_event ev[2];
  int n = epoll_wait(m->out_ep, ev, 2, 0);
  for (int i = 0; i < n; i++) {
    int s = (int)ev[i].data.u32, queued = 0;
    /* edge-triggered: a hang-up that came with the last data's event is reported once, so a short
     * read must not end the stream's turns then, or its EOF would wait for the drain timeout */
    if (ev[i].events & (EPOLLHUP | EPOLLERR))
      m->hung_up[s == MON_STDERR] = 1;
    for (int k = 0; k < m->ready_n; k++)
      queued |= m->ready_q[k] == s;
    if (!queued)
      m->ready_q[m->ready_n++] = s;
  }
  int pass[2], count = m->ready_n;
  memcpy(pass, m->ready_q, sizeof pass);
  m->ready_n = 0;
  for (int k = 0; k < count; k++) {
    int *fd = pass[k] == MON_STDERR ? &m->err_fd : &m->out_fd;
    int r = *fd >= 0 ? pump(m, fd, pass[k]) : -1;
    if (r == 1 || (r == 0 && m->hung_up[pass[k] == MON_STDERR]))
      m->ready_q[m->ready_n++] = pass[k];
  }
}

static void console_event(struct mon *m, int listening) {
  if (listening) {
    m->console_conn = accept4(m->console_listen, NULL, NULL, SOCK_CLOEXEC);
    close(m->console_listen);
    m->console_listen = -1;
    (void)unlink("console.sock");
    return;
  }
  int master = recv_fd(m->console_conn);
  close(m->console_conn);
  m->console_conn = -1;
  if (master >= 0) {
    m->out_fd = master;
    m->in.fd = master;
    watch_output(m, master, MON_STDOUT);
  }
}

static void write_exit(struct mon *m) {
  int code = WIFEXITED(m->status) ? WEXITSTATUS(m->status) : 128 + WTERMSIG(m->status);
  int sig = WIFSIGNALED(m->status) ? WTERMSIG(m->status) : 0;
  char b[128];
  size_t n = 0;
  const char *a = "{\"ExitCode\":", *s = ",\"Signal\":", *f = ",\"FinishedAt\":\"";
  memcpy(b + n, a, str_len(a)), n += str_len(a);
  n += fmt_uint(b + n, (unsigned long long)code);
  memcpy(b + n, s, str_len(s)), n += str_len(s);
  n += fmt_uint(b + n, (unsigned long long)sig);
  memcpy(b + n, f, str_len(f)), n += str_len(f);
  n += fmt_time(b + n);
  memcpy(b + n, "\"}\n", 3), n += 3;
  (void)write_atomically("exit.json", b, n);
}

enum { P_SIG, P_JAVA, P_INIT, P_OUT, P_CLISTEN, P_CCONN, P_ATTACH, P_STDIN, P_CLIENT0,
       P_N = P_CLIENT0 + MON_MAX_CLIENTS };

static int add(struct pollfd *p, int slot, int fd) {
  p[slot].fd = fd;
  p[slot].events = POLLIN;
  p[slot].revents = 0;
  return fd >= 0;
}

static int loop_once(struct mon *m, int timeout) {
  struct pollfd p[P_N];
  add(p, P_SIG, m->sig_fd);
  add(p, P_JAVA, m->java_fd);
  add(p, P_INIT, m->p_fd);
  int outputs = m->out_fd >= 0 || m->err_fd >= 0;
  add(p, P_OUT, outputs ? m->out_ep : -1);
  add(p, P_CLISTEN, m->console_listen);
  add(p, P_CCONN, m->console_conn);
  add(p, P_ATTACH, m->attach_fd);
  int waiting = stdin_pending(&m->in);
  add(p, P_STDIN, waiting ? m->in.fd : -1);
  p[P_STDIN].events = POLLOUT;
  for (int i = 0; i < MON_MAX_CLIENTS; i++)
    add(p, P_CLIENT0 + i, waiting ? -1 : m->clients[i].fd);
  int more = m->ready_n > 0; /* output already known to wait: look, but do not sleep */
  int r = poll(p, P_N, more ? 0 : timeout);
  if (r < 0)
    return 1;
  if (r == 0 && !more)
    return outputs ? 0 : 1;
  short in = POLLIN | POLLHUP | POLLERR;
  /* accept first: a client whose connect() returned before some output is sent that output */
  if (p[P_ATTACH].revents & in)
    attach_accept(m->attach_fd, m->clients);
  if (p[P_JAVA].revents & in)
    relay_from_java(m);
  if (p[P_INIT].revents & in)
    relay_from_init(m);
  if (more || (p[P_OUT].revents & in))
    pump_ready(m);
  if (p[P_CLISTEN].revents & in)
    console_event(m, 1);
  if (p[P_CCONN].revents & in)
    console_event(m, 0);
  if (p[P_STDIN].revents & (POLLOUT | POLLERR | POLLHUP))
    stdin_flush(&m->in);
  for (int i = 0; i < MON_MAX_CLIENTS; i++)
    if (!waiting && m->clients[i].fd >= 0 && (p[P_CLIENT0 + i].revents & in))
      attach_read(&m->clients[i], &m->in);
  if (p[P_SIG].revents & POLLIN)
    reap(m);
  return 1;
}

/*
 * The monitor outlives its starter: every descriptor it inherited other than stdio and the sync
 * socket (a daemon's listening socket, its lock file, its jars) is closed, or a killed daemon's
 * socket would still accept connections and its files stay open while the container runs.
 */
static void close_inherited(int keep) {
  if (keep > 3)
    (void)syscall(SYS_close_range, 3U, (unsigned)keep - 1, 0U);
  if (syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0U) == 0)
    return;
  for (int fd = 3; fd < 65536; fd++) /* kernels before 5.9 */
    if (fd != keep)
      (void)close(fd);
}

int main(int argc, char **argv) {
  struct mon m = {.o = parse(argc, argv), .p_fd = -1, .out_fd = -1, .err_fd = -1, .out_ep = -1, .in = {.fd = -1},
                  .console_listen = -1, .console_conn = -1, .attach_fd = -1};
  for (int i = 0; i < MON_MAX_CLIENTS; i++)
    m.clients[i].fd = -1;
  m.java_fd = m.o.sync_fd;
  m.in.tty = m.o.tty;
  if (fcntl(m.java_fd, F_SETFD, FD_CLOEXEC) < 0)
    die("--sync-fd", errno);
  close_inherited(m.java_fd);
  if (chdir(m.o.dir) < 0)
    fail(m.java_fd, "chdir to the state directory", errno);
  detach(&m);
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
    fail(m.java_fd, "PR_SET_CHILD_SUBREAPER", errno);
  signal(SIGPIPE, SIG_IGN);
  sigset_t chld, old;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &old);
  m.sig_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  if (m.sig_fd < 0)
    fail(m.java_fd, "signalfd", errno);
  m.log.path = m.o.log;
  m.log.max_size = m.o.max_size;
  m.log.max_files = m.o.max_files;
  int err = log_open(&m.log);
  if (err)
    fail(m.java_fd, "opening the log file", err);
  m.out_ep = epoll_create1(EPOLL_CLOEXEC);
  if (m.out_ep < 0)
    fail(m.java_fd, "epoll_create1", errno);
  m.attach_fd = attach_listen("attach.sock");
  if (m.attach_fd < 0)
    fail(m.java_fd, "attach.sock", -m.attach_fd);
  write_pid("monitor.pid", getpid());
  uint8_t hello[8];
  put32(hello, SYNC_MONITOR);
  put32(hello + 4, (uint32_t)getpid());
  (void)send(m.java_fd, hello, sizeof hello, MSG_NOSIGNAL);
  spawn_init(&m, &old);

  /* until the container's init exits, or silo-init fails before the container was ready */
  while (!m.exited && !(m.p_pid == 0 && !m.ready && m.p_fd < 0))
    loop_once(&m, -1);
  if (m.exited) {
    /* the output a dying container wrote is still in the pipes; orphans may hold them open */
    while ((m.out_fd >= 0 || m.err_fd >= 0) && loop_once(&m, DRAIN_MS))
      ;
    log_flush(&m.log, &out_line, MON_STDOUT);
    log_flush(&m.log, &err_line, MON_STDERR);
    write_exit(&m);
  }
  (void)unlink("attach.sock"); /* first: a client that saw EOF finds no socket to reconnect to */
  attach_close_all(m.clients);
  return 0;
}
