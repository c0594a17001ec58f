package dev.silo.hcs.internal;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.schema.json.Json;
import dev.silo.schema.json.JsonException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The state root ({@code --root}, default {@code /run/runhcs}): one directory per compute system
 * holding {@code state.json}, the config snapshot and the exec fifo — runhcs's stand-in for the
 * registry key {@code HKLM\SOFTWARE\Microsoft\runhcs\<root>\<id>}.
 */
public final class StateStore {
  public static final String STATE_FILE = "state.json";
  public static final String CONFIG_FILE = "config.json";
  public static final String EXEC_FIFO = "exec.fifo";

  private final Path root;

  private StateStore(Path root) {
    this.root = root;
  }

  /** Opens (and creates, mode 0700) the state root. */
  public static StateStore open(Path root) throws HcsException {
    try {
      Files.createDirectories(
          root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      if (!Files.isWritable(root) || !Files.isDirectory(root)) {
        throw new IOException("not a writable directory");
      }
    } catch (IOException e) {
      throw new HcsException(
          "open state root",
          "",
          HResult.E_ACCESSDENIED,
          "cannot use state root " + root + ": " + reason(e),
          e);
    }
    return new StateStore(root);
  }

  public Path root() {
    return root;
  }

  public Path dir(String id) {
    return root.resolve(id);
  }

  /** Checks an id as runc does: letters, digits, {@code _ + - .}, and not "." or "..". */
  public static void validateId(String operation, String id) throws HcsException {
    if (id.isEmpty() || !validIdChars(id) || id.equals(".") || id.equals("..")) {
      throw new HcsException(
          operation, id, HResult.E_INVALIDARG, "invalid container id format: \"" + id + "\"");
    }
  }

  /** runc's {@code ^[\w+\-.]+$} by hand: a regex costs ~40 classes at every CLI start-up. */
  private static boolean validIdChars(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '+'
              || c == '-'
              || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Creates the directory of a new system; an existing one is SYSTEM_ALREADY_EXISTS. */
  public Path reserve(String id) throws HcsException {
    validateId("create", id);
    Path dir = dir(id);
    try {
      Files.createDirectory(dir);
      return dir;
    } catch (FileAlreadyExistsException e) {
      throw new HcsException(
          "create", id, HResult.HCS_E_SYSTEM_ALREADY_EXISTS, "container with id exists: " + id);
    } catch (IOException e) {
      throw new HcsException(
          "create",
          id,
          HResult.E_ACCESSDENIED,
          "cannot create state directory " + dir + ": " + reason(e),
          e);
    }
  }

  public boolean exists(String id) {
    return Files.isRegularFile(dir(id).resolve(STATE_FILE));
  }

  public StoredContainer load(String operation, String id) throws HcsException {
    validateId(operation, id);
    Path file = dir(id).resolve(STATE_FILE);
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new HcsException(
          operation, id, HResult.HCS_E_SYSTEM_NOT_FOUND, "container does not exist");
    } catch (IOException e) {
      throw new HcsException(
          operation, id, HResult.E_FAIL, "cannot read " + file + ": " + reason(e), e);
    }
    try {
      return StoredContainer.fromJson(Json.parseObject(text, file.toString()));
    } catch (JsonException e) {
      throw new HcsException(
          operation, id, HResult.HCS_E_INVALID_JSON, String.valueOf(e.getMessage()), e);
    }
  }

  public void save(StoredContainer c) throws IOException {
    Files2.writeAtomically(dir(c.id()).resolve(STATE_FILE), Json.write(c.toJson()));
  }

  /** Ids of every system with a state file, sorted. */
  public List<String> ids() throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      s.filter(p -> Files.isRegularFile(p.resolve(STATE_FILE)))
          .forEach(p -> out.add(p.getFileName().toString()));
    }
    out.sort(null);
    return out;
  }

  public void remove(String id) throws IOException {
    Files2.removeTree(dir(id));
  }

  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
