package dev.text2code.api.generation;

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
import dev.text2code.api.backend.TokenSampler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The generation loop of every backend (docs/MODEL.md, Generation), over a backend's {@link
 * DecoderStep}: routes each prompt through the checkpoint's router, runs each prompt {@code
 * samplesPerPrompt} times as rows of left-padded batches, picks every next row with one {@link
 * TokenSampler} (restricted to the code vocabulary when asked) and ends a sample at an end token, a
 * stop sequence, its token budget or the model's context. Sample {@code s} of prompt {@code p}
 * draws from {@link TokenSampler#randomFor}{@code (seed, p, s)}, and a row's logits do not depend
 * on its batch mates, so the same seed gives the same completions whatever the backend or batching.
 *
 * <p>When the step's batches {@link DecodeBatch#reshapes() reshape}, batching is continuous: once a
 * quarter of the places are free, waiting rows are prefilled and join; once half the rows are
 * finished and none wait, the finished ones leave. Otherwise rows run in chunks of {@link
 * DecoderStep#maxBatchRows()}.
 */
public final class GenerationLoop implements Generator {
  /** Spellings that end a sample when the tokenizer defines them. */
  public static final List<String> END_TOKENS = List.of("<eot>", "<|endoftext|>");

  private final DecoderStep step;
  private final int maxBatchRows;
  private boolean closed;

  /** Generates with {@code step}'s preferred batch size; closing the loop closes the step. */
  public GenerationLoop(DecoderStep step) {
    this(step, step.maxBatchRows());
  }

  /**
   * @param maxBatchRows rows decoded together at most (>= 1)
   */
  public GenerationLoop(DecoderStep step, int maxBatchRows) {
    if (maxBatchRows < 1) {
      throw new IllegalArgumentException("maxBatchRows = " + maxBatchRows + "; expected >= 1");
    }
    this.step = step;
    this.maxBatchRows = maxBatchRows;
  }

  /** The backend's step under this loop. */
  public DecoderStep step() {
    return step;
  }

  @Override
  public ModelSpec spec() {
    return step.spec();
  }

  /** Logits at {@code positions} through the step's own forward ({@link PositionLogits}). */
  @Override
  public float[][][] logits(int[][] rows, int[] positions) {
    return PositionLogits.compute(step, rows, positions);
  }

  /** The router of the checkpoint (prompts are routed through it, rows map back through it). */
  public ModalityRouter router() {
    return step.router();
  }

  @Override
  public List<List<Completion>> generate(
      List<TokenSequence> prompts, GenerationConfig config, Tokenizer tokenizer) {
    if (closed) throw new IllegalStateException("this generator is closed");
    if (prompts.isEmpty()) return List.of();
    ModalityRouter router = step.router();
    int context = step.spec().contextLength();
    Set<Integer> endIds = new HashSet<>();
    for (String end : END_TOKENS) {
      Integer id = tokenizer.specialTokens().get(end);
      if (id != null) endIds.add(id);
    }
    boolean[] allowed;
    if (config.codeVocabularyOnly()) {
      allowed = router.codeVocabularyMask();
    } else {
      allowed = new boolean[step.spec().embeddingRows()];
      Arrays.fill(allowed, true);
    }
    TokenSampler sampler = new TokenSampler(config, allowed);
    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < prompts.size(); p++) {
      TokenSequence prompt = prompts.get(p);
      if (prompt.length() == 0) {
        throw new InvalidInputException("prompt " + p + " is empty; a prompt needs a token");
      }
      if (prompt.length() > context) {
        throw new InvalidInputException(
            "prompt " + p + " has " + prompt.length() + " tokens but model.context is " + context);
      }
      for (int i = 0; i < prompt.length(); i++) {
        if (!router.isTokenId(prompt.id(i))) {
          throw new InvalidInputException(
              "prompt "
                  + p
                  + ", token "
                  + i
                  + ": id "
                  + prompt.id(i)
                  + " is not a token id of the checkpoint's vocabulary ("
                  + router.embeddingRows()
                  + " rows, replicas excluded)");
        }
      }
      int[] routed = router.route(prompt).ids();
      int prefix = config.prefixAttention() && prompt.hasPrefix() ? prompt.prefixIndex() + 1 : 0;
      // the last token fed sits at position context - 1, so the context allows one more
      int budget = Math.min(config.maxNewTokens(), context - routed.length + 1);
      for (int s = 0; s < config.samplesPerPrompt(); s++) {
        rows.add(new Row(p, routed, prefix, budget, TokenSampler.randomFor(config.seed(), p, s)));
      }
    }
    Decoding decoding = new Decoding(config, tokenizer, endIds, sampler, router);
    decode(rows, decoding);
    List<List<Completion>> out = new ArrayList<>();
    for (int p = 0; p < prompts.size(); p++) out.add(new ArrayList<>());
    for (Row row : rows) out.get(row.prompt).add(row.completion);
    return out.stream().map(List::copyOf).toList();
  }

  private void decode(List<Row> rows, Decoding decoding) {
    Deque<Row> waiting = new ArrayDeque<>(rows);
    List<Row> members = new ArrayList<>(); // the batch's rows, in order; finished ones included
    DecodeBatch batch = null;
    int vocabulary = step.spec().embeddingRows();
    try {
      while (true) {
        List<Row> live = new ArrayList<>();
        for (Row row : members) if (row.completion == null) live.add(row);
        boolean reshapes = batch != null && batch.reshapes();
        int free = maxBatchRows - live.size();
        if (!waiting.isEmpty() && (live.isEmpty() || (reshapes && free * 4 >= maxBatchRows))) {
          List<Row> fresh = new ArrayList<>();
          while (fresh.size() < free && !waiting.isEmpty()) fresh.add(waiting.poll());
          DecodeBatch prefilled = prefill(fresh);
          boolean prefilledToBatch = false;
          try {
            float[] logits = prefilled.logits();
            List<Integer> keep = new ArrayList<>();
            for (int b = 0; b < fresh.size(); b++) {
              Row row = fresh.get(b);
              row.accept(decoding.sampler.next(logits, b * vocabulary, row.random), decoding);
              if (row.completion == null) keep.add(b);
            }
            if (batch == null || live.isEmpty() || !prefilled.reshapes()) {
              if (batch != null) batch.close();
              batch = prefilled;
              members = fresh;
              prefilledToBatch = true;
            } else {
              batch.retain(indicesOf(members, live));
              members = live;
              if (!keep.isEmpty()) {
                prefilled.retain(keep.stream().mapToInt(Integer::intValue).toArray());
                List<Row> joined = new ArrayList<>(live);
                for (int b : keep) joined.add(fresh.get(b));
                prefilledToBatch = true;
                batch.append(prefilled);
                members = joined;
              }
            }
          } finally {
            if (!prefilledToBatch) prefilled.close();
          }
          continue;
        }
        if (live.isEmpty()) break;
        if (reshapes && live.size() * 2 <= members.size()) {
          batch.retain(indicesOf(members, live));
          members = live;
        }
        int[] feed = new int[members.size()];
        for (int b = 0; b < feed.length; b++) feed[b] = members.get(b).lastRow();
        batch.step(feed);
        float[] logits = batch.logits();
        for (int b = 0; b < feed.length; b++) {
          Row row = members.get(b);
          if (row.completion != null) continue;
          row.accept(decoding.sampler.next(logits, b * vocabulary, row.random), decoding);
        }
      }
    } finally {
      if (batch != null) batch.close();
    }
  }

  private DecodeBatch prefill(List<Row> fresh) {
    int[][] prompts = new int[fresh.size()][];
    int[] prefixes = new int[fresh.size()];
    int longest = 0;
    int budget = 0;
    for (int b = 0; b < prompts.length; b++) {
      Row row = fresh.get(b);
      prompts[b] = row.promptRows;
      prefixes[b] = row.prefixLength;
      longest = Math.max(longest, row.promptRows.length);
      budget = Math.max(budget, row.budget);
    }
    return step.prefill(prompts, prefixes, longest + budget);
  }

  private static int[] indicesOf(List<Row> members, List<Row> kept) {
    int[] out = new int[kept.size()];
    int k = 0;
    for (int b = 0; b < members.size() && k < out.length; b++) {
      if (members.get(b) == kept.get(k)) out[k++] = b;
    }
    return out;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    step.close();
  }

  /** What every row of one call shares. */
  private record Decoding(
      GenerationConfig config,
      Tokenizer tokenizer,
      Set<Integer> endIds,
      TokenSampler sampler,
      ModalityRouter router) {}

  /** One sample being generated. */
  private static final class Row {
    final int prompt;
    final int[] promptRows;
    final int prefixLength;
    final int budget;
    final SplittableRandom random;
    final List<Integer> tokenIds = new ArrayList<>();
    int lastRow;
    Completion completion;

    Row(int prompt, int[] promptRows, int prefixLength, int budget, SplittableRandom random) {
      this.prompt = prompt;
      this.promptRows = promptRows;
      this.prefixLength = prefixLength;
      this.budget = budget;
      this.random = random;
      this.lastRow = promptRows[promptRows.length - 1];
    }

    int lastRow() {
      return lastRow;
    }

    void accept(int row, Decoding decoding) {
      Tokenizer tokenizer = decoding.tokenizer();
      int tokenId = decoding.router().tokenIdOf(row);
      if (decoding.endIds().contains(tokenId)) {
        completion = finish(tokenizer, FinishReason.END_TOKEN);
        return;
      }
      tokenIds.add(tokenId);
      lastRow = row;
      List<String> stops = decoding.config().stopSequences();
      if (!stops.isEmpty()) {
        String text = tokenizer.decode(ids(tokenIds.size()));
        int cut = -1;
        for (String stop : stops) {
          int at = text.indexOf(stop);
          if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        if (cut >= 0) {
          String kept = text.substring(0, cut);
          // the longest run of tokens whose text still lies before the stop sequence
          int n = tokenIds.size();
          while (n > 0 && !kept.startsWith(tokenizer.decode(ids(n)))) n--;
          completion = new Completion(ids(n), kept, FinishReason.STOP_SEQUENCE);
          return;
        }
      }
      if (tokenIds.size() >= budget) completion = finish(tokenizer, FinishReason.MAX_TOKENS);
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
  }
}
