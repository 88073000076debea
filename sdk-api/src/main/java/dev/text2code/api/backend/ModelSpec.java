package dev.text2code.api.backend;

import static dev.text2code.api.ConfigurationException.require;

import dev.text2code.api.Separation;
import java.util.Objects;

/**
 * The shape of a decoder-only transformer (pre-LayerNorm, GELU, tied output layer).
 *
 * @param layers transformer blocks
 * @param heads attention heads; must divide {@code width}
 * @param width model (embedding) dimension
 * @param contextLength maximum positions
 * @param embeddingRows rows of the token embedding = output classes ({@code
 *     ModalityRouter.embeddingRows()})
 * @param separation the embedding separation the rows were built for
 * @param dropout dropout probability in [0, 1)
 */
public record ModelSpec(
    int layers,
    int heads,
    int width,
    int contextLength,
    int embeddingRows,
    Separation separation,
    double dropout) {
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
  }

  public int headSize() {
    return width / heads;
  }

  /**
   * Trainable parameters: embeddings, positions, blocks and the final LayerNorm (the LM head is
   * tied).
   */
  public long parameterCount() {
    long w = width;
    long perBlock =
        2 * (2 * w) + (w * 3 * w + 3 * w) + (w * w + w) + (w * 4 * w + 4 * w) + (4 * w * w + w);
    return (long) embeddingRows * w + (long) contextLength * w + layers * perBlock + 2 * w;
  }
}
