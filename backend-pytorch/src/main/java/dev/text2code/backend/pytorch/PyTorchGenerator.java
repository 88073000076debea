package dev.text2code.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.TokenIds;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TokenSampler;
import dev.text2code.api.checkpoint.Checkpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates from a checkpoint (docs/MODEL.md, Generation). Prompts of a call run together as one
 * left-padded batch (in chunks of {@link #MAX_BATCH_ROWS} rows, each sample a row); new tokens are
 * computed with a {@link KvCache} unless the generator was opened without one (kept for parity
 * tests and benchmarks).
 */
public final class PyTorchGenerator implements Generator {
  /** Rows (prompt × sample) decoded together. */
  public static final int MAX_BATCH_ROWS = 32;

  private static final NDIndex LAST_POSITION = new NDIndex(":, -1, :");
  private static final List<String> END_TOKENS = List.of("<eot>", "<|endoftext|>");

  private final ModelSpec spec;
  private final MappedRouter router;
  private final NDManager manager;
  private final GptModel model;
  private final boolean kvCache;
  private boolean closed;

  private PyTorchGenerator(Checkpoint checkpoint, Device device, boolean kvCache) {
    this.spec = checkpoint.spec();
    this.router = checkpoint.router();
    this.kvCache = kvCache;
    this.manager = Devices.engine().newBaseManager(Devices.resolve(device));
    try {
      this.model = GptModel.load(spec, checkpoint.weights(), manager, false);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Opens a checkpoint directory with a KV cache. */
  public static PyTorchGenerator open(Path checkpoint, Device device) {
    return new PyTorchGenerator(Checkpoint.read(checkpoint), device, true);
  }

  /**
   * Opens an in-memory checkpoint.
   *
   * @param kvCache false recomputes every position at every step (slow; for parity checks)
   */
  public static PyTorchGenerator of(Checkpoint checkpoint, Device device, boolean kvCache) {
    return new PyTorchGenerator(checkpoint, device, kvCache);
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  /** The router of the checkpoint (prompts are routed through it, rows map back through it). */
  public MappedRouter router() {
    return router;
  }

  @Override
  public List<List<Completion>> generate(
      List<TokenSequence> prompts, GenerationConfig config, Tokenizer tokenizer) {
    ensureOpen();
    if (prompts.isEmpty()) return List.of();
    Set<Integer> endIds = new HashSet<>();
    for (String end : END_TOKENS) {
      Integer id = tokenizer.specialTokens().get(end);
      if (id != null) endIds.add(id);
    }
    boolean[] allowed = new boolean[spec.embeddingRows()];
    if (config.codeVocabularyOnly()) allowed = router.codeVocabularyMask();
    else Arrays.fill(allowed, true);
    TokenSampler sampler = new TokenSampler(config, allowed);
    List<Sample> samples = new ArrayList<>();
    for (int p = 0; p < prompts.size(); p++) {
      TokenSequence prompt = prompts.get(p);
      if (prompt.length() == 0) throw new InvalidInputException("prompt " + p + " is empty");
      if (prompt.length() > spec.contextLength()) {
        throw new InvalidInputException(
            "prompt "
                + p
                + " has "
                + prompt.length()
                + " tokens but model.context is "
                + spec.contextLength());
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
      int[] rows = router.route(prompt).ids();
      for (int s = 0; s < config.samplesPerPrompt(); s++) {
        int limit = Math.min(config.maxNewTokens(), spec.contextLength() - rows.length + 1);
        samples.add(
            new Sample(
                p,
                rows,
                config.prefixAttention() && prompt.hasPrefix() ? prompt.prefixIndex() + 1 : 0,
                limit,
                TokenSampler.randomFor(config.seed(), p, s),
                tokenizer,
                config));
      }
    }
    for (int from = 0; from < samples.size(); from += MAX_BATCH_ROWS) {
      List<Sample> chunk = samples.subList(from, Math.min(samples.size(), from + MAX_BATCH_ROWS));
      decode(chunk, sampler, endIds);
    }
    List<List<Completion>> out = new ArrayList<>();
    for (int p = 0; p < prompts.size(); p++) out.add(new ArrayList<>());
    for (Sample s : samples) out.get(s.prompt).add(s.completion());
    List<List<Completion>> frozen = new ArrayList<>();
    for (List<Completion> l : out) frozen.add(List.copyOf(l));
    return List.copyOf(frozen);
  }

  private void decode(List<Sample> rows, TokenSampler sampler, Set<Integer> endIds) {
    int batch = rows.size();
    int longest = 0;
    for (Sample s : rows) longest = Math.max(longest, s.prompt().length);
    int[] padding = new int[batch];
    int[] prefixLength = new int[batch];
    for (int r = 0; r < batch; r++) {
      padding[r] = longest - rows.get(r).prompt().length;
      prefixLength[r] = rows.get(r).prefixLength;
    }
    boolean padded = false;
    for (int p : padding) padded |= p > 0;
    int steps = 0;
    for (Sample s : rows) steps = Math.max(steps, s.limit);
    NDManager m = model.manager();
    try (KvCache cache = new KvCache(spec.layers())) {
      for (int step = 0; step < steps; step++) {
        float[] logits;
        try (NDScope scope = new NDScope()) {
          NDArray hidden;
          int keys = longest + step;
          if (kvCache && step > 0) {
            long[] ids = new long[batch];
            long[] positions = new long[batch];
            for (int r = 0; r < batch; r++) {
              ids[r] = rows.get(r).lastRow();
              positions[r] = Math.min(keys - 1 - padding[r], spec.contextLength() - 1);
            }
            NDArray bias =
                padded
                    ? m.create(
                        AttentionMasks.paddedCausalBias(padding, 1, keys),
                        new Shape(batch, 1, 1, keys))
                    : null;
            hidden =
                model.hiddenWithCache(
                    m.create(ids, new Shape(batch, 1)),
                    m.create(positions, new Shape(batch, 1)),
                    bias,
                    cache);
          } else {
            long[] ids = new long[batch * keys];
            long[] positions = new long[batch * keys];
            for (int r = 0; r < batch; r++) {
              Sample s = rows.get(r);
              for (int t = padding[r]; t < keys; t++) {
                ids[r * keys + t] = s.rowAt(t - padding[r]);
                positions[r * keys + t] = Math.min(t - padding[r], spec.contextLength() - 1);
              }
            }
            NDArray idArray = m.create(ids, new Shape(batch, keys));
            NDArray positionArray = m.create(positions, new Shape(batch, keys));
            NDArray bias =
                m.create(
                    AttentionMasks.paddedPrefixBias(padding, prefixLength, keys, keys),
                    new Shape(batch, 1, keys, keys));
            hidden =
                kvCache
                    ? model.hiddenWithCache(idArray, positionArray, bias, cache)
                    : model.hidden(idArray, positionArray, bias, false);
          }
          long positions = hidden.getShape().get(1);
          NDArray last = positions == 1 ? hidden : hidden.get(LAST_POSITION);
          logits = model.logits(last).toFloatArray();
        }
        boolean running = false;
        int width = spec.embeddingRows();
        for (int r = 0; r < batch; r++) {
          Sample s = rows.get(r);
          if (s.finished()) continue;
          float[] row = Arrays.copyOfRange(logits, r * width, (r + 1) * width);
          s.accept(sampler.next(row, s.random), endIds, router);
          running |= !s.finished();
        }
        if (!running) break;
      }
    }
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("this pytorch generator is closed");
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    manager.close();
  }

  /** One row of the batch: a prompt, the rows generated so far and how it ended. */
  private static final class Sample {
    final int prompt;
    final int[] promptRows;
    final int prefixLength; // leading prompt positions attended bidirectionally
    final int limit;
    final SplittableRandom random;
    final Tokenizer tokenizer;
    final GenerationConfig config;
    final List<Integer> generatedRows = new ArrayList<>();
    final List<Integer> generatedIds = new ArrayList<>();
    Completion result;

    Sample(
        int prompt,
        int[] promptRows,
        int prefixLength,
        int limit,
        SplittableRandom random,
        Tokenizer tokenizer,
        GenerationConfig config) {
      this.prompt = prompt;
      this.promptRows = promptRows;
      this.prefixLength = prefixLength;
      this.limit = limit;
      this.random = random;
      this.tokenizer = tokenizer;
      this.config = config;
    }

    int[] prompt() {
      return promptRows;
    }

    /** The row at an index; a finished sample repeats its last row (its outputs are ignored). */
    int rowAt(int index) {
      if (index < promptRows.length) return promptRows[index];
      int g = Math.min(index - promptRows.length, generatedRows.size() - 1);
      return generatedRows.get(g);
    }

    int lastRow() {
      return rowAt(promptRows.length + generatedRows.size() - 1);
    }

    boolean finished() {
      return result != null;
    }

    void accept(int row, Set<Integer> endIds, MappedRouter router) {
      generatedRows.add(row);
      int id = router.tokenIdOf(row);
      if (endIds.contains(id)) {
        result = completion(generatedIds, Completion.FinishReason.END_TOKEN);
        return;
      }
      generatedIds.add(id);
      if (config.stopSequences().isEmpty()) {
        if (generatedRows.size() >= limit) {
          result = completion(generatedIds, Completion.FinishReason.MAX_TOKENS);
        }
        return;
      }
      String text = tokenizer.decode(ids(generatedIds));
      int cut = -1;
      for (String stop : config.stopSequences()) {
        int at = text.indexOf(stop);
        if (at >= 0 && (cut < 0 || at < cut)) cut = at;
      }
      if (cut >= 0) {
        String kept = text.substring(0, cut);
        int n = generatedIds.size() - 1;
        while (n > 0 && !kept.startsWith(tokenizer.decode(ids(generatedIds.subList(0, n))))) n--;
        result =
            new Completion(
                ids(generatedIds.subList(0, n)), kept, Completion.FinishReason.STOP_SEQUENCE);
      } else if (generatedRows.size() >= limit) {
        result = completion(generatedIds, Completion.FinishReason.MAX_TOKENS);
      }
    }

    private Completion completion(List<Integer> tokens, Completion.FinishReason reason) {
      TokenIds ids = ids(tokens);
      return new Completion(ids, tokenizer.decode(ids), reason);
    }

    Completion completion() {
      if (result == null) result = completion(generatedIds, Completion.FinishReason.MAX_TOKENS);
      return result;
    }

    private static TokenIds ids(List<Integer> tokens) {
      int[] a = new int[tokens.size()];
      for (int i = 0; i < a.length; i++) a[i] = tokens.get(i);
      return TokenIds.of(a);
    }
  }
}
