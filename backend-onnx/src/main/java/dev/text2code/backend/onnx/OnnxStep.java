package dev.text2code.backend.onnx;

import dev.text2code.api.ModalityRouter;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.generation.DecodeBatch;
import dev.text2code.api.generation.DecoderStep;
import dev.text2code.api.generation.GenerationLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * The ONNX Runtime decoder step under {@link GenerationLoop} (MODEL.md "Generation"): a batch is
 * left-padded and the attention mask hides the padding, so a row's result does not depend on its
 * batch mates. Batches reshape: finished rows leave with their cache and new prompts join, their
 * caches right-aligned with the others' ({@link OnnxDecoder#assemble}). Prompts attend causally, or
 * bidirectionally inside their prefix.
 */
public final class OnnxStep implements DecoderStep {
  /** Rows per ONNX Runtime batch unless configured otherwise. */
  public static final int DEFAULT_BATCH_ROWS = 16;

  private final OnnxDecoder decoder;
  private final int maxBatchRows;

  /**
   * @param maxBatchRows rows per batch (>= 1)
   */
  public OnnxStep(OnnxDecoder decoder, int maxBatchRows) {
    if (maxBatchRows < 1) {
      throw new IllegalArgumentException("maxBatchRows = " + maxBatchRows + "; expected >= 1");
    }
    this.decoder = decoder;
    this.maxBatchRows = maxBatchRows;
  }

  /** A generator over {@code decoder} with batches of at most {@code maxBatchRows}. */
  public static GenerationLoop generator(OnnxDecoder decoder, int maxBatchRows) {
    return new GenerationLoop(new OnnxStep(decoder, maxBatchRows));
  }

  public OnnxDecoder decoder() {
    return decoder;
  }

  @Override
  public ModelSpec spec() {
    return decoder.info().spec();
  }

  @Override
  public ModalityRouter router() {
    return decoder.info().router();
  }

  @Override
  public int maxBatchRows() {
    return maxBatchRows;
  }

  @Override
  public DecodeBatch prefill(int[][] rows, int[] prefixLengths, int capacity) {
    int batch = rows.length;
    int longest = 0;
    for (int[] r : rows) longest = Math.max(longest, r.length);
    long[] ids = new long[batch * longest];
    long[] positions = new long[batch * longest];
    boolean[] mask = new boolean[batch * longest * longest];
    int[] pad = new int[batch];
    int[] lengths = new int[batch];
    for (int b = 0; b < batch; b++) {
      int[] prompt = rows[b];
      pad[b] = longest - prompt.length;
      lengths[b] = prompt.length;
      for (int t = 0; t < prompt.length; t++) {
        ids[b * longest + pad[b] + t] = prompt[t];
        positions[b * longest + pad[b] + t] = t;
      }
      int prefixEnd = pad[b] + prefixLengths[b];
      for (int q = pad[b]; q < longest; q++) {
        int visibleEnd = q < prefixEnd ? prefixEnd - 1 : q;
        for (int k = pad[b]; k <= visibleEnd; k++) mask[(b * longest + q) * longest + k] = true;
      }
    }
    // the session call itself runs on ONNX Runtime's large-stack thread (OnnxDecoder.run)
    OnnxDecoder.Step step = decoder.run(ids, positions, mask, batch, longest, null, 1, false);
    return new Batch(step, pad, lengths);
  }

  @Override
  public void close() {
    decoder.close();
  }

  private final class Batch implements DecodeBatch {
    OnnxDecoder.Step cache;
    int[] pad; // leading cache positions each row must not attend (padding)
    int[] lengths; // real positions of each row (its next position)

    Batch(OnnxDecoder.Step cache, int[] pad, int[] lengths) {
      this.cache = cache;
      this.pad = pad;
      this.lengths = lengths;
    }

    @Override
    public int size() {
      return pad.length;
    }

    @Override
    public float[] logits() {
      return cache.logits();
    }

    @Override
    public void step(int[] rows) {
      int size = size();
      if (rows.length != size) {
        throw new IllegalArgumentException(rows.length + " rows fed to a batch of " + size);
      }
      int total = cache.totalLength + 1;
      long[] ids = new long[size];
      long[] positions = new long[size];
      boolean[] mask = new boolean[size * total];
      int context = spec().contextLength();
      for (int b = 0; b < size; b++) {
        ids[b] = rows[b];
        positions[b] = Math.min(lengths[b], context - 1);
        lengths[b]++;
        for (int k = pad[b]; k < total; k++) mask[b * total + k] = true;
      }
      OnnxDecoder.Step past = cache;
      OnnxDecoder.Step next = decoder.run(ids, positions, mask, size, 1, past, 1, false);
      past.close();
      cache = next;
    }

    @Override
    public boolean reshapes() {
      return true;
    }

    @Override
    public void retain(int[] keep) {
      List<OnnxDecoder.CacheRow> parts = new ArrayList<>();
      int[] keptPad = new int[keep.length];
      int[] keptLengths = new int[keep.length];
      for (int i = 0; i < keep.length; i++) {
        parts.add(new OnnxDecoder.CacheRow(cache, keep[i]));
        keptPad[i] = pad[keep[i]];
        keptLengths[i] = lengths[keep[i]];
      }
      OnnxDecoder.Step compact = decoder.assemble(parts, cache.totalLength);
      cache.close();
      cache = compact;
      pad = keptPad;
      lengths = keptLengths;
    }

    @Override
    public void append(DecodeBatch other) {
      Batch fresh = (Batch) other;
      int total = Math.max(cache.totalLength, fresh.cache.totalLength);
      int size = size() + fresh.size();
      List<OnnxDecoder.CacheRow> parts = new ArrayList<>();
      int[] joinedPad = new int[size];
      int[] joinedLengths = new int[size];
      int j = 0;
      for (Batch from : List.of(this, fresh)) {
        for (int b = 0; b < from.size(); b++, j++) {
          parts.add(new OnnxDecoder.CacheRow(from.cache, b));
          joinedPad[j] = from.pad[b] + total - from.cache.totalLength;
          joinedLengths[j] = from.lengths[b];
        }
      }
      OnnxDecoder.Step merged = decoder.assemble(parts, total);
      cache.close();
      fresh.close();
      cache = merged;
      pad = joinedPad;
      lengths = joinedLengths;
    }

    @Override
    public void close() {
      cache.close();
    }
  }
}
