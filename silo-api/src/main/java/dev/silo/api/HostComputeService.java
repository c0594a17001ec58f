package dev.silo.api;

import dev.silo.schema.hcs.Properties;
import dev.silo.schema.hcs.SystemQuery;
import java.util.List;

/**
 * The service entry of the Host Compute Service ({@code HcsCreateComputeSystem}, {@code
 * HcsOpenComputeSystem}, {@code HcsEnumerateComputeSystems}).
 */
public interface HostComputeService {
  /**
   * Creates a compute system from its schema v2 document; it is then Created. An id in use fails
   * with {@link HResult#HCS_E_SYSTEM_ALREADY_EXISTS}.
   */
  ComputeSystem create(String id, dev.silo.schema.hcs.ComputeSystem document) throws HcsException;

  /** A new handle on an existing system; an unknown id fails with SYSTEM_NOT_FOUND. */
  ComputeSystem open(String id) throws HcsException;

  /** The properties (Id, SystemType, State, Owner, …) of every system the query matches. */
  List<Properties> enumerate(SystemQuery query) throws HcsException;
}
