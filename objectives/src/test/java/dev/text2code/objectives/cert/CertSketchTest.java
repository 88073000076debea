package dev.text2code.objectives.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.Modality;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenIds;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.Sequences;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertSketchTest {
  private static PythonSketcher sketcher;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(
        PythonSketcher.available("python3"), "python3 is not installed; CERT sketching needs it");
    sketcher = new PythonSketcher("python3");
  }

  @AfterAll
  static void stop() {
    if (sketcher != null) sketcher.close();
  }

  private static Sketch sketch(String code) {
    return sketcher.sketch(code).sketch().orElseThrow();
  }

  @Test
  void anonymisesLiteralsAndDefinitionNamesButKeepsDocstringsAndOtherNames() {
    String code =
        "import pandas as pd\n"
            + "def top_rows(df, n=5, scale=2.5):\n"
            + "    \"\"\"Return the first 'n' rows, 42 of them.\"\"\"\n"
            + "    mask = df[df['a'] > 3]\n"
            + "    big = 1e5 + 2j + 0x1F + 0o17\n"
            + "    return mask.head(n), f\"{n} rows\", r'\\d+', b'raw', u'text', rb'x'\n"
            + "class Frame(object):\n"
            + "    pass\n";
    String s = sketch(code).sketch();
    assertTrue(s.contains("def func(df, n=number, scale=float):"), s);
    assertTrue(
        s.contains("\"\"\"Return the first 'n' rows, 42 of them.\"\"\""), "docstring kept: " + s);
    assertTrue(s.contains("mask = df[df[string] > number]"), s);
    assertTrue(s.contains("big = floatexponant + complex + 0x1F + 0o17"), "hex/octal stay: " + s);
    assertTrue(
        s.contains(
            "return mask.head(n), interstring, rawstring, binarystring, unicodestring, rb'x'"),
        s);
    assertTrue(s.contains("class AnClass(object):"), s);
    assertTrue(s.contains("import pandas as pd"), s);
  }

  @Test
  void stringsInsideCommentsAndNamesThatLookLikeLiteralsAreLeftAlone() {
    String s = sketch("x1 = 'a'  # the 'quoted' 7\ndefault = 3\nclassy = def_ = 4\n").sketch();
    assertEquals("x1 = string  # the 'quoted' 7\ndefault = number\nclassy = def_ = number\n", s);
  }

  @Test
  void invalidPythonIsReportedWithItsLine() {
    SketchResult r = sketcher.sketch("def f(:\n    pass\n");
    assertFalse(r.parsed());
    assertEquals(1, r.line());
    assertTrue(r.error().startsWith("SyntaxError"), r.error());
  }

  @Test
  void normalisationPutsTwoBlankLinesBetweenTopLevelDefinitions() {
    Sketch s =
        sketch(
            "import os\ndef a():\n\n\n\n    return 1\n# about b\ndef b():\n    return 2\nx = a()   \n");
    assertEquals(
        "import os\n\n\ndef a():\n\n    return 1\n\n\n# about b\ndef b():\n    return 2\n\n\nx = a()\n",
        s.normalisedCode());
  }

  @Test
  void generatorCorpusPairsEachBlockWithItsSketch() {
    Sketch s =
        sketch(
            "import os\nimport sys\ndef add(a):\n    return a + 1\nif __name__ == '__main__':\n    add(2)\n");
    String text = CertCorpus.generatorText(s).orElseThrow();
    String[] blocks = text.split("\n\n\n");
    assertEquals(3, blocks.length, text);
    assertEquals("import os\nimport sys", blocks[0], "import blocks are kept alone");
    assertEquals(
        "def func(a):\n    return a + number\n# [segmentation]\ndef add(a):\n    return a + 1",
        blocks[1]);
    assertTrue(blocks[2].startsWith("if __name__"), "__name__ blocks are kept alone");
    assertFalse(blocks[2].contains("# [segmentation]"));
  }

  @Test
  void corpusTextsComeInBatchesWithSkipsMarked() {
    List<CertCorpus.Texts> texts =
        CertCorpus.texts(List.of("x = 1\n", "def (:\n", "def f():\n    return 'a'\n"), sketcher);
    assertEquals("x = number\n", texts.get(0).sketcherText().orElseThrow());
    assertTrue(texts.get(1).sketcherText().isEmpty());
    assertTrue(texts.get(1).generatorText().isEmpty());
    assertEquals(
        // The last block keeps the file's final newline, as in CERT.
        "def func():\n    return string\n\n# [segmentation]\ndef f():\n    return 'a'\n",
        texts.get(2).generatorText().orElseThrow());
  }

  @Test
  void blockCountMismatchSkipsTheFile() {
    Sketch odd = new Sketch("a = 1\n\n\nb = 2\n", "a = number\n");
    assertTrue(CertCorpus.generatorText(odd).isEmpty());
  }

  @Test
  void batchesKeepTheirOrder() {
    List<String> files = new ArrayList<>();
    for (int i = 0; i < 300; i++) files.add(i % 50 == 0 ? "def (:\n" : "v" + i + " = " + i + "\n");
    List<SketchResult> results = sketcher.sketchAll(files);
    assertEquals(300, results.size());
    for (int i = 0; i < 300; i++) {
      if (i % 50 == 0) assertFalse(results.get(i).parsed());
      else assertEquals("v" + i + " = number\n", results.get(i).sketch().orElseThrow().sketch());
    }
  }

  @Test
  void sketcherObjectiveFramesTheSketchWithEos() {
    CertObjectives objective = CertObjectives.sketcher(Sequences.TOKENIZER, Settings.empty());
    try {
      int[] ids = Sequences.TOKENIZER.encode("def f(x):\n    return x * 2\n").toArray();
      TrainingExample e =
          objective.apply(TokenSequence.uniform(ids, Modality.CODE), new SplittableRandom(1));
      int[] out = e.inputIds();
      assertEquals(Sequences.EOT, out[0], "bos := eos when no bos token is configured");
      assertEquals(Sequences.EOT, out[out.length - 1]);
      assertEquals(
          "def func(x):\n    return x * number\n",
          Sequences.TOKENIZER.decode(TokenIds.of(out).slice(1, out.length - 1)));
      assertEquals(out.length - 1, e.labelledCount());
      int[] bad = Sequences.TOKENIZER.encode("def (:\n").toArray();
      InvalidInputException x =
          assertThrows(
              InvalidInputException.class,
              () ->
                  objective.apply(
                      TokenSequence.uniform(bad, Modality.CODE), new SplittableRandom(1)));
      assertTrue(x.getMessage().contains("line 1"), x.getMessage());
    } finally {
      objective.sketcher().close();
    }
  }
}
