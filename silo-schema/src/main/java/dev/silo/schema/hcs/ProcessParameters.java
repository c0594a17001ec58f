package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Document given to {@code HcsCreateProcess} (hcsshim {@code schema2.ProcessParameters}).
 *
 * @param commandLine Windows-quoted command line
 * @param commandArgs argv, the Linux guest's alternative to the command line
 * @param environment variables; kept sorted by name as Go's encoding/json writes maps
 * @param restrictedToken run with a low-privilege token
 * @param emulateConsole give the process a console (Silo: a pty); the stderr pipe is then ignored
 * @param consoleSize {@code [height, width]} of the console
 * @param createInUtilityVM run in the hosting utility VM instead of the container
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProcessParameters(
    @JsonProperty("ApplicationName") @Nullable String applicationName,
    @JsonProperty("CommandLine") @Nullable String commandLine,
    @JsonProperty("CommandArgs") List<String> commandArgs,
    @JsonProperty("User") @Nullable String user,
    @JsonProperty("WorkingDirectory") @Nullable String workingDirectory,
    @JsonProperty("Environment") Map<String, String> environment,
    @JsonProperty("RestrictedToken") @Nullable Boolean restrictedToken,
    @JsonProperty("EmulateConsole") @Nullable Boolean emulateConsole,
    @JsonProperty("CreateStdInPipe") @Nullable Boolean createStdInPipe,
    @JsonProperty("CreateStdOutPipe") @Nullable Boolean createStdOutPipe,
    @JsonProperty("CreateStdErrPipe") @Nullable Boolean createStdErrPipe,
    @JsonProperty("ConsoleSize") List<Integer> consoleSize,
    @JsonProperty("CreateInUtilityVM") @Nullable Boolean createInUtilityVM) {

  /**
   * Copies collections so the record stays immutable; an absent (null) collection becomes empty.
   */
  public ProcessParameters {
    commandArgs = Immutable.list(commandArgs);
    environment = Immutable.sortedMap(environment);
    consoleSize = Immutable.list(consoleSize);
  }
}
