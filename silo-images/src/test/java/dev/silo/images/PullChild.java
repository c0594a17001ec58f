package dev.silo.images;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A pull in a child JVM that stops dead at a progress status: it prints {@code STOPPED} and waits
 * to be killed with SIGKILL, so no finally block or shutdown hook runs.
 */
public final class PullChild {
  private PullChild() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    String ref = args[1];
    String stopAt = args[2];
    ImageService images = ImageService.open(root, OsVersion.WS2022);
    CountDownLatch never = new CountDownLatch(1);
    images.pull(
        ref,
        p -> {
          if (p.status().equals(stopAt)) {
            System.out.println("STOPPED " + p);
            System.out.flush();
            try {
              never.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    System.out.println("FINISHED");
  }
}
