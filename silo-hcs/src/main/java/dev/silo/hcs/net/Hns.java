package dev.silo.hcs.net;

import dev.silo.api.HnsException;
import dev.silo.hns.HnsOptions;
import dev.silo.hns.HostNetworkService;
import dev.silo.hns.linux.LinuxDataplane;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The one place that opens the Host Network Service for runhcs and hnsdiag: where its store is,
 * which dataplane programs the kernel, and where a HostComputeNamespace's netns lives.
 */
public final class Hns {
  /** System property naming the HNS store file (tests, several stores side by side). */
  public static final String STORE_PROPERTY = "silo.hns.store";

  /** Environment variable naming the HNS store file, read when the property is unset. */
  public static final String STORE_ENV = "SILO_HNS_STORE";

  /** System property naming the HNS host's network namespace (under /run/netns). */
  public static final String HOST_NETNS_PROPERTY = "silo.hns.host-netns";

  /**
   * Environment variable naming the HNS host's network namespace, read when the property is unset.
   */
  public static final String HOST_NETNS_ENV = "SILO_HNS_HOST_NETNS";

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
   * The network namespace of the HNS host: {@value #HOST_NETNS_PROPERTY}, then ${@value
   * #HOST_NETNS_ENV}; null means the namespace this process runs in. One host netns has one store:
   * tests and side-by-side setups give each store its own host netns.
   */
  public static @Nullable String hostNetns() {
    String n = System.getProperty(HOST_NETNS_PROPERTY);
    if (n == null || n.isEmpty()) {
      n = System.getenv(HOST_NETNS_ENV);
    }
    return n == null || n.isEmpty() ? null : n;
  }

  /**
   * Opens the service over {@code store} on the Linux dataplane, reconciling as {@code when} says.
   */
  public static HostNetworkService open(Path store, HnsOptions.Reconcile when) throws HnsException {
    return HostNetworkService.open(
        HnsOptions.linux(hostNetns()).withDatabase(store).withReconcile(when));
  }

  /** The netns file a container joins to be in {@code namespaceId}. */
  public static Path netnsPath(String namespaceId) {
    return LinuxDataplane.netnsPath(hostNetns(), namespaceId);
  }
}
