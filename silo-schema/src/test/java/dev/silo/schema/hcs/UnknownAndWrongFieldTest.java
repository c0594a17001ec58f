package dev.silo.schema.hcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Documents HCS answers with (hcsshim ignores what it does not know in them) accept unknown fields;
 * requests stay strict; a wrong type is an error that names the field's path.
 */
class UnknownAndWrongFieldTest {

  private static List<Object> path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? (Object) r.getFieldName() : (Object) r.getIndex())
        .toList();
  }

  @Test
  void propertiesIgnoreFieldsSiloDoesNotModel() throws Exception {
    String json =
        "{\"Id\":\"c1\",\"SystemType\":\"Container\",\"Memory\":{\"VirtualMachineMemory\":{\"AssignedMemory\":1}},"
            + "\"GuestConnectionInfo\":{\"ProtocolVersion\":4},\"State\":\"Paused\",\"ProcessList\":[{\"ProcessId\":7,\"Extra\":1}]}";

    Properties p = HcsJson.read(json, Properties.class);

    assertThat(p.id()).isEqualTo("c1");
    assertThat(p.state()).isEqualTo(State.PAUSED);
    assertThat(p.processList()).extracting(ProcessDetails::processId).containsExactly(7);
    assertThat(HcsJson.write(p))
        .isEqualTo(
            "{\"Id\":\"c1\",\"SystemType\":\"Container\",\"State\":\"Paused\",\"ProcessList\":[{\"ProcessId\":7}]}");
  }

  @Test
  void exitStatusAndErrorsIgnoreUnknownAttributions() throws Exception {
    SystemExitStatus s =
        HcsJson.read(
            "{\"Status\":0,\"ExitType\":\"GracefulExit\",\"Attribution\":[{\"GuestCrash\":{\"CrashParameters\":[1]}}]}",
            SystemExitStatus.class);
    ResultError e =
        HcsJson.read(
            "{\"Error\":5,\"ErrorEvents\":[{\"Message\":\"m\",\"Data\":[{\"Type\":\"String\"}]}]}",
            ResultError.class);

    assertThat(s.attribution()).singleElement().isEqualTo(new AttributionRecord(null, null, null));
    assertThat(e.errorEvents()).singleElement().extracting(ErrorEvent::message).isEqualTo("m");
  }

  @Test
  void requestsRejectUnknownFieldsNamingThem() {
    UnrecognizedPropertyException e =
        catchThrowableOfType(
            UnrecognizedPropertyException.class,
            () ->
                HcsJson.read(
                    "{\"Owner\":\"x\",\"Container\":{\"GuestOS\":{\"HostName\":\"c1\"}}}",
                    ComputeSystem.class));

    assertThat(e.getPropertyName()).isEqualTo("GuestOS");
    assertThat(path(e)).containsExactly("Container", "GuestOS");
    assertThat(e.getKnownPropertyIds()).contains("GuestOs");
  }

  @Test
  void wrongScalarTypeNamesThePath() {
    InvalidFormatException e =
        catchThrowableOfType(
            InvalidFormatException.class,
            () ->
                HcsJson.read(
                    "{\"Container\":{\"Memory\":{\"SizeInMB\":\"lots\"}}}", ComputeSystem.class));

    assertThat(path(e)).containsExactly("Container", "Memory", "SizeInMB");
    assertThat(e.getPathReference())
        .contains("ComputeSystem[\"Container\"]->dev.silo.schema.hcs.Container[\"Memory\"]")
        .endsWith("ContainerMemory[\"SizeInMB\"]");
    assertThat(e.getTargetType()).isEqualTo(Long.class);
  }

  @Test
  void objectWhereAListBelongsNamesThePath() {
    MismatchedInputException e =
        catchThrowableOfType(
            MismatchedInputException.class,
            () ->
                HcsJson.read(
                    "{\"Container\":{\"MappedDirectories\":{\"HostPath\":\"C:\\\\x\"}}}",
                    ComputeSystem.class));

    assertThat(path(e)).containsExactly("Container", "MappedDirectories");
  }

  @Test
  void wrongTypeInsideAListNamesTheIndex() {
    JsonMappingException e =
        catchThrowableOfType(
            JsonMappingException.class,
            () ->
                HcsJson.read(
                    "{\"ProcessList\":[{\"ProcessId\":1},{\"ProcessId\":\"two\"}]}",
                    Properties.class));

    assertThat(path(e)).containsExactly("ProcessList", 1, "ProcessId");
  }

  @Test
  void unknownEnumValueIsAnErrorListingTheWindowsValues() {
    InvalidFormatException e =
        catchThrowableOfType(
            InvalidFormatException.class,
            () -> HcsJson.read("{\"Signal\":\"SIGKILL\"}", SignalProcessOptions.class));

    assertThat(path(e)).containsExactly("Signal");
    assertThat(e.getValue()).isEqualTo("SIGKILL");
    assertThat(e.getMessage()).contains("CtrlC", "CtrlShutdown");
  }
}
