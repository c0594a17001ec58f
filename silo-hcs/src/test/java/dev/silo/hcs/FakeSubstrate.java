package dev.silo.hcs;

import dev.silo.api.ComputeProcess;
import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.schema.hcs.ProcessParameters;
import dev.silo.schema.hcs.ProcessStatus;
import dev.silo.schema.hcs.Properties;
import dev.silo.schema.hcs.State;
import dev.silo.schema.hcs.SystemType;
import dev.silo.schema.oci.LinuxResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A machine without a kernel: systems are states in a map, an init "exits" on SIGKILL, on SIGTERM
 * only if it was told to honour it, or when a test says so; every call is recorded.
 */
final class FakeSubstrate implements SystemSubstrate {
  final Path root;
  final List<String> calls = new ArrayList<>();
  final Map<String, State> states = new ConcurrentHashMap<>();
  final Map<String, Runnable> watchers = new ConcurrentHashMap<>();
  boolean initHonoursSigterm = true;
  final List<LinuxResources> updates = new ArrayList<>();

  FakeSubstrate(Path root) {
    this.root = root;
  }

  void add(String id) {
    try {
      Files.createDirectories(stateDir(id));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    states.put(id, State.CREATED);
  }

  /** The init dies on its own. */
  void crash(String id) {
    exit(id);
  }

  private void exit(String id) {
    states.put(id, State.STOPPED);
    Runnable w = watchers.remove(id);
    if (w != null) {
      Thread t = new Thread(w);
      t.start();
    }
  }

  @Override
  public synchronized State state(String id) throws HcsException {
    State s = states.get(id);
    if (s == null) {
      throw new HcsException(
          "open", id, HResult.HCS_E_SYSTEM_NOT_FOUND, "container does not exist");
    }
    return s;
  }

  @Override
  public Path stateDir(String id) {
    return root.resolve(id);
  }

  @Override
  public void start(String id) {
    calls.add("start");
    states.put(id, State.RUNNING);
  }

  @Override
  public void pause(String id) {
    calls.add("pause");
    states.put(id, State.PAUSED);
  }

  @Override
  public void resume(String id) {
    calls.add("resume");
    states.put(id, State.RUNNING);
  }

  @Override
  public boolean signalInit(String id, int signal) {
    calls.add("signal " + signal);
    if (signal == Signals.SIGKILL || (signal == Signals.SIGTERM && initHonoursSigterm)) {
      exit(id);
    }
    return true;
  }

  @Override
  public void killAll(String id) {
    calls.add("killAll");
    exit(id);
  }

  @Override
  public Properties properties(String id) throws HcsException {
    State s = state(id);
    return new Properties(
        id,
        SystemType.CONTAINER,
        null,
        id,
        "",
        null,
        s,
        s == State.STOPPED,
        null,
        null,
        List.of(),
        null,
        null,
        null);
  }

  @Override
  public void update(String id, LinuxResources resources) {
    calls.add("update");
    updates.add(resources);
  }

  @Override
  public void remove(String id) {
    calls.add("remove");
    states.remove(id);
    try {
      Files.deleteIfExists(stateDir(id).resolve(ExitRecord.INTENT));
      Files.deleteIfExists(stateDir(id).resolve(ExitRecord.OUTCOME));
      Files.deleteIfExists(stateDir(id).resolve(ExitRecord.TERMINATE_ON_CLOSE));
      Files.deleteIfExists(stateDir(id));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<String> ids() {
    return List.copyOf(states.keySet());
  }

  @Override
  public AutoCloseable watchExit(String id, Runnable onExit) throws HcsException {
    if (state(id) == State.STOPPED) {
      new Thread(onExit).start();
    } else {
      watchers.put(id, onExit);
    }
    return () -> watchers.remove(id);
  }

  @Override
  public ComputeProcess createProcess(String id, ProcessParameters p, Consumer<ProcessStatus> c)
      throws HcsException {
    throw new HcsException("create process", id, HResult.E_NOTIMPL, "fake");
  }

  @Override
  public ComputeProcess openProcess(String id, int pid, Consumer<ProcessStatus> c)
      throws HcsException {
    throw new HcsException("open process", id, HResult.E_NOTIMPL, "fake");
  }
}
