package dev.silo.daemon;

import dev.silo.api.HcsException;
import dev.silo.api.HnsException;
import dev.silo.daemon.docker.ContainerApi;
import dev.silo.daemon.docker.ContainerArchive;
import dev.silo.daemon.docker.ContainerNetwork;
import dev.silo.daemon.docker.ContainerRuntime;
import dev.silo.daemon.docker.ContainerStats;
import dev.silo.daemon.docker.ContainerStore;
import dev.silo.daemon.docker.ContainerStreams;
import dev.silo.daemon.docker.EventLog;
import dev.silo.daemon.docker.ExecApi;
import dev.silo.daemon.docker.ImageApi;
import dev.silo.daemon.docker.NetworkApi;
import dev.silo.daemon.docker.NetworkDns;
import dev.silo.daemon.docker.NetworkRecord;
import dev.silo.daemon.docker.NetworkRegistry;
import dev.silo.daemon.docker.PruneApi;
import dev.silo.daemon.docker.SystemApi;
import dev.silo.daemon.docker.VolumeApi;
import dev.silo.daemon.docker.VolumeStore;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.HttpTransport;
import dev.silo.daemon.http.Router;
import dev.silo.daemon.rest.HcsRestApi;
import dev.silo.daemon.rest.HnsRestApi;
import dev.silo.hcs.ComputeService;
import dev.silo.hcs.LocalHcs;
import dev.silo.hns.HnsOptions;
import dev.silo.hns.HostNetworkService;
import dev.silo.hns.ReconcileReport;
import dev.silo.images.ImageException;
import dev.silo.images.ImageService;
import dev.silo.images.OsVersion;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A running silod: the HNS service (store under the data root, reconciled at start), the Docker
 * network records with the default {@code nat} network, local volumes, the compute service under
 * the exec root, and the HTTP listener. {@link #close} stops listening and leaves compute systems
 * and networks as they are.
 */
public final class Daemon implements AutoCloseable {
  private final DaemonOptions options;
  private final Log log;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Path lockFile;
  private boolean bound;

  private Daemon(
      DaemonOptions options, Log log, FileChannel lockChannel, FileLock lock, Path lockFile) {
    this.options = options;
    this.log = log;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.lockFile = lockFile;
  }

  /** Why the daemon could not start: one line for the user. */
  public static final class StartException extends Exception {
    private static final long serialVersionUID = 1L;

    public StartException(String message, Throwable cause) {
      super(message, cause);
    }

    public StartException(String message) {
      super(message);
    }
  }

  /** Starts serving; on failure everything opened so far is closed again. */
  public static Daemon start(DaemonOptions options, Log log) throws StartException {
    Path socket = options.socket();
    Path lockFile = socket.resolveSibling(socket.getFileName() + ".lock");
    FileChannel ch;
    FileLock lock;
    try {
      Files.createDirectories(socket.getParent());
      ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = ch.tryLock();
    } catch (IOException e) {
      throw new StartException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
    if (lock == null) {
      close(ch);
      throw new StartException("another silod is already serving unix://" + socket);
    }
    Daemon d = new Daemon(options, log, ch, lock, lockFile);
    try {
      d.open();
      return d;
    } catch (StartException | RuntimeException e) {
      d.close();
      throw e;
    }
  }

  private void open() throws StartException {
    Path socket = options.socket();
    if (Files.exists(socket)) {
      if (live(socket)) {
        throw new StartException("another daemon is already serving unix://" + socket);
      }
      log.info("removing stale socket " + socket);
      try {
        Files.delete(socket);
      } catch (IOException e) {
        throw new StartException("cannot remove stale socket " + socket + ": " + e.getMessage(), e);
      }
    }
    try {
      Files.createDirectories(options.dataRoot());
      Files.createDirectories(options.execRoot());
      HostNetworkService hns = openHns();
      resources.add(hns);
      EventLog events = new EventLog();
      NetworkRegistry networks =
          NetworkRegistry.open(options.dataRoot().resolve("network"), hns, log);
      NetworkRecord nat = networks.ensureDefault();
      log.info(
          "default network "
              + nat.name()
              + ": "
              + nat.ipam().stream().map(b -> b.subnet() + " gateway " + b.gateway()).toList());
      AtomicReference<@Nullable ContainerApi> containers = new AtomicReference<>();
      VolumeStore volumes =
          new VolumeStore(
              options.dataRoot().resolve("volumes"),
              name -> {
                ContainerApi c = containers.get();
                return c != null && c.usesVolume(name);
              });
      ComputeService compute = ComputeService.open(options.hcsRoot());
      compute.setLog(log::debug, log::warn);
      LocalHcs hcs = LocalHcs.over(compute);
      HcsRestApi hcsApi = new HcsRestApi(hcs);
      resources.add(hcsApi);

      ImageService images =
          ImageService.open(
              options.dataRoot().resolve("image"), OsVersion.parse(options.hostOsVersion()));
      ContainerStore store =
          ContainerStore.open(options.dataRoot().resolve("containers"), log::warn);
      ContainerRuntime runtime = new ContainerRuntime(compute, hcs, store, events, log);
      ContainerApi containerApi =
          new ContainerApi(
              store,
              runtime,
              images,
              networks,
              new ContainerNetwork(hns, options.hnsHostNetns()),
              volumes,
              events,
              log);
      containers.set(containerApi);
      NetworkDns dns =
          new NetworkDns(
              options.hnsHostNetns(),
              store::list,
              c -> {
                String s = runtime.state(c).status();
                return s.equals("running") || s.equals("paused");
              },
              log);
      resources.add(dns);
      networks.watch(dns);
      dns.openAll(networks.list());
      runtime.exits().reattach();
      Router docker = new Router();
      // before ImageApi: its /images/{rest:*} would take /images/prune
      new PruneApi(
              store,
              runtime,
              containerApi::remove,
              images,
              containerApi::usesImage,
              volumes,
              events)
          .register(docker);
      new ImageApi(images, events, containerApi::usesImage).register(docker);
      containerApi.register(docker);
      new ContainerStreams(store, runtime, containerApi::prepare, events).register(docker);
      new ContainerArchive(store, runtime, compute, volumes, containerApi::prepare, events)
          .register(docker);
      new ExecApi(store, runtime, hcs, events).register(docker);
      new ContainerStats(store, runtime, compute).register(docker);
      new SystemApi(
              options,
              engineId(),
              events,
              runtime.counts(
                  () -> {
                    try {
                      return images.list().size();
                    } catch (ImageException e) {
                      return 0;
                    }
                  }))
          .register(docker);
      new NetworkApi(networks, events, containerApi.connections()).register(docker);
      new VolumeApi(volumes, events).register(docker);
      Router rest = new Router();
      new HnsRestApi(hns).register(rest);
      hcsApi.register(rest);

      HttpTransport http = HttpTransport.bind(socket, new Dispatch(docker, rest, log));
      resources.add(http);
      bound = true;
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
      log.info("API listen on " + socket);
    } catch (IOException | HnsException | HcsException | ApiException | ImageException e) {
      throw new StartException(String.valueOf(e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartException("interrupted while starting", e);
    }
  }

  private HostNetworkService openHns() throws HnsException {
    HnsOptions o =
        HnsOptions.linux(options.hnsHostNetns())
            .withDatabase(options.hnsStore())
            .withReconcile(HnsOptions.Reconcile.ALWAYS);
    HostNetworkService hns = HostNetworkService.open(o);
    ReconcileReport r = hns.openReport();
    log.info("HNS store " + options.hnsStore() + " reconciled: " + r);
    return hns;
  }

  private String engineId() throws IOException {
    Path f = options.dataRoot().resolve("engine-id");
    if (Files.isRegularFile(f)) {
      String id = Files.readString(f).trim();
      if (!id.isEmpty()) {
        return id;
      }
    }
    String id = UUID.randomUUID().toString();
    Files.writeString(f, id);
    return id;
  }

  /** Whether something accepts connections on the socket. */
  static boolean live(Path socket) {
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      c.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public DaemonOptions options() {
    return options;
  }

  /** Stops listening (the socket file is removed) and closes the stores; containers stay. */
  @Override
  public void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      close(resources.get(i));
    }
    resources.clear();
    try {
      if (bound) {
        Files.deleteIfExists(options.socket());
      }
      Files.deleteIfExists(lockFile);
    } catch (IOException e) {
      log.warn("cannot remove " + options.socket() + ": " + e.getMessage());
    }
    close(lock::release);
    close(lockChannel);
  }

  private static void close(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing on the way out: nothing left to tell the client
    }
  }
}
