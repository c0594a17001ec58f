package dev.silo.hns;

import dev.silo.schema.hcn.HostComputeEndpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A second process for the concurrency test: opens the same store and creates endpoints from
 * several threads. Args: database, boot-id file, network id, name prefix, count, and optionally a
 * dataplane step at which to halt the JVM mid-transaction.
 */
public final class ConcurrentCreateMain {
  private ConcurrentCreateMain() {}

  public static void main(String[] args) throws Exception {
    RecordingDataplane dataplane = new RecordingDataplane();
    if (args.length > 5 && !args[5].isEmpty()) {
      dataplane.haltAt = args[5];
    }
    HnsOptions options =
        HnsOptions.defaults(dataplane)
            .withDatabase(Path.of(args[0]))
            .withBootIdFile(Path.of(args[1]))
            .withReconcile(HnsOptions.Reconcile.NEVER);
    HostNetworkService hns = HostNetworkService.open(options);
    createAll(hns, args[2], args[3], Integer.parseInt(args[4]));
  }

  /** Creates {@code count} endpoints named prefix-i from 8 threads; throws if any failed. */
  static void createAll(HostNetworkService hns, String network, String prefix, int count)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<HostComputeEndpoint>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = prefix + "-" + i;
        futures.add(pool.submit(() -> hns.createEndpoint(HostComputeEndpoint.of(name, network))));
      }
      for (Future<HostComputeEndpoint> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }
}
