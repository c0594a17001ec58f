package dev.silo.linux.net;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Platform threads that enter a network namespace for one task and leave it again, kept for reuse:
 * starting a thread per switch cost about 1 ms of every endpoint attach. A worker that cannot
 * switch back home dies with its task, so no pooled thread is ever left in a foreign namespace.
 */
final class NsWorkers {
  private static final ThreadPoolExecutor POOL =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          30,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> Thread.ofPlatform().name("silo-netns-", 0).daemon().unstarted(r));

  private NsWorkers() {}

  /** Thrown on a worker that could not return to its own namespace: it ends the thread. */
  private static final class StrandedThread extends Error {
    private static final long serialVersionUID = 1L;

    StrandedThread(Throwable cause) {
      super("netns worker could not return to its namespace", cause);
    }
  }

  /** Runs {@code task} inside {@code ns} on a pooled worker and waits, rethrowing its failure. */
  static <T extends @Nullable Object, E extends Exception> T call(
      NetNs ns, NetNs.NsCallable<T, E> task) throws E {
    return handOff(POOL, () -> inside(ns, task));
  }

  /**
   * Runs {@code task} on a thread of {@code executor} and waits for it, returning its result or
   * rethrowing its failure. A {@link StrandedThread} is rethrown on the worker too, which ends it.
   */
  // NullAway: the result is exactly what the task returned, nullable only if T is
  @SuppressWarnings({"unchecked", "NullAway"})
  static <T extends @Nullable Object, E extends Exception> T handOff(
      Executor executor, NetNs.NsCallable<T, E> task) throws E {
    Object[] outcome = new Object[2]; // result, failure
    CountDownLatch done = new CountDownLatch(1);
    executor.execute(
        () -> {
          Throwable failure = null;
          try {
            outcome[0] = task.call();
          } catch (Throwable e) {
            failure = e;
            outcome[1] = e;
          } finally {
            done.countDown();
          }
          if (failure instanceof StrandedThread stranded) {
            throw stranded;
          }
        });
    awaitUninterruptibly(done);
    Throwable f = (Throwable) outcome[1];
    if (f instanceof RuntimeException r) {
      throw r;
    } else if (f instanceof Error err) {
      throw err;
    } else if (f != null) {
      throw (E) f;
    }
    return (T) outcome[0];
  }

  /** Enters {@code ns}, runs the task, and comes back home; not coming back strands the thread. */
  private static <T extends @Nullable Object, E extends Exception> T inside(
      NetNs ns, NetNs.NsCallable<T, E> task) throws E {
    try (NsFd home = NsFd.open(Path.of("/proc/thread-self/ns/net"));
        NsFd target = ns.openFd()) {
      NetNs.check(Libc.setns(target.fd(), Libc.CLONE_NEWNET), "setns", ns.path().toString());
      try {
        return task.call();
      } finally {
        try {
          NetNs.check(Libc.setns(home.fd(), Libc.CLONE_NEWNET), "setns", "host");
        } catch (RuntimeException e) {
          throw new StrandedThread(e);
        }
      }
    }
  }

  private static void awaitUninterruptibly(CountDownLatch done) {
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
