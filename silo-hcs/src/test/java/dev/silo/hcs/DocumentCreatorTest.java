package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.schema.hcs.ComputeSystem;
import dev.silo.schema.hcs.Container;
import dev.silo.schema.hcs.HostedSystem;
import dev.silo.schema.hcs.LinuxContainer;
import dev.silo.schema.hcs.Storage;
import dev.silo.schema.hcs.Version;
import dev.silo.schema.hcs.VirtualMachine;
import dev.silo.schema.oci.OciSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The document checks of createSystem that fail before anything is made (no kernel needed): each
 * names the field, and the state root stays empty.
 */
class DocumentCreatorTest {
  @TempDir Path temp;

  private ComputeService hcs;
  private CreateOptions opts;

  @BeforeEach
  void open() throws HcsException {
    hcs = ComputeService.open(temp.resolve("state"));
    opts = new CreateOptions(temp, OciSpecs.defaultSpec(), null, null, false, 0, false, "test");
  }

  @AfterEach
  void nothingWasCreated() throws IOException {
    try (Stream<Path> s = Files.list(hcs.root())) {
      assertThat(s.toList()).as("state root").isEmpty();
    }
  }

  private static ComputeSystem doc(
      @Nullable String host,
      @Nullable Object hosted,
      @Nullable Container c,
      @Nullable VirtualMachine vm) {
    return new ComputeSystem("test", Version.V2_1, host, hosted, c, vm, null);
  }

  private void fails(ComputeSystem doc, HResult hresult, String detail) {
    assertThatThrownBy(() -> hcs.createSystem("c1", doc, opts))
        .isInstanceOfSatisfying(
            HcsException.class,
            e -> {
              assertThat(e.hresult()).isEqualTo(hresult);
              assertThat(e.detail()).contains(detail);
            });
  }

  private static Container container(String scratch) {
    return new Container(
        null,
        new Storage(List.of(), scratch, null, null),
        List.of(),
        List.of(),
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void aVirtualMachineIsHyperV() {
    fails(
        doc(null, null, null, new VirtualMachine(null, null, null, null, null)),
        HResult.HCS_E_HYPERV_NOT_INSTALLED,
        "Hyper-V isolation is not available on this host");
  }

  @Test
  void aHostingSystemIdIsHyperV() {
    fails(
        doc("c1@vm", new HostedSystem(Version.V2_1, container("/s")), null, null),
        HResult.HCS_E_HYPERV_NOT_INSTALLED,
        "c1@vm");
  }

  @Test
  void exactlyOneShapeIsRequired() {
    fails(doc(null, null, null, null), HResult.HCS_E_INVALID_JSON, "exactly one of Container");
    fails(
        doc(null, new LinuxContainer(Version.V2_1, "/b", Map.of(), null), container("/s"), null),
        HResult.HCS_E_INVALID_JSON,
        "exactly one of Container");
  }

  @Test
  void aHostedWindowsContainerNeedsItsHost() {
    fails(
        doc(null, new HostedSystem(Version.V2_1, container("/s")), null, null),
        HResult.HCS_E_INVALID_JSON,
        "HostingSystemId");
  }

  @Test
  void aLinuxContainerNeedsAValidOciSpecification() {
    fails(
        doc(null, new LinuxContainer(Version.V2_1, "/b", null, null), null, null),
        HResult.HCS_E_INVALID_JSON,
        "HostedSystem.OciSpecification: required field is missing");
    fails(
        doc(null, Map.of("OciSpecification", Map.of("process", "sh")), null, null),
        HResult.HCS_E_INVALID_JSON,
        "HostedSystem.OciSpecification: config.json: process");
  }

  @Test
  void aScratchPathOverlayfsCannotExpressIsNamed() {
    fails(
        doc(null, null, container("/scratch,x"), null),
        HResult.HCS_E_INVALID_JSON,
        "Container.Storage.Path: overlayfs cannot use a path containing ','");
  }
}
