package dev.silo.hcs;

import dev.silo.api.ComputeProcess;
import dev.silo.api.ComputeSystem;
import dev.silo.api.HResult;
import dev.silo.api.HcsEventListener;
import dev.silo.api.HcsException;
import dev.silo.schema.hcs.ModifySettingRequest;
import dev.silo.schema.hcs.ProcessParameters;
import dev.silo.schema.hcs.Properties;
import dev.silo.schema.hcs.PropertyQuery;
import dev.silo.schema.hcs.ShutdownOptions;
import dev.silo.schema.hcs.SystemExitStatus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A handle on a compute system of this host ({@code HCS_SYSTEM}); handles of one system share its
 * {@link SystemEntry}, and a closed handle answers every call with E_HANDLE.
 */
final class LocalComputeSystem implements ComputeSystem {
  private final SystemEntry entry;
  private final AtomicBoolean closed = new AtomicBoolean();

  LocalComputeSystem(SystemEntry entry) {
    this.entry = entry;
    entry.addHandle();
  }

  @Override
  public String id() {
    return entry.id();
  }

  private SystemEntry live(String op) throws HcsException {
    if (closed.get()) {
      throw new HcsException(op, entry.id(), HResult.E_HANDLE, "the handle is closed");
    }
    return entry;
  }

  @Override
  public void start() throws HcsException {
    live("start").start();
  }

  @Override
  public void shutdown(@Nullable ShutdownOptions options) throws HcsException {
    if (options != null && Boolean.TRUE.equals(options.force())) {
      live("shutdown").terminate();
    } else {
      shutdown(DEFAULT_SHUTDOWN_GRACE);
    }
  }

  @Override
  public void shutdown(Duration grace) throws HcsException {
    live("shutdown").shutdown(grace);
  }

  @Override
  public void terminate() throws HcsException {
    live("terminate").terminate();
  }

  @Override
  public void pause() throws HcsException {
    live("pause").pause();
  }

  @Override
  public void resume() throws HcsException {
    live("resume").resume();
  }

  @Override
  public Properties properties(PropertyQuery query) throws HcsException {
    return live("properties").properties(query);
  }

  @Override
  public void modify(ModifySettingRequest request) throws HcsException {
    live("modify").modify(request);
  }

  @Override
  public ComputeProcess createProcess(ProcessParameters parameters) throws HcsException {
    return live("create process").createProcess(parameters);
  }

  @Override
  public ComputeProcess openProcess(int pid) throws HcsException {
    return live("open process").openProcess(pid);
  }

  @Override
  public SystemExitStatus waitForExit(Duration timeout) throws HcsException {
    return live("wait").waitForExit(timeout);
  }

  @Override
  public void onEvent(HcsEventListener listener) {
    entry.onEvent(listener);
  }

  @Override
  public void close() throws HcsException {
    if (closed.compareAndSet(false, true)) {
      entry.releaseHandle();
    }
  }
}
