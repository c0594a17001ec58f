/*
 * libsilospawn.so: the JNI stub behind dev.silo.init.NativeSpawn. posix_spawn costs 1-2 ms where the
 * first FFM downcall costs ~35 ms on the runhcs start-up path (shared/reference/startup.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_MSG 65536

static void free_strings(char **v) {
  if (!v)
    return;
  for (char **p = v; *p; p++)
    free(*p);
  free(v);
}

/* A NULL-terminated C copy of a String[] (NULL array → empty vector). */
static char **to_strings(JNIEnv *env, jobjectArray arr) {
  jsize n = arr ? (*env)->GetArrayLength(env, arr) : 0;
  char **v = calloc((size_t)n + 1, sizeof(char *));
  if (!v)
    return NULL;
  for (jsize i = 0; i < n; i++) {
    jstring s = (jstring)(*env)->GetObjectArrayElement(env, arr, i);
    const char *utf = s ? (*env)->GetStringUTFChars(env, s, NULL) : NULL;
    v[i] = strdup(utf ? utf : "");
    if (utf)
      (*env)->ReleaseStringUTFChars(env, s, utf);
    if (s)
      (*env)->DeleteLocalRef(env, s);
    if (!v[i]) {
      free_strings(v);
      return NULL;
    }
  }
  return v;
}

static int spawn_with(const char *path, char **argv, char **envp, int child_fd, int sync_fd, pid_t *pid) {
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&attr);
  /* the JVM blocks and ignores signals in its threads; the helper starts clean */
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawn_file_actions_adddup2(&fa, child_fd, sync_fd); /* dup2 clears CLOEXEC on sync_fd */
  int rc = posix_spawn(pid, path, &fa, &attr, argv, envp);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  return rc;
}

JNIEXPORT jlong JNICALL Java_dev_silo_init_NativeSpawn_spawn(JNIEnv *env, jclass cls, jstring jpath,
                                                             jobjectArray jargv, jobjectArray jenvp, jint sync_fd) {
  (void)cls;
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    return -(jlong)errno;
  if (sv[1] == sync_fd) { /* dup2(fd, fd) would leave CLOEXEC set */
    int moved = fcntl(sv[1], F_DUPFD_CLOEXEC, sync_fd + 1);
    close(sv[1]);
    sv[1] = moved;
  }
  const char *path = (*env)->GetStringUTFChars(env, jpath, NULL);
  char **argv = to_strings(env, jargv), **envp = to_strings(env, jenvp);
  pid_t pid = -1;
  int rc = (!path || !argv || !envp || sv[1] < 0) ? ENOMEM : spawn_with(path, argv, envp, sv[1], sync_fd, &pid);
  if (path)
    (*env)->ReleaseStringUTFChars(env, jpath, path);
  free_strings(argv);
  free_strings(envp);
  if (sv[1] >= 0)
    close(sv[1]);
  if (rc != 0) {
    close(sv[0]);
    return -(jlong)rc;
  }
  return ((jlong)pid << 32) | (jlong)(uint32_t)sv[0];
}

JNIEXPORT jint JNICALL Java_dev_silo_init_NativeSpawn_send(JNIEnv *env, jclass cls, jint fd, jbyteArray buf,
                                                           jint len) {
  (void)cls;
  if (len < 0 || len > (*env)->GetArrayLength(env, buf))
    return -EINVAL;
  jbyte *copy = malloc(len > 0 ? (size_t)len : 1);
  if (!copy)
    return -ENOMEM;
  (*env)->GetByteArrayRegion(env, buf, 0, len, copy);
  ssize_t n;
  while ((n = send(fd, copy, (size_t)len, MSG_NOSIGNAL)) < 0 && errno == EINTR)
    ;
  int err = errno;
  free(copy);
  return n < 0 ? -err : (jint)n;
}

JNIEXPORT jint JNICALL Java_dev_silo_init_NativeSpawn_recv(JNIEnv *env, jclass cls, jint fd, jbyteArray buf) {
  (void)cls;
  jsize cap = (*env)->GetArrayLength(env, buf);
  jbyte *tmp = malloc(cap > 0 ? (size_t)cap : 1);
  if (!tmp)
    return -ENOMEM;
  ssize_t n;
  while ((n = recv(fd, tmp, (size_t)cap, 0)) < 0 && errno == EINTR)
    ;
  int err = errno;
  if (n > 0)
    (*env)->SetByteArrayRegion(env, buf, 0, (jsize)n, tmp);
  free(tmp);
  return n < 0 ? -err : (jint)n;
}

JNIEXPORT jint JNICALL Java_dev_silo_init_NativeSpawn_close(JNIEnv *env, jclass cls, jint fd) {
  (void)env;
  (void)cls;
  return close(fd) < 0 ? -errno : 0;
}

JNIEXPORT jint JNICALL Java_dev_silo_init_NativeSpawn_waitpid(JNIEnv *env, jclass cls, jint pid) {
  (void)env;
  (void)cls;
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      return -errno;
  }
  return status;
}

JNIEXPORT jint JNICALL Java_dev_silo_init_NativeSpawn_kill(JNIEnv *env, jclass cls, jint pid, jint sig) {
  (void)env;
  (void)cls;
  return kill(pid, sig) < 0 ? -errno : 0;
}
