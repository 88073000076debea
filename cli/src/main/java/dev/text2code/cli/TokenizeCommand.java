package dev.text2code.cli;

import dev.text2code.api.TextCodePair;
import dev.text2code.api.TokenSequence;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.runs.RunTokenizers;
import dev.text2code.tokenizers.pairs.PairFormat;
import dev.text2code.tokenizers.pairs.PairLayout;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Shows how a text/code pair becomes tokens, modalities and embedding rows. */
@Command(
    name = "tokenize",
    description = "Show the tokens of a text/code pair: id, embedding row, modality and spelling.")
final class TokenizeCommand extends SdkCommand {
  @Option(names = "--text", required = true, description = "The natural-language side.")
  String text;

  @Option(names = "--code", required = true, description = "The code side.")
  String code;

  @Override
  public Integer call() {
    SdkConfig config = root.config();
    RunTokenizers tokenizers = RunTokenizers.build(root.runComponents(), config);
    PairFormat format =
        new PairFormat(
            tokenizers.tokenizer(),
            PairLayout.parse(config.string("data.layout")),
            config.flag("data.linearize", false));
    TokenSequence sequence = format.format(TextCodePair.python("cli", text, code));
    TokenSequence routed = tokenizers.router().route(sequence);
    PrintWriter out = out();
    out.printf(
        "tokenizer %s, layout %s, separation %s: %d tokens, prefix ends at %d%n",
        tokenizers.tokenizer().name(),
        format.layout().configName(),
        tokenizers.router().separation().configName(),
        sequence.length(),
        sequence.prefixIndex());
    out.printf("%5s  %7s  %7s  %-8s  %s%n", "pos", "id", "row", "modality", "token");
    for (int i = 0; i < sequence.length(); i++) {
      String mark = routed.id(i) != sequence.id(i) ? "*" : " ";
      out.printf(
          "%5d  %7d  %6d%s  %-8s  %s%n",
          i,
          sequence.id(i),
          routed.id(i),
          mark,
          sequence.modality(i).name().toLowerCase(java.util.Locale.ROOT),
          printable(tokenizers.tokenizer().tokenOf(sequence.id(i))));
    }
    out.println("(* = code-side replica row)");
    out.flush();
    return 0;
  }

  private static String printable(String token) {
    return token.replace("\n", "\\n").replace("\t", "\\t");
  }
}
