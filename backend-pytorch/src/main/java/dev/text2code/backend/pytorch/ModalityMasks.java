package dev.text2code.backend.pytorch;

import dev.text2code.api.Modality;
import dev.text2code.api.ModalityRouter;

/** The additive output-row biases of the modality-restricted softmax (docs/METHODS.md §1.3). */
public final class ModalityMasks {
  private ModalityMasks() {}

  /**
   * {@code [2 * rows]}: row {@link Modality#TEXT} then row {@link Modality#CODE}, 0 for rows the
   * target modality may predict and -1e9 for the others; empty when both masks allow every row (no
   * replicated rows), so the loss is plain cross-entropy.
   */
  public static float[] bias(ModalityRouter router) {
    boolean[] text = router.textVocabularyMask();
    boolean[] code = router.codeVocabularyMask();
    int rows = router.embeddingRows();
    boolean restricts = false;
    for (int r = 0; r < rows; r++) restricts |= !text[r] || !code[r];
    if (!restricts) return new float[0];
    float[] out = new float[2 * rows];
    for (int r = 0; r < rows; r++) {
      if (!text[r]) out[Modality.TEXT.code() * rows + r] = GptModel.maskedScore();
      if (!code[r]) out[Modality.CODE.code() * rows + r] = GptModel.maskedScore();
    }
    return out;
  }
}
