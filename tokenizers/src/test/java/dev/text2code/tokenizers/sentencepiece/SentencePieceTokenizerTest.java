package dev.text2code.tokenizers.sentencepiece;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.api.TokenIds;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Parity with the C++ sentencepiece library (Debian python3-sentencepiece 0.1.97): the ids, pieces
 * and decodes it produced for 20 strings under four models (unigram and BPE, identity and nmt_nfkc
 * normalization, user-defined pieces, byte fallback), written by {@code regenerate.py}.
 */
class SentencePieceTokenizerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Case(
      String model, int number, String text, int[] ids, List<String> pieces, String decoded) {}

  static Path dir() throws URISyntaxException {
    return Path.of(
            SentencePieceTokenizerTest.class.getResource("/sentencepiece/expected.tsv").toURI())
        .getParent();
  }

  static List<Case> cases() throws Exception {
    List<Case> cases = new ArrayList<>();
    for (String line : Files.readAllLines(dir().resolve("expected.tsv"), StandardCharsets.UTF_8)) {
      String[] f = line.split("\t", -1);
      int[] ids =
          f[3].isEmpty()
              ? new int[0]
              : Arrays.stream(f[3].split(" ")).mapToInt(Integer::parseInt).toArray();
      cases.add(
          new Case(
              f[0],
              Integer.parseInt(f[1]),
              JSON.readValue(f[2], String.class),
              ids,
              JSON.readValue(f[4], new TypeReference<List<String>>() {}),
              JSON.readValue(f[5], String.class)));
    }
    return cases;
  }

  @Test
  void encodesAndDecodesExactlyAsSentencepiece() throws Exception {
    Map<String, SentencePieceTokenizer> tokenizers = new HashMap<>();
    List<String> failures = new ArrayList<>();
    List<Case> cases = cases();
    for (Case c : cases) {
      SentencePieceTokenizer t = tokenizers.computeIfAbsent(c.model(), m -> load(m));
      int[] ids = t.encode(c.text()).toArray();
      if (!Arrays.equals(ids, c.ids())) {
        failures.add(
            c.model()
                + " #"
                + c.number()
                + " "
                + JSON.valueToTree(c.text())
                + ": expected "
                + c.pieces()
                + " got "
                + t.encodeToPieces(c.text()));
        continue;
      }
      String decoded = t.decode(TokenIds.of(ids));
      if (!decoded.equals(c.decoded())) {
        failures.add(
            c.model()
                + " #"
                + c.number()
                + " decode: expected "
                + JSON.valueToTree(c.decoded())
                + " got "
                + JSON.valueToTree(decoded));
      }
    }
    assertEquals(80, cases.size());
    assertEquals(List.of(), failures);
  }

  private static SentencePieceTokenizer load(String model) {
    try {
      return SentencePieceTokenizer.load(dir().resolve(model + ".model"));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
