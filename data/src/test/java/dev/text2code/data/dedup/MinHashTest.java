package dev.text2code.data.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MinHashTest {
  @Test
  void knownJaccardCases() {
    // Unigrams {a, b, c, d} and {a, b, c, e}: 3 shared of 5.
    assertEquals(0.6, MinHash.jaccard("a b c d", "a b c e", 1), 1e-12);
    // Bigrams {ab, bc, cd} and {ab, bc, ce}: 2 shared of 4.
    assertEquals(0.5, MinHash.jaccard("a b c d", "a b c e", 2), 1e-12);
    // Disjoint and identical sets.
    assertEquals(0.0, MinHash.jaccard("x = 1", "y + 2", 1), 1e-12);
    assertEquals(1.0, MinHash.jaccard("f(x)", "f( x )", 2), 1e-12);
    // Whitespace and line breaks only separate tokens.
    assertEquals(1.0, MinHash.jaccard("return a+b", "return   a\n+ b", 3), 1e-12);
  }

  @Test
  void signaturesAreStableAcrossInstancesAndSeedsChangeThem() {
    String code = "def f(x):\n    return [y * 2 for y in x if y]\n";
    DedupOptions options = DedupOptions.defaults();
    assertArrayEquals(new MinHash(options).signature(code), new MinHash(options).signature(code));
    DedupOptions other = new DedupOptions(true, true, 0.85, 5, 128, 16, 7, 20);
    assertEquals(
        1.0,
        MinHash.similarity(
            new MinHash(options).signature(code), new MinHash(options).signature(code)));
    org.junit.jupiter.api.Assertions.assertFalse(
        java.util.Arrays.equals(
            new MinHash(options).signature(code), new MinHash(other).signature(code)));
  }
}
