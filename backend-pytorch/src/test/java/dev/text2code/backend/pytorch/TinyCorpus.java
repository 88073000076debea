package dev.text2code.backend.pytorch;

import dev.text2code.api.Modality;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.backend.CharTokenizer;
import dev.text2code.api.objective.TrainingExample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A few tiny Python functions, tokenised by {@link #TOKENIZER}, cut into causal windows. */
final class TinyCorpus {
  /** Five special tokens (ids 0 to 4), then newline and printable ASCII. */
  static final CharTokenizer TOKENIZER =
      CharTokenizer.specialsThenCharacters(
          List.of("<eot>", "<python>", "<fim_prefix>", "<fim_suffix>", "<fim_middle>"),
          CharTokenizer.PRINTABLE_ASCII);

  static final String TEXT =
      "def add(a, b):\n    return a + b\n<eot>"
          + "def sub(a, b):\n    return a - b\n<eot>"
          + "def mul(a, b):\n    return a * b\n<eot>"
          + "def neg(x):\n    return -x\n<eot>"
          + "def first(xs):\n    return xs[0]\n<eot>"
          + "def last(xs):\n    return xs[-1]\n<eot>";

  private TinyCorpus() {}

  /**
   * Windows of {@code length} tokens at random offsets; every position is a code target routed
   * through {@code router} (inputs and labels are embedding rows).
   */
  static List<TrainingExample> windows(
      CharTokenizer tokenizer, ModalityRouter router, int count, int length, long seed) {
    int[] ids = tokenizer.encode(TEXT).toArray();
    SplittableRandom random = new SplittableRandom(seed);
    List<TrainingExample> out = new ArrayList<>();
    for (int e = 0; e < count; e++) {
      int start = random.nextInt(ids.length - length);
      int[] inputs = new int[length];
      int[] labels = new int[length];
      byte[] modalities = new byte[length];
      for (int i = 0; i < length; i++) {
        inputs[i] = router.route(ids[start + i], Modality.CODE);
        labels[i] = router.route(ids[start + i + 1], Modality.CODE);
        modalities[i] = Modality.CODE.code();
      }
      out.add(TrainingExample.causal(inputs, labels, modalities));
    }
    return out;
  }
}
