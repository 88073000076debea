package dev.text2code.backend.tensorflow;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.api.objective.TrainingExample;
import java.util.List;

/**
 * A batch of equally long examples flattened into the arrays the graph is fed: rows, positions, the
 * attention mask as 0/1 floats, labels ({@code -1} where ignored, which one-hot encodes to zeros)
 * and the target modality as 0/1 floats.
 */
record Encoded(
    int rows,
    int length,
    int[] ids,
    int[] positions,
    int[] segments,
    int[] prefixEnds,
    int[] labels,
    float[] targetIsCode,
    long labelled) {

  /** The rows each target modality may predict; for checking labels before they reach the loss. */
  record Targets(boolean[] code, boolean[] text) {
    static Targets of(ModalityRouter router) {
      return new Targets(router.codeVocabularyMask(), router.textVocabularyMask());
    }
  }

  static Encoded of(List<TrainingExample> examples, ModelSpec spec, Targets targets, String where) {
    if (examples.isEmpty()) {
      throw new InvalidInputException(where + ": the batch is empty; give at least one example");
    }
    int rows = examples.size();
    int length = examples.get(0).length();
    if (length == 0) throw new InvalidInputException(where + ": examples have no positions");
    if (length > spec.contextLength()) {
      throw new InvalidInputException(
          where
              + ": examples have "
              + length
              + " positions but the model's context is "
              + spec.contextLength());
    }
    int n = rows * length;
    int[] ids = new int[n];
    int[] positions = new int[n];
    int[] segments = new int[n];
    int[] prefixEnds = new int[n];
    int[] labels = new int[n];
    float[] code = new float[n];
    long labelled = 0;
    int vocabulary = spec.embeddingRows();
    for (int r = 0; r < rows; r++) {
      TrainingExample e = examples.get(r);
      if (e.length() != length) {
        throw new InvalidInputException(
            where
                + ": example "
                + r
                + " has "
                + e.length()
                + " positions but example 0 has "
                + length
                + "; a batch needs equally long examples (pad them)");
      }
      int[] in = e.inputIds();
      int[] out = e.labels();
      int[] pos = e.positionIds();
      byte[] modalities = e.targetModalities();
      AttentionSpec attention = e.attention();
      for (int t = 0; t < length; t++) {
        int i = r * length + t;
        if (in[t] >= vocabulary) {
          throw new InvalidInputException(
              where
                  + ": example "
                  + r
                  + " input id "
                  + in[t]
                  + " at position "
                  + t
                  + " is outside the model's "
                  + vocabulary
                  + " embedding rows");
        }
        if (out[t] >= vocabulary) {
          throw new InvalidInputException(
              where
                  + ": example "
                  + r
                  + " label "
                  + out[t]
                  + " at position "
                  + t
                  + " is outside the model's "
                  + vocabulary
                  + " embedding rows");
        }
        if (out[t] != TrainingExample.IGNORE) {
          boolean codeTarget = modalities[t] == 1;
          if (!(codeTarget ? targets.code() : targets.text())[out[t]]) {
            // a label outside its modality's vocabulary would get -1e9 and an absurd loss
            throw new InvalidInputException(
                where
                    + ": example "
                    + r
                    + " label row "
                    + out[t]
                    + " at position "
                    + t
                    + " is not in the "
                    + (codeTarget ? "code" : "text")
                    + " vocabulary of the router; route labels with the target's modality");
          }
        }
        if (pos[t] >= spec.contextLength()) {
          throw new InvalidInputException(
              where
                  + ": example "
                  + r
                  + " position id "
                  + pos[t]
                  + " at position "
                  + t
                  + " is outside the model's context "
                  + spec.contextLength());
        }
        ids[i] = in[t];
        positions[i] = pos[t];
        boolean ignored = out[t] == TrainingExample.IGNORE;
        labels[i] = ignored ? -1 : out[t];
        if (!ignored) labelled++;
        code[i] = modalities[t];
        int segment = attention.segmentOf(t);
        segments[i] = segment;
        prefixEnds[i] = attention.segmentStart(segment) + attention.prefixLength(segment);
      }
    }
    return new Encoded(rows, length, ids, positions, segments, prefixEnds, labels, code, labelled);
  }

  /** Flat indices {@code position * rows + label} of the labelled positions, in order. */
  long[] labelIndices(int rows) {
    long[] out = new long[Math.toIntExact(labelled)];
    int next = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= 0) out[next++] = (long) i * rows + labels[i];
    }
    return out;
  }

  /** The vocabulary masks as additive biases: 0 where allowed, {@link TransformerGraph#MASKED}. */
  static float[] bias(boolean[] allowed) {
    float[] bias = new float[allowed.length];
    for (int i = 0; i < allowed.length; i++) bias[i] = allowed[i] ? 0f : TransformerGraph.MASKED;
    return bias;
  }

  /** Whether the router restricts any position's vocabulary. */
  static boolean restricts(ModalityRouter router) {
    return !router.replicatedRows().isEmpty();
  }
}
