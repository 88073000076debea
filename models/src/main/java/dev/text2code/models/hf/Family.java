package dev.text2code.models.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Separation;
import dev.text2code.api.backend.Architecture;
import dev.text2code.api.backend.Architecture.Activation;
import dev.text2code.api.backend.Architecture.Attention;
import dev.text2code.api.backend.Architecture.Head;
import dev.text2code.api.backend.Architecture.Mlp;
import dev.text2code.api.backend.Architecture.Norm;
import dev.text2code.api.backend.Architecture.NormKind;
import dev.text2code.api.backend.Architecture.Positions;
import dev.text2code.api.backend.Architecture.Residual;
import dev.text2code.api.backend.Architecture.RotaryPairing;
import dev.text2code.api.backend.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The Hugging Face model families the importer reads and the exporter writes: how each one's {@code
 * config.json} becomes a {@link ModelSpec} (and back), and where each SDK parameter lives in its
 * weight files ({@link TensorMapping}).
 */
public enum Family {
  /** {@code GPT2LMHeadModel}: learned positions, Conv1D [in, out] weights, tied head. */
  GPT2("gpt2", "GPT2LMHeadModel", "transformer.") {
    @Override
    ModelSpec spec(HfConfig c) {
      if (c.bool("scale_attn_by_inverse_layer_idx", false)) {
        throw c.unsupported("scale_attn_by_inverse_layer_idx", true, "false");
      }
      int width = c.requireInt("n_embd");
      Architecture arch =
          Architecture.TEXT2CODE
              .withNorm(new Norm(NormKind.LAYER_NORM, c.number("layer_norm_epsilon", 1e-5)))
              .withAttention(
                  new Attention(true, true, true, 0, c.bool("scale_attn_weights", true), List.of()))
              .withMlp(
                  new Mlp(
                      activation(c, "activation_function", "gelu_new"),
                      inner(c, "n_inner", width),
                      true))
              .withHead(new Head(c.bool("tie_word_embeddings", true), false));
      return shape(
          c,
          width,
          c.requireInt("n_layer"),
          c.requireInt("n_head"),
          c.requireInt("n_positions"),
          arch);
    }

    @Override
    TensorMapping mapping(String sdk, ModelSpec spec) {
      if (sdk.equals("lm_head.weight")) return TensorMapping.same(sdk, sdk);
      if (sdk.equals("wte") || sdk.equals("wpe"))
        return TensorMapping.same(sdk, prefix + sdk + ".weight");
      return TensorMapping.same(sdk, prefix + sdk);
    }

    @Override
    void writeConfig(ObjectNode o, ModelSpec spec) {
      Architecture a = spec.architecture();
      o.put("n_embd", spec.width());
      o.put("n_layer", spec.layers());
      o.put("n_head", spec.heads());
      o.put("n_positions", spec.contextLength());
      o.put("n_ctx", spec.contextLength());
      if (a.mlp().inner() == 0) o.putNull("n_inner");
      else o.put("n_inner", a.mlp().inner());
      o.put("activation_function", activationName(a.mlp().activation()));
      o.put("layer_norm_epsilon", a.norm().epsilon());
      o.put("scale_attn_weights", a.attention().scaled());
      o.put("scale_attn_by_inverse_layer_idx", false);
      o.put("reorder_and_upcast_attn", false);
      o.put("tie_word_embeddings", a.head().tied());
      zeroDropout(o, "attn_pdrop", "embd_pdrop", "resid_pdrop", "summary_first_dropout");
    }
  },

  /**
   * PanGu-α (the paper's backbone): GPT-2 blocks plus the top query layer; {@code model_type} says
   * gpt2 and only {@code architectures} ({@code PanguAlphaModel}) or the tensors tell it apart.
   */
  PANGU_ALPHA("gpt2", "PanguAlphaModel", "transformer.") {
    @Override
    ModelSpec spec(HfConfig c) {
      ModelSpec gpt2 = GPT2.spec(c);
      return gpt2.withArchitecture(
          gpt2.architecture().withHead(new Head(true, false)).withTopQueryLayer(true));
    }

    @Override
    TensorMapping mapping(String sdk, ModelSpec spec) {
      if (sdk.equals("top_query_embedding")) return TensorMapping.same(sdk, sdk + ".weight");
      if (sdk.startsWith("top.")) {
        String rest = sdk.substring("top.".length()).replace("attn.q_proj", "attn.q_attn");
        return TensorMapping.same(sdk, "top_query_layer." + rest);
      }
      return GPT2.mapping(sdk, spec);
    }

    @Override
    void writeConfig(ObjectNode o, ModelSpec spec) {
      GPT2.writeConfig(o, spec);
      o.remove("tie_word_embeddings");
    }
  },

  /** {@code GPTNeoForCausalLM}: separate bias-free q/k/v, unscaled scores, local/global layers. */
  GPT_NEO("gpt_neo", "GPTNeoForCausalLM", "transformer.") {
    @Override
    ModelSpec spec(HfConfig c) {
      int width = c.requireInt("hidden_size");
      int layers = c.requireInt("num_layers");
      List<String> kinds = c.strings("attention_layers");
      if (kinds.isEmpty()) kinds = expandAttentionTypes(c);
      if (kinds.size() != layers) {
        throw new ConfigurationException(
            c.file()
                + ": attention_layers lists "
                + kinds.size()
                + " layers but num_layers is "
                + layers);
      }
      int window = c.integer("window_size", 256);
      List<Integer> windows = new ArrayList<>();
      for (String k : kinds) {
        switch (k) {
          case "global" -> windows.add(0);
          case "local" -> windows.add(window);
          default -> throw c.unsupported("attention_layers", k, "global, local");
        }
      }
      if (windows.stream().allMatch(w -> w == 0)) windows = List.of();
      Architecture arch =
          Architecture.TEXT2CODE
              .withNorm(new Norm(NormKind.LAYER_NORM, c.number("layer_norm_epsilon", 1e-5)))
              .withAttention(new Attention(false, false, true, 0, false, windows))
              .withMlp(
                  new Mlp(
                      activation(c, "activation_function", "gelu_new"),
                      inner(c, "intermediate_size", width),
                      true))
              .withHead(new Head(c.bool("tie_word_embeddings", true), false));
      return shape(
          c,
          width,
          layers,
          c.requireInt("num_heads"),
          c.requireInt("max_position_embeddings"),
          arch);
    }

    @Override
    TensorMapping mapping(String sdk, ModelSpec spec) {
      if (sdk.equals("lm_head.weight")) return TensorMapping.same(sdk, sdk);
      if (sdk.equals("wte") || sdk.equals("wpe"))
        return TensorMapping.same(sdk, prefix + sdk + ".weight");
      if (sdk.contains(".attn.")) {
        String hf = sdk.replace(".attn.", ".attn.attention.").replace("c_proj", "out_proj");
        return TensorMapping.linear(sdk, prefix + hf);
      }
      if (sdk.contains(".mlp.")) return TensorMapping.linear(sdk, prefix + sdk);
      return TensorMapping.same(sdk, prefix + sdk);
    }

    @Override
    void writeConfig(ObjectNode o, ModelSpec spec) {
      Architecture a = spec.architecture();
      o.put("hidden_size", spec.width());
      o.put("num_layers", spec.layers());
      o.put("num_heads", spec.heads());
      o.put("max_position_embeddings", spec.contextLength());
      if (a.mlp().inner() == 0) o.putNull("intermediate_size");
      else o.put("intermediate_size", a.mlp().inner());
      o.put("activation_function", activationName(a.mlp().activation()));
      o.put("layer_norm_epsilon", a.norm().epsilon());
      int window = 256;
      ArrayNode layers = o.putArray("attention_layers");
      ArrayNode types = o.putArray("attention_types");
      for (int i = 0; i < spec.layers(); i++) {
        int w = a.attention().windowOf(i);
        if (w > 0) window = w;
        String kind = w > 0 ? "local" : "global";
        layers.add(kind);
        ArrayNode entry = types.addArray();
        entry.addArray().add(kind);
        entry.add(1);
      }
      for (int i = 0; i < spec.layers(); i++) {
        int w = a.attention().windowOf(i);
        if (w > 0 && w != window) {
          throw new ConfigurationException(
              "GPT-Neo has one window_size for all local layers; this model has "
                  + a.attention().windows());
        }
      }
      o.put("window_size", window);
      o.put("tie_word_embeddings", a.head().tied());
      zeroDropout(o, "attention_dropout", "embed_dropout", "resid_dropout");
    }
  },

  /** {@code GPTNeoXForCausalLM}: per-head fused [q|k|v], partial rotate-half rotary, parallel. */
  GPT_NEOX("gpt_neox", "GPTNeoXForCausalLM", "gpt_neox.") {
    @Override
    ModelSpec spec(HfConfig c) {
      c.requireAbsent("rope_scaling", "scaled rotary positions");
      int width = c.requireInt("hidden_size");
      int heads = c.requireInt("num_attention_heads");
      int head = width / heads;
      int rotary = (int) (head * c.number("rotary_pct", 0.25));
      boolean bias = c.bool("attention_bias", true);
      Architecture arch =
          Architecture.TEXT2CODE
              .withNorm(new Norm(NormKind.LAYER_NORM, c.number("layer_norm_eps", 1e-5)))
              .withPositions(
                  Positions.rotary(
                      c.number("rotary_emb_base", 10000),
                      rotary == head ? 0 : rotary,
                      RotaryPairing.HALF))
              .withAttention(new Attention(true, bias, bias, 0, true, List.of()))
              .withMlp(
                  new Mlp(
                      activation(c, "hidden_act", "gelu"),
                      inner(c, "intermediate_size", width),
                      true))
              .withResidual(
                  c.bool("use_parallel_residual", true)
                      ? Residual.PARALLEL_TWO_NORMS
                      : Residual.SEQUENTIAL)
              .withHead(new Head(c.bool("tie_word_embeddings", false), false));
      return shape(
          c,
          width,
          c.requireInt("num_hidden_layers"),
          heads,
          c.requireInt("max_position_embeddings"),
          arch);
    }

    @Override
    TensorMapping mapping(String sdk, ModelSpec spec) {
      if (sdk.equals("wte")) return TensorMapping.same(sdk, prefix + "embed_in.weight");
      if (sdk.equals("lm_head.weight")) return TensorMapping.same(sdk, "embed_out.weight");
      if (sdk.startsWith("ln_f."))
        return TensorMapping.same(sdk, prefix + "final_layer_norm." + suffix(sdk));
      String layer = prefix + "layers." + sdk.split("\\.")[1] + ".";
      String part = sdk.substring(sdk.indexOf('.', 2) + 1);
      return switch (part.substring(0, part.lastIndexOf('.'))) {
        case "ln_1" -> TensorMapping.same(sdk, layer + "input_layernorm." + suffix(sdk));
        case "ln_2" -> TensorMapping.same(sdk, layer + "post_attention_layernorm." + suffix(sdk));
        case "attn.c_attn" ->
            new TensorMapping(
                sdk,
                layer + "attention.query_key_value." + suffix(sdk),
                sdk.endsWith(".weight"),
                perHeadQkv(spec));
        case "attn.c_proj" -> TensorMapping.linear(sdk, layer + "attention.dense." + suffix(sdk));
        case "mlp.c_fc" -> TensorMapping.linear(sdk, layer + "mlp.dense_h_to_4h." + suffix(sdk));
        case "mlp.c_proj" -> TensorMapping.linear(sdk, layer + "mlp.dense_4h_to_h." + suffix(sdk));
        default -> throw new IllegalStateException("no GPT-NeoX tensor for " + sdk);
      };
    }

    @Override
    void writeConfig(ObjectNode o, ModelSpec spec) {
      Architecture a = spec.architecture();
      o.put("hidden_size", spec.width());
      o.put("num_hidden_layers", spec.layers());
      o.put("num_attention_heads", spec.heads());
      o.put("intermediate_size", spec.mlpInner());
      o.put("max_position_embeddings", spec.contextLength());
      o.put("rotary_pct", rotaryFraction(spec));
      o.put("rotary_emb_base", a.positions().rotaryBase());
      o.putNull("rope_scaling");
      o.put("attention_bias", a.attention().qkvBias());
      o.put("use_parallel_residual", a.residual() == Residual.PARALLEL_TWO_NORMS);
      o.put("layer_norm_eps", a.norm().epsilon());
      o.put("hidden_act", activationName(a.mlp().activation()));
      o.put("tie_word_embeddings", a.head().tied());
      zeroDropout(o, "attention_dropout", "hidden_dropout");
    }
  },

  /** {@code CodeGenForCausalLM}: fused q|v|k in 4 shards, adjacent-pair rotary, one shared norm. */
  CODEGEN("codegen", "CodeGenForCausalLM", "transformer.") {
    @Override
    ModelSpec spec(HfConfig c) {
      int width = c.requireInt("n_embd");
      int heads = c.requireInt("n_head");
      if (heads % CODEGEN_SHARDS != 0) {
        throw c.unsupported(
            "n_head", heads, "a multiple of " + CODEGEN_SHARDS + " (CodeGen's fused q/v/k shards)");
      }
      int rotary = c.integer("rotary_dim", 0);
      Architecture arch =
          Architecture.TEXT2CODE
              .withNorm(new Norm(NormKind.LAYER_NORM, c.number("layer_norm_epsilon", 1e-5)))
              .withPositions(
                  Positions.rotary(
                      10000, rotary == width / heads ? 0 : rotary, RotaryPairing.ADJACENT))
              .withAttention(new Attention(true, false, false, 0, true, List.of()))
              .withMlp(
                  new Mlp(
                      activation(c, "activation_function", "gelu_new"),
                      inner(c, "n_inner", width),
                      true))
              .withResidual(Residual.PARALLEL_SHARED_NORM)
              .withHead(new Head(c.bool("tie_word_embeddings", false), true));
      return shape(c, width, c.requireInt("n_layer"), heads, c.requireInt("n_positions"), arch);
    }

    @Override
    TensorMapping mapping(String sdk, ModelSpec spec) {
      if (sdk.startsWith("lm_head.")) return TensorMapping.same(sdk, sdk);
      if (sdk.equals("wte")) return TensorMapping.same(sdk, prefix + "wte.weight");
      if (sdk.endsWith("attn.c_attn.weight")) {
        return new TensorMapping(
            sdk, prefix + sdk.replace("c_attn", "qkv_proj"), true, codegenQkv(spec));
      }
      if (sdk.contains("attn.c_proj"))
        return TensorMapping.linear(sdk, prefix + sdk.replace("c_proj", "out_proj"));
      if (sdk.contains("mlp.c_fc"))
        return TensorMapping.linear(sdk, prefix + sdk.replace("c_fc", "fc_in"));
      if (sdk.contains("mlp.c_proj"))
        return TensorMapping.linear(sdk, prefix + sdk.replace("c_proj", "fc_out"));
      return TensorMapping.same(sdk, prefix + sdk);
    }

    @Override
    void writeConfig(ObjectNode o, ModelSpec spec) {
      Architecture a = spec.architecture();
      o.put("n_embd", spec.width());
      o.put("n_layer", spec.layers());
      o.put("n_head", spec.heads());
      o.put("n_positions", spec.contextLength());
      o.put("n_ctx", spec.contextLength());
      if (a.mlp().inner() == 0) o.putNull("n_inner");
      else o.put("n_inner", a.mlp().inner());
      o.put("rotary_dim", spec.rotaryDims());
      o.put("activation_function", activationName(a.mlp().activation()));
      o.put("layer_norm_epsilon", a.norm().epsilon());
      o.put("tie_word_embeddings", a.head().tied());
      zeroDropout(o, "attn_pdrop", "embd_pdrop", "resid_pdrop");
    }
  },

  /** {@code LlamaForCausalLM}: RMSNorm, rotate-half RoPE, grouped kv heads, SiLU-gated MLP. */
  LLAMA("llama", "LlamaForCausalLM", "model.") {
    @Override
    ModelSpec spec(HfConfig c) {
      return llamaSpec(c, 0, 0);
    }

    @Override
    TensorMapping mapping(String sdk, ModelSpec spec) {
      if (sdk.equals("wte")) return TensorMapping.same(sdk, prefix + "embed_tokens.weight");
      if (sdk.equals("lm_head.weight")) return TensorMapping.same(sdk, sdk);
      if (sdk.startsWith("ln_f.")) return TensorMapping.same(sdk, prefix + "norm." + suffix(sdk));
      String layer = prefix + "layers." + sdk.split("\\.")[1] + ".";
      String part = sdk.substring(sdk.indexOf('.', 2) + 1);
      String module = part.substring(0, part.lastIndexOf('.'));
      String hf =
          switch (module) {
            case "ln_1" -> "input_layernorm";
            case "ln_2" -> "post_attention_layernorm";
            case "attn.q_proj" -> "self_attn.q_proj";
            case "attn.k_proj" -> "self_attn.k_proj";
            case "attn.v_proj" -> "self_attn.v_proj";
            case "attn.c_proj" -> "self_attn.o_proj";
            case "mlp.c_gate" -> "mlp.gate_proj";
            case "mlp.c_fc" -> "mlp.up_proj";
            case "mlp.c_proj" -> "mlp.down_proj";
            default -> throw new IllegalStateException("no Llama tensor for " + sdk);
          };
      String name = layer + hf + "." + suffix(sdk);
      return module.startsWith("ln_")
          ? TensorMapping.same(sdk, name)
          : TensorMapping.linear(sdk, name);
    }

    @Override
    void writeConfig(ObjectNode o, ModelSpec spec) {
      Architecture a = spec.architecture();
      o.put("hidden_size", spec.width());
      o.put("num_hidden_layers", spec.layers());
      o.put("num_attention_heads", spec.heads());
      o.put("num_key_value_heads", spec.kvHeads());
      o.put("intermediate_size", spec.mlpInner());
      o.put("max_position_embeddings", spec.contextLength());
      o.put("rms_norm_eps", a.norm().epsilon());
      o.put("rope_theta", a.positions().rotaryBase());
      o.putNull("rope_scaling");
      o.put("attention_bias", a.attention().qkvBias());
      o.put("mlp_bias", a.mlp().bias());
      o.put("hidden_act", "silu");
      o.put("pretraining_tp", 1);
      o.put("tie_word_embeddings", a.head().tied());
      o.put("attention_dropout", 0.0);
    }
  },

  /**
   * {@code MistralForCausalLM}: Llama's blocks with a sliding window in every layer (query i sees
   * keys i − w &lt; j ≤ i, as transformers 4.36's eager mask) and its own defaults.
   */
  MISTRAL("mistral", "MistralForCausalLM", "model.") {
    @Override
    ModelSpec spec(HfConfig c) {
      if (c.has("attention_bias") || c.has("mlp_bias")) {
        throw c.unsupported(
            "attention_bias / mlp_bias", "present", "absent (Mistral has no biases)");
      }
      return llamaSpec(c, 8, 4096);
    }

    @Override
    TensorMapping mapping(String sdk, ModelSpec spec) {
      return LLAMA.mapping(sdk, spec);
    }

    @Override
    void writeConfig(ObjectNode o, ModelSpec spec) {
      LLAMA.writeConfig(o, spec);
      o.remove("attention_bias");
      o.remove("mlp_bias");
      o.remove("pretraining_tp");
      List<Integer> windows = spec.architecture().attention().windows();
      int w = windows.isEmpty() ? 0 : windows.get(0);
      if (w > 0 && windows.stream().anyMatch(x -> x != w)) {
        throw new ConfigurationException(
            "Mistral has one sliding_window for every layer; this model has " + windows);
      }
      if (w == 0) o.putNull("sliding_window");
      else o.put("sliding_window", w);
    }
  };

  static ModelSpec llamaSpec(HfConfig c, int defaultKvHeads, int defaultWindow) {
    c.requireAbsent("rope_scaling", "scaled rotary positions");
    int width = c.requireInt("hidden_size");
    int heads = c.requireInt("num_attention_heads");
    if (c.has("head_dim") && c.integer("head_dim", 0) != width / heads) {
      throw c.unsupported(
          "head_dim",
          c.integer("head_dim", 0),
          "hidden_size / num_attention_heads = " + width / heads);
    }
    String act = c.string("hidden_act", "silu");
    if (!act.equals("silu")) throw c.unsupported("hidden_act", act, "silu");
    int kv = c.integer("num_key_value_heads", defaultKvHeads == 0 ? heads : defaultKvHeads);
    boolean bias = c.bool("attention_bias", false);
    int layers = c.requireInt("num_hidden_layers");
    // Mistral: sliding_window absent = its default, null = no window; Llama has none
    int window =
        defaultWindow == 0
                || (c.root().has("sliding_window") && c.root().get("sliding_window").isNull())
            ? 0
            : c.integer("sliding_window", defaultWindow);
    List<Integer> windows = window > 0 ? java.util.Collections.nCopies(layers, window) : List.of();
    Architecture arch =
        Architecture.TEXT2CODE
            .withNorm(new Norm(NormKind.RMS_NORM, c.number("rms_norm_eps", 1e-6)))
            .withPositions(Positions.rotary(c.number("rope_theta", 10000), 0, RotaryPairing.HALF))
            .withAttention(new Attention(false, bias, bias, kv == heads ? 0 : kv, true, windows))
            .withMlp(
                new Mlp(
                    Activation.SILU_GATED,
                    inner(c, "intermediate_size", width),
                    c.bool("mlp_bias", false)))
            .withHead(new Head(c.bool("tie_word_embeddings", false), false));
    return shape(c, width, layers, heads, c.requireInt("max_position_embeddings"), arch);
  }

  static final int CODEGEN_SHARDS = 4;

  final String modelType;
  final String architectureClass;
  final String prefix;

  Family(String modelType, String architectureClass, String prefix) {
    this.modelType = modelType;
    this.architectureClass = architectureClass;
    this.prefix = prefix;
  }

  /** The {@code model_type} of its config.json. */
  public String modelType() {
    return modelType;
  }

  /** The transformers class that loads it ({@code architectures[0]}). */
  public String architectureClass() {
    return architectureClass;
  }

  /** The name used in messages and provenance ({@code "gpt_neox"}, {@code "pangu_alpha"}). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  abstract ModelSpec spec(HfConfig config);

  abstract TensorMapping mapping(String sdkName, ModelSpec spec);

  abstract void writeConfig(ObjectNode config, ModelSpec spec);

  /** The family named by a config.json; PanGu-α when its class (or a top query layer) says so. */
  static Family of(HfConfig config, boolean hasTopQueryLayer) {
    String type = config.string("model_type", null);
    if (type == null) {
      throw new ConfigurationException(
          config.file() + ": model_type is missing; supported: " + supported());
    }
    if (type.equals("gpt2")
        && (hasTopQueryLayer || config.strings("architectures").contains("PanguAlphaModel"))) {
      return PANGU_ALPHA;
    }
    for (Family f : values()) {
      if (f != PANGU_ALPHA && f.modelType.equals(type)) return f;
    }
    throw new ConfigurationException(
        config.file() + ": model_type " + type + " is not supported; supported: " + supported());
  }

  /** The model_type values the importer reads. */
  public static List<String> supported() {
    return Arrays.stream(values()).filter(f -> f != PANGU_ALPHA).map(f -> f.modelType).toList();
  }

  /** The config.json of a model of this family (sizes, switches, dtype). */
  ObjectNode config(ModelSpec spec, String dtype) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.putArray("architectures").add(architectureClass);
    o.put("model_type", modelType);
    o.put("vocab_size", spec.embeddingRows());
    writeConfig(o, spec);
    o.put("torch_dtype", dtype);
    o.put("use_cache", true);
    return o;
  }

  // --- shared pieces ---

  static ModelSpec shape(
      HfConfig c, int width, int layers, int heads, int context, Architecture arch) {
    if (width % heads != 0) {
      throw new ConfigurationException(
          c.file() + ": the width " + width + " is not a multiple of the " + heads + " heads");
    }
    return new ModelSpec(
        layers, heads, width, context, c.requireInt("vocab_size"), Separation.NONE, 0.0, arch);
  }

  static int inner(HfConfig c, String key, int width) {
    int inner = c.integer(key, 0);
    return inner == 4 * width ? 0 : inner;
  }

  static Activation activation(HfConfig c, String key, String fallback) {
    String name = c.string(key, fallback);
    return switch (name) {
      case "gelu" -> Activation.GELU;
      case "gelu_new", "gelu_pytorch_tanh" -> Activation.GELU_TANH;
      default -> throw c.unsupported(key, name, "gelu, gelu_new, gelu_pytorch_tanh");
    };
  }

  static String activationName(Activation a) {
    return switch (a) {
      case GELU -> "gelu";
      case GELU_TANH -> "gelu_new";
      case SILU_GATED -> "silu";
    };
  }

  static List<String> expandAttentionTypes(HfConfig c) {
    List<String> out = new ArrayList<>();
    if (!c.root().path("attention_types").isArray()) {
      throw new ConfigurationException(
          c.file() + ": attention_layers and attention_types are missing");
    }
    for (var entry : c.root().path("attention_types")) {
      for (int r = 0; r < entry.get(1).asInt(); r++) {
        for (var kind : entry.get(0)) out.add(kind.asText());
      }
    }
    return out;
  }

  static String suffix(String name) {
    return name.substring(name.lastIndexOf('.') + 1);
  }

  static void zeroDropout(ObjectNode o, String... keys) {
    for (String k : keys) o.put(k, 0.0);
  }

  /**
   * A rotary fraction f with int(headSize·f) equal to the rotated dims, as transformers computes.
   */
  static double rotaryFraction(ModelSpec spec) {
    int head = spec.headSize();
    int dims = spec.rotaryDims();
    double f = (double) dims / head;
    while ((int) (head * f) < dims) f = Math.nextUp(f);
    return f;
  }

  /** GPT-NeoX stores output unit h·3D + p·D + i for part p (q, k, v) of head h. */
  static int[] perHeadQkv(ModelSpec spec) {
    int h = spec.heads();
    int d = spec.headSize();
    int w = h * d;
    int[] order = new int[3 * w];
    for (int p = 0; p < 3; p++) {
      for (int head = 0; head < h; head++) {
        for (int i = 0; i < d; i++) order[p * w + head * d + i] = head * 3 * d + p * d + i;
      }
    }
    return order;
  }

  /**
   * CodeGen stores 4 shards of [q | v | k], each a quarter of every projection's width: q unit c
   * lies in shard c / L at offset c % L (L = width / 4), v and k after it in that shard.
   */
  static int[] codegenQkv(ModelSpec spec) {
    int w = spec.width();
    int local = w / CODEGEN_SHARDS;
    int[] storedPart = {0, 2, 1}; // SDK parts q, k, v sit at q, v, k within a shard
    int[] order = new int[3 * w];
    for (int p = 0; p < 3; p++) {
      for (int c = 0; c < w; c++) {
        order[p * w + c] = (c / local) * 3 * local + storedPart[p] * local + c % local;
      }
    }
    return order;
  }
}
