package dev.text2code.api.backend;

import static dev.text2code.api.ConfigurationException.require;

import dev.text2code.api.Separation;
import dev.text2code.api.checkpoint.ParameterLayout;
import java.util.Objects;

/**
 * The shape of a decoder-only transformer and its {@link Architecture} (docs/MODEL.md).
 *
 * @param layers transformer blocks
 * @param heads attention (query) heads; must divide {@code width}
 * @param width model (embedding) dimension
 * @param contextLength maximum positions
 * @param embeddingRows rows of the token embedding = output classes ({@code
 *     ModalityRouter.embeddingRows()})
 * @param separation the embedding separation the rows were built for
 * @param dropout dropout probability in [0, 1)
 * @param architecture the switches of the forward pass; {@link Architecture#TEXT2CODE} for the
 *     SDK's own GPT
 */
public record ModelSpec(
    int layers,
    int heads,
    int width,
    int contextLength,
    int embeddingRows,
    Separation separation,
    double dropout,
    Architecture architecture) {
  public ModelSpec {
    require(layers > 0, "model.layers", layers, "a positive integer");
    require(heads > 0, "model.heads", heads, "a positive integer");
    require(
        width > 0 && width % heads == 0,
        "model.width",
        width,
        "a positive multiple of model.heads (" + heads + ")");
    require(contextLength > 0, "model.context", contextLength, "a positive integer");
    require(embeddingRows > 0, "model.embedding-rows", embeddingRows, "a positive integer");
    Objects.requireNonNull(separation, "separation");
    require(dropout >= 0 && dropout < 1, "model.dropout", dropout, "a value in [0, 1)");
    Objects.requireNonNull(architecture, "architecture");
    int kv = architecture.attention().kvHeads();
    require(
        kv == 0 || (kv <= heads && heads % kv == 0),
        "model.architecture.attention.kv-heads",
        kv,
        "0 or a divisor of model.heads (" + heads + ")");
    int windows = architecture.attention().windows().size();
    require(
        windows == 0 || windows == layers,
        "model.architecture.attention.windows",
        architecture.attention().windows(),
        "empty or one entry per layer (" + layers + ")");
    int rotary = architecture.positions().rotaryDims();
    require(
        rotary <= width / heads,
        "model.architecture.positions.rotary-dims",
        rotary,
        "at most the head size (" + width / heads + ")");
  }

  /** The SDK's own GPT ({@link Architecture#TEXT2CODE}). */
  public ModelSpec(
      int layers,
      int heads,
      int width,
      int contextLength,
      int embeddingRows,
      Separation separation,
      double dropout) {
    this(
        layers,
        heads,
        width,
        contextLength,
        embeddingRows,
        separation,
        dropout,
        Architecture.TEXT2CODE);
  }

  public int headSize() {
    return width / heads;
  }

  /**
   * Key/value heads (equal to {@link #heads()} unless the attention is multi- or grouped-query).
   */
  public int kvHeads() {
    int kv = architecture.attention().kvHeads();
    return kv == 0 ? heads : kv;
  }

  /** The MLP's inner width. */
  public int mlpInner() {
    int inner = architecture.mlp().inner();
    return inner == 0 ? 4 * width : inner;
  }

  /** Rotated dims per head (0 with learned positions). */
  public int rotaryDims() {
    if (architecture.positions().kind() != Architecture.PositionKind.ROTARY) return 0;
    int r = architecture.positions().rotaryDims();
    return r == 0 ? headSize() : r;
  }

  /** The same model with another architecture. */
  public ModelSpec withArchitecture(Architecture value) {
    return new ModelSpec(
        layers, heads, width, contextLength, embeddingRows, separation, dropout, value);
  }

  /** Trainable parameters: every tensor of {@link ParameterLayout#parameters(ModelSpec)}. */
  public long parameterCount() {
    long n = 0;
    for (ParameterLayout.Parameter p : ParameterLayout.parameters(this)) {
      long size = 1;
      for (long d : p.shape()) size *= d;
      n += size;
    }
    return n;
  }
}
