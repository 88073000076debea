package dev.text2code.evaluation;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;

class PassAtKProperties {

  @Test
  void isAProbabilityThatGrowsWithCorrectSamplesAndWithK() {
    // c and k are drawn as fractions (per mille) of n, so every draw is valid
    qt().forAll(
            integers().between(1, 300), integers().between(0, 1000), integers().between(0, 1000))
        .check(
            (n, cPerMille, kPerMille) -> {
              int c = n * cPerMille / 1000;
              int k = Math.max(1, n * kPerMille / 1000);
              double value = PassAtK.estimate(n, c, k);
              boolean inRange = value >= 0 && value <= 1;
              boolean moreCorrect = c == n || PassAtK.estimate(n, c + 1, k) >= value - 1e-12;
              boolean largerK = k == n || PassAtK.estimate(n, c, k + 1) >= value - 1e-12;
              boolean passAt1 = k != 1 || Math.abs(value - (double) c / n) < 1e-12;
              return inRange && moreCorrect && largerK && passAt1;
            });
  }

  @Test
  void exactAndStableFormsAgree() {
    qt().forAll(
            integers().between(60, 5000), integers().between(0, 1000), integers().between(1, 50))
        .check(
            (n, cPerMille, k) -> {
              int c = (n - k) * cPerMille / 1000; // keeps n - c >= k
              double stable = 1.0;
              for (int i = n - c + 1; i <= n; i++) {
                stable *= 1.0 - (double) k / i;
              }
              return Math.abs(PassAtK.estimate(n, c, k) - (1.0 - stable)) < 1e-9;
            });
  }
}
