package dev.silo.images;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.images.internal.Digests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds layer tars and old-style docker-archives (hex.json, N/layer.tar) in tests. */
final class TestArchives {
  private TestArchives() {}

  /** A layer tar written entry by entry. */
  static final class Layer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

    Layer() {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    Layer dir(String name) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
      e.setMode(040755);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
      return this;
    }

    Layer file(String name, String text) throws IOException {
      return file(name, text, 0100644, 0);
    }

    Layer file(String name, String text, int mode, int uid) throws IOException {
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry(name);
      e.setMode(mode);
      e.setSize(b.length);
      e.setUserId(uid);
      e.setGroupId(uid);
      tar.putArchiveEntry(e);
      tar.write(b);
      tar.closeArchiveEntry();
      return this;
    }

    Layer symlink(String name, String target) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      e.setLinkName(target);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
      return this;
    }

    Layer hardlink(String name, String target) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
      e.setLinkName(target);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
      return this;
    }

    Layer device(String name, byte type, int major, int minor) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name, type);
      e.setMode(0666);
      e.setDevMajor(major);
      e.setDevMinor(minor);
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
      return this;
    }

    byte[] bytes() throws IOException {
      tar.finish();
      return bytes.toByteArray();
    }
  }

  /** A docker-archive of one image with these layers, tagged {@code tag}. */
  static byte[] dockerArchive(String tag, List<byte[]> layers) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = json.createObjectNode();
    config.put("architecture", "amd64").put("os", "linux").put("created", "2026-01-02T03:04:05Z");
    config.putObject("config").putArray("Cmd").add("sh");
    ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      diffIds.add(Digests.of(layers.get(i)));
      names.add("l" + i + "/layer.tar");
    }
    byte[] configBytes = json.writeValueAsBytes(config);
    String configName = Digests.hex(Digests.of(configBytes)) + ".json";
    ArrayNode manifest = json.createArrayNode();
    ObjectNode m = manifest.addObject();
    m.put("Config", configName);
    m.putArray("RepoTags").add(tag);
    ArrayNode ls = m.putArray("Layers");
    names.forEach(ls::add);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      put(tar, configName, configBytes);
      for (int i = 0; i < layers.size(); i++) {
        put(tar, names.get(i), layers.get(i));
      }
      put(tar, "manifest.json", json.writeValueAsBytes(manifest));
    }
    return out.toByteArray();
  }

  private static void put(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(data.length);
    e.setMode(0100644);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }
}
