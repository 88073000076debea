package dev.text2code.tokenizers.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.TextCodePair;
import dev.text2code.tokenizers.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PythonPairExtractorTest {
  @Test
  void extractsDocumentedFunctionsAndMethodsAndSkipsBrokenFiles() {
    Path root = Fixtures.resource("python");
    SkipReport skips = new SkipReport();
    List<TextCodePair> pairs = new ArrayList<>();
    try (PythonPairExtractor extractor = new PythonPairExtractor()) {
      extractor.extractTree(root, skips, pairs::add);
    }
    Map<String, TextCodePair> byName =
        pairs.stream().collect(Collectors.toMap(p -> p.id().replaceAll(".*:", ""), p -> p));
    assertEquals(
        java.util.Set.of(
            "Point.distance_to",
            "Point.scaled",
            "polygon_area",
            "centroid",
            "fetch_shape",
            "count_words",
            "title_case",
            "Counter.add",
            "Counter.merge"),
        byName.keySet());
    TextCodePair scaled = byName.get("Point.scaled");
    assertEquals("geometry.py:18:Point.scaled", scaled.id());
    assertEquals(
        "Return a copy of this point scaled by a factor.\n\nThe origin stays where it is.",
        scaled.text());
    assertEquals(
        "def scaled(self, factor):\n    return Point(self.x * factor, self.y * factor)\n",
        scaled.code());
    assertTrue(byName.get("fetch_shape").code().startsWith("async def fetch_shape(name):\n"));
    assertTrue(byName.get("Counter.merge").text().contains("\n\nIndented continuation lines"));
    // The broken file is a counted skip naming the file and line; the run went on.
    assertEquals(1, skips.skipped());
    assertTrue(skips.summary().contains("broken.py:1"), skips.summary());
    assertTrue(skips.summary().contains("unparsable Python file (SyntaxError"), skips.summary());
    assertEquals(9, skips.accepted());
  }
}
