package dev.text2code.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.text2code.api.ConfigurationException;
import dev.text2code.evaluation.PassAtK.Counts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PassAtKTest {

  @ParameterizedTest(name = "n={0} c={1} k={2}")
  @CsvSource({
    "1,0,1,0.0",
    "2,1,1,0.5",
    "2,1,2,1.0",
    "5,2,3,0.9",
    "10,3,5,0.9166666666666666",
    "20,5,1,0.25",
    "20,5,10,0.9837461300309598",
    "100,1,10,0.1",
    "200,10,1,0.05",
    "200,10,10,0.40854786608141713",
    "200,10,100,0.9992289739372822",
    "200,50,10,0.9479063705959571",
    "200,0,100,0.0"
  })
  void matchesExactRationalVectorsFromSources(int n, int c, int k, double expected) {
    assertEquals(expected, PassAtK.estimate(n, c, k), 1e-15);
  }

  @Test
  void largeNUsesStableProductAndAgreesWithExactForm() {
    // pass@1 is c/n; c = 5000 takes the floating point path, c = 4000 the exact one.
    assertEquals(0.05, PassAtK.estimate(100_000, 5000, 1), 1e-12);
    assertEquals(0.04, PassAtK.estimate(100_000, 4000, 1), 1e-15);
    double exact = PassAtK.estimate(1_000_000, PassAtK.EXACT_LIMIT, 100);
    double stable = 1.0;
    for (int i = 1_000_000 - PassAtK.EXACT_LIMIT + 1; i <= 1_000_000; i++) {
      stable *= 1.0 - 100.0 / i;
    }
    assertEquals(1.0 - stable, exact, 1e-12);
  }

  @Test
  void codeEvalCardExamples() {
    assertEquals(Map.of(1, 0.5, 2, 1.0), PassAtK.report(List.of(new Counts(2, 1)), List.of(1, 2)));
    assertEquals(Map.of(1, 1.0), PassAtK.report(List.of(new Counts(1, 1)), List.of(1)));
    assertEquals(Map.of(1, 0.0), PassAtK.report(List.of(new Counts(1, 0)), List.of(1)));
  }

  @Test
  void reportsOnlyKsThatEveryProblemSupports() {
    var report =
        PassAtK.report(List.of(new Counts(10, 3), new Counts(5, 5)), List.of(1, 5, 10, 100));
    assertEquals(List.of(1, 5), List.copyOf(report.keySet()));
    assertEquals((0.3 + 1.0) / 2, report.get(1), 1e-15);
  }

  @Test
  void rejectsImpossibleCountsWithNamedField() {
    var error = assertThrows(ConfigurationException.class, () -> new Counts(3, 4));
    assertEquals("correct = 4 is not valid; expected between 0 and samples", error.getMessage());
    assertThrows(ConfigurationException.class, () -> PassAtK.estimate(3, 1, 4));
  }
}
