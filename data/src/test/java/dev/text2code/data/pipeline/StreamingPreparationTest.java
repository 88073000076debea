package dev.text2code.data.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.Modality;
import dev.text2code.api.Settings;
import dev.text2code.api.TextCodePair;
import dev.text2code.api.TokenSequence;
import dev.text2code.data.CorpusHygiene;
import dev.text2code.data.report.DataReport;
import dev.text2code.objectives.causal.CausalLanguageModel;
import dev.text2code.objectives.packing.PackingOptions;
import dev.text2code.objectives.prepare.DataPreparer;
import dev.text2code.objectives.prepare.PreparationConfig;
import dev.text2code.tokenizers.corpus.SkipReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingPreparationTest {
  @TempDir Path dir;

  /** Text then code, one token per character (ids below 128), code marked as code. */
  private static final Function<TextCodePair, TokenSequence> ENCODE =
      p -> {
        if (p.code().contains("REJECT")) {
          throw new InvalidInputException("pair " + p.id() + ": rejected by the layout");
        }
        String s = p.text() + "\n" + p.code();
        int[] ids = s.chars().map(c -> 1 + c % 127).toArray();
        byte[] modalities = new byte[ids.length];
        for (int i = p.text().length() + 1; i < ids.length; i++)
          modalities[i] = Modality.CODE.code();
        return TokenSequence.of(ids, modalities, -1);
      };

  private static PreparationConfig config(Path out) {
    return new PreparationConfig(
        out, 11, 0, new PackingOptions(96, 0, PackingOptions.Overflow.DROP), 4, "chars", "chars");
  }

  private Path corpus() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      String code = "def f" + i + "(x):\n    return x * " + i + " + " + (i % 7) + "\n";
      lines.add(json.writeValueAsString(Map.of("docstring", "Function " + i + ".", "code", code)));
      if (i % 9 == 0)
        lines.add(
            json.writeValueAsString(Map.of("docstring", "Function " + i + ".", "code", code)));
      if (i % 25 == 0)
        lines.add(json.writeValueAsString(Map.of("docstring", "Bad.", "code", "REJECT")));
      if (i % 30 == 0) lines.add("{not json");
    }
    Path file = dir.resolve("pairs.jsonl");
    Files.write(file, lines);
    return file;
  }

  @Test
  void writesTheSameShardsAsPreparingTheCleanedListAndReportsWhatItRemoved() throws Exception {
    Path file = corpus();
    CorpusHygiene hygiene =
        CorpusHygiene.fromSettings(Settings.of(Map.of("data.dedup.mode", "exact")));
    SkipReport skips = new SkipReport();
    var result =
        StreamingPreparation.prepare(
            () -> PairSource.stream(file, "python3", skips),
            ENCODE,
            new CausalLanguageModel(),
            config(dir.resolve("stream/train")),
            config(dir.resolve("stream/held-out")),
            0.2,
            hygiene,
            dir.resolve("stream"));
    // The same pipeline over an in-memory list.
    List<TextCodePair> all = new ArrayList<>();
    try (Stream<TextCodePair> s = PairSource.stream(file, "python3", new SkipReport())) {
      s.forEach(all::add);
    }
    List<TextCodePair> kept = hygiene.apply(all).kept();
    for (boolean heldOut : new boolean[] {false, true}) {
      List<TokenSequence> sequences = new ArrayList<>();
      for (TextCodePair p : kept) {
        if (HeldOutSplit.isHeldOut(p, 0.2) != heldOut) continue;
        try {
          sequences.add(ENCODE.apply(p));
        } catch (InvalidInputException e) {
          // rejected
        }
      }
      String split = heldOut ? "held-out" : "train";
      DataPreparer.prepare(
          config(dir.resolve("list/" + split)), new CausalLanguageModel(), sequences.iterator());
      for (String name : files(dir.resolve("list/" + split))) {
        assertArrayEquals(
            Files.readAllBytes(dir.resolve("list/" + split).resolve(name)),
            Files.readAllBytes(dir.resolve("stream/" + split).resolve(name)),
            split + "/" + name);
      }
    }
    DataReport report = DataReport.read(dir.resolve("stream").resolve(DataReport.JSON_FILE));
    assertEquals(all.size(), report.pairsRead());
    assertEquals(
        14 + 4, report.dedup().exactDuplicates(), "14 copies (i % 9 == 0), 4 repeated REJECTs");
    assertEquals(1, report.pairsRejected().size(), "one rejected pair after deduplication");
    assertEquals(
        kept.size() - 1,
        report.lengths().get("example-tokens").count(),
        "every other pair encoded");
    assertTrue(report.splits().get(0).rows() > 0 && report.splits().get(1).rows() > 0);
    assertEquals(result.train().rows(), report.splits().get(0).rows());
    assertEquals(4, skips.skipped() / 2, "the bad JSON lines, counted once per pass");
  }

  private static List<String> files(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
