package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** dist/bin/hcsdiag over containers that dist/bin/runhcs started: list, stat, exec and kill. */
class HcsDiagIT extends ContainerTestSupport {
  @Test
  void listShowsTheContainerAsTableAndJson() throws IOException {
    String id = newId();
    long pid = runDetached(id, bundles.bundle(id, "sleep", "1000"));
    List<String> table = cli.hcsdiag("list").ok().out().lines().toList();
    assertThat(List.of(table.get(0).trim().split("\\s+")))
        .containsExactly("ID", "STATE", "OWNER", "PID", "ISOLATION", "CREATED");
    assertThat(table)
        .anyMatch(
            l ->
                List.of(l.split("\\s+"))
                    .containsAll(List.of(id, "Running", "runhcs", Long.toString(pid), "Process")));

    JsonNode mine = only(Bundles.JSON.readTree(cli.hcsdiag("list", "--json").ok().out()), id);
    assertThat(mine.get("State").asText()).isEqualTo("Running");
    assertThat(mine.get("Owner").asText()).isEqualTo("runhcs");
    assertThat(mine.get("Pid").asLong()).isEqualTo(pid);
    assertThat(mine.get("Isolation").asText()).isEqualTo("Process");
  }

  @Test
  void statReportsStateProcessesAndMemory() throws IOException {
    String id = newId();
    long pid = runDetached(id, bundles.bundle(id, "sleep", "1000"));
    JsonNode p = Bundles.JSON.readTree(cli.hcsdiag("stat", "--json", id).ok().out());
    assertThat(p.get("Id").asText()).isEqualTo(id);
    assertThat(p.get("State").asText()).isEqualTo("Running");
    List<Long> pids = new ArrayList<>();
    p.get("ProcessList").forEach(d -> pids.add(d.get("ProcessId").asLong()));
    assertThat(pids).contains(pid);
    assertThat(p.at("/Statistics/Memory/MemoryUsageCommitBytes").asLong()).isPositive();
  }

  @Test
  void execReturnsTheProcessExitCodeAndOutput() {
    String id = newId();
    runDetached(id, bundles.bundle(id, "sleep", "1000"));
    Cli.Result r = cli.hcsdiag("exec", id, "--", "sh", "-c", "echo in-$(hostname); exit 4");
    assertThat(r.code()).as(r.toString()).isEqualTo(4);
    assertThat(r.out()).isEqualTo("in-runc\n");
    assertThat(cli.hcsdiag("exec", id, "true").code()).isZero();
  }

  @Test
  void killStopsTheContainer() {
    String id = newId();
    long pid = runDetached(id, bundles.bundle(id, "sleep", "1000"));
    cli.hcsdiag("kill", id).ok();
    awaitStatus(id, "stopped");
    assertDead(pid);
    assertThat(cli.hcsdiag("list").ok().out().lines())
        .anyMatch(l -> l.startsWith(id + " ") && l.contains("Stopped"));
  }

  @Test
  void unknownIdFailsWithOneClearLine() {
    String id = prefix + "unknown";
    for (List<String> call :
        List.of(
            List.of("stat", id),
            List.of("stat", "--json", id),
            List.of("exec", id, "true"),
            List.of("kill", id))) {
      Cli.Result r = cli.hcsdiag(call.get(0), call.subList(1, call.size()).toArray(String[]::new));
      assertThat(r.code()).as(r.toString()).isNotZero();
      assertThat(r.out()).isEmpty();
      assertThat(r.err().lines().toList())
          .as(r.toString())
          .singleElement()
          .asString()
          .startsWith("hcsdiag: ")
          .contains(id, "does not exist");
    }
  }

  private static JsonNode only(JsonNode array, String id) {
    List<JsonNode> mine = new ArrayList<>();
    array.forEach(
        n -> {
          if (id.equals(n.path("Id").asText())) {
            mine.add(n);
          }
        });
    assertThat(mine).hasSize(1);
    return mine.get(0);
  }
}
