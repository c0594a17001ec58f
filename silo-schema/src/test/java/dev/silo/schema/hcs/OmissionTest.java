package dev.silo.schema.hcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Absent optionals, empty strings and empty collections are left out, as Go's omitempty does. */
class OmissionTest {

  @Test
  void emptyContainerWritesAnEmptyObject() throws Exception {
    Container empty = new Container(null, null, List.of(), List.of(), null, null, null, null, null);

    assertThat(HcsJson.write(empty)).isEqualTo("{}");
  }

  @Test
  void emptyStringsAndMapsAreOmitted() throws Exception {
    ProcessParameters p =
        new ProcessParameters(
            "", "cmd", List.of(), "", null, Map.of(), null, null, null, null, null, List.of(),
            null);

    assertThat(HcsJson.write(p)).isEqualTo("{\"CommandLine\":\"cmd\"}");
    assertThat(HcsJson.write(new GuestOs(""))).isEqualTo("{}");
  }

  @Test
  void explicitFalseAndZeroAreKeptBecauseTheyAreNotAbsent() throws Exception {
    assertThat(HcsJson.write(new MappedDirectory("/a", null, "/b", false)))
        .isEqualTo("{\"HostPath\":\"/a\",\"ContainerPath\":\"/b\",\"ReadOnly\":false}");
    assertThat(HcsJson.write(new ContainerProcessor(null, 0, null, null)))
        .isEqualTo("{\"Maximum\":0}");
  }

  @Test
  void alwaysPresentFieldsAreWrittenEvenWhenZero() throws Exception {
    assertThat(HcsJson.write(new Version(2, 0))).isEqualTo("{\"Major\":2,\"Minor\":0}");
    assertThat(HcsJson.write(new ResultError(0, null, List.of(), List.of())))
        .isEqualTo("{\"Error\":0}");
  }

  @Test
  void absentCollectionsReadAsEmptyNotNull() throws Exception {
    SystemQuery q = HcsJson.read("{}", SystemQuery.class);
    ProcessParameters p = HcsJson.read("{\"CommandArgs\":null}", ProcessParameters.class);

    assertThat(q.ids()).isEmpty();
    assertThat(q.types()).isEmpty();
    assertThat(p.commandArgs()).isEmpty();
    assertThat(p.environment()).isEmpty();
    assertThat(p.consoleSize()).isEmpty();
  }

  @Test
  void emptyRawSettingsAreOmittedButNestedEmptyObjectsKept() throws Exception {
    ModifySettingRequest r =
        new ModifySettingRequest("Container/Memory", RequestType.UPDATE, Map.of(), null);
    Devices d =
        new Devices(null, Map.of("0", Map.of("Attachments", Map.of())), null, null, null, null);

    assertThat(HcsJson.write(r))
        .isEqualTo("{\"ResourcePath\":\"Container/Memory\",\"RequestType\":\"Update\"}");
    assertThat(HcsJson.write(d)).isEqualTo("{\"Scsi\":{\"0\":{\"Attachments\":{}}}}");
  }
}
