package dev.silo.hcs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A JVM that owns monitored containers and is then killed with SIGKILL by {@code MonitorIT}: it
 * creates and starts one, prints {@code started <pid>}, and waits on its stdin. Args: ROOT BUNDLE
 * ID SCRIPT.
 */
public final class MonitorOwnerMain {
  private MonitorOwnerMain() {}

  public static void main(String[] args) throws Exception {
    ComputeService service = ComputeService.open(Path.of(args[0]));
    Monitors monitors = new Monitors(service);
    String id = args[2];
    monitors.create(
        CreateRequest.of(id, Path.of(args[1]), MonitorIT.spec(List.of("sh", "-c", args[3]), false)),
        new MonitorOptions(LogOptions.DEFAULT, false));
    service.start(id);
    System.out.println("started " + service.state(id).pid());
    System.out.flush();
    try {
      while (System.in.read() >= 0) {
        // owned until killed
      }
    } catch (IOException e) {
      // killed
    }
  }
}
