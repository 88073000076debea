package dev.text2code.backend.tensorflow;

import dev.text2code.api.ModalityRouter;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.ReferenceForward;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.objective.TrainingExample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Plain-Java loss of docs/MODEL.md over ReferenceForward logits, in double precision. */
final class Oracle {
  private Oracle() {}

  /** Σ −log p(label) over labelled positions, with the modality-restricted softmax. */
  static double lossSum(
      ModelSpec spec, Map<String, Tensor> weights, ModalityRouter router, TrainingExample e) {
    float[][] logits =
        new ReferenceForward(spec, weights).logits(e.inputIds(), e.positionIds(), e.attention());
    boolean[] code = router.codeVocabularyMask();
    boolean[] text = router.textVocabularyMask();
    double sum = 0;
    for (int t = 0; t < e.length(); t++) {
      int label = e.label(t);
      if (label == TrainingExample.IGNORE) continue;
      boolean[] allowed = e.targetModalities()[t] == 1 ? code : text;
      double max = Double.NEGATIVE_INFINITY;
      for (int r = 0; r < logits[t].length; r++) {
        if (allowed[r]) max = Math.max(max, logits[t][r]);
      }
      double z = 0;
      for (int r = 0; r < logits[t].length; r++) {
        if (allowed[r]) z += Math.exp(logits[t][r] - max);
      }
      double logp = allowed[label] ? logits[t][label] - max - Math.log(z) : -1e9;
      sum -= logp;
    }
    return sum;
  }

  static double meanLoss(
      ModelSpec spec, Map<String, Tensor> weights, ModalityRouter router, List<TrainingExample> b) {
    double sum = 0;
    long count = 0;
    for (TrainingExample e : b) {
      sum += lossSum(spec, weights, router, e);
      count += e.labelledCount();
    }
    return sum / count;
  }

  /**
   * The central difference (step 1e-3, as rounded in float) of {@link #meanLoss} by one coordinate
   * of one weight: the numeric gradient the backend's gradients are checked against.
   */
  static double finiteDifference(
      ModelSpec spec,
      Map<String, Tensor> weights,
      ModalityRouter router,
      String name,
      int index,
      List<TrainingExample> batch) {
    double h = 1e-3;
    Map<String, Tensor> plus = new HashMap<>(weights);
    Map<String, Tensor> minus = new HashMap<>(weights);
    Tensor t = weights.get(name);
    float[] up = t.data().clone();
    float[] down = t.data().clone();
    up[index] += (float) h;
    down[index] -= (float) h;
    double realH = ((double) up[index] - down[index]) / 2;
    plus.put(name, new Tensor(name, t.shape(), up));
    minus.put(name, new Tensor(name, t.shape(), down));
    double lp = meanLoss(spec, plus, router, batch);
    double lm = meanLoss(spec, minus, router, batch);
    return (lp - lm) / (2 * realH);
  }
}
