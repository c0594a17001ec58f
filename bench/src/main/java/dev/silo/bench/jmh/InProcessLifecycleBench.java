package dev.silo.bench.jmh;

import dev.silo.api.HcsException;
import dev.silo.schema.json.JsonException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmark of the detached container life cycle through the in-process HCS API ({@link
 * InProcessCycle}): one op is create → start → wait for the {@code /bin/true} init to exit → state
 * → delete of a new container.
 *
 * <p>Needs root and the system properties {@code silo.bench.bundle} (an OCI bundle from {@code
 * bench/make-bundle.sh}) and {@code silo.init.helper}/{@code silo.init.jni} or {@code silo.home};
 * {@code bench/run-jmh.sh} sets them all.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
@SuppressWarnings("NullAway.Init") // JMH calls @Setup before any @Benchmark call
public class InProcessLifecycleBench {

  private InProcessCycle cycle;
  private final long[] marks = new long[InProcessCycle.PHASES.size() + 1];

  /** Opens the service over a fresh state root and reads the bundle's config once. */
  @Setup(Level.Trial)
  public void open() throws IOException, JsonException, HcsException {
    cycle = InProcessCycle.open(bundleProperty(), idPrefixProperty());
  }

  /** One detached life cycle; an error or a wrong final state fails the run. */
  @Benchmark
  public void lifecycle() throws HcsException, IOException {
    cycle.run(marks);
  }

  /** Removes every container, the state root, and checks that no cgroup is left. */
  @TearDown(Level.Trial)
  public void close() throws IOException, HcsException {
    cycle.close();
  }

  static Path bundleProperty() {
    String dir = System.getProperty("silo.bench.bundle");
    if (dir == null || dir.isEmpty()) {
      throw new IllegalStateException(
          "set -Dsilo.bench.bundle=<OCI bundle dir> (bench/make-bundle.sh makes one)");
    }
    return Path.of(dir);
  }

  // Unique per JVM; the script passes its own so that its trap can sweep cgroups by this prefix.
  static String idPrefixProperty() {
    return System.getProperty("silo.bench.idPrefix", "sj" + ProcessHandle.current().pid());
  }
}
