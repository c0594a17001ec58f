package dev.silo.hcs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The state root: id rules as runc's, one directory per system, atomic state.json, sorted listing.
 */
class StateStoreTest {
  static StoredContainer stored(String id, int pid) {
    return new StoredContainer(
        id,
        pid,
        12345L,
        "/b/" + id,
        "/b/" + id + "/rootfs",
        "2026-01-01T00:00:00Z",
        Map.of("k", "v"),
        "me",
        "/silo/" + id,
        "Process");
  }

  static HResult hresultOf(ThrowingCall call) {
    try {
      call.run();
    } catch (HcsException e) {
      return e.hresult();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("no HcsException");
  }

  /** A call that may fail with an HcsException. */
  interface ThrowingCall {
    void run() throws HcsException, IOException;
  }

  @Test
  void openCreatesThePrivateRoot(@TempDir Path tmp) throws HcsException, IOException {
    Path root = tmp.resolve("a/b/root");

    StateStore store = StateStore.open(root);

    assertThat(store.root()).isEqualTo(root);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root)))
        .isEqualTo("rwx------");
  }

  @Test
  void aFileAsRootIsAccessDenied(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("f"), "x");

    assertThat(hresultOf(() -> StateStore.open(file))).isEqualTo(HResult.E_ACCESSDENIED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "c1", "A-Z_0.9+x", "my.container-1", "...", "_", "+", "-x"})
  void acceptsRuncsIdCharacters(String id) throws HcsException {
    StateStore.validateId("create", id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "../x", "a b", "a\tb", "ä", "a:b", "a*b", "id\n"})
  void rejectsOtherIds(String id) {
    assertThatThrownBy(() -> StateStore.validateId("create", id))
        .isInstanceOfSatisfying(
            HcsException.class,
            e -> {
              assertThat(e.hresult()).isEqualTo(HResult.E_INVALIDARG);
              assertThat(e.detail()).isEqualTo("invalid container id format: \"" + id + "\"");
            });
  }

  @Test
  void reservingTwiceIsSystemAlreadyExists(@TempDir Path tmp) throws HcsException {
    StateStore store = StateStore.open(tmp);

    Path dir = store.reserve("c1");

    assertThat(dir).isDirectory().isEqualTo(tmp.resolve("c1"));
    assertThat(hresultOf(() -> store.reserve("c1"))).isEqualTo(HResult.HCS_E_SYSTEM_ALREADY_EXISTS);
    assertThat(hresultOf(() -> store.reserve("../c1"))).isEqualTo(HResult.E_INVALIDARG);
  }

  @Test
  void loadingAnUnknownIdIsSystemNotFound(@TempDir Path tmp) throws HcsException {
    StateStore store = StateStore.open(tmp);
    store.reserve("reserved-only");

    assertThat(hresultOf(() -> store.load("state", "nope")))
        .isEqualTo(HResult.HCS_E_SYSTEM_NOT_FOUND);
    assertThat(hresultOf(() -> store.load("state", "reserved-only")))
        .isEqualTo(HResult.HCS_E_SYSTEM_NOT_FOUND);
    assertThat(store.exists("reserved-only")).isFalse();
  }

  @Test
  void aCorruptStateFileIsInvalidJson(@TempDir Path tmp) throws HcsException, IOException {
    StateStore store = StateStore.open(tmp);
    Files.writeString(store.reserve("c1").resolve(StateStore.STATE_FILE), "{\"id\": ");

    assertThat(hresultOf(() -> store.load("state", "c1"))).isEqualTo(HResult.HCS_E_INVALID_JSON);
  }

  @Test
  void saveAndLoadRoundTrip(@TempDir Path tmp) throws HcsException, IOException {
    StateStore store = StateStore.open(tmp);
    store.reserve("c1");

    store.save(stored("c1", 42));

    assertThat(store.exists("c1")).isTrue();
    assertThat(store.load("state", "c1")).isEqualTo(stored("c1", 42));
  }

  @Test
  void saveReplacesTheFileByRenameSoReadersNeverSeeAPartialOne(@TempDir Path tmp)
      throws HcsException, IOException {
    StateStore store = StateStore.open(tmp);
    Path dir = store.reserve("c1");
    store.save(stored("c1", 1));
    Path state = dir.resolve(StateStore.STATE_FILE);
    Path oldLink = Files.createLink(tmp.resolve("old-state"), state);
    String before = Files.readString(oldLink);

    store.save(stored("c1", 2));

    // A rename leaves the old inode intact; an in-place rewrite would change it under the link.
    assertThat(Files.readString(oldLink)).isEqualTo(before);
    assertThat(store.load("state", "c1").initPid()).isEqualTo(2);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(StateStore.STATE_FILE);
    }
  }

  @Test
  void idsListsSavedSystemsSorted(@TempDir Path tmp) throws HcsException, IOException {
    StateStore store = StateStore.open(tmp);
    for (String id : List.of("b", "a", "C", "10", "9")) {
      store.reserve(id);
      store.save(stored(id, 1));
    }
    store.reserve("half-created");

    assertThat(store.ids()).containsExactly("10", "9", "C", "a", "b");
  }

  @Test
  void removeDeletesTheWholeDirectoryAndToleratesAMissingOne(@TempDir Path tmp)
      throws HcsException, IOException {
    StateStore store = StateStore.open(tmp);
    Path dir = store.reserve("c1");
    store.save(stored("c1", 1));
    Files.createDirectories(dir.resolve("sub/deeper"));

    store.remove("c1");
    store.remove("c1");

    assertThat(dir).doesNotExist();
    assertThat(store.ids()).isEmpty();
  }
}
