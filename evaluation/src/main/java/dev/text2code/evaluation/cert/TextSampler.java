package dev.text2code.evaluation.cert;

import java.util.List;

/**
 * Samples text continuations of a prompt; implemented over a backend generator, or stubbed in
 * tests.
 */
@FunctionalInterface
public interface TextSampler {
  /**
   * @param prompt the text to continue
   * @param n continuations wanted
   * @param temperature sampling temperature
   * @param seed seeds this call
   * @return exactly {@code n} continuations (without the prompt)
   */
  List<String> sample(String prompt, int n, double temperature, long seed);
}
