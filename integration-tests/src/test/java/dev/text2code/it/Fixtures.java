package dev.text2code.it;

import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.cli.SdkCli;
import dev.text2code.tokenizers.bpe.BpeTrainer;
import dev.text2code.tokenizers.bpe.ByteLevelBpeTokenizer;
import dev.text2code.tokenizers.pairs.PairFormat;
import dev.text2code.tokenizers.routing.ModalityRouters;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import picocli.CommandLine;

/** A real (tiny) tokenizer, router and model shape shared by the integration tests. */
final class Fixtures {
  /** What one {@code sdk-cli} invocation returned and printed. */
  record Run(int exitCode, String out, String err) {}

  /** Runs {@code sdk-cli args} in-process with an empty environment, capturing its output. */
  static Run cli(String... args) {
    CommandLine cli = SdkCli.commandLine(Map.of());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Fixtures() {}

  static final List<String> CORPUS =
      List.of(
          "def add(a, b):\n    return a + b\n",
          "def is_even(n):\n    return n % 2 == 0\n",
          "for i in range(10):\n    print(i)\n",
          "Return the sum of two numbers.",
          "class Stack:\n    def push(self, item):\n        self.items.append(item)\n");

  /** A byte-level BPE of 300 ids trained on a few lines, with the paper's tokens. */
  static Tokenizer tokenizer(Path directory) {
    BpeTrainer trainer = new BpeTrainer(BpeTrainer.Options.of(300, List.of()));
    Path file = trainer.write(trainer.train(CORPUS), directory.resolve("tokenizer.json"));
    return PairFormat.withPaperTokens(ByteLevelBpeTokenizer.load(file));
  }

  static ModalityRouter partialRouter(Tokenizer tokenizer) {
    return ModalityRouters.build(tokenizer, Separation.PARTIAL);
  }

  static ModelSpec spec(ModalityRouter router) {
    return new ModelSpec(2, 2, 16, 64, router.embeddingRows(), router.separation(), 0.0);
  }

  /**
   * Packed rows of two examples each: the first with a bidirectional prefix, labels on code
   * positions only, code ids routed to their replicas where the router has them.
   */
  static List<TrainingExample> packedBatch(ModalityRouter router, int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<TrainingExample> batch = new ArrayList<>();
    int length = 24;
    for (int r = 0; r < rows; r++) {
      int[] inputs = new int[length];
      int[] labels = new int[length];
      byte[] modalities = new byte[length];
      int[] positions = new int[length];
      int[] segments = new int[length];
      int split = 14;
      for (int i = 0; i < length; i++) {
        boolean second = i >= split;
        int local = second ? i - split : i;
        boolean code = second ? local >= 3 : local >= 5;
        int token = random.nextInt(router.vocabularySize());
        inputs[i] =
            router.route(
                token, code ? dev.text2code.api.Modality.CODE : dev.text2code.api.Modality.TEXT);
        modalities[i] = (byte) (code ? 1 : 0);
        positions[i] = local;
        segments[i] = second ? 1 : 0;
      }
      for (int i = 0; i < length; i++) {
        boolean lastOfSegment = i == split - 1 || i == length - 1;
        labels[i] = lastOfSegment || modalities[i] == 0 ? TrainingExample.IGNORE : inputs[i + 1];
      }
      batch.add(
          TrainingExample.of(
              inputs,
              labels,
              modalities,
              positions,
              AttentionSpec.segments(segments, new int[] {5, 0})));
    }
    return batch;
  }
}
