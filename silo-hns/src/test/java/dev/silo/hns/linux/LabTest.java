package dev.silo.hns.linux;

import dev.silo.hns.HostNetworkService;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A real-kernel test with a fresh {@link Lab} (HNS host netns, store, dataplane) per test. */
abstract class LabTest {
  @TempDir Path dir;
  Lab lab;
  HostNetworkService hns;

  @BeforeEach
  void openLab() throws Exception {
    lab = new Lab(dir);
    hns = lab.hns;
  }

  @AfterEach
  void closeLab() {
    lab.close();
  }
}
