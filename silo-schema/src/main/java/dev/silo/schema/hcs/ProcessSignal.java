package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * Console control event sent by {@code HcsSignalProcess} (hcsshim {@code schema2.ProcessSignal}).
 */
public enum ProcessSignal {
  CTRL_C("CtrlC"),
  CTRL_BREAK("CtrlBreak"),
  CTRL_CLOSE("CtrlClose"),
  CTRL_LOG_OFF("CtrlLogOff"),
  CTRL_SHUTDOWN("CtrlShutdown");

  private final String wireName;

  ProcessSignal(String wireName) {
    this.wireName = wireName;
  }

  /** The string Windows puts on the wire for this value. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /**
   * Looks a value up by its wire string; {@code null} when Windows sends one Silo does not know.
   */
  public static @Nullable ProcessSignal fromWireName(String wireName) {
    for (ProcessSignal v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
