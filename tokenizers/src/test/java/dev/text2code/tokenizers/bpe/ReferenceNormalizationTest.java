package dev.text2code.tokenizers.bpe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.tokenizers.Fixtures;
import dev.text2code.tokenizers.SpecialTokens;
import dev.text2code.tokenizers.hf.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java encoder's normalisers give the Rust library's ids around every code point that takes
 * part in normalisation: each combining mark and each code point with a canonical or compatibility
 * decomposition this JDK knows, after a base letter, before and after marks of classes 230 and 220,
 * alone, and decomposed.
 */
class ReferenceNormalizationTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"NFC", "NFD", "NFKC", "NFKD"})
  void everyNormalisingCodePointGivesTheRustIds(String form) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(Fixtures.trainedTokenizer().toFile());
    root.set("normalizer", json.readTree("{\"type\":\"" + form + "\"}"));
    Path file = dir.resolve(form + ".json");
    json.writeValue(file.toFile(), root);
    var ours = ByteLevelBpeTokenizer.load(file).withSpecialTokens(SpecialTokens.PAPER);
    var rust = HuggingFaceTokenizer.load(file).withSpecialTokens(SpecialTokens.PAPER);
    List<String> differing = new ArrayList<>();
    int probed = 0;
    for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
      if (!Character.isDefined(c)
          || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
        continue;
      }
      String m = Character.toString(c);
      int type = Character.getType(c);
      boolean mark =
          type == Character.NON_SPACING_MARK
              || type == Character.COMBINING_SPACING_MARK
              || type == Character.ENCLOSING_MARK;
      String nfkd = Normalizer.normalize(m, Normalizer.Form.NFKD);
      if (!mark && nfkd.equals(m)) continue;
      probed++;
      String nfd = Normalizer.normalize(m, Normalizer.Form.NFD);
      for (String s :
          List.of(
              "a\u0301" + m, "a" + m + "\u0301", "a\u0316" + m, "a" + m + "\u0316", m, nfd, nfkd)) {
        if (!Arrays.equals(ours.encodeToArray(s), rust.encodeToArray(s))) {
          differing.add(
              String.format(
                  "U+%04X in %s", c, s.codePoints().mapToObj(Integer::toHexString).toList()));
          break;
        }
      }
    }
    assertNotEquals(0, probed);
    assertEquals(
        List.of(), differing, form + ": code points whose ids differ from the Rust library's");
  }
}
