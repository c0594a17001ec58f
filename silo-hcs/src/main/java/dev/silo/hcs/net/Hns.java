package dev.silo.hcs.net;

import dev.silo.api.HnsException;
import dev.silo.hns.HnsOptions;
import dev.silo.hns.HostNetworkService;
import dev.silo.hns.spi.Dataplane;
import dev.silo.linux.net.NetNs;
import dev.silo.schema.hcn.HostComputeNamespace;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The one place that opens the Host Network Service for runhcs and hnsdiag: where its store is,
 * which dataplane programs the kernel, and where a HostComputeNamespace's netns lives.
 */
public final class Hns {
  /** System property naming the HNS store file (tests, several stores side by side). */
  public static final String STORE_PROPERTY = "silo.hns.store";

  /** Environment variable naming the HNS store file, read when the property is unset. */
  public static final String STORE_ENV = "SILO_HNS_STORE";

  private Hns() {}

  /** The store file: {@value #STORE_PROPERTY}, then ${@value #STORE_ENV}, then the default. */
  public static Path defaultStore() {
    String p = System.getProperty(STORE_PROPERTY);
    if (p == null || p.isEmpty()) {
      p = System.getenv(STORE_ENV);
    }
    return p == null || p.isEmpty() ? HnsOptions.DEFAULT_DATABASE : Path.of(p);
  }

  /**
   * The kernel programming behind the service. Until the Linux dataplane is merged this is the
   * netns-only stop-gap; then this line becomes {@code return new LinuxDataplane();}.
   */
  public static Dataplane dataplane() {
    return new NetnsDataplane();
  }

  /** Opens the service over {@code store}, reconciling as {@code when} says. */
  public static HostNetworkService open(Path store, HnsOptions.Reconcile when) throws HnsException {
    return HostNetworkService.open(
        HnsOptions.defaults(dataplane()).withDatabase(store).withReconcile(when));
  }

  /** The netns name of a namespace: its id, so {@code /run/netns/<id>}. */
  public static String netnsName(HostComputeNamespace namespace) {
    return Objects.requireNonNull(namespace.id(), "namespace without ID");
  }

  /** The netns file a container joins to be in {@code namespaceId}. */
  public static Path netnsPath(String namespaceId) {
    return NetNs.RUN_DIR.resolve(namespaceId);
  }
}
