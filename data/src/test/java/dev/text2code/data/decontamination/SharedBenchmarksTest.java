package dev.text2code.data.decontamination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.text2code.api.TextCodePair;
import dev.text2code.evaluation.problems.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Plants real benchmark problems in a corpus: each is removed under its task id, nothing else. */
class SharedBenchmarksTest {
  private static final List<String> ALL =
      List.of("humaneval", "humaneval-plus", "mbpp", "pandaseval", "numpyeval");

  @Test
  void plantedBenchmarkSolutionsAreRemovedUnderTheirTaskIds() {
    Path data = Path.of(System.getProperty("t2c.shared.data", "../shared/data"));
    assumeTrue(
        Files.isRegularFile(data.resolve("humaneval/HumanEval.jsonl.gz")),
        "the shared benchmark data is not at " + data.toAbsolutePath());
    Decontaminator d = Decontaminator.load(new DecontaminationOptions(ALL, 10, true, 1000), data);
    List<TextCodePair> corpus = new ArrayList<>(CleanCorpus.PAIRS);
    Map<String, Set<String>> planted = new java.util.LinkedHashMap<>();
    for (String name : ALL) {
      Map<String, Problem> problems =
          name.equals("humaneval-plus")
              ? dev.text2code.evaluation.problems.HumanEval.load(
                  data.resolve(Decontaminator.EXTRA.get(name)))
              : dev.text2code.evaluation.problems.Benchmarks.load(name, data);
      List<Problem> list = new ArrayList<>(problems.values());
      Set<String> ids = new HashSet<>();
      for (int i : new int[] {0, list.size() / 2, list.size() - 1}) {
        Problem p = list.get(i);
        ids.add(p.taskId());
        // A training pair that is the problem's prompt and solution, reformatted: tabs for
        // spaces, as a scraper copying it from a listing might have it.
        corpus.add(
            TextCodePair.python(
                name + ":" + p.taskId(),
                "Solution from a blog.",
                (p.prompt() + p.canonicalSolution()).replace("    ", "\t")));
      }
      planted.put(name, ids);
    }
    List<TextCodePair> kept = d.filter(corpus);
    assertEquals(CleanCorpus.PAIRS, kept, "exactly the clean pairs survive");
    DecontaminationSummary summary = d.summary();
    for (DecontaminationSummary.Benchmark b : summary.benchmarks()) {
      assertTrue(
          b.taskIds().containsAll(planted.get(b.name())),
          b.name() + " lists " + b.taskIds() + ", expected " + planted.get(b.name()));
      assertTrue(b.problems() > 0);
    }
  }
}
