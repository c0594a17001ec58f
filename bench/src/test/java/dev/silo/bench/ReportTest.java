package dev.silo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static Results sample() {
    BenchOptions o =
        BenchOptions.parse(
            new String[] {
              "--work",
              "/w",
              "--bundle",
              "/b",
              "--runs",
              "2",
              "crun=/usr/bin/crun",
              "runc=/usr/sbin/runc"
            });
    Results r = new Results(o);
    Results.PerRuntime crun = r.add(o.runtimes().get(0), "crun version 1.8.1", true);
    Results.PerRuntime runc = r.add(o.runtimes().get(1), "runc \"1.1.5\"", false);
    for (String s : Results.SCENARIOS) {
      runc.add(s, 30.0);
      runc.add(s, 40.0);
      crun.add(s, 10.0);
      crun.add(s, 7.5);
    }
    runc.peakRssKb = 10240;
    crun.peakRssKb = 3072;
    r.floor.addAll(List.of(1.0, 2.0));
    return r;
  }

  @Test
  void tableShowsStatisticsAndRatiosToRunc() {
    String table = Report.table(sample());
    assertThat(table).contains("x runc");
    assertThat(table).containsPattern("runc +run +30\\.0 +35\\.0 +40\\.0 +40\\.0 +1\\.00");
    // crun median 8.75 / runc median 35 = 0.25
    assertThat(table).containsPattern("crun +cycle +7\\.5 +8\\.8 +10\\.0 +10\\.0 +0\\.25");
    assertThat(table).containsPattern("crun +3\\.0 +0\\.30");
  }

  @Test
  void jsonCarriesRatiosSamplesAndEscapedStrings() {
    String json =
        Report.json(sample(), "2026-01-01T00:00:00Z", Report.host("6.1", "0.1 0.2 0.3", "1 2 3"));
    assertThat(json).contains("\"reference\": \"runc\"");
    assertThat(json).contains("\"version\": \"runc \\\"1.1.5\\\"\"");
    assertThat(json)
        .contains(
            "\"delete\": {\"n\": 2, \"min\": 7.500, \"median\": 8.750, \"p90\": 10.000, \"max\": 10.000,"
                + " \"ratio\": 0.250, \"samples\": [10.000, 7.500]}");
    assertThat(json).contains("\"peakRssRatio\": 0.300");
    assertThat(json).contains("\"loadavgAfter\": \"1 2 3\"");
    assertThat(json.chars().filter(c -> c == '{').count())
        .isEqualTo(json.chars().filter(c -> c == '}').count());
  }

  @Test
  void quoteEscapesControlCharacters() {
    assertThat(Report.quote("a\tb\u0001\\")).isEqualTo("\"a\\tb\\u0001\\\\\"");
  }
}
