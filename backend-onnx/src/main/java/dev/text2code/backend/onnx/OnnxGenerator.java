package dev.text2code.backend.onnx;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.TokenIds;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.Completion.FinishReason;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.backend.ModelSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generation with ONNX Runtime and a key/value cache (MODEL.md "Generation"). Prompts and their
 * samples run together as rows of one batch (at most {@code maxBatchRows} at a time), left-padded;
 * the attention mask hides the padding, so a row's result does not depend on its batch mates. Once
 * half the rows of a batch are finished they leave it, with their cache. Prompts attend causally,
 * or bidirectionally inside their prefix when {@link GenerationConfig#prefixAttention()} asks.
 */
public final class OnnxGenerator implements Generator {
  /** Rows per ONNX Runtime batch unless configured otherwise. */
  public static final int DEFAULT_BATCH_ROWS = 16;

  /** Spellings that end a sample when the tokenizer defines them. */
  public static final List<String> END_TOKENS = List.of("<eot>", "<|endoftext|>");

  private final OnnxDecoder decoder;
  private final int maxBatchRows;
  private boolean closed;

  public OnnxGenerator(OnnxDecoder decoder, int maxBatchRows) {
    if (maxBatchRows < 1) {
      throw new IllegalArgumentException("maxBatchRows = " + maxBatchRows + "; expected >= 1");
    }
    this.decoder = decoder;
    this.maxBatchRows = maxBatchRows;
  }

  @Override
  public ModelSpec spec() {
    return decoder.info().spec();
  }

  /** The router of the exported model (routes prompts, maps generated rows back). */
  public ModalityRouter router() {
    return decoder.info().router();
  }

  public OnnxDecoder decoder() {
    return decoder;
  }

  @Override
  public List<List<Completion>> generate(
      List<TokenSequence> prompts, GenerationConfig config, Tokenizer tokenizer) {
    if (closed) throw new IllegalStateException("generator is closed");
    // The whole decode loop runs on ONNX Runtime's large-stack thread (see
    // OnnxDecoder.onNativeThread).
    return OnnxDecoder.onNativeThreadUnchecked(() -> generateHere(prompts, config, tokenizer));
  }

  private List<List<Completion>> generateHere(
      List<TokenSequence> prompts, GenerationConfig config, Tokenizer tokenizer) {
    ModalityRouter router = router();
    int context = spec().contextLength();
    Set<Integer> endTokens = new HashSet<>();
    for (String end : END_TOKENS) {
      Integer id = tokenizer.specialTokens().get(end);
      if (id != null) endTokens.add(id);
    }
    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < prompts.size(); p++) {
      TokenSequence prompt = prompts.get(p);
      String where = "prompt " + p;
      if (prompt.length() == 0) {
        throw new InvalidInputException(where + " is empty; a prompt needs at least one token");
      }
      if (prompt.length() >= context) {
        throw new InvalidInputException(
            where
                + " has "
                + prompt.length()
                + " tokens; the model's context of "
                + context
                + " positions leaves no room to generate (at most "
                + (context - 1)
                + ")");
      }
      int[] routed = new int[prompt.length()];
      for (int i = 0; i < routed.length; i++) {
        int id = prompt.id(i);
        if (!router.isTokenId(id)) {
          throw new InvalidInputException(
              where
                  + ": token "
                  + i
                  + " has id "
                  + id
                  + ", not a token id of the model's vocabulary ("
                  + router.embeddingRows()
                  + " rows, replicas excluded)");
        }
        routed[i] = router.route(id, prompt.modality(i));
      }
      for (int s = 0; s < config.samplesPerPrompt(); s++) {
        int budget = Math.min(config.maxNewTokens(), context - routed.length);
        int prefixLength =
            config.prefixAttention() && prompt.hasPrefix() ? prompt.prefixIndex() + 1 : 0;
        rows.add(
            new Row(p, routed, prefixLength, budget, TokenChooser.randomFor(config.seed(), p, s)));
      }
    }
    boolean[] allowed = config.codeVocabularyOnly() ? router.codeVocabularyMask() : null;
    decode(rows, config, tokenizer, endTokens, allowed);
    List<List<Completion>> out = new ArrayList<>();
    for (int p = 0; p < prompts.size(); p++) out.add(new ArrayList<>());
    for (Row row : rows) out.get(row.prompt).add(row.completion);
    return out;
  }

  /**
   * Runs every row to completion with at most {@code maxBatchRows} in the batch: when a quarter of
   * the places are free, waiting rows are prefilled and join (their caches right-aligned with the
   * others'); when half the rows are finished and none wait, the finished ones leave.
   */
  private void decode(
      List<Row> rows,
      GenerationConfig config,
      Tokenizer tokenizer,
      Set<Integer> endTokens,
      boolean[] allowed) {
    Deque<Row> waiting = new ArrayDeque<>(rows);
    List<Row> batch = new ArrayList<>(); // rows of the cache, in order; finished ones included
    OnnxDecoder.Step cache = null;
    int vocabulary = spec().embeddingRows();
    boolean restrict = config.codeVocabularyOnly();
    try {
      while (true) {
        List<Row> live = new ArrayList<>();
        for (Row row : batch) if (row.completion == null) live.add(row);
        int free = maxBatchRows - live.size();
        if (!waiting.isEmpty() && (live.isEmpty() || free * 4 >= maxBatchRows)) {
          List<Row> fresh = new ArrayList<>();
          while (fresh.size() < free && !waiting.isEmpty()) fresh.add(waiting.poll());
          OnnxDecoder.Step prefill = prefill(fresh, restrict);
          try {
            float[] logits = prefill.logits();
            List<OnnxDecoder.CacheRow> parts = new ArrayList<>();
            List<Row> joined = new ArrayList<>();
            int total = Math.max(prefill.totalLength, cache == null ? 0 : cache.totalLength);
            for (int b = 0; b < batch.size(); b++) {
              Row row = batch.get(b);
              if (row.completion != null) continue;
              parts.add(new OnnxDecoder.CacheRow(cache, b));
              row.pad += total - cache.totalLength;
              joined.add(row);
            }
            for (int b = 0; b < fresh.size(); b++) {
              Row row = fresh.get(b);
              int chosen =
                  TokenChooser.choose(
                      logits, b * vocabulary, vocabulary, allowed, config, row.random);
              row.accept(chosen, router(), tokenizer, endTokens, config.stopSequences());
              if (row.completion != null) continue;
              parts.add(new OnnxDecoder.CacheRow(prefill, b));
              row.pad += total - prefill.totalLength;
              joined.add(row);
            }
            OnnxDecoder.Step merged = joined.isEmpty() ? null : decoder.assemble(parts, total);
            if (cache != null) cache.close();
            cache = merged;
            batch = joined;
          } finally {
            prefill.close();
          }
          continue;
        }
        if (live.isEmpty()) break;
        if (live.size() * 2 <= batch.size()) {
          // half the rows are done and none wait: drop them so later steps stop computing them
          List<OnnxDecoder.CacheRow> parts = new ArrayList<>();
          for (int b = 0; b < batch.size(); b++) {
            if (batch.get(b).completion == null) parts.add(new OnnxDecoder.CacheRow(cache, b));
          }
          OnnxDecoder.Step compact = decoder.assemble(parts, cache.totalLength);
          cache.close();
          cache = compact;
          batch = live;
        }
        int size = batch.size();
        int total = cache.totalLength + 1;
        long[] ids = new long[size];
        long[] positions = new long[size];
        boolean[] mask = new boolean[size * total];
        for (int b = 0; b < size; b++) {
          Row row = batch.get(b);
          ids[b] = row.lastRow;
          int position = row.prompt().length + row.rows.size() - 1;
          positions[b] = Math.min(position, spec().contextLength() - 1);
          for (int k = row.pad; k < total; k++) mask[b * total + k] = true;
        }
        OnnxDecoder.Step next = decoder.run(ids, positions, mask, size, 1, cache, 1, restrict);
        cache.close();
        cache = next;
        float[] logits = cache.logits();
        for (int b = 0; b < size; b++) {
          Row row = batch.get(b);
          if (row.completion != null) continue;
          int chosen =
              TokenChooser.choose(logits, b * vocabulary, vocabulary, allowed, config, row.random);
          row.accept(chosen, router(), tokenizer, endTokens, config.stopSequences());
        }
      }
    } finally {
      if (cache != null) cache.close();
    }
  }

  /** Runs the prompts of {@code rows} left-padded to the longest; sets each row's padding. */
  private OnnxDecoder.Step prefill(List<Row> rows, boolean restrict) {
    int batch = rows.size();
    int longest = rows.stream().mapToInt(r -> r.prompt().length).max().orElseThrow();
    long[] ids = new long[batch * longest];
    long[] positions = new long[batch * longest];
    boolean[] mask = new boolean[batch * longest * longest];
    for (int b = 0; b < batch; b++) {
      int[] prompt = rows.get(b).prompt();
      int pad = longest - prompt.length;
      rows.get(b).pad = pad;
      for (int t = 0; t < prompt.length; t++) {
        ids[b * longest + pad + t] = prompt[t];
        positions[b * longest + pad + t] = t;
      }
      int prefixEnd = pad + rows.get(b).prefixLength;
      for (int q = pad; q < longest; q++) {
        int visibleEnd = q < prefixEnd ? prefixEnd - 1 : q;
        for (int k = pad; k <= visibleEnd; k++) mask[(b * longest + q) * longest + k] = true;
      }
    }
    return decoder.run(ids, positions, mask, batch, longest, null, 1, restrict);
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    decoder.close();
  }

  /** One sample being generated. */
  private static final class Row {
    final int prompt;
    final int[] promptRows;
    final int prefixLength; // leading prompt positions attended bidirectionally
    final int budget;
    final SplittableRandom random;
    final List<Integer> rows = new ArrayList<>();
    final List<Integer> tokenIds = new ArrayList<>();
    int lastRow;
    int pad; // leading cache positions this row must not attend (padding)
    Completion completion;

    Row(int prompt, int[] promptRows, int prefixLength, int budget, SplittableRandom random) {
      this.prompt = prompt;
      this.promptRows = promptRows;
      this.prefixLength = prefixLength;
      this.budget = budget;
      this.random = random;
    }

    int[] prompt() {
      return promptRows;
    }

    void accept(
        int row,
        ModalityRouter router,
        Tokenizer tokenizer,
        Set<Integer> endTokens,
        List<String> stops) {
      int tokenId = router.tokenIdOf(row);
      if (endTokens.contains(tokenId)) {
        completion = finish(tokenizer, FinishReason.END_TOKEN);
        return;
      }
      rows.add(row);
      tokenIds.add(tokenId);
      lastRow = row;
      if (!stops.isEmpty()) {
        String text = tokenizer.decode(ids(tokenIds.size()));
        int cut = -1;
        for (String stop : stops) {
          int at = text.indexOf(stop);
          if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        if (cut >= 0) {
          String kept = text.substring(0, cut);
          // the longest prefix of tokens whose text lies inside the kept text
          int n = tokenIds.size();
          while (n > 0 && !kept.startsWith(tokenizer.decode(ids(n)))) n--;
          completion = new Completion(ids(n), kept, FinishReason.STOP_SEQUENCE);
          return;
        }
      }
      if (rows.size() >= budget) completion = finish(tokenizer, FinishReason.MAX_TOKENS);
    }

    private Completion finish(Tokenizer tokenizer, FinishReason reason) {
      TokenIds ids = ids(tokenIds.size());
      return new Completion(ids, tokenizer.decode(ids), reason);
    }

    private TokenIds ids(int n) {
      int[] out = new int[n];
      for (int i = 0; i < n; i++) out[i] = tokenIds.get(i);
      return TokenIds.of(out);
    }

    @Override
    public String toString() {
      return "Row{prompt="
          + prompt
          + ", rows="
          + rows
          + ", budget="
          + budget
          + ", promptRows="
          + Arrays.toString(promptRows)
          + "}";
    }
  }
}
