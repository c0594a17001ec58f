package dev.silo.init;

import java.util.Arrays;

/** A running {@code silo-init} helper and its sync socket: PID, READY and ERROR messages. */
public final class InitProcess implements AutoCloseable {
  private static final int SYNC_PID = 1;
  private static final int SYNC_READY = 2;
  private static final int SYNC_ERROR = 3;
  private static final int SYNC_HOOKS = 4;
  private static final int SYNC_MONITOR = 5;

  private final Plan plan;
  private final int helperPid;
  private final int fd;
  private int containerPid = -1;
  private volatile int monitorPid = -1;
  private int helperStatus = -1;
  private boolean closed;

  InitProcess(Plan plan, int helperPid, int fd) {
    this.plan = plan;
    this.helperPid = helperPid;
    this.fd = fd;
  }

  public int helperPid() {
    return helperPid;
  }

  /**
   * The pid of the {@code silo-monitor} that owns the container (its first message), or -1 before
   * that message or without a monitor.
   */
  public int monitorPid() {
    return monitorPid;
  }

  /** The host pid of the container's init (the PID message). */
  public synchronized int awaitPid() throws InitException {
    while (containerPid < 0) {
      if (readMessage() == SYNC_READY) {
        throw new InitException("silo-init: READY before PID");
      }
    }
    return containerPid;
  }

  /** Returns at READY; throws on ERROR, or when the helper exits first. */
  public synchronized void awaitReady() throws InitException {
    while (readMessage() != SYNC_READY) {
      // PID messages only record the pid
    }
  }

  /** Returns when the init stops at its HOOKS step; throws on ERROR or an early exit. */
  public synchronized void awaitHooks() throws InitException {
    int type;
    while ((type = readMessage()) != SYNC_HOOKS) {
      if (type == SYNC_READY) {
        throw new InitException("silo-init: READY before the HOOKS step");
      }
    }
  }

  /** Lets the init go on after its HOOKS step. */
  public synchronized void resumeAfterHooks() throws InitException {
    int n = NativeSpawn.send(fd, new byte[] {1}, 1);
    if (n < 0) {
      throw new InitException("resuming silo-init after the hooks", -1, -n, "");
    }
  }

  /** Waits for the helper: its exit code, or 128+signal. */
  public synchronized int waitHelper() {
    if (helperStatus < 0) {
      int raw = NativeSpawn.waitpid(helperPid);
      if (raw < 0) {
        return raw;
      }
      int signal = raw & 0x7f;
      helperStatus = signal == 0 ? (raw >>> 8) & 0xff : 128 + signal;
    }
    return helperStatus;
  }

  /** Closes the sync socket. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      NativeSpawn.close(fd);
    }
  }

  void send(byte[] encoded) throws InitException {
    for (int off = 0; off < encoded.length; off += SiloInit.MAX_MESSAGE) {
      int len = Math.min(SiloInit.MAX_MESSAGE, encoded.length - off);
      byte[] chunk =
          off == 0 && len == encoded.length ? encoded : Arrays.copyOfRange(encoded, off, off + len);
      int n = NativeSpawn.send(fd, chunk, len);
      if (n < 0) {
        throw new InitException("sending the plan to silo-init", -1, -n, "");
      }
    }
  }

  /** Reads one message; returns its type after recording PID; throws for ERROR and EOF. */
  private int readMessage() throws InitException {
    if (closed) {
      throw new InitException("silo-init: sync socket closed");
    }
    byte[] buf = new byte[2048];
    int n = NativeSpawn.recv(fd, buf);
    if (n < 0) {
      throw new InitException("reading from silo-init", -1, -n, "");
    }
    if (n == 0) {
      throw new InitException(
          "silo-init exited with status " + waitHelper() + " before the container was ready");
    }
    int type = n >= 4 ? le32(buf, 0) : -1;
    if (type == SYNC_MONITOR && n >= 8) {
      monitorPid = le32(buf, 4);
      return type;
    }
    if (type == SYNC_PID && n >= 8) {
      containerPid = le32(buf, 4);
    } else if (type == SYNC_ERROR && n >= 16) {
      int step = le32(buf, 4);
      int len = Math.max(0, Math.min(le32(buf, 12), n - 16));
      String detail = new String(buf, 16, len, java.nio.charset.StandardCharsets.UTF_8);
      throw new InitException(plan.describe(step), step, le32(buf, 8), detail);
    } else if (type != SYNC_READY && type != SYNC_HOOKS) {
      throw new InitException("silo-init: malformed sync message of " + n + " bytes");
    }
    return type;
  }

  private static int le32(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }
}
