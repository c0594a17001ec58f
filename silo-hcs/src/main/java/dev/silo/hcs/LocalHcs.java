package dev.silo.hcs;

import dev.silo.api.ComputeSystem;
import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.api.HostComputeService;
import dev.silo.schema.hcs.Properties;
import dev.silo.schema.hcs.SystemQuery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Host Compute Service API in process ({@code computecore.dll}'s surface) over a {@link
 * ComputeService}: handles, the strict state machine, events and the exit status.
 */
public final class LocalHcs implements HostComputeService {
  /** How a schema v2 document becomes a Created system on the substrate. */
  @FunctionalInterface
  public interface DocumentCreator {
    void create(String id, dev.silo.schema.hcs.ComputeSystem document) throws HcsException;
  }

  private final SystemSubstrate sub;
  private final DocumentCreator creator;
  private final ComputeService service;
  private final Map<String, SystemEntry> entries = new HashMap<>();

  LocalHcs(SystemSubstrate sub, ComputeService service, DocumentCreator creator) {
    this.sub = sub;
    this.service = service;
    this.creator = creator;
  }

  /**
   * The API over {@code service}, documents created by {@code creator}; callers with an OCI bundle
   * may also use {@link #create(CreateRequest, boolean)}.
   */
  public static LocalHcs over(ComputeService service, DocumentCreator creator) {
    return new LocalHcs(new ServiceSubstrate(service), service, creator);
  }

  /**
   * The API over {@code service}, creating from documents through the service itself: a detached
   * create with no console, as HcsCreateComputeSystem makes it.
   */
  public static LocalHcs over(ComputeService service) {
    return over(
        service, (id, doc) -> service.createSystem(id, doc, CreateOptions.detached(doc.owner())));
  }

  @Override
  public ComputeSystem create(String id, dev.silo.schema.hcs.ComputeSystem document)
      throws HcsException {
    requireNew(id);
    creator.create(id, document);
    return register(id, Boolean.TRUE.equals(document.shouldTerminateOnLastHandleClosed()));
  }

  /** Creates from an OCI bundle (what runhcs create does) and returns a handle on it. */
  public ComputeSystem create(CreateRequest request, boolean terminateOnLastHandleClosed)
      throws HcsException {
    requireNew(request.id());
    service.create(request);
    return register(request.id(), terminateOnLastHandleClosed);
  }

  private void requireNew(String id) throws HcsException {
    try {
      sub.state(id);
    } catch (HcsException e) {
      if (e.hresult() == HResult.HCS_E_SYSTEM_NOT_FOUND) {
        return;
      }
      throw e;
    }
    throw new HcsException(
        "create", id, HResult.HCS_E_SYSTEM_ALREADY_EXISTS, "a system with this id exists");
  }

  private ComputeSystem register(String id, boolean terminateOnClose) throws HcsException {
    try {
      new ExitRecord(sub.stateDir(id)).setTerminateOnClose(terminateOnClose);
      return handle(id, true);
    } catch (IOException | HcsException e) {
      sub.remove(id); // no partial state: the system goes with the failed registration
      if (e instanceof HcsException h) {
        throw h;
      }
      throw new HcsException("create", id, HResult.E_FAIL, "cannot record the system: " + e, e);
    }
  }

  @Override
  public ComputeSystem open(String id) throws HcsException {
    sub.state(id);
    return handle(id, false);
  }

  private ComputeSystem handle(String id, boolean created) throws HcsException {
    synchronized (entries) {
      SystemEntry e = entries.get(id);
      if (e == null) {
        e = new SystemEntry(id, sub, created, () -> forget(id));
        e.watch();
        entries.put(id, e);
      }
      return new LocalComputeSystem(e);
    }
  }

  private void forget(String id) {
    synchronized (entries) {
      entries.remove(id);
    }
  }

  @Override
  public List<Properties> enumerate(SystemQuery query) throws HcsException {
    List<Properties> out = new ArrayList<>();
    for (String id : sub.ids()) {
      if (!query.ids().isEmpty() && !query.ids().contains(id)) {
        continue;
      }
      Properties p;
      try {
        p = sub.properties(id);
      } catch (HcsException e) {
        continue; // removed while we listed it
      }
      if (matches(query, p)) {
        out.add(p);
      }
    }
    return out;
  }

  private static boolean matches(SystemQuery q, Properties p) {
    return (q.names().isEmpty() || q.names().contains(p.name()))
        && (q.types().isEmpty() || q.types().contains(p.systemType()))
        && (q.owners().isEmpty() || q.owners().contains(p.owner()));
  }
}
