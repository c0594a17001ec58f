package dev.silo.schema.hcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Records copy what they are given, so a document cannot change after it was built or read. */
class ImmutabilityTest {

  @Test
  void listsAreCopiedAndUnmodifiable() {
    List<String> ids = new ArrayList<>(List.of("c1"));
    SystemQuery q = new SystemQuery(ids, List.of(), List.of(), List.of());

    ids.add("c2");

    assertThat(q.ids()).containsExactly("c1");
    assertThatThrownBy(() -> q.ids().add("c3")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void environmentIsSortedByNameAsGoWritesMaps() throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("Z", "last");
    env.put("A", "first");
    ProcessParameters p =
        new ProcessParameters(
            null, "cmd", List.of(), null, null, env, null, null, null, null, null, List.of(), null);

    env.put("M", "late");

    assertThat(p.environment().keySet()).containsExactly("A", "Z");
    assertThat(HcsJson.write(p))
        .isEqualTo("{\"CommandLine\":\"cmd\",\"Environment\":{\"A\":\"first\",\"Z\":\"last\"}}");
    assertThat(
            HcsJson.read("{\"Environment\":{\"b\":\"2\",\"a\":\"1\"}}", ProcessParameters.class)
                .environment()
                .keySet())
        .containsExactly("a", "b");
    assertThatThrownBy(() -> p.environment().put("B", "x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rawJsonSettingsAreDeepCopiedKeepingOrderAndNulls() {
    List<@Nullable Object> inner = new ArrayList<@Nullable Object>(Arrays.asList("a", null));
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("Z", inner);
    settings.put("A", 1);
    ModifySettingRequest r = new ModifySettingRequest("p", RequestType.ADD, settings, null);

    inner.add("b");
    settings.put("B", 2);

    assertThat(r.settings())
        .isInstanceOfSatisfying(
            Map.class,
            copy -> {
              assertThat(copy.keySet()).containsExactly("Z", "A");
              List<?> z = (List<?>) Objects.requireNonNull(copy.get("Z"));
              assertThat(z).isEqualTo(Arrays.asList("a", null));
              assertThatThrownBy(z::clear).isInstanceOf(UnsupportedOperationException.class);
              assertThatThrownBy(() -> copy.clear())
                  .isInstanceOf(UnsupportedOperationException.class);
            });
  }

  @Test
  void recordSettingsArePassedThroughAsTheSameObject() {
    ContainerMemory memory = new ContainerMemory(256L);

    assertThat(
            new ModifySettingRequest("Container/Memory", RequestType.UPDATE, memory, null)
                .settings())
        .isSameAs(memory);
  }

  @Test
  void versionCompatibilityFollowsMajorAndMinor() {
    assertThat(new Version(2, 1).isCompatibleWith(Version.V2_5)).isTrue();
    assertThat(Version.V2_5.isCompatibleWith(Version.V2_1)).isFalse();
    assertThat(new Version(1, 0).isCompatibleWith(Version.V2_1)).isFalse();
  }
}
