package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.text2code.api.IdentityRouter;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Separation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModalityMasksTest {
  @Test
  void withoutSeparationTheLossIsPlainCrossEntropy() {
    assertEquals(0, ModalityMasks.bias(new IdentityRouter(10)).length);
  }

  @Test
  void codeTargetsExcludeOriginalsAndTextTargetsExcludeReplicas() {
    // rows 0..4 are the vocabulary; 1 -> 5 and 3 -> 6 are replicated
    MappedRouter router = new MappedRouter(Separation.PARTIAL, 5, 7, Map.of(1, 5, 3, 6));
    float[] bias = ModalityMasks.bias(router);
    float m = -1e9f;
    float[] text = {0, 0, 0, 0, 0, m, m};
    float[] code = {0, m, 0, m, 0, 0, 0};
    for (int r = 0; r < 7; r++) {
      assertEquals(text[r], bias[r], "text row " + r);
      assertEquals(code[r], bias[7 + r], "code row " + r);
    }
  }
}
