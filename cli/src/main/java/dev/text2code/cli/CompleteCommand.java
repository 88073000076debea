package dev.text2code.cli;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.objective.InfillPrompt;
import dev.text2code.api.objective.Infilling;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.runs.TrainedRun;
import dev.text2code.tokenizers.pairs.PromptBuilder;
import dev.text2code.tokenizers.pairs.PythonLinearizer;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Code for one description, from a run's checkpoint, printed: text-to-code at the command line. */
@Command(
    name = "complete",
    description =
        "Generate code for a description with a run's checkpoint (the run's layout, tokenizer and"
            + " generation.* settings) and print it.")
final class CompleteCommand extends SdkCommand {
  @Mixin RunDirectoryOption runDirectory;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DESCRIPTION",
      description = "What the code should do (optional with --suffix).")
  String description;

  @Option(
      names = "--code",
      paramLabel = "CODE",
      description =
          "The start of the code, for example a signature 'def add(a, b):' (required by the"
              + " signature-docstring-body layout).")
  String code = "";

  @Option(
      names = "--suffix",
      paramLabel = "CODE",
      description =
          "Infill: the code after the gap; --code is the code before it. Needs a run trained with"
              + " fim or codegen2-infill; prints prefix + middle + suffix.")
  String suffix;

  @Option(
      names = "--fim-layout",
      paramLabel = "psm|spm",
      description = "Infill layout for fim runs (default psm).")
  String fimLayout = "psm";

  @Override
  public Integer call() {
    SdkConfig config = root.config();
    TrainedRun run = TrainedRun.open(root.runComponents(), runDirectory.layout(config));
    Settings runSettings = run.settings();
    PromptBuilder prompts = run.prompts();
    GenerationConfig generation = run.generationConfig(config);
    TokenSequence prompt;
    String start;
    String end = "";
    if (suffix == null) {
      if (description == null) {
        throw new ConfigurationException("complete needs a DESCRIPTION (or --suffix to infill)");
      }
      prompt = prompts.describe(description, code);
      start = prompts.codeAsModelled(code);
    } else {
      InfillPrompt infill = infillPrompt(run, prompts);
      prompt = infill.tokens();
      generation = generation.withStopSequences(infill.stopSequences());
      start = code;
      end = suffix;
    }
    List<Completion> completions;
    try (Generator generator = run.openGenerator(root.backend(config), config)) {
      completions =
          generator.generate(List.of(prompt), generation, run.tokenizers().tokenizer()).get(0);
    }
    boolean linearized = suffix == null && runSettings.flag("data.linearize", false);
    PrintWriter out = out();
    for (int i = 0; i < completions.size(); i++) {
      Completion c = completions.get(i);
      String program = start + c.text() + end;
      if (linearized) program = PythonLinearizer.fourSpaces().reverse(program);
      if (completions.size() > 1) out.printf("# sample %d%n", i + 1);
      out.print(program.endsWith("\n") ? program : program + "\n");
      out.printf(
          "# %d tokens, %s%n",
          c.tokenIds().length(), c.finishReason().name().toLowerCase(java.util.Locale.ROOT));
    }
    out.flush();
    return 0;
  }

  /** The run's infilling objective's prompt for --code (before the gap) and --suffix. */
  private InfillPrompt infillPrompt(TrainedRun run, PromptBuilder prompts) {
    if (run.settings().flag("data.linearize", false)) {
      throw new ConfigurationException(
          "--suffix: this run linearises code (data.linearize = true); infill prompts take raw"
              + " code, so infill with a run trained on raw code");
    }
    Infilling infilling =
        run.needs()
            .infilling()
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        "--suffix needs a run trained to infill (objective fim or"
                            + " codegen2-infill); this run's objective is "
                            + run.objective().name()));
    TokenSequence head =
        description == null
            ? TokenSequence.of(new int[0], new byte[0], -1)
            : prompts.describe(description, "");
    try {
      return infilling.prompt(run.tokenizers().tokenizer(), head, code, suffix, fimLayout);
    } catch (ConfigurationException e) {
      throw new ConfigurationException("--fim-layout: " + e.getMessage(), e);
    }
  }
}
