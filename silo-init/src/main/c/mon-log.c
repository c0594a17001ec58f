/* silo-monitor: Docker's json-file log driver — one JSON object per line, size rotation
 * (file → file.1 → … → file.<max-file - 1>), as moby's jsonfilelog writes it. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* rename(2) only: nothing of stdio is used */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Worst case: every byte escaped as \u00XX, plus the fixed fields. */
static char entry[MON_LINE_MAX * 6 + 128];

int log_open(struct log_file *lf) {
  lf->fd = open(lf->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (lf->fd < 0)
    return errno;
  struct stat st;
  lf->size = fstat(lf->fd, &st) == 0 ? st.st_size : 0;
  return 0;
}

/* "<path>.<k>" into out (PATH_MAX-sized). */
static void numbered(char *out, const char *path, int k) {
  size_t n = str_len(path);
  memcpy(out, path, n);
  out[n++] = '.';
  n += fmt_uint(out + n, (unsigned long long)k);
  out[n] = '\0';
}

static void rotate(struct log_file *lf) {
  if (lf->max_files < 2) { /* moby truncates when it keeps a single file */
    if (ftruncate(lf->fd, 0) == 0)
      lf->size = 0;
    return;
  }
  static char from[4200], to[4200];
  for (int k = lf->max_files - 2; k >= 1; k--) {
    numbered(from, lf->path, k);
    numbered(to, lf->path, k + 1);
    (void)rename(from, to); /* a missing file is fine: fewer rotations happened so far */
  }
  numbered(to, lf->path, 1);
  close(lf->fd);
  (void)rename(lf->path, to);
  lf->fd = open(lf->path, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  lf->size = 0;
}

/* Length of a valid UTF-8 sequence at p (at most left bytes), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *p, size_t left) {
  unsigned c = p[0];
  size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
  if (n == 0 || n > left)
    return 0;
  for (size_t i = 1; i < n; i++)
    if ((p[i] & 0xc0) != 0x80)
      return 0;
  if (n == 3 && ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0)))
    return 0; /* overlong, or a UTF-16 surrogate */
  if (n == 4 && ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90)))
    return 0;
  return n;
}

static size_t put(char *out, const char *s) {
  size_t n = str_len(s);
  memcpy(out, s, n);
  return n;
}

/* JSON string body as moby's json-file writer escapes it: HTML-safe, U+2028/U+2029 escaped, invalid
 * UTF-8 as U+FFFD. */
static size_t escape(char *out, const unsigned char *s, size_t len) {
  static const char hex[] = "0123456789abcdef";
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    unsigned char c = s[i];
    if (c >= 0x80) {
      size_t n = utf8_len(s + i, len - i);
      if (n == 0) {
        o += put(out + o, "\\ufffd");
        i++;
      } else if (n == 3 && c == 0xe2 && s[i + 1] == 0x80 && (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)) {
        o += put(out + o, s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029"); /* JavaScript line breaks */
        i += 3;
      } else {
        memcpy(out + o, s + i, n);
        o += n;
        i += n;
      }
      continue;
    }
    i++;
    if (c == '"' || c == '\\') {
      out[o++] = '\\';
      out[o++] = (char)c;
    } else if (c == '\n') {
      o += put(out + o, "\\n");
    } else if (c == '\r') {
      o += put(out + o, "\\r");
    } else if (c == '\t') {
      o += put(out + o, "\\t");
    } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
      o += put(out + o, "\\u00");
      out[o++] = hex[c >> 4];
      out[o++] = hex[c & 15];
    } else {
      out[o++] = (char)c;
    }
  }
  return o;
}

void log_entry(struct log_file *lf, int stream, const char *data, size_t len, const struct timespec *at) {
  if (at->tv_sec > lf->last.tv_sec || (at->tv_sec == lf->last.tv_sec && at->tv_nsec > lf->last.tv_nsec))
    lf->last = *at; /* a wall clock stepped back does not reorder the entries' times */
  size_t o = put(entry, "{\"log\":\"");
  o += escape(entry + o, (const unsigned char *)data, len);
  o += put(entry + o, stream == MON_STDERR ? "\",\"stream\":\"stderr\",\"time\":\""
                                            : "\",\"stream\":\"stdout\",\"time\":\"");
  o += fmt_timespec(entry + o, &lf->last);
  o += put(entry + o, "\"}\n");
  if (lf->fd < 0)
    return;
  if (lf->max_size > 0 && lf->size > 0 && lf->size + (long long)o > lf->max_size) {
    rotate(lf);
    if (lf->fd < 0)
      return;
  }
  if (write_all(lf->fd, entry, o) == 0)
    lf->size += (long long)o;
}

static void flush_at(struct log_file *lf, struct line_buf *lb, int stream, const struct timespec *at) {
  if (lb->len > 0)
    log_entry(lf, stream, lb->data, lb->len, at);
  lb->len = 0;
}

void log_feed(struct log_file *lf, struct line_buf *lb, int stream, const char *data, size_t len,
              const struct timespec *at) {
  while (len > 0) {
    size_t room = MON_LINE_MAX - lb->len;
    size_t take = len < room ? len : room;
    const char *nl = memchr(data, '\n', take);
    if (nl)
      take = (size_t)(nl - data) + 1;
    memcpy(lb->data + lb->len, data, take);
    lb->len += take;
    data += take;
    len -= take;
    if (nl || lb->len == MON_LINE_MAX)
      flush_at(lf, lb, stream, at);
  }
}

void log_flush(struct log_file *lf, struct line_buf *lb, int stream) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  flush_at(lf, lb, stream, &now);
}
