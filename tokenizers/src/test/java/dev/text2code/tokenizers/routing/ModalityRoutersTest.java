package dev.text2code.tokenizers.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.CheckpointException;
import dev.text2code.api.IdentityRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.TokenIds;
import dev.text2code.api.Tokenizer;
import dev.text2code.tokenizers.Fixtures;
import dev.text2code.tokenizers.SpecialTokens;
import dev.text2code.tokenizers.bpe.ByteLevelBpeTokenizer;
import dev.text2code.tokenizers.tiktoken.TiktokenTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModalityRoutersTest {
  private final Tokenizer small =
      ByteLevelBpeTokenizer.load(Fixtures.trainedTokenizer())
          .withSpecialTokens(SpecialTokens.PAPER);
  private final Tokenizer p50k = TiktokenTokenizer.open("p50k_base");

  @Test
  void extensionFollowsThePapersAlgorithm() {
    int a = small.idOf("a").orElseThrow();
    int b = small.idOf("b").orElseThrow();
    int v = small.vocabularySize();
    ReplicatingRouter r =
        ModalityRouters.replicate(
            small, Separation.PARTIAL, List.of("zz~", "b", "a", "<python>", "a"));
    // sorted(set(...)) = a, b, zz~ ; <python> is special and skipped
    assertEquals(Map.of(a, v, b, v + 1, v + 2, v + 3), r.replicatedRows());
    assertEquals(
        Map.of(v, "[_DUP_]a", v + 1, "[_DUP_]b", v + 2, "zz~", v + 3, "[_DUP_]zz~"), r.newTokens());
    assertEquals(v + 4, r.embeddingRows());
    assertEquals(v, r.vocabularySize());
  }

  @Test
  void partialRoutesListedCodeTokensOnly() {
    ModalityRouter r = ModalityRouters.build(p50k, Separation.PARTIAL);
    int spaceReturn = p50k.idOf("Ġreturn").orElseThrow();
    int word = p50k.idOf("Ġbanana").orElseThrow();
    int replica = r.route(spaceReturn, Modality.CODE);
    assertTrue(replica >= p50k.vocabularySize());
    assertEquals(spaceReturn, r.route(spaceReturn, Modality.TEXT));
    assertEquals(spaceReturn, r.tokenIdOf(replica));
    assertEquals(word, r.route(word, Modality.CODE));
    int bare = p50k.idOf("return").orElseThrow();
    assertTrue(r.route(bare, Modality.CODE) >= p50k.vocabularySize());
  }

  @Test
  void fullReplicatesEveryNonSpecialToken() {
    ModalityRouter r = ModalityRouters.build(small, Separation.FULL);
    int specials = small.specialTokens().size();
    assertEquals(small.vocabularySize() * 2 - specials, r.embeddingRows());
    int python = small.specialTokenId("<python>");
    assertEquals(python, r.route(python, Modality.CODE));
    for (int id = 0; id < small.vocabularySize(); id++) {
      if (small.specialTokens().containsValue(id)) continue;
      assertTrue(r.route(id, Modality.CODE) >= small.vocabularySize(), "id " + id);
    }
  }

  @Test
  void noneIsTheIdentity() {
    assertInstanceOf(IdentityRouter.class, ModalityRouters.build(small, Separation.NONE));
  }

  @Test
  void extendedTokenizerDecodesEveryRowTheRouterMapsBack() {
    ReplicatingRouter r = (ReplicatingRouter) ModalityRouters.build(small, Separation.PARTIAL);
    assertFalse(r.newTokens().isEmpty());
    Tokenizer extended = ModalityRouters.extend(small, r);
    assertEquals(r.embeddingRows(), extended.vocabularySize());
    r.newTokens().forEach((id, spelling) -> assertEquals(spelling, extended.tokenOf(id)));
    // A brand-new list entry (absent from the tiny vocabulary) decodes as its spelling.
    int isinstance = extended.idOf("isinstance").orElseThrow();
    assertTrue(isinstance >= small.vocabularySize());
    int routed = r.route(isinstance, Modality.CODE);
    assertEquals("isinstance", extended.decode(r.toTokenIds(new int[] {routed})));
    assertThrows(
        dev.text2code.api.ConfigurationException.class, () -> ModalityRouters.extend(p50k, r));
  }

  @Test
  void routedSequencesDecodeToTheSameText() {
    ModalityRouter r = ModalityRouters.build(p50k, Separation.PARTIAL);
    int[] ids = p50k.encode("def f(self):\n    return len(self.items)").toArray();
    int[] rows = r.route(dev.text2code.api.TokenSequence.uniform(ids, Modality.CODE)).ids();
    assertFalse(java.util.Arrays.equals(ids, rows));
    assertEquals(TokenIds.of(ids), r.toTokenIds(rows));
  }

  @Test
  void savesAndLoadsBesideACheckpoint(@TempDir Path checkpoint) {
    for (Separation s : Separation.values()) {
      ModalityRouter r = ModalityRouters.build(small, s);
      Path file = RouterFiles.save(r, checkpoint);
      assertEquals(checkpoint.resolve("router.json"), file);
      ModalityRouter loaded = RouterFiles.load(checkpoint);
      assertEquals(s, loaded.separation());
      assertEquals(r.replicatedRows(), loaded.replicatedRows());
      assertEquals(r.embeddingRows(), loaded.embeddingRows());
      assertArrayEquals(r.codeVocabularyMask(), loaded.codeVocabularyMask());
      assertArrayEquals(r.textVocabularyMask(), loaded.textVocabularyMask());
      if (r instanceof ReplicatingRouter rr) {
        assertEquals(rr.newTokens(), ((ReplicatingRouter) loaded).newTokens());
      }
    }
  }

  @Test
  void brokenRouterFilesNameTheKey(@TempDir Path dir) throws IOException {
    Path file = RouterFiles.save(ModalityRouters.build(small, Separation.PARTIAL), dir);
    String json = Files.readString(file);
    Files.writeString(file, json.replaceFirst("\"embeddingRows\" : \\d+", "\"embeddingRows\" : 3"));
    CheckpointException e = assertThrows(CheckpointException.class, () -> RouterFiles.load(dir));
    assertTrue(e.getMessage().contains("embeddingRows"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    Files.writeString(
        file, json.replaceFirst("\"separation\" : \"partial\"", "\"separation\" : \"half\""));
    assertTrue(
        assertThrows(CheckpointException.class, () -> RouterFiles.load(dir))
            .getMessage()
            .contains("half"));
    assertThrows(CheckpointException.class, () -> RouterFiles.load(dir.resolve("missing")));
  }

  @Test
  void shippedListHasTheIssuesCategories() {
    List<String> list = PythonTokenList.shipped();
    for (String t :
        List.of("def", "return", "+=", "(", "self", "len", "dict", "append", "join", "None")) {
      assertTrue(list.contains(t), t);
    }
    assertTrue(list.contains("#"), "the comment token itself is an entry");
    assertEquals("Ġ", PythonTokenList.wordInitialMarker(p50k).orElseThrow());
  }
}
