package dev.silo.hcs;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.hcs.internal.ContainerDocument;
import dev.silo.hcs.internal.OverlayMount;
import dev.silo.hcs.internal.StateStore;
import dev.silo.schema.hcs.ComputeSystem;
import dev.silo.schema.hcs.Container;
import dev.silo.schema.hcs.HostedSystem;
import dev.silo.schema.hcs.LinuxContainer;
import dev.silo.schema.hcs.Networking;
import dev.silo.schema.json.Json;
import dev.silo.schema.json.JsonException;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Spec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * HcsCreateComputeSystem on a schema v2 document: picks the shape (HostedSystem LinuxContainer,
 * process-isolated Container, Hyper-V) and hands a {@link Creator} what that shape means on Linux.
 */
final class DocumentCreator {
  private DocumentCreator() {}

  static @Nullable RunningInit create(
      ComputeService service, StateStore store, String id, ComputeSystem doc, CreateOptions opts)
      throws HcsException {
    StateStore.validateId("create", id);
    if (doc.virtualMachine() != null || doc.hostingSystemId() != null) {
      // Hyper-V isolation needs a utility VM (QEMU + guest agent): not built yet. Nothing has been
      // created at this point, so nothing is left behind.
      String vm = doc.hostingSystemId() == null ? id : doc.hostingSystemId();
      throw new HcsException(
          "create",
          id,
          HResult.HCS_E_HYPERV_NOT_INSTALLED,
          "Hyper-V isolation is not available on this host: no utility VM can be started for "
              + vm);
    }
    int shapes = (doc.container() != null ? 1 : 0) + (doc.hostedSystem() != null ? 1 : 0);
    if (shapes != 1) {
      throw invalidJson(
          id,
          "exactly one of Container, HostedSystem or VirtualMachine must be set, got " + shapes);
    }
    String owner = doc.owner() == null ? opts.owner() : doc.owner();
    Container container = doc.container();
    if (container != null) {
      return createContainer(service, store, id, container, opts, owner);
    }
    return createLinux(service, store, id, doc.hostedSystem(), opts, owner);
  }

  private static @Nullable RunningInit createLinux(
      ComputeService service,
      StateStore store,
      String id,
      @Nullable Object hosted,
      CreateOptions opts,
      String owner)
      throws HcsException {
    Object tree;
    String bundle;
    // instanceof, not a pattern switch: its SwitchBootstraps class is spun with the classfile API
    // at run time even with the AOT cache, ~10 ms on every runhcs create (docs/benchmarks.md).
    if (hosted instanceof LinuxContainer lc) {
      tree = lc.ociSpecification();
      bundle = lc.ociBundlePath();
    } else if (hosted instanceof Map<?, ?> raw) {
      // A document read by a generic JSON library keeps HostedSystem as its raw tree.
      tree = raw.get("OciSpecification");
      bundle = raw.get("OciBundlePath") instanceof String s ? s : null;
    } else if (hosted instanceof HostedSystem) {
      throw invalidJson(
          id, "HostedSystem: a hosted Windows container needs HostingSystemId (Hyper-V)");
    } else {
      throw invalidJson(id, "HostedSystem: not a LinuxContainer document");
    }
    if (tree == null) {
      throw invalidJson(id, "HostedSystem.OciSpecification: required field is missing");
    }
    Spec spec;
    Spec given = opts.ociSpec();
    if (given != null && given.toJson().equals(tree)) {
      // The document was translated from this very spec (runhcs create/run): no write and re-parse
      // of the same JSON on the CLI path.
      spec = given;
    } else {
      try {
        // Silo's own codec: the CLI path must not load a reflection-driven JSON library.
        spec = OciSpecs.parseConfig(Json.write(tree));
      } catch (JsonException | IllegalArgumentException e) {
        throw invalidJson(id, "HostedSystem.OciSpecification: " + e.getMessage());
      }
    }
    Timing.mark("doc-spec");
    Path bundlePath = bundle == null || bundle.isEmpty() ? opts.bundle() : Path.of(bundle);
    if (NetworkRequest.endpoints(spec).isEmpty()) {
      // The common case without a network join, before the lambda below: an indy call site that
      // runs on runhcs's path puts the classfile API into its AOT cache (docs/benchmarks.md).
      return new Creator(service, store, request(id, bundlePath, spec, opts, owner)).create();
    }
    return withNetwork(
        id,
        spec,
        null,
        s -> new Creator(service, store, request(id, bundlePath, s, opts, owner)).create());
  }

  private static @Nullable RunningInit createContainer(
      ComputeService service,
      StateStore store,
      String id,
      Container container,
      CreateOptions opts,
      String owner)
      throws HcsException {
    Spec base = opts.ociSpec();
    if (base == null || base.process() == null) {
      throw new HcsException(
          "create",
          id,
          HResult.E_NOTIMPL,
          "Container: a container document needs the OCI spec it was translated from (its"
              + " process); a bare Container document is not supported yet");
    }
    ContainerDocument.OverlayLayout layout;
    try {
      layout = ContainerDocument.layout(container, opts.bundle(), store.dir(id));
    } catch (IllegalArgumentException e) {
      throw invalidJson(id, String.valueOf(e.getMessage()));
    }
    Spec spec = ContainerDocument.effectiveSpec(base, container, layout.target());
    var limits = ContainerDocument.limits(container, Runtime.getRuntime().availableProcessors());
    Networking net = container.networking();
    String namespace =
        net == null || net.namespace() == null || net.namespace().isEmpty()
            ? null
            : net.namespace();
    return withNetwork(
        id,
        spec,
        namespace,
        s -> {
          CreateRequest req = request(id, opts.bundle(), s, opts, owner);
          return new Creator(service, store, req, new OverlayMount(layout), limits).create();
        });
  }

  /** Creates a container from a spec; the step after the network join. */
  @FunctionalInterface
  private interface Make {
    @Nullable RunningInit make(Spec spec) throws HcsException;
  }

  /**
   * Joins the HNS endpoints or namespace the spec/document asks for, then creates; a failed create
   * undoes the join. Without either, the network service is never opened (start-up budget).
   */
  private static @Nullable RunningInit withNetwork(
      String id, Spec spec, @Nullable String namespace, Make make) throws HcsException {
    List<String> endpoints = NetworkRequest.endpoints(spec);
    if (endpoints.isEmpty() && namespace == null) {
      return make.make(spec);
    }
    NetworkJoin.Joined joined = NetworkJoin.join(id, spec, endpoints, namespace);
    try {
      return make.make(joined.spec());
    } catch (HcsException | RuntimeException e) {
      joined.undo().undo();
      throw e;
    }
  }

  private static CreateRequest request(
      String id, Path bundle, Spec spec, CreateOptions opts, String owner) {
    return new CreateRequest(
        id,
        bundle,
        spec,
        opts.consoleSocket(),
        opts.pidFile(),
        opts.noPivot(),
        opts.preserveFds(),
        opts.foreground(),
        owner,
        opts.monitor());
  }

  private static HcsException invalidJson(String id, String detail) {
    return new HcsException("create", id, HResult.HCS_E_INVALID_JSON, detail);
  }
}
