package dev.text2code.data.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.TextCodePair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {
  private static final String MEAN =
      """
      def mean(values, weights=None):
          if not values:
              raise ValueError("mean of an empty list")
          if weights is None:
              weights = [1.0] * len(values)
          if len(weights) != len(values):
              raise ValueError("values and weights differ in length")
          total = 0.0
          weight_sum = 0.0
          for value, weight in zip(values, weights):
              total += value * weight
              weight_sum += weight
          return total / weight_sum
      """;
  // MEAN with one identifier renamed in one place: most shingles survive.
  private static final String MEAN_RENAMED = MEAN.replace("an empty list", "an empty sequence");
  private static final String REVERSE =
      """
      def reverse_words(sentence):
          words = sentence.split()
          words.reverse()
          return " ".join(words)
      """;

  private static TextCodePair pair(String id, String text, String code) {
    return TextCodePair.python(id, text, code);
  }

  private static List<String> ids(List<TextCodePair> pairs) {
    return pairs.stream().map(TextCodePair::id).toList();
  }

  @Test
  void exactDuplicatesDifferingOnlyInWhitespaceAreRemovedAndTheFirstIsKept() {
    List<TextCodePair> pairs =
        List.of(
            pair("a", "Mean of values.", MEAN),
            pair("b", "Reverse the words.", REVERSE),
            pair("c", "  Mean   of\nvalues. ", MEAN.replace("\n", "   \r\n") + "\n\n"));
    var result = Deduplicator.deduplicate(pairs, DedupOptions.defaults().withMode(true, false));
    assertEquals(List.of("a", "b"), ids(result.kept()));
    assertEquals(1, result.summary().exactDuplicates());
    assertEquals(0, result.summary().nearDuplicates());
    assertEquals(
        List.of(new DedupSummary.Example("c", "a", "exact", 1.0)), result.summary().examples());
  }

  @Test
  void aDifferentDescriptionIsNotAnExactDuplicateButTheSameCodeIsANearOne() {
    List<TextCodePair> pairs =
        List.of(pair("a", "Mean of values.", MEAN), pair("b", "Average.", MEAN));
    assertEquals(
        2,
        Deduplicator.deduplicate(pairs, DedupOptions.defaults().withMode(true, false))
            .kept()
            .size());
    var near = Deduplicator.deduplicate(pairs, DedupOptions.defaults());
    assertEquals(List.of("a"), ids(near.kept()));
    assertEquals(1, near.summary().nearDuplicates());
  }

  @Test
  void aNearDuplicateAboveTheThresholdIsRemovedAndUnrelatedCodeKept() {
    double jaccard = MinHash.jaccard(MEAN, MEAN_RENAMED, 5);
    assertTrue(jaccard > 0.85 && jaccard < 1, "the fixture's true Jaccard is " + jaccard);
    List<TextCodePair> pairs =
        List.of(
            pair("a", "Mean.", MEAN),
            pair("b", "Reverse.", REVERSE),
            pair("c", "Mean again.", MEAN_RENAMED));
    var result = Deduplicator.deduplicate(pairs, DedupOptions.defaults());
    assertEquals(List.of("a", "b"), ids(result.kept()));
    DedupSummary.Example example = result.summary().examples().get(0);
    assertEquals("c", example.removedId());
    assertEquals("a", example.keptId());
    assertEquals("near", example.kind());
  }

  @Test
  void theThresholdIsHonoured() {
    List<TextCodePair> pairs = List.of(pair("a", "Mean.", MEAN), pair("c", "Mean.", MEAN_RENAMED));
    DedupOptions strict = new DedupOptions(true, true, 0.99, 5, 128, 16, 42, 20);
    assertEquals(2, Deduplicator.deduplicate(pairs, strict).kept().size());
  }

  @Test
  void whichMemberIsKeptFollowsInputOrder() {
    List<TextCodePair> forward = List.of(pair("a", "x", MEAN), pair("c", "y", MEAN_RENAMED));
    List<TextCodePair> backward = new ArrayList<>(forward);
    java.util.Collections.reverse(backward);
    assertEquals(
        List.of("a"), ids(Deduplicator.deduplicate(forward, DedupOptions.defaults()).kept()));
    assertEquals(
        List.of("c"), ids(Deduplicator.deduplicate(backward, DedupOptions.defaults()).kept()));
  }

  @Test
  void badOptionsNameTheFieldAndWhatIsValid() {
    var e =
        assertThrows(
            ConfigurationException.class,
            () -> new DedupOptions(true, true, 0.85, 5, 128, 10, 42, 20));
    assertTrue(e.getMessage().contains("bands"), e.getMessage());
    assertTrue(e.getMessage().contains("divisor of permutations"), e.getMessage());
    assertThrows(
        ConfigurationException.class, () -> new DedupOptions(true, true, 1.5, 5, 128, 16, 42, 20));
  }
}
