package dev.silo.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every row of hcs.md §7's host × isolation table, plus the edges of hcsshim's rule. */
class OsVersionTest {
  private static final OsVersion WS2016 = OsVersion.parse("10.0.14393.0");
  private static final OsVersion WS2019 = OsVersion.parse("10.0.17763.0");
  private static final OsVersion WS2022 = OsVersion.parse("10.0.20348.0");
  private static final OsVersion WS2025 = OsVersion.parse("10.0.26100.0");
  private static final OsVersion WIN11_21H2 = OsVersion.parse("10.0.22000.0");
  private static final OsVersion WIN11_24H2 = OsVersion.parse("10.0.26100.0");
  private static final OsVersion WIN10_2004 = OsVersion.parse("10.0.19041.0");

  private static final Map<String, OsVersion> IMAGES =
      Map.of("2016", WS2016, "2019", WS2019, "2022", WS2022, "2025", WS2025);

  /** host, what process isolation runs, what Hyper-V isolation runs (hcs.md §7). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "WS2025 | 2025 2022 | 2025 2022 2019 2016",
        "WS2022 | 2022 | 2022 2019 2016",
        "WS2019 | 2019 | 2019 2016",
        "WS2016 | 2016 | 2016",
        "WIN11_21H2 | 2022 | 2022 2019 2016",
        "WIN11_24H2 | 2025 2022 | 2025 2022 2019 2016",
        "WIN10 | '' | 2019 2016",
      })
  void tableRow(String hostName, String process, String hyperv) {
    OsVersion host =
        switch (hostName) {
          case "WS2025" -> WS2025;
          case "WS2022" -> WS2022;
          case "WS2019" -> WS2019;
          case "WS2016" -> WS2016;
          case "WIN11_21H2" -> WIN11_21H2;
          case "WIN11_24H2" -> WIN11_24H2;
          default -> WIN10_2004;
        };
    List<String> proc = process.isBlank() ? List.of() : List.of(process.trim().split(" "));
    List<String> hv = List.of(hyperv.trim().split(" "));
    for (var image : IMAGES.entrySet()) {
      assertThat(host.canRun(image.getValue(), Isolation.PROCESS))
          .as("%s host, %s image, process", hostName, image.getKey())
          .isEqualTo(proc.contains(image.getKey()));
      assertThat(host.canRun(image.getValue(), Isolation.HYPERV))
          .as("%s host, %s image, hyperv", hostName, image.getKey())
          .isEqualTo(hv.contains(image.getKey()));
    }
  }

  @Test
  void revisionsDoNotMatterFromWs2022On() {
    OsVersion host = OsVersion.parse("10.0.20348.2000");
    assertThat(host.canRun(OsVersion.parse("10.0.20348.1"), Isolation.PROCESS)).isTrue();
    assertThat(host.canRun(OsVersion.parse("10.0.20348.3000"), Isolation.PROCESS)).isTrue();
    assertThat(host.canRun(OsVersion.parse("10.0.20348.3000"), Isolation.HYPERV)).isTrue();
  }

  @Test
  void majorAndMinorMustMatchForProcessIsolation() {
    assertThat(WS2022.canRun(OsVersion.parse("6.3.20348.0"), Isolation.PROCESS)).isFalse();
    assertThat(WS2022.canRun(OsVersion.parse("10.1.20348.0"), Isolation.PROCESS)).isFalse();
  }

  @Test
  void annualChannelHostRunsFromPreviousLtsc() {
    OsVersion v23h2 = OsVersion.parse("10.0.25398.0");
    assertThat(v23h2.canRun(WS2022, Isolation.PROCESS)).isTrue();
    assertThat(v23h2.canRun(OsVersion.parse("10.0.22621.0"), Isolation.PROCESS)).isTrue();
    assertThat(v23h2.canRun(WS2025, Isolation.PROCESS)).isFalse();
    assertThat(v23h2.canRun(WS2019, Isolation.PROCESS)).isFalse();
  }

  @Test
  void parsesAndPrints() {
    assertThat(OsVersion.parse("10.0.20348")).isEqualTo(new OsVersion(10, 0, 20348, 0));
    assertThat(OsVersion.WS2022.toString()).isEqualTo("10.0.20348.1");
    assertThatThrownBy(() -> OsVersion.parse("10.0")).hasMessageContaining("\"10.0\"");
    assertThatThrownBy(() -> OsVersion.parse("10.0.x.1")).hasMessageContaining("\"x\"");
  }
}
