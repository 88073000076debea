package dev.text2code.cli;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.Text2CodeException;
import dev.text2code.api.backend.Backend;
import dev.text2code.cli.config.ConfigLoader;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.cli.wiring.Components;
import dev.text2code.cli.wiring.SdkInjector;
import dev.text2code.runs.RunComponents;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code sdk-cli} entry point: global options, then a subcommand. */
@Command(
    name = "sdk-cli",
    mixinStandardHelpOptions = true,
    versionProvider = SdkCli.Version.class,
    description = "Pre-train and evaluate text-to-code language models.",
    subcommands = {
      InfoCommand.class,
      RunCommand.class,
      AblateCommand.class,
      TokenizeCommand.class,
      PrepareCommand.class,
      TrainCommand.class,
      GenerateCommand.class,
      CompleteCommand.class,
      EvaluateCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      LogitsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SdkCli {
  /** Exit code for invalid configuration, arguments or input files. */
  public static final int EXIT_USAGE = 2;

  /** Exit code for a failure while running. */
  public static final int EXIT_FAILURE = 1;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Configuration file (HOCON, JSON or YAML).")
  Path configFile;

  @Option(
      names = "--backend",
      paramLabel = "NAME",
      description = "Backend: overrides the key 'backend'.")
  String backend;

  @Option(
      names = "--objective",
      paramLabel = "NAME",
      description = "Objective: overrides the key 'objective'.")
  String objective;

  @Option(
      names = "--tokenizer",
      paramLabel = "NAME",
      description = "Tokenizer: overrides the key 'tokenizer'.")
  String tokenizer;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Override any configuration key (repeatable), e.g. --set training.max-steps=100.")
  Map<String, String> overrides = new LinkedHashMap<>();

  private Map<String, String> environment = System.getenv();
  private Components components;

  /** The merged configuration: defaults < file < T2C_* environment < flags. */
  SdkConfig config() {
    Map<String, String> flags = new LinkedHashMap<>(overrides);
    if (backend != null) flags.put("backend", backend);
    if (objective != null) flags.put("objective", objective);
    if (tokenizer != null) flags.put("tokenizer", tokenizer);
    return new ConfigLoader().load(configFile, environment, flags);
  }

  Components components() {
    if (components == null) components = SdkInjector.components(SdkInjector.create());
    return components;
  }

  /** What the run layer needs from the injector. */
  RunComponents runComponents() {
    return components().runComponents();
  }

  /** The configured backend (only this one is constructed). */
  Backend backend(SdkConfig config) {
    return components().backends().select(config.backend());
  }

  /** Builds the command line with its error handling (for tests). */
  public static CommandLine commandLine(Map<String, String> environment) {
    SdkCli root = new SdkCli();
    root.environment = environment;
    CommandLine cli = new CommandLine(root);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (e instanceof ConfigurationException) {
            err.println("sdk-cli: configuration error: " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
          }
          if (e instanceof InvalidInputException) {
            err.println("sdk-cli: invalid input: " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
          }
          if (e instanceof Text2CodeException) {
            err.println("sdk-cli: " + e.getMessage());
            err.flush();
            return EXIT_FAILURE;
          }
          return unexpected(e, err);
        });
    return cli;
  }

  /**
   * An exception no command expects (a defect): one line naming it, the full stack trace in a file
   * under the temporary directory for a bug report, exit status 1.
   */
  static int unexpected(Exception e, PrintWriter err) {
    String where;
    try {
      Path trace = Files.createTempFile("sdk-cli-failure-", ".txt");
      StringWriter text = new StringWriter();
      e.printStackTrace(new PrintWriter(text));
      Files.writeString(trace, text.toString(), StandardCharsets.UTF_8);
      where = "full stack trace in " + trace;
    } catch (IOException | RuntimeException writeFailure) {
      where = "the stack trace could not be written: " + writeFailure.getMessage();
    }
    err.println(
        "sdk-cli: unexpected failure (a defect; please report it): "
            + e.getClass().getName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse(""))
            + "; "
            + where);
    err.flush();
    return EXIT_FAILURE;
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** Reads the version filtered into the jar at build time. */
  static final class Version implements CommandLine.IVersionProvider {
    static String version() {
      Properties p = new Properties();
      try (InputStream in = SdkCli.class.getResourceAsStream("/text2code-version.properties")) {
        if (in != null) p.load(in);
      } catch (IOException e) {
        return "unknown";
      }
      return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
      return new String[] {
        "text2code sdk-cli " + version(),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")"
      };
    }
  }
}
