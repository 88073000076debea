package dev.text2code.api.backend;

import static dev.text2code.api.ConfigurationException.require;

import dev.text2code.api.UnsupportedCapabilityException;
import dev.text2code.api.checkpoint.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The switches of the one decoder-only transformer every backend implements (docs/MODEL.md): a
 * model family (GPT-2, GPT-Neo, GPT-NeoX, CodeGen, Llama, PanGu-α, the SDK's own GPT) is a value of
 * this record, not new code. {@link #TEXT2CODE} is the model the SDK trains from scratch and the
 * meaning of every checkpoint written before architectures existed.
 *
 * @param norm the normalisation of every block and of the final norm
 * @param positions how positions enter: a learned table added to the input, or rotary q/k
 * @param attention q/k/v storage, biases, key/value heads, score scale and per-layer windows
 * @param mlp the feed-forward block
 * @param residual how a block combines attention and MLP with its input
 * @param head the output layer
 * @param topQueryLayer PanGu-α: one extra block after the final norm whose query comes from a
 *     learned embedding of the position (see docs/MODEL.md)
 */
public record Architecture(
    Norm norm,
    Positions positions,
    Attention attention,
    Mlp mlp,
    Residual residual,
    Head head,
    boolean topQueryLayer) {

  /** LayerNorm(weight, bias) or RMSNorm(weight). */
  public enum NormKind {
    LAYER_NORM,
    RMS_NORM
  }

  /** Where position information comes from. */
  public enum PositionKind {
    /** {@code wpe[position]} is added to the token embedding. */
    LEARNED,
    /** q and k of every head are rotated by position (RoPE); there is no position table. */
    ROTARY
  }

  /** Which dimensions of a head a rotation pairs. */
  public enum RotaryPairing {
    /** Dim i pairs with dim i + r/2 ("rotate half": Llama, GPT-NeoX). */
    HALF,
    /** Dim 2i pairs with dim 2i + 1 (interleaved: GPT-J, CodeGen). */
    ADJACENT
  }

  /** The MLP's activation; {@code SILU_GATED} is {@code down(silu(gate x) ⊙ up x)}. */
  public enum Activation {
    /** 0.5·z·(1 + erf(z/√2)). */
    GELU,
    /** 0.5·z·(1 + tanh(√(2/π)·(z + 0.044715·z³))), GPT-2's {@code gelu_new}. */
    GELU_TANH,
    /** SiLU-gated: {@code c_proj(silu(x·c_gate) ⊙ (x·c_fc))}. */
    SILU_GATED
  }

  /** How a block adds attention and MLP to its input h. */
  public enum Residual {
    /** h += attn(ln_1 h); h += mlp(ln_2 h). */
    SEQUENTIAL,
    /** h += attn(ln_1 h) + mlp(ln_1 h): one norm, no ln_2 (CodeGen, GPT-J). */
    PARALLEL_SHARED_NORM,
    /** h += attn(ln_1 h) + mlp(ln_2 h) (GPT-NeoX). */
    PARALLEL_TWO_NORMS
  }

  /**
   * @param kind LayerNorm or RMSNorm
   * @param epsilon added to the variance (or mean square) before the square root
   */
  public record Norm(NormKind kind, double epsilon) {
    public Norm {
      Objects.requireNonNull(kind, "norm.kind");
      require(epsilon > 0 && epsilon < 1, "model.architecture.norm.epsilon", epsilon, "in (0, 1)");
    }
  }

  /**
   * @param kind learned absolute table or rotary
   * @param rotaryBase θ of the inverse frequencies θ^(−2i/r) (ROTARY only; 10000 by convention)
   * @param rotaryDims r, the leading dims of each head that rotate; 0 = the whole head
   * @param pairing which dims a rotation pairs
   */
  public record Positions(
      PositionKind kind, double rotaryBase, int rotaryDims, RotaryPairing pairing) {
    public Positions {
      Objects.requireNonNull(kind, "positions.kind");
      Objects.requireNonNull(pairing, "positions.pairing");
      require(rotaryBase > 0, "model.architecture.positions.rotary-base", rotaryBase, "> 0");
      require(
          rotaryDims >= 0 && rotaryDims % 2 == 0,
          "model.architecture.positions.rotary-dims",
          rotaryDims,
          "an even number >= 0 (0 = the whole head)");
    }

    public static Positions learned() {
      return new Positions(PositionKind.LEARNED, 10000, 0, RotaryPairing.HALF);
    }

    public static Positions rotary(double base, int dims, RotaryPairing pairing) {
      return new Positions(PositionKind.ROTARY, base, dims, pairing);
    }
  }

  /**
   * @param fusedQkv one {@code c_attn} [W, (H + 2·KV)·D] with columns q | k | v, or separate {@code
   *     q_proj}, {@code k_proj}, {@code v_proj}
   * @param qkvBias whether q, k and v have biases
   * @param projectionBias whether the output projection {@code c_proj} has a bias
   * @param kvHeads key/value heads KV (multi-query 1, grouped-query H/KV queries per kv head); 0 =
   *     as many as query heads
   * @param scaled scores divided by √D, or not scaled at all (GPT-Neo)
   * @param windows per layer, 0 = global, w &gt; 0 = local: query i sees keys j with i − w &lt; j ≤
   *     i (sequence indices); empty = every layer global
   */
  public record Attention(
      boolean fusedQkv,
      boolean qkvBias,
      boolean projectionBias,
      int kvHeads,
      boolean scaled,
      List<Integer> windows) {
    public Attention {
      require(kvHeads >= 0, "model.architecture.attention.kv-heads", kvHeads, ">= 0");
      windows = List.copyOf(windows);
      for (int w : windows) {
        require(w >= 0, "model.architecture.attention.windows", windows, "values >= 0");
      }
    }

    /** The window of a layer (0 = global). */
    public int windowOf(int layer) {
      return windows.isEmpty() ? 0 : windows.get(layer);
    }
  }

  /**
   * @param activation GELU exact, GELU tanh, or SiLU-gated (gate, up, down)
   * @param inner the inner width I; 0 = 4 × width
   * @param bias whether the MLP's linear layers have biases
   */
  public record Mlp(Activation activation, int inner, boolean bias) {
    public Mlp {
      Objects.requireNonNull(activation, "mlp.activation");
      require(inner >= 0, "model.architecture.mlp.inner", inner, ">= 0 (0 = 4 x width)");
    }
  }

  /**
   * @param tied logits = h·wteᵀ, or a separate {@code lm_head.weight} [rows, W]
   * @param bias whether the head adds {@code lm_head.bias} [rows]
   */
  public record Head(boolean tied, boolean bias) {}

  /** The SDK's own GPT: pre-LayerNorm, learned positions, fused biased q/k/v, exact GELU, tied. */
  public static final Architecture TEXT2CODE =
      new Architecture(
          new Norm(NormKind.LAYER_NORM, 1e-5),
          Positions.learned(),
          new Attention(true, true, true, 0, true, List.of()),
          new Mlp(Activation.GELU, 0, true),
          Residual.SEQUENTIAL,
          new Head(true, false),
          false);

  public Architecture {
    Objects.requireNonNull(norm, "norm");
    Objects.requireNonNull(positions, "positions");
    Objects.requireNonNull(attention, "attention");
    Objects.requireNonNull(mlp, "mlp");
    Objects.requireNonNull(residual, "residual");
    Objects.requireNonNull(head, "head");
    require(
        !(topQueryLayer && positions.kind() != PositionKind.LEARNED),
        "model.architecture.top-query-layer",
        true,
        "false unless positions are learned (PanGu-α)");
  }

  /** GPT-2 (and PanGu-α's trunk): {@link #TEXT2CODE} with the tanh GELU. */
  public static Architecture gpt2() {
    return TEXT2CODE.withMlp(new Mlp(Activation.GELU_TANH, 0, true));
  }

  public Architecture withNorm(Norm value) {
    return new Architecture(value, positions, attention, mlp, residual, head, topQueryLayer);
  }

  public Architecture withPositions(Positions value) {
    return new Architecture(norm, value, attention, mlp, residual, head, topQueryLayer);
  }

  public Architecture withAttention(Attention value) {
    return new Architecture(norm, positions, value, mlp, residual, head, topQueryLayer);
  }

  public Architecture withMlp(Mlp value) {
    return new Architecture(norm, positions, attention, value, residual, head, topQueryLayer);
  }

  public Architecture withResidual(Residual value) {
    return new Architecture(norm, positions, attention, mlp, value, head, topQueryLayer);
  }

  public Architecture withHead(Head value) {
    return new Architecture(norm, positions, attention, mlp, residual, value, topQueryLayer);
  }

  public Architecture withTopQueryLayer(boolean value) {
    return new Architecture(norm, positions, attention, mlp, residual, head, value);
  }

  /** Whether this is the SDK's own GPT, the only architecture the backends implement so far. */
  public boolean isDefault() {
    return equals(TEXT2CODE);
  }

  /** The features that differ from {@link #TEXT2CODE}, in words (empty for the default). */
  public List<String> differencesFromDefault() {
    Architecture d = TEXT2CODE;
    List<String> out = new ArrayList<>();
    if (!norm.equals(d.norm)) out.add("norm " + norm.kind() + " eps " + norm.epsilon());
    if (!positions.equals(d.positions)) {
      out.add(
          positions.kind() == PositionKind.ROTARY
              ? "rotary positions ("
                  + positions.pairing()
                  + ", dims "
                  + positions.rotaryDims()
                  + ")"
              : "positions " + positions);
    }
    Attention a = attention;
    if (!a.fusedQkv()) out.add("separate q/k/v projections");
    if (!a.qkvBias()) out.add("q/k/v without bias");
    if (!a.projectionBias()) out.add("attention output projection without bias");
    if (a.kvHeads() != 0) out.add("grouped/multi-query attention (" + a.kvHeads() + " kv heads)");
    if (!a.scaled()) out.add("unscaled attention scores");
    if (a.windows().stream().anyMatch(w -> w > 0))
      out.add("local attention windows " + a.windows());
    if (mlp.activation() != d.mlp.activation()) out.add("MLP activation " + mlp.activation());
    if (mlp.inner() != 0) out.add("MLP inner size " + mlp.inner());
    if (!mlp.bias()) out.add("MLP without bias");
    if (residual != d.residual) out.add("residual " + residual);
    if (!head.tied()) out.add("untied output head");
    if (head.bias()) out.add("output head bias");
    if (topQueryLayer) out.add("PanGu-alpha top query layer");
    return out;
  }

  /**
   * Fails with an {@link UnsupportedCapabilityException} naming every feature this component does
   * not implement yet, unless this is {@link #TEXT2CODE}.
   */
  public void requireDefault(String component) {
    if (isDefault()) return;
    throw new UnsupportedCapabilityException(
        component
            + " implements only the text2code GPT architecture so far; this model needs "
            + String.join(", ", differencesFromDefault())
            + "; use a backend that implements them");
  }

  /**
   * The guard of a backend that loads a checkpoint directory: {@link #requireDefault} on its spec.
   * Anything that is not a checkpoint directory (an exported file, a missing path) passes, so the
   * backend reports it in its own words.
   */
  public static void requireDefault(Path checkpoint, String component) {
    if (Files.isRegularFile(checkpoint.resolve(Checkpoint.METADATA_FILE))) {
      Checkpoint.readSpec(checkpoint).architecture().requireDefault(component);
    }
  }
}
