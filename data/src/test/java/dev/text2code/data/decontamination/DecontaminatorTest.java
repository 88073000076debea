package dev.text2code.data.decontamination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.TextCodePair;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecontaminatorTest {
  private static Path toyBenchmark() throws URISyntaxException {
    return Path.of(DecontaminatorTest.class.getResource("/toy-benchmark.jsonl").toURI());
  }

  private static Decontaminator toy(int ngram, boolean docstrings) throws Exception {
    return Decontaminator.load(
        new DecontaminationOptions(List.of(toyBenchmark().toString()), ngram, docstrings, 20),
        Path.of("no-data-directory-needed"));
  }

  /** A solution copied into a training pair, a reindented prompt + solution, a copied docstring. */
  private static final List<TextCodePair> PLANTED =
      List.of(
          TextCodePair.python(
              "planted-solution",
              "Count vowels.",
              "def vowels(word):\n    return sum(1 for letter in word if letter in 'aeiou')\n"),
          TextCodePair.python(
              "planted-docstring",
              "Alternate the items of two lists of   equal length,\n starting with the first.\n"
                  + ">>> interleave([1, 3], [2, 4])\n[1, 2, 3, 4]",
              "def weave(a, b):\n    return [x for pair in zip(a, b) for x in pair]\n"),
          TextCodePair.python(
              "planted-prompt",
              "Palindromes.",
              "def is_palindrome_number(n: int) -> bool:\n  digits = str(n)\n  return digits =="
                  + " digits[::-1]\n"));

  @Test
  void everyPlantedPairIsRemovedAndNothingElse() throws Exception {
    List<TextCodePair> corpus = new ArrayList<>(CleanCorpus.PAIRS);
    corpus.add(2, PLANTED.get(0));
    corpus.add(5, PLANTED.get(1));
    corpus.add(PLANTED.get(2));
    Decontaminator d = toy(10, true);
    List<TextCodePair> kept = d.filter(corpus);
    assertEquals(CleanCorpus.PAIRS, kept);
    DecontaminationSummary summary = d.summary();
    assertEquals(corpus.size(), summary.pairsIn());
    assertEquals(3, summary.pairsRemoved());
    DecontaminationSummary.Benchmark toy = summary.benchmarks().get(0);
    assertEquals(3, toy.problems());
    assertEquals(3, toy.pairsRemoved());
    assertEquals(List.of("Toy/0", "Toy/1", "Toy/2"), toy.taskIds());
    assertEquals(
        List.of(
            new DecontaminationSummary.Hit("planted-solution", "Toy/0", "ngram"),
            new DecontaminationSummary.Hit("planted-docstring", "Toy/1", "docstring"),
            new DecontaminationSummary.Hit("planted-prompt", "Toy/2", "ngram")),
        toy.examples());
  }

  @Test
  void theNgramLengthAndTheDocstringCheckAreHonoured() throws Exception {
    // The planted solution shares 15 tokens with Toy/0 ("return sum ( ... )"); 16 do not match.
    assertTrue(!toy(15, false).offer(PLANTED.get(0)));
    assertTrue(toy(16, false).offer(PLANTED.get(0)));
    // The copied docstring is under 60 tokens: no 80-gram overlap, only the docstring check finds
    // it.
    assertTrue(toy(80, false).offer(PLANTED.get(1)), "docstring check off");
    assertTrue(!toy(80, true).offer(PLANTED.get(1)));
  }

  @Test
  void docstringsAreTheFirstTripleQuotedString() {
    assertEquals(
        "Say hi. >>> hi()",
        Decontaminator.docstring("def hi():\n    '''Say hi.\n    >>> hi()\n    '''\n"));
    assertEquals("", Decontaminator.docstring("# no docstring\ndef f(): pass\n"));
  }

  @Test
  void anUnknownBenchmarkNamesTheValidChoices() {
    var e =
        assertThrows(
            ConfigurationException.class,
            () ->
                Decontaminator.load(
                    new DecontaminationOptions(List.of("humaneval-9000"), 10, true, 20),
                    Path.of("nowhere")));
    assertTrue(e.getMessage().contains("humaneval-9000"), e.getMessage());
    assertTrue(e.getMessage().contains("mbpp"), e.getMessage());
  }
}
