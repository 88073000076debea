package dev.text2code.cli;

import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.cli.run.PromptBuilder;
import dev.text2code.cli.run.RunLayout;
import dev.text2code.cli.run.RunTokenizers;
import dev.text2code.cli.run.TrainingRun;
import dev.text2code.tokenizers.pairs.PythonLinearizer;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Code for one description, from a run's checkpoint, printed: text-to-code at the command line. */
@Command(
    name = "complete",
    mixinStandardHelpOptions = true,
    description =
        "Generate code for a description with a run's checkpoint (the run's layout, tokenizer and"
            + " generation.* settings) and print it.")
final class CompleteCommand implements Callable<Integer> {
  @ParentCommand SdkCli root;
  @Spec CommandSpec spec;

  @Mixin RunDirectoryOption runDirectory;

  @Parameters(index = "0", paramLabel = "DESCRIPTION", description = "What the code should do.")
  String description;

  @Option(
      names = "--code",
      paramLabel = "CODE",
      description =
          "The start of the code, for example a signature 'def add(a, b):' (required by the"
              + " signature-docstring-body layout).")
  String code = "";

  @Override
  public Integer call() {
    SdkConfig config = root.config();
    RunLayout layout = runDirectory.layout(config);
    Settings runSettings = TrainingRun.settingsOf(layout);
    RunTokenizers tokenizers = RunTokenizers.of(root.components(), runSettings, layout);
    PromptBuilder prompts = GenerateCommand.promptBuilder(runSettings, tokenizers);
    TokenSequence prompt = prompts.describe(description, code);
    GenerationConfig generation = GenerateCommand.generationConfig(config, runSettings);
    List<Completion> completions;
    try (Generator generator =
        root.components()
            .backends()
            .select(config.backend())
            .openGenerator(layout.checkpoint(), Device.parse(config.string("device")))) {
      completions = generator.generate(List.of(prompt), generation, tokenizers.tokenizer()).get(0);
    }
    boolean linearized = runSettings.flag("data.linearize", false);
    String start = prompts.codeAsModelled(code);
    PrintWriter out = spec.commandLine().getOut();
    for (int i = 0; i < completions.size(); i++) {
      Completion c = completions.get(i);
      String program = start + c.text();
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
}
