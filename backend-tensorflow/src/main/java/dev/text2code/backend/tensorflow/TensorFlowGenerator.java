package dev.text2code.backend.tensorflow;

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
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Generation with a key/value cache: one graph runs the padded prompts (empty cache) and then one
 * new position per step, taking the previous keys and values as input and returning them extended.
 * The weights are graph constants; the cache tensors stay native between steps.
 */
final class TensorFlowGenerator implements Generator {
  private static final List<String> END_TOKENS = List.of("<eot>", "<|endoftext|>");

  private final ModelSpec spec;
  private final MappedRouter router;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TInt32> ids;
  private final Placeholder<TInt32> positions;
  private final Placeholder<TFloat32> mask;
  private final Placeholder<TFloat32> pastKeys;
  private final Placeholder<TFloat32> pastValues;
  private final Placeholder<TInt32> lastIndex;
  private final Operand<TFloat32> lastLogits;
  private final Operand<TFloat32> keys;
  private final Operand<TFloat32> values;
  private final boolean useCache;
  private boolean closed;

  TensorFlowGenerator(Checkpoint checkpoint, Device device) {
    this(checkpoint, device, true);
  }

  /**
   * @param useCache false re-runs every whole sequence at each step (for benchmarks and tests)
   */
  TensorFlowGenerator(Checkpoint checkpoint, Device device, boolean useCache) {
    this.useCache = useCache;
    this.spec = checkpoint.spec();
    this.router = checkpoint.router();
    var sessionConfig = Devices.configFor(device);
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Map<String, Operand<TFloat32>> constants = new LinkedHashMap<>();
      for (ParameterLayout.Parameter p : ParameterLayout.parameters(spec)) {
        Tensor t = checkpoint.weights().get(p.name());
        constants.put(
            p.name(),
            tf.withName("weight_" + p.name())
                .constant(Shape.of(p.shape()), DataBuffers.of(t.data(), true, false)));
      }
      ids = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
      positions = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
      mask = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1)));
      Shape cacheShape = Shape.of(spec.layers(), -1, spec.heads(), -1, spec.headSize());
      pastKeys = tf.placeholder(TFloat32.class, Placeholder.shape(cacheShape));
      pastValues = tf.placeholder(TFloat32.class, Placeholder.shape(cacheShape));
      lastIndex = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
      TransformerGraph model = new TransformerGraph(tf, spec, constants, Optional.empty());
      TransformerGraph.Output out =
          model.forward(
              ids,
              positions,
              mask,
              Optional.of(new TransformerGraph.Cache(pastKeys, pastValues)),
              false);
      Operand<TInt32> rows = tf.gather(tf.shape(ids), tf.constant(0), tf.constant(0));
      Operand<TFloat32> byRow =
          tf.reshape(
              out.hidden(), tf.stack(List.of(rows, tf.constant(-1), tf.constant(spec.width()))));
      Operand<TFloat32> last = tf.gather(byRow, lastIndex, tf.constant(1));
      lastLogits = model.logits(model.finalNorm(last));
      keys = out.cache().orElseThrow().keys();
      values = out.cache().orElseThrow().values();
      session = new Session(graph, sessionConfig);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  /** One sequence being generated. */
  private static final class Row {
    final int prompt;
    final int[] promptRows;
    final int prefixEnd;
    final RandomGenerator random;
    final List<Integer> tokenIds = new ArrayList<>();
    final List<Integer> fedRows = new ArrayList<>();
    Optional<Completion> done = Optional.empty();

    Row(int prompt, int[] promptRows, int prefixEnd, RandomGenerator random) {
      this.prompt = prompt;
      this.promptRows = promptRows;
      this.prefixEnd = prefixEnd;
      this.random = random;
    }

    int length() {
      return promptRows.length + fedRows.size();
    }

    int rowAt(int index) {
      return index < promptRows.length ? promptRows[index] : fedRows.get(index - promptRows.length);
    }
  }

  @Override
  public List<List<Completion>> generate(
      List<TokenSequence> prompts, GenerationConfig config, Tokenizer tokenizer) {
    if (closed) throw new IllegalStateException("this TensorFlow generator is closed");
    if (prompts.isEmpty()) return List.of();
    for (int p = 0; p < prompts.size(); p++) {
      int length = prompts.get(p).length();
      if (length == 0 || length > spec.contextLength()) {
        throw new InvalidInputException(
            "prompt "
                + p
                + " has "
                + length
                + " tokens; expected 1 to model.context = "
                + spec.contextLength());
      }
      for (int i = 0; i < length; i++) {
        int id = prompts.get(p).id(i);
        if (!router.isTokenId(id)) {
          throw new InvalidInputException(
              "prompt "
                  + p
                  + ", token "
                  + i
                  + ": id "
                  + id
                  + " is not a token id of the checkpoint's vocabulary ("
                  + router.embeddingRows()
                  + " rows, replicas excluded)");
        }
      }
    }
    Set<Integer> endIds = new HashSet<>();
    for (String end : END_TOKENS) {
      Integer id = tokenizer.specialTokens().get(end);
      if (id != null) endIds.add(id);
    }
    boolean[] allowed = config.codeVocabularyOnly() ? router.codeVocabularyMask() : new boolean[0];
    dev.text2code.api.backend.TokenSampler sampler =
        Sampler.sampler(config, allowed, spec.embeddingRows());
    int samples = config.samplesPerPrompt();
    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < prompts.size(); p++) {
      TokenSequence prompt = prompts.get(p);
      int[] routed = router.route(prompt).ids();
      // a prefix-LM prompt sees its prefix bidirectionally, as in training
      int prefixEnd = config.prefixAttention() && prompt.hasPrefix() ? prompt.prefixIndex() + 1 : 0;
      for (int s = 0; s < samples; s++) {
        rows.add(new Row(p, routed, prefixEnd, Sampler.randomFor(config.seed(), p, s)));
      }
    }
    int batch = rows.size();
    Result state = runWhole(rows);
    try {
      int cached = rows.stream().mapToInt(Row::length).max().orElseThrow();
      int[] padding = new int[batch];
      for (int b = 0; b < batch; b++) padding[b] = cached - rows.get(b).length();
      float[] logits = new float[batch * spec.embeddingRows()];
      int[] next = new int[batch];
      int[] nextPositions = new int[batch];
      while (true) {
        ((TFloat32) state.get(0)).copyTo(DataBuffers.of(logits, false, false));
        boolean anyActive = false;
        for (int b = 0; b < batch; b++) {
          Row row = rows.get(b);
          next[b] = 0;
          nextPositions[b] = 0;
          if (row.done.isPresent()) continue;
          float[] rowLogits = new float[spec.embeddingRows()];
          System.arraycopy(logits, b * rowLogits.length, rowLogits, 0, rowLogits.length);
          int chosen = sampler.next(rowLogits, row.random);
          int tokenId = router.tokenIdOf(chosen);
          row.done = advance(row, tokenId, endIds, config, tokenizer);
          int position = row.length();
          if (row.done.isEmpty() && position >= spec.contextLength()) {
            // the context is full: no position is left to feed this token at
            row.done =
                Optional.of(
                    completion(row.tokenIds, tokenizer, Completion.FinishReason.MAX_TOKENS));
          }
          if (row.done.isEmpty()) {
            row.fedRows.add(chosen);
            next[b] = chosen;
            nextPositions[b] = position;
            anyActive = true;
          }
        }
        if (!anyActive) break;
        Result previous = state;
        try {
          if (!useCache) {
            state = runWhole(rows);
            continue;
          }
          float[] stepMask = new float[batch * (cached + 1)];
          for (int b = 0; b < batch; b++) {
            for (int k = padding[b]; k <= cached; k++) stepMask[b * (cached + 1) + k] = 1f;
          }
          try (Inputs in = new Inputs()) {
            state =
                run(
                    in,
                    in.ints(Shape.of(batch, 1), next),
                    in.ints(Shape.of(batch, 1), nextPositions),
                    in.floats(Shape.of(batch, 1, cached + 1), stepMask),
                    (TFloat32) previous.get(1),
                    (TFloat32) previous.get(2),
                    0);
          }
          cached++;
        } finally {
          previous.close();
        }
      }
    } finally {
      state.close();
    }
    List<List<Completion>> out = new ArrayList<>();
    for (int p = 0; p < prompts.size(); p++) out.add(new ArrayList<>());
    for (Row row : rows) out.get(row.prompt).add(row.done.orElseThrow());
    return out.stream().map(List::copyOf).toList();
  }

  /**
   * Runs every row's whole sequence (prompt and tokens fed so far), left-padded to the longest,
   * with an empty cache; returns the last position's logits and the filled cache.
   */
  private Result runWhole(List<Row> rows) {
    int batch = rows.size();
    int width = rows.stream().mapToInt(Row::length).max().orElseThrow();
    int[] ids = new int[batch * width];
    int[] positions = new int[batch * width];
    float[] mask = new float[batch * width * width];
    for (int b = 0; b < batch; b++) {
      Row row = rows.get(b);
      int padding = width - row.length();
      int prefixEnd = row.prefixEnd;
      for (int q = 0; q < width; q++) {
        int i = b * width + q;
        int base = i * width;
        if (q < padding) {
          mask[base + q] = 1f; // padding sees itself only; its output is never used
          continue;
        }
        ids[i] = row.rowAt(q - padding);
        positions[i] = q - padding;
        for (int k = padding; k < width; k++) {
          boolean visible = k <= q || (k - padding < prefixEnd && q - padding < prefixEnd);
          mask[base + k] = visible ? 1f : 0f;
        }
      }
    }
    try (Inputs in = new Inputs()) {
      Shape empty = Shape.of(spec.layers(), batch, spec.heads(), 0, spec.headSize());
      return run(
          in,
          in.ints(Shape.of(batch, width), ids),
          in.ints(Shape.of(batch, width), positions),
          in.floats(Shape.of(batch, width, width), mask),
          in.floats(empty, new float[0]),
          in.floats(empty, new float[0]),
          width - 1);
    }
  }

  private Result run(
      Inputs in,
      TInt32 stepIds,
      TInt32 stepPositions,
      TFloat32 stepMask,
      TFloat32 keysIn,
      TFloat32 valuesIn,
      int last) {
    return session
        .runner()
        .feed(ids, stepIds)
        .feed(positions, stepPositions)
        .feed(mask, stepMask)
        .feed(pastKeys, keysIn)
        .feed(pastValues, valuesIn)
        .feed(lastIndex, in.scalar(last))
        .fetch(lastLogits)
        .fetch(keys)
        .fetch(values)
        .run();
  }

  /** Appends a token; returns the completion if the sample has ended. */
  private static Optional<Completion> advance(
      Row row, int tokenId, Set<Integer> endIds, GenerationConfig config, Tokenizer tokenizer) {
    if (endIds.contains(tokenId)) {
      return Optional.of(completion(row.tokenIds, tokenizer, Completion.FinishReason.END_TOKEN));
    }
    row.tokenIds.add(tokenId);
    if (!config.stopSequences().isEmpty()) {
      String text = tokenizer.decode(ids(row.tokenIds));
      int cut = -1;
      for (String stop : config.stopSequences()) {
        int at = text.indexOf(stop);
        if (at >= 0 && (cut < 0 || at < cut)) cut = at;
      }
      if (cut >= 0) {
        // the longest run of tokens whose text still lies before the stop sequence
        String kept = text.substring(0, cut);
        int n = row.tokenIds.size() - 1;
        while (n > 0 && !kept.startsWith(tokenizer.decode(ids(row.tokenIds.subList(0, n))))) n--;
        return Optional.of(
            new Completion(
                ids(row.tokenIds.subList(0, n)), kept, Completion.FinishReason.STOP_SEQUENCE));
      }
    }
    if (row.tokenIds.size() >= config.maxNewTokens()) {
      return Optional.of(completion(row.tokenIds, tokenizer, Completion.FinishReason.MAX_TOKENS));
    }
    return Optional.empty();
  }

  private static Completion completion(
      List<Integer> tokens, Tokenizer tokenizer, Completion.FinishReason reason) {
    TokenIds generated = ids(tokens);
    return new Completion(generated, tokenizer.decode(generated), reason);
  }

  private static TokenIds ids(List<Integer> tokens) {
    int[] out = new int[tokens.size()];
    for (int i = 0; i < out.length; i++) out[i] = tokens.get(i);
    return TokenIds.of(out);
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    session.close();
    graph.close();
  }
}
