package dev.text2code.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.TextCodePair;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorpusHygieneTest {
  private static Settings settings(Map<String, String> values) {
    return Settings.of(values);
  }

  @Test
  void decontaminatesThenDeduplicatesKeepingInputOrder() throws Exception {
    String benchmark =
        Path.of(CorpusHygieneTest.class.getResource("/toy-benchmark.jsonl").toURI()).toString();
    CorpusHygiene hygiene =
        CorpusHygiene.fromSettings(
            settings(
                Map.of("data.dedup.mode", "near", "data.decontamination.benchmarks", benchmark)));
    String solution =
        "def vowels(word):\n    return sum(1 for letter in word if letter in 'aeiou')\n";
    String clean = "def double(x):\n    return [2 * value for value in x if value is not None]\n";
    List<TextCodePair> pairs =
        List.of(
            TextCodePair.python("leak", "Count vowels.", solution),
            TextCodePair.python("keep", "Double.", clean),
            TextCodePair.python("leak-again", "Vowels.", solution),
            TextCodePair.python("dup", "Double.", clean + "\n\n"));
    CorpusHygiene.Result r = hygiene.apply(pairs);
    assertEquals(List.of("keep"), r.kept().stream().map(TextCodePair::id).toList());
    assertEquals(2, r.decontamination().pairsRemoved());
    assertEquals(List.of("Toy/0"), r.decontamination().benchmarks().get(0).taskIds());
    assertEquals(1, r.dedup().exactDuplicates());
    assertEquals(2, r.dedup().pairsIn());
  }

  @Test
  void offByDefaultAndBadValuesNameTheKey() {
    CorpusHygiene.Result r =
        CorpusHygiene.fromSettings(Settings.empty())
            .apply(
                List.of(
                    TextCodePair.python("a", "A.", "x = 1"),
                    TextCodePair.python("b", "A.", "x = 1")));
    assertEquals(2, r.kept().size());
    var e =
        assertThrows(
            ConfigurationException.class,
            () -> CorpusHygiene.fromSettings(settings(Map.of("data.dedup.mode", "fuzzy"))));
    assertTrue(e.getMessage().contains("data.dedup.mode = fuzzy"), e.getMessage());
    assertTrue(e.getMessage().contains("none, exact or near"), e.getMessage());
  }
}
