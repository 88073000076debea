package dev.text2code.cli;

import dev.text2code.api.ComponentSelector;
import dev.text2code.api.backend.Backend;
import dev.text2code.cli.config.ConfigLoader;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.cli.wiring.Components;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists the available backends, objectives and tokenizers and shows which are configured. */
@Command(
    name = "info",
    description =
        "List backends, objectives and tokenizers; show the configured ones; or describe a model"
            + " directory (--model).")
final class InfoCommand extends SdkCommand {
  @Option(names = "--keys", description = "Also list every configuration key with its value.")
  boolean keys;

  @Option(
      names = "--reference",
      description = "Print the configuration reference (Markdown) and exit.")
  boolean reference;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description =
          "Describe a Hugging Face model directory or a checkpoint (family, shapes, parameters,"
              + " dtype, tokenizer) and exit.")
  java.nio.file.Path model;

  @Override
  public Integer call() {
    if (model != null) {
      return print(dev.text2code.runs.ModelImport.describe(model));
    }
    if (reference) {
      out().print(dev.text2code.cli.config.ConfigReference.markdown());
      out().flush();
      return 0;
    }
    SdkConfig config = root.config();
    Components components = root.components();
    PrintWriter out = out();
    out.println("text2code " + SdkCli.Version.version());
    out.println("configuration: " + config.sources());
    // Validate every configured name first, so a typo fails before anything is printed as if valid.
    Backend selected = components.backends().select(config.backend());
    checkName(components.objectives(), config.objective());
    checkName(components.tokenizers(), config.tokenizer());
    out.println();
    out.println("backends (key 'backend'):");
    for (String name : components.backends().names()) {
      boolean chosen = name.equals(config.backend());
      out.printf(
          "  %s %-12s %s%n",
          chosen ? "*" : " ", name, chosen ? "capabilities " + selected.capabilities() : "");
    }
    out.println("objectives (key 'objective'):");
    for (String name : components.objectives().names()) {
      out.printf(
          "  %s %-24s %s%n",
          name.equals(config.objective()) ? "*" : " ",
          name,
          components.objectives().select(name).description());
    }
    out.println("tokenizers (key 'tokenizer'):");
    for (String name : components.tokenizers().names()) {
      out.printf(
          "  %s %-12s %s%n",
          name.equals(config.tokenizer()) ? "*" : " ",
          name,
          components.tokenizers().select(name).description());
    }
    out.println("(* = configured)");
    if (keys) {
      out.println();
      out.println("configuration keys:");
      for (String key : new ConfigLoader().keys()) {
        out.printf("  %-34s = %s%n", key, config.find(key).orElse(""));
      }
    }
    out.flush();
    return 0;
  }

  private static void checkName(ComponentSelector<?> selector, String name) {
    if (!selector.names().contains(name)) selector.select(name);
  }
}
