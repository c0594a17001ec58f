package dev.silo.linux.net;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * One long-lived platform thread parked in a network namespace, for native state that must be used
 * from inside it (a libnftables context, whose netlink socket opens lazily in the caller's
 * namespace).
 */
final class NsThread implements AutoCloseable {
  private final ExecutorService exec;

  private NsThread(ExecutorService exec) {
    this.exec = exec;
  }

  /** A thread switched into {@code ns}; null stays in the creating process's namespace. */
  static NsThread start(@Nullable NetNs ns, String name) {
    ExecutorService exec =
        Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name(name).unstarted(r));
    NsThread t = new NsThread(exec);
    if (ns != null) {
      try {
        // the thread never switches back: it ends with close(), taking the namespace with it
        t.call(
            () -> {
              try (NsFd fd = ns.openFd()) {
                NetNs.check(Libc.setns(fd.fd(), Libc.CLONE_NEWNET), "setns", ns.path().toString());
              }
              return null;
            });
      } catch (RuntimeException e) {
        t.close();
        throw e;
      }
    }
    return t;
  }

  /** Runs {@code task} on the thread and waits. */
  @SuppressWarnings("unchecked")
  <T extends @Nullable Object, E extends Exception> T call(NetNs.NsCallable<T, E> task) throws E {
    Future<T> f = exec.submit(task::call);
    try {
      return getUninterruptibly(f);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      } else if (c instanceof Error err) {
        throw err;
      }
      throw (E) c;
    }
  }

  private static <T> T getUninterruptibly(Future<T> f) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true; // the native call cannot be abandoned half-way; finish it
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    exec.shutdown();
  }
}
