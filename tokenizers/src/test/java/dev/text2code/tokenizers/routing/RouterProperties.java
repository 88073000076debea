package dev.text2code.tokenizers.routing;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.text2code.api.Modality;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.Tokenizer;
import dev.text2code.tokenizers.Fixtures;
import dev.text2code.tokenizers.SpecialTokens;
import dev.text2code.tokenizers.bpe.ByteLevelBpeTokenizer;
import dev.text2code.tokenizers.tiktoken.TiktokenTokenizer;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The router's promises, checked on random ids for every separation mode. */
class RouterProperties {
  private static final Tokenizer P50K =
      TiktokenTokenizer.open("p50k_base").withSpecialTokens(SpecialTokens.PAPER);
  private static final Tokenizer SMALL =
      ByteLevelBpeTokenizer.load(Fixtures.trainedTokenizer())
          .withSpecialTokens(SpecialTokens.PAPER);
  private static final Map<Separation, ModalityRouter> ROUTERS = new EnumMap<>(Separation.class);

  static {
    for (Separation s : Separation.values()) ROUTERS.put(s, ModalityRouters.build(P50K, s));
  }

  @Test
  void textTokensAreNeverRemapped() {
    qt().forAll(integers().between(0, P50K.vocabularySize() - 1), integers().between(0, 2))
        .check((id, mode) -> ROUTERS.get(Separation.values()[mode]).route(id, Modality.TEXT) == id);
  }

  @Test
  void listedCodeTokensAreAlwaysRemapped() {
    var listed = PythonTokenList.withWordInitialSpellings(PythonTokenList.shipped(), P50K);
    ModalityRouter partial = ROUTERS.get(Separation.PARTIAL);
    // Entries missing from p50k (such as "ĠNoneType") are new ids of the extended tokenizer.
    Tokenizer extended = ModalityRouters.extend(P50K, partial);
    qt().forAll(integers().between(0, listed.size() - 1))
        .check(
            i -> {
              int id = extended.idOf(listed.get(i)).orElseThrow();
              int row = partial.route(id, Modality.CODE);
              return row >= P50K.vocabularySize() && partial.tokenIdOf(row) == id;
            });
  }

  @Test
  void unlistedCodeTokensKeepTheirIdsUnderPartial() {
    var listed =
        new java.util.HashSet<>(
            PythonTokenList.withWordInitialSpellings(PythonTokenList.shipped(), P50K));
    ModalityRouter partial = ROUTERS.get(Separation.PARTIAL);
    qt().forAll(integers().between(0, 50255))
        .check(
            id ->
                listed.contains(P50K.tokenOf(id))
                    ? partial.route(id, Modality.CODE) != id
                    : partial.route(id, Modality.CODE) == id);
  }

  /**
   * Section 1.3: code mask = replicas + rows outside the map; text mask = originals with a replica
   * + rows outside the map. So both cover every row together and overlap exactly outside the map.
   */
  @Test
  void masksPartitionTheOutputVocabulary() {
    for (Tokenizer t : new Tokenizer[] {P50K, SMALL}) {
      for (Separation s : Separation.values()) {
        ModalityRouter r = ModalityRouters.build(t, s);
        boolean[] code = r.codeVocabularyMask();
        boolean[] text = r.textVocabularyMask();
        var originals = r.replicatedRows().keySet();
        var replicas = new java.util.HashSet<>(r.replicatedRows().values());
        qt().forAll(integers().between(0, r.embeddingRows() - 1))
            .check(
                row -> {
                  boolean inMap = originals.contains(row) || replicas.contains(row);
                  if (replicas.contains(row)) return code[row] && !text[row];
                  if (originals.contains(row)) return text[row] && !code[row];
                  return !inMap && code[row] && text[row];
                });
      }
    }
  }

  @Test
  void routingThenMappingBackIsTheIdentity() {
    qt().forAll(
            integers().between(0, SMALL.vocabularySize() - 1),
            integers().between(0, 2),
            integers().between(0, 1))
        .check(
            (id, mode, modality) -> {
              ModalityRouter r = ModalityRouters.build(SMALL, Separation.values()[mode]);
              return r.tokenIdOf(r.route(id, Modality.ofCode(modality))) == id;
            });
  }
}
