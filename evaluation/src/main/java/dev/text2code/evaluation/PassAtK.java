package dev.text2code.evaluation;

import dev.text2code.api.ConfigurationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The unbiased pass@k estimator of Chen et al. (2021): for one problem with {@code n} samples of
 * which {@code c} pass, {@code 1 - C(n-c, k) / C(n, k)}, and 1 when {@code n - c < k}.
 *
 * <p>The binomials are never formed: their ratio is {@code prod_{i=n-c+1}^{n} (i - k) / i}. Up to
 * {@link #EXACT_LIMIT} factors the product is computed exactly in rational arithmetic and rounded
 * once (so {@code n=2, c=1, k=1} gives exactly 0.5); beyond that the numerically stable floating
 * point product {@code prod (1 - k / i)} is used, whose relative error grows only linearly in c.
 */
public final class PassAtK {
  /** Largest number of product factors evaluated in exact rational arithmetic. */
  public static final int EXACT_LIMIT = 4096;

  private PassAtK() {}

  /** One problem's outcome: {@code samples} attempts, {@code correct} of them passed. */
  public record Counts(int samples, int correct) {
    public Counts {
      ConfigurationException.require(samples >= 1, "samples", samples, "at least 1");
      ConfigurationException.require(
          correct >= 0 && correct <= samples, "correct", correct, "between 0 and samples");
    }
  }

  /** pass@k for one problem; {@code k} must be between 1 and {@code n}. */
  public static double estimate(int n, int c, int k) {
    new Counts(n, c);
    ConfigurationException.require(k >= 1 && k <= n, "k", k, "between 1 and n = " + n);
    if (n - c < k) {
      return 1.0;
    }
    if (c == 0) {
      return 0.0;
    }
    if (c <= EXACT_LIMIT) {
      BigInteger numerator = BigInteger.ONE;
      BigInteger denominator = BigInteger.ONE;
      for (int i = n - c + 1; i <= n; i++) {
        numerator = numerator.multiply(BigInteger.valueOf(i - k));
        denominator = denominator.multiply(BigInteger.valueOf(i));
      }
      // 1 - num/den = (den - num) / den, rounded once to double precision.
      BigDecimal ratio =
          new BigDecimal(denominator.subtract(numerator))
              .divide(new BigDecimal(denominator), MathContext.DECIMAL128);
      return ratio.doubleValue();
    }
    double keepFailing = 1.0;
    for (int i = n - c + 1; i <= n; i++) {
      keepFailing *= 1.0 - (double) k / i;
    }
    return 1.0 - keepFailing;
  }

  /** Mean pass@k over problems. */
  public static double mean(Collection<Counts> problems, int k) {
    ConfigurationException.require(!problems.isEmpty(), "problems", "[]", "at least one problem");
    double sum = 0;
    for (Counts counts : problems) {
      sum += estimate(counts.samples(), counts.correct(), k);
    }
    return sum / problems.size();
  }

  /**
   * pass@k for every requested k that every problem supports ({@code n >= k}); the others are left
   * out, as in the reference implementation. Keys are sorted.
   */
  public static SortedMap<Integer, Double> report(Collection<Counts> problems, List<Integer> ks) {
    ConfigurationException.require(!problems.isEmpty(), "problems", "[]", "at least one problem");
    int minSamples = problems.stream().mapToInt(Counts::samples).min().orElseThrow();
    SortedMap<Integer, Double> result = new TreeMap<>();
    for (int k : ks) {
      ConfigurationException.require(k >= 1, "k", k, "a positive integer");
      if (k <= minSamples) {
        result.put(k, mean(problems, k));
      }
    }
    return result;
  }

  /** Convenience overload keyed by task id. */
  public static SortedMap<Integer, Double> report(Map<String, Counts> problems, List<Integer> ks) {
    return report(problems.values(), ks);
  }
}
