package dev.text2code.data.dedup;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.text2code.api.TextCodePair;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MinHashProperties {
  /** Code of 3..60 tokens drawn from a 12-word vocabulary, so sets overlap often. */
  private static String code(List<Integer> words) {
    return words.stream().map(w -> "w" + w).collect(Collectors.joining(" "));
  }

  @Test
  void theSignatureEstimatesTheJaccardSimilarity() {
    MinHash minHash = new MinHash(new DedupOptions(true, true, 0.85, 1, 128, 16, 42, 20));
    qt().withExamples(200)
        .forAll(
            lists().of(integers().between(0, 11)).ofSizeBetween(3, 60),
            lists().of(integers().between(0, 11)).ofSizeBetween(3, 60))
        .check(
            (a, b) -> {
              double exact = MinHash.jaccard(code(a), code(b), 1);
              double estimate =
                  MinHash.similarity(minHash.signature(code(a)), minHash.signature(code(b)));
              // 128 permutations: the standard deviation is at most 0.045; 0.25 is > 5 sigma.
              return Math.abs(exact - estimate) <= 0.25;
            });
  }

  @Test
  void deduplicationKeepsASubsequenceAndIsIdempotent() {
    qt().withExamples(100)
        .forAll(
            lists()
                .of(lists().of(integers().between(0, 5)).ofSizeBetween(1, 12))
                .ofSizeBetween(0, 20))
        .check(
            codes -> {
              List<TextCodePair> pairs = new ArrayList<>();
              for (int i = 0; i < codes.size(); i++) {
                pairs.add(TextCodePair.python("p" + i, "t" + (i % 3), code(codes.get(i))));
              }
              DedupOptions options = DedupOptions.defaults();
              List<TextCodePair> once = Deduplicator.deduplicate(pairs, options).kept();
              List<TextCodePair> twice = Deduplicator.deduplicate(once, options).kept();
              int j = 0;
              for (TextCodePair p : pairs) if (j < once.size() && once.get(j) == p) j++;
              return j == once.size() && twice.equals(once) && (pairs.isEmpty() || !once.isEmpty());
            });
  }
}
