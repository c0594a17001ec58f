/* silo-monitor: the per-container monitor of daemon mode (docs/monitor.md). No stdio, no malloc:
 * its resident set stays well under 1 MiB. */
#ifndef SILO_MONITOR_H
#define SILO_MONITOR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define MON_MAX_CLIENTS 16
/* A line longer than this is logged in parts without "\n", as Docker's json-file does at 16 KiB. */
#define MON_LINE_MAX 16384

enum mon_stream { MON_STDOUT = 1, MON_STDERR = 2 };

/* Client → monitor frame types on attach.sock (monitor → client frames are 1 = stdout, 2 = stderr). */
enum attach_in { ATTACH_STDIN = 0, ATTACH_RESIZE = 3, ATTACH_CLOSE_STDIN = 4 };

struct line_buf {
  size_t len;
  char data[MON_LINE_MAX];
};

struct log_file {
  const char *path;
  long long max_size; /* 0 = no rotation */
  int max_files;      /* files kept, the live one included */
  int fd;
  long long size;
  struct timespec last; /* the latest entry's time: entries never go back in time */
};

struct client {
  int fd;
  uint8_t hdr[8];
  unsigned have;      /* header bytes read */
  uint32_t left;      /* payload bytes still to come */
  uint8_t ctl[4];     /* RESIZE payload */
  unsigned ctl_have;
};

/* Input the container has not taken yet. While any waits, no client is read, so at most one read
 * of a client (4 KiB) is ever queued and the monitor never blocks on a container that does not read. */
struct stdin_q {
  int fd;          /* pipe write end or pty master (non-blocking); -1 when none or closed */
  int tty;
  int close_after; /* CLOSE_STDIN came while bytes were waiting */
  size_t len, off;
  char buf[8192];
};

/* mon-util.c */
size_t fmt_uint(char *out, unsigned long long v);
size_t fmt_time(char *out); /* RFC 3339 with up to nine fraction digits, UTC; at most 30 bytes, no NUL */
size_t fmt_timespec(char *out, const struct timespec *ts); /* the same for a given time */
int write_all(int fd, const void *buf, size_t len);
/* Writes name.tmp then renames it to name (relative to the cwd, the state directory). */
int write_atomically(const char *name, const char *content, size_t len);
void die(const char *what, int err) __attribute__((noreturn));
size_t str_len(const char *s);

/* mon-log.c */
int log_open(struct log_file *lf);
/* One json-file entry: {"log":"…","stream":"stdout|stderr","time":"…"}; `at` is when the output was
 * read (never earlier than the previous entry's time). */
void log_entry(struct log_file *lf, int stream, const char *data, size_t len, const struct timespec *at);
/* Feeds output read at `at` into the per-stream line buffer; complete lines (and full buffers) become
 * entries. */
void log_feed(struct log_file *lf, struct line_buf *lb, int stream, const char *data, size_t len,
              const struct timespec *at);
/* The partial line left in the buffer, as one entry stamped now. */
void log_flush(struct log_file *lf, struct line_buf *lb, int stream);

/* mon-attach.c */
int attach_listen(const char *name);
void attach_accept(int listen_fd, struct client *clients);
/* Sends output to every client: a multiplexed frame, or the raw bytes for a tty. */
void attach_broadcast(struct client *clients, int tty, int stream, const char *data, size_t len);
/* Reads from one client; returns 0, or -1 when the client is gone (closed here). */
int attach_read(struct client *cl, struct stdin_q *q);
void stdin_push(struct stdin_q *q, const char *data, size_t len);
void stdin_flush(struct stdin_q *q);
void stdin_close(struct stdin_q *q);
int stdin_pending(const struct stdin_q *q);
void attach_close_all(struct client *clients);

#endif
