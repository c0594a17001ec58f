/*
 * C test of silo-monitor with a fake silo-init (no container, no root): the MONITOR/PID/READY relay,
 * stdin and output through attach.sock, json-file logs with rotation, exit.json, and the files it
 * leaves. Exit 0 = pass, 77 = skip, else fail (crun's convention). Usage: monitor-test MONITOR FAKE_INIT
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond, ...)                                                                                     \
  do {                                                                                                       \
    if (!(cond)) {                                                                                           \
      fprintf(stderr, "monitor-test: " __VA_ARGS__);                                                         \
      fprintf(stderr, "\n");                                                                                 \
      exit(1);                                                                                               \
    }                                                                                                        \
  } while (0)

static char dir[64];

static uint32_t msg_type(int fd, uint32_t *value) {
  uint8_t m[64];
  ssize_t n = recv(fd, m, sizeof m, 0);
  CHECK(n >= 4, "sync message: %zd", n);
  if (value && n >= 8)
    memcpy(value, m + 4, 4);
  uint32_t t;
  memcpy(&t, m, 4);
  return t;
}

static char *slurp(const char *name) {
  static char buf[65536];
  char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return NULL;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n < 0 ? 0 : n] = '\0';
  return buf;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

int main(int argc, char **argv) {
  CHECK(argc == 3, "usage: monitor-test MONITOR FAKE_INIT");
  snprintf(dir, sizeof dir, "/tmp/silo-monitor-test.XXXXXX");
  CHECK(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
  int sv[2];
  CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0, "socketpair");
  char log[96];
  snprintf(log, sizeof log, "%s/c.log", dir);
  pid_t m0 = fork();
  if (m0 == 0) {
    dup2(sv[1], 3);
    execl(argv[1], argv[1], "--sync-fd", "3", "--dir", dir, "--init", argv[2], "--log", log, "--log-max-size",
          "200", "--log-max-file", "2", "--stdin", (char *)NULL);
    _exit(127);
  }
  close(sv[1]);
  int st;
  CHECK(waitpid(m0, &st, 0) == m0 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the starter's child exits 0");
  uint32_t monitor = 0, pid = 0;
  CHECK(msg_type(sv[0], &monitor) == 5 && monitor > 0, "MONITOR first");
  CHECK(msg_type(sv[0], &pid) == 1 && pid > 0, "then silo-init's PID");
  CHECK(msg_type(sv[0], NULL) == 2, "then READY");

  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  snprintf(a.sun_path, sizeof a.sun_path, "%s/attach.sock", dir);
  CHECK(connect(c, (struct sockaddr *)&a, sizeof a) == 0, "connect attach.sock: %s", strerror(errno));
  uint8_t frame[8 + 6] = {0, 0, 0, 0, 0, 0, 0, 6, 'h', 'e', 'l', 'l', 'o', '\n'};
  CHECK(write(c, frame, sizeof frame) == (ssize_t)sizeof frame, "stdin frame");
  char out[4096] = "";
  size_t have = 0;
  for (;;) { /* frames until the monitor closes the connection after the exit */
    uint8_t h[8];
    ssize_t n = recv(c, h, 8, MSG_WAITALL);
    if (n == 0)
      break;
    CHECK(n == 8 && (h[0] == 1 || h[0] == 2) && !h[1] && !h[2] && !h[3], "frame header");
    uint32_t len = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 | h[7];
    CHECK(len < sizeof out - have, "frame length %u", len);
    CHECK(recv(c, out + have, len, MSG_WAITALL) == (ssize_t)len, "frame payload");
    if (h[0] == 1)
      have += len;
  }
  out[have] = '\0';
  CHECK(strncmp(out, "got hello\nline 0 <&>\n", 21) == 0, "stdout through attach: %s", out);

  char *exit_json = NULL;
  for (int i = 0; i < 1000 && !(exit_json = slurp("exit.json")); i++)
    sleep_ms(10);
  CHECK(exit_json && strncmp(exit_json, "{\"ExitCode\":3,\"Signal\":0,\"FinishedAt\":\"", 39) == 0,
        "exit.json: %s", exit_json ? exit_json : "(none)");
  for (int i = 0; i < 1000 && kill((pid_t)monitor, 0) == 0; i++)
    sleep_ms(10); /* re-parented to init, which reaps it */
  CHECK(slurp("attach.sock") == NULL, "attach.sock removed");
  char *rotated = slurp("c.log.1");
  CHECK(rotated && strstr(rotated, "\"stream\":\"stdout\""), "rotated log c.log.1");
  CHECK(slurp("c.log.2") == NULL, "max-file 2 keeps two files");
  char *live = slurp("c.log");
  CHECK(live && strstr(live, "{\"log\":\"e\\n\",\"stream\":\"stderr\",\"time\":\""), "stderr entry: %s",
        live ? live : "(none)");
  CHECK(strstr(live, "\\u003c\\u0026\\u003e") || strstr(rotated, "\\u003c\\u0026\\u003e"), "HTML-safe escaping");
  char mp[32];
  snprintf(mp, sizeof mp, "%u", monitor);
  CHECK(strcmp(slurp("monitor.pid"), mp) == 0, "monitor.pid");
  snprintf(mp, sizeof mp, "%u", pid);
  CHECK(strcmp(slurp("init.pid"), mp) == 0, "init.pid");

  const char *files[] = {"c.log", "c.log.1", "exit.json", "monitor.pid", "init.pid"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    unlink(path);
  }
  CHECK(rmdir(dir) == 0, "nothing else left in %s: %s", dir, strerror(errno));
  return 0;
}
