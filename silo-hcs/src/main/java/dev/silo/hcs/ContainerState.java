package dev.silo.hcs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a compute system is now: the OCI state document (runc's {@code state} output) with the HCS
 * view of it (HCS {@code Properties}: Id, SystemType, Owner, State).
 */
public record ContainerState(
    String id,
    int pid,
    Status status,
    String bundle,
    String rootfs,
    String created,
    Map<String, String> annotations,
    String owner,
    String isolation) {

  public ContainerState {
    annotations = Map.copyOf(annotations);
  }

  /** The runc-shaped state document (annotations omitted when empty, as runc does). */
  public Map<String, Object> toOciJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ociVersion", "1.0.2-dev");
    m.put("id", id);
    m.put("pid", status == Status.STOPPED ? 0 : pid);
    m.put("status", status.ociName());
    m.put("bundle", bundle);
    m.put("rootfs", rootfs);
    m.put("created", created);
    if (!annotations.isEmpty()) {
      m.put("annotations", new LinkedHashMap<>(annotations));
    }
    m.put("owner", owner);
    return m;
  }
}
