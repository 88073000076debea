package dev.text2code.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.objective.TrainingExample;
import java.util.List;

/**
 * Host-side arrays of equally long training examples, checked against the model, ready to become
 * device arrays: inputs and positions {@code [B, T]}, attention bias {@code [B, 1, T, T]}, and the
 * flat indices, labels and target modalities of the labelled positions.
 */
final class Batch {
  final int rows;
  final int length;
  final long[] inputIds;
  final long[] positionIds;
  final float[] attentionBias;
  final long[] labelledPositions;
  final long[] labels;
  final long[] targetModalities;

  private Batch(List<TrainingExample> examples, ModelSpec spec) {
    if (examples.isEmpty()) throw new InvalidInputException("a batch needs at least one example");
    rows = examples.size();
    length = examples.get(0).length();
    if (length == 0) throw new InvalidInputException("example 0 has no positions");
    if (length > spec.contextLength()) {
      throw new InvalidInputException(
          "examples have "
              + length
              + " positions but model.context is "
              + spec.contextLength()
              + "; pack or truncate to at most that");
    }
    inputIds = new long[rows * length];
    positionIds = new long[rows * length];
    attentionBias = new float[rows * length * length];
    int labelled = 0;
    for (TrainingExample e : examples) labelled += e.labelledCount();
    labelledPositions = new long[labelled];
    labels = new long[labelled];
    targetModalities = new long[labelled];
    int next = 0;
    for (int r = 0; r < rows; r++) {
      TrainingExample e = examples.get(r);
      if (e.length() != length) {
        throw new InvalidInputException(
            "example "
                + r
                + " has "
                + e.length()
                + " positions but example 0 has "
                + length
                + "; a batch's examples must be equally long");
      }
      int[] positions = e.positionIds(); // a copy: take it once per example
      for (int i = 0; i < length; i++) {
        int flat = r * length + i;
        int id = e.inputId(i);
        check(id < spec.embeddingRows(), r, i, "input id " + id, spec.embeddingRows());
        inputIds[flat] = id;
        int position = positions[i];
        check(
            position < spec.contextLength(), r, i, "position id " + position, spec.contextLength());
        positionIds[flat] = position;
        int label = e.label(i);
        if (label != TrainingExample.IGNORE) {
          check(label < spec.embeddingRows(), r, i, "label " + label, spec.embeddingRows());
          labelledPositions[next] = flat;
          labels[next] = label;
          targetModalities[next] = e.targetModality(i).code();
          next++;
        }
      }
      System.arraycopy(
          AttentionMasks.bias(e.attention()),
          0,
          attentionBias,
          r * length * length,
          length * length);
    }
  }

  static Batch of(List<TrainingExample> examples, ModelSpec spec) {
    return new Batch(examples, spec);
  }

  private static void check(boolean ok, int row, int position, String what, int bound) {
    if (!ok) {
      throw new InvalidInputException(
          "example "
              + row
              + ", position "
              + position
              + ": "
              + what
              + " is outside [0, "
              + bound
              + ")");
    }
  }

  int labelledCount() {
    return labels.length;
  }

  NDArray inputIds(NDManager m) {
    return m.create(inputIds, new Shape(rows, length));
  }

  NDArray positionIds(NDManager m) {
    return m.create(positionIds, new Shape(rows, length));
  }

  NDArray attentionBias(NDManager m) {
    return m.create(attentionBias, new Shape(rows, 1, length, length));
  }
}
