package dev.text2code.tokenizers.bpe;

import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.tokenizers.Fixtures;
import dev.text2code.tokenizers.SpecialTokens;
import dev.text2code.tokenizers.UnicodeStrings;
import dev.text2code.tokenizers.hf.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java encoder gives the Rust ids for the other pre-tokenizer and normaliser settings it
 * supports: GPT-2 style ByteLevel (its own regex, with and without a prefix space), an NFC
 * normaliser and ignore_merges, with special tokens mixed in.
 */
class PreTokenizerVariantsProperties {
  @TempDir Path dir;

  private Path variant(String name, String preTokenizer, String normalizer, boolean ignoreMerges)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(Fixtures.trainedTokenizer().toFile());
    root.set("pre_tokenizer", json.readTree(preTokenizer));
    root.set("normalizer", json.readTree(normalizer));
    ((ObjectNode) root.get("model")).put("ignore_merges", ignoreMerges);
    Path file = dir.resolve(name + ".json");
    json.writeValue(file.toFile(), root);
    return file;
  }

  private void assertSameIds(Path file) {
    var java = ByteLevelBpeTokenizer.load(file).withSpecialTokens(SpecialTokens.PAPER);
    var rust = HuggingFaceTokenizer.load(file).withSpecialTokens(SpecialTokens.PAPER);
    for (String source : Fixtures.pythonSources()) {
      if (!Arrays.equals(java.encodeToArray(source), rust.encodeToArray(source))) {
        throw new AssertionError(file.getFileName() + ": ids differ on a fixture file");
      }
    }
    qt().withExamples(300)
        .forAll(UnicodeStrings.definedStrings(40), UnicodeStrings.definedStrings(20))
        .check(
            (a, b) -> {
              String s = a + "<python>" + b;
              return Arrays.equals(java.encodeToArray(s), rust.encodeToArray(s));
            });
  }

  @Test
  void gpt2StyleByteLevelWithPrefixSpace() throws IOException {
    assertSameIds(
        variant(
            "gpt2-prefix",
            "{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":true,\"use_regex\":true}",
            "null",
            false));
  }

  @Test
  void gpt2StyleByteLevelWithoutPrefixSpace() throws IOException {
    assertSameIds(
        variant(
            "gpt2",
            "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":true}",
            "null",
            false));
  }

  @Test
  void nfcNormaliserAndIgnoreMerges() throws IOException {
    String pre =
        new ObjectMapper()
            .readTree(Fixtures.trainedTokenizer().toFile())
            .get("pre_tokenizer")
            .toString();
    assertSameIds(variant("nfc-ignore", pre, "{\"type\":\"NFC\"}", true));
  }
}
