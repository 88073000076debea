package dev.text2code.objectives;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.text2code.api.Modality;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.ObjectiveFactory;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.span.SpanCorruptionObjective;
import dev.text2code.objectives.span.SpanCorruptionPair;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pins every objective's exact output (and error messages) on fixed sequences and seeds, so that
 * speed work cannot change a single example: the digests were taken before the builder-based
 * rewrites of span corruption and FIM (commit 1ed8b35) and must not move.
 */
class OutputPinTest {
  private static final CharacterTokenizer TOKENIZER = Sequences.TOKENIZER;

  private static final Map<String, String> PINNED =
      Map.ofEntries(
          Map.entry("clm", "3efbbd43daeedfcafb7115ad393b32e30f4670338a1cad8568194c5667107be6"),
          Map.entry("code-clm", "173f05082ef7fafab60478061c68a2352bc83921c565b146410f1030a9a253ac"),
          Map.entry(
              "corrupt-code-clm",
              "fd4b239a59ae3d5660e0d4e4e2a79296d29a2e8b8085b64db834c7e8ac645c32"),
          Map.entry(
              "prefix-code-clm",
              "94699cef4024eca13a7f414a41fc3f4d31b004ac5919fd0f9ccf79c70545bcf4"),
          Map.entry(
              "span-corruption",
              "a56d175c904039d2b58a9d601c943db02cba568da20d32a4e9ee27cff8cccc71"),
          Map.entry(
              "span-corruption-decoder",
              "5e8ca6cfadfba56e8d2475e7f77025f6a763e4fc74b753b3ac5e8509736d9be8"),
          Map.entry(
              "span-corruption-decoder/no-eos",
              "74bad4c2315ebc6566da5174ea4328bee5cc432d0754bf9d2cc7a6fec8f9d1d4"),
          Map.entry(
              "span-corruption/pairs",
              "8f58218965fe175251e022918200eef52d1163af3a7d0864fb0c40498c9e5dc5"),
          Map.entry("fim", "5491f5d0c6305c4cd1078d45c3b4628aef7c07bbffc964141cb094da9515ddc1"),
          Map.entry(
              "fim/always", "d46c191e27d6a3c133665b15cebaa3b041d9742ea3b6fbdcc9f3cb164b7112ee"),
          Map.entry(
              "fim/context", "a45504a99bba615a211bf9c692a6ca9c94c2299b771a8bb024c201e09e8701ac"),
          Map.entry(
              "codegen2-infill",
              "ba957b93dd1620543e64035892c06abbf991f59bf630719198de3c7e1e31493b"),
          Map.entry(
              "prefix-lm", "de077c324c1f8980447d0623931d7e6749ab9225d122eb6f0598d600c746fb5f"));

  @Test
  void everyObjectiveGivesTheOutputPinnedForItsSeeds() throws Exception {
    Map<String, String> actual = digests();
    StringBuilder report = new StringBuilder();
    actual.forEach((k, v) -> report.append("Map.entry(\"" + k + "\", \"" + v + "\"),\n"));
    for (Map.Entry<String, String> e : actual.entrySet()) {
      assertEquals(PINNED.get(e.getKey()), e.getValue(), e.getKey() + "; all now:\n" + report);
    }
    assertEquals(PINNED.keySet(), actual.keySet());
  }

  private static Map<String, String> digests() throws Exception {
    Map<String, Objective> objectives = new LinkedHashMap<>();
    for (ObjectiveFactory f : ObjectivesModule.baseFactories()) {
      if (f.name().startsWith("cert-")) continue; // needs python3; pinned by CertProperties
      objectives.put(f.name(), f.create(TOKENIZER, Settings.empty()));
    }
    objectives.put(
        "span-corruption-decoder/no-eos",
        SpanCorruptionObjective.create(
            TOKENIZER,
            Settings.of(Map.of("objectives.span-corruption-decoder.eos-token", "none")),
            SpanCorruptionObjective.Form.DECODER_ONLY));
    objectives.put(
        "fim/always",
        objective("fim", Map.of("objectives.fim.rate", "1", "objectives.fim.spm-rate", "0.3")));
    objectives.put(
        "fim/context",
        objective("fim", Map.of("objectives.fim.rate", "0.7", "objectives.fim.level", "context")));
    Map<String, String> out = new LinkedHashMap<>();
    List<TokenSequence> inputs = inputs();
    for (Map.Entry<String, Objective> e : objectives.entrySet()) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (TokenSequence sequence : inputs) {
        for (long seed = 1; seed <= 4; seed++) {
          try {
            add(digest, e.getValue().apply(sequence, new SplittableRandom(seed)));
          } catch (RuntimeException failure) {
            add(digest, failure.getClass().getName() + ": " + failure.getMessage());
          }
        }
      }
      out.put(e.getKey(), HexFormat.of().formatHex(digest.digest()));
    }
    SpanCorruptionObjective pairs =
        SpanCorruptionObjective.create(
            TOKENIZER, Settings.empty(), SpanCorruptionObjective.Form.ENCODER_DECODER);
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (TokenSequence sequence : inputs) {
      for (long seed = 1; seed <= 4; seed++) {
        try {
          SpanCorruptionPair pair = pairs.corrupt(sequence, new SplittableRandom(seed));
          add(digest, pair.inputs());
          add(digest, pair.targets());
        } catch (RuntimeException failure) {
          add(digest, failure.getClass().getName() + ": " + failure.getMessage());
        }
      }
    }
    out.put("span-corruption/pairs", HexFormat.of().formatHex(digest.digest()));
    return out;
  }

  private static Objective objective(String name, Map<String, String> settings) {
    return ObjectivesModule.baseFactories().stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow()
        .create(TOKENIZER, Settings.of(settings));
  }

  /** Printable code like the benchmark's, text-to-code pairs, specials and their spellings. */
  private static List<TokenSequence> inputs() {
    List<TokenSequence> inputs = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(42);
    for (int length : new int[] {1024, 300, 37}) {
      int[] ids = new int[length];
      for (int i = 0; i < length; i++) ids[i] = 32 + r.nextInt(95);
      inputs.add(TokenSequence.uniform(ids, Modality.CODE));
    }
    for (int i = 0; i < 6; i++) {
      List<Integer> text = new ArrayList<>();
      List<Integer> code = new ArrayList<>();
      for (int k = 0; k < 2 + 5 * i; k++) text.add('a' + r.nextInt(26));
      for (int k = 0; k < 3 + 17 * i; k++) code.add(32 + r.nextInt(95));
      inputs.add(Sequences.pair(text, code));
    }
    // Special tokens as ids and as character spellings, a packed context, tiny documents.
    String spelled = "x<eot>y<fim_prefix>[NLU]<mask_1>0<extra_id_3>\u00e9";
    int[] chars = spelled.chars().toArray();
    int eot = TOKENIZER.specialTokenId("<eot>");
    int sep = TOKENIZER.specialTokenId("<sep>");
    inputs.add(
        TokenSequence.uniform(concat(chars, new int[] {sep, 'a', eot}, chars), Modality.CODE));
    inputs.add(
        TokenSequence.uniform(
            concat(new int[] {'a', 'b', eot, 'c', eot, eot}, chars, new int[] {eot}),
            Modality.CODE));
    inputs.add(TokenSequence.uniform(new int[] {'q'}, Modality.CODE));
    inputs.add(TokenSequence.uniform(new int[] {'q', eot}, Modality.TEXT));
    return inputs;
  }

  private static int[] concat(int[]... parts) {
    int n = 0;
    for (int[] p : parts) n += p.length;
    int[] out = new int[n];
    int k = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, out, k, p.length);
      k += p.length;
    }
    return out;
  }

  private static void add(MessageDigest digest, TrainingExample e) {
    add(digest, e.inputIds());
    add(digest, e.labels());
    digest.update(e.targetModalities());
    add(digest, e.positionIds());
    AttentionSpec a = e.attention();
    add(digest, a.segmentIds());
    add(digest, a.prefixLengths());
  }

  private static void add(MessageDigest digest, TokenSequence s) {
    add(digest, s.ids());
    digest.update(s.modalityCodes());
    add(digest, new int[] {s.prefixIndex()});
  }

  private static void add(MessageDigest digest, int[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length + 4);
    b.putInt(values.length);
    for (int v : values) b.putInt(v);
    digest.update(b.array());
  }

  private static void add(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
  }
}
