package dev.text2code.backend.onnx;

import static dev.text2code.backend.onnx.OnnxGraph.Attribute.ofFloat;
import static dev.text2code.backend.onnx.OnnxGraph.Attribute.ofInt;
import static dev.text2code.backend.onnx.OnnxGraph.Attribute.ofInts;

import dev.text2code.api.CheckpointException;
import dev.text2code.api.backend.Architecture;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Writes a checkpoint as a standard ONNX model (IR 8, opset 17) of the decoder of docs/MODEL.md
 * with a key/value cache. Pure Java: no native library is involved.
 *
 * <h2>Graph interface</h2>
 *
 * Inputs ({@code B} batch, {@code S} new positions, {@code P} cached positions, {@code T = P + S}):
 *
 * <ul>
 *   <li>{@code input_ids} int64 [B, S]: embedding rows, i.e. token ids already routed through the
 *       checkpoint's router (replicated code-side rows included);
 *   <li>{@code position_ids} int64 [B, S]: rows of {@code wpe} (below the context length), or the
 *       positions of the rotary angles;
 *   <li>{@code attention_mask} bool [B, S, T]: true where new position {@code q} may attend key
 *       {@code k} (cached keys first). Excluded scores are set to -1e9 as in MODEL.md, so any
 *       pattern (causal, prefix square, left padding) is expressible;
 *   <li>{@code past_key.i}, {@code past_value.i} float [B, heads, P, head_dim] for every layer
 *       {@code i} (P may be 0);
 *   <li>{@code logits_to_keep} int64 [1]: logits are produced for the last K positions only (0
 *       means all), so generation does not pay for the full-vocabulary head over the whole prompt;
 *   <li>{@code restrict_to_code} bool [1]: when true, rows outside the router's code vocabulary get
 *       logit -1e9 (the mask is baked in as initializer {@code code_vocabulary_mask}).
 * </ul>
 *
 * Outputs: {@code logits} float [B, K, rows] ({@code x @ wte^T}, or the untied {@code lm_head});
 * {@code present_key.i}, {@code present_value.i} float [B, heads, T, head_dim], the cache to pass
 * back as {@code past_*}.
 *
 * <p>Metadata properties {@code text2code.*} carry the model spec and the router's replication map
 * (see {@link OnnxModelInfo}), so an exported file is self-contained for generation. Every switch
 * of the checkpoint's {@link Architecture} is honoured (backend-onnx/README.md lists the ops): with
 * rotary positions {@code position_ids} are the rotation's positions; with fewer key/value heads
 * the cache holds {@code kvHeads} heads; PanGu-α's top query layer is cache entry {@code layers}.
 * The SDK's own GPT has exact GELU ({@code 0.5·z·(1 + Erf(z/√2))}) and {@code LayerNormalization}.
 *
 * <p>A protobuf message must stay below 2 GiB, so above 1 GiB of weights (about 270M parameters)
 * the initializers go to ONNX external data, {@code MODEL.onnx.data} beside the model.
 */
public final class OnnxExporter {
  public static final int OPSET = 17;
  public static final int IR_VERSION = 8;
  public static final String FORMAT = "text2code-onnx-1";
  static final float MASKED = -1e9f;
  private static final long PROTOBUF_LIMIT = Integer.MAX_VALUE;

  /** Weights above this many bytes go to a data file beside the model (ONNX external data). */
  static final long EXTERNAL_DATA_ABOVE = 1L << 30;

  /** The external data file of {@code onnxFile}: its name plus {@code .data}, same directory. */
  public static Path externalDataFile(Path onnxFile) {
    return onnxFile.resolveSibling(onnxFile.getFileName() + ".data");
  }

  private OnnxExporter() {}

  /**
   * Exports the checkpoint directory to {@code onnxFile}, atomically (temporary file, then rename).
   */
  public static void export(Path checkpoint, Path onnxFile) {
    Checkpoint ckpt = Checkpoint.read(checkpoint);
    export(ckpt, fingerprint(checkpoint), onnxFile);
  }

  /** Exports an in-memory checkpoint; {@code sourceFingerprint} is stored in the metadata. */
  public static void export(Checkpoint checkpoint, String sourceFingerprint, Path onnxFile) {
    export(
        checkpoint,
        sourceFingerprint,
        onnxFile,
        4L * checkpoint.spec().parameterCount() > EXTERNAL_DATA_ABOVE);
  }

  /**
   * @param externalData put the weights into {@code externalDataFile(onnxFile)} instead of the
   *     model file (needed above 2 GiB, the protobuf limit; done automatically above 1 GiB)
   */
  static void export(
      Checkpoint checkpoint, String sourceFingerprint, Path onnxFile, boolean externalData) {
    Path target = onnxFile.toAbsolutePath();
    OnnxGraph graph =
        buildGraph(
            checkpoint, externalData ? externalDataFile(target).getFileName().toString() : null);
    Map<String, String> metadata = OnnxModelInfo.of(checkpoint, sourceFingerprint).toMetadata();
    writeAtomically(graph, metadata, target);
  }

  /** SHA-256 over the checkpoint's metadata and weights: identifies the export's source. */
  public static String fingerprint(Path checkpoint) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String file : new String[] {Checkpoint.METADATA_FILE, Checkpoint.WEIGHTS_FILE}) {
        try (InputStream in = Files.newInputStream(checkpoint.resolve(file))) {
          byte[] buffer = new byte[1 << 16];
          int n;
          while ((n = in.read(buffer)) > 0) digest.update(buffer, 0, n);
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new CheckpointException("cannot read checkpoint " + checkpoint + ": " + e, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static OnnxGraph buildGraph(Checkpoint checkpoint) {
    return buildGraph(checkpoint, null);
  }

  /** Cache entries: one per block, plus PanGu-α's top query layer. */
  static int cacheLayers(ModelSpec spec) {
    return spec.layers() + (spec.architecture().topQueryLayer() ? 1 : 0);
  }

  /** Key/value heads of cache entry {@code i} (the top query layer has all query heads). */
  static int cacheHeads(ModelSpec spec, int i) {
    return i < spec.layers() ? spec.kvHeads() : spec.heads();
  }

  static OnnxGraph buildGraph(Checkpoint checkpoint, String externalLocation) {
    return new Builder(checkpoint, externalLocation).build();
  }

  /** One export's graph: the switches of the checkpoint's {@link Architecture}, op by op. */
  private static final class Builder {
    private final Checkpoint checkpoint;
    private final ModelSpec spec;
    private final Architecture arch;
    private final OnnxGraph g;
    private final int heads;
    private final int kvHeads;
    private final int headSize;
    private final Map<Integer, String> windowMasks = new java.util.HashMap<>();
    private final java.util.Set<String> constants = new java.util.HashSet<>();
    private int names;
    private String masked;
    private String scale;
    private String half;
    private String one;
    private String axisOne;
    private String axisLast;
    private String mask; // [B,1,S,T]
    private String groupedMask; // [B,1,1,S,T]
    private String cos;
    private String sin;

    Builder(Checkpoint checkpoint, String externalLocation) {
      this.checkpoint = checkpoint;
      this.spec = checkpoint.spec();
      this.arch = spec.architecture();
      this.heads = spec.heads();
      this.kvHeads = spec.kvHeads();
      this.headSize = spec.headSize();
      this.g =
          new OnnxGraph("text2code_decoder", "text2code decoder, docs/MODEL.md", externalLocation);
    }

    OnnxGraph build() {
      Map<String, Tensor> w = checkpoint.weights();
      int caches = cacheLayers(spec);
      g.input("input_ids", OnnxGraph.INT64, "batch", "sequence");
      g.input("position_ids", OnnxGraph.INT64, "batch", "sequence");
      g.input("attention_mask", OnnxGraph.BOOL, "batch", "sequence", "total_sequence");
      for (int i = 0; i < caches; i++) {
        long h = cacheHeads(spec, i);
        g.input("past_key." + i, OnnxGraph.FLOAT, "batch", h, "past_sequence", (long) headSize);
        g.input("past_value." + i, OnnxGraph.FLOAT, "batch", h, "past_sequence", (long) headSize);
      }
      g.input("logits_to_keep", OnnxGraph.INT64, 1L);
      g.input("restrict_to_code", OnnxGraph.BOOL, 1L);

      // canonical order, not the map's: the same checkpoint gives the same bytes on every JVM
      for (ParameterLayout.Parameter p : ParameterLayout.parameters(spec)) {
        Tensor t = w.get(p.name());
        g.floatInitializer(p.name(), t.shape(), t.data());
      }
      boolean[] codeMask = checkpoint.router().codeVocabularyMask();
      g.boolInitializer("code_vocabulary_mask", new long[] {codeMask.length}, codeMask);
      masked = g.scalar("masked_score", MASKED);
      scale = g.scalar("sqrt_head_size", (float) Math.sqrt(headSize));
      half = g.scalar("half", 0.5f);
      one = g.scalar("one", 1f);
      axisOne = g.int64s("axis_1", 1);
      axisLast = g.int64s("axis_last", -1);
      String int64Max = g.int64s("int64_max", Long.MAX_VALUE);

      String tokens = g.op("Gather", new String[] {"wte", "input_ids"}, ofInt("axis", 0));
      String x =
          arch.positions().kind() == Architecture.PositionKind.LEARNED
              ? g.op(
                  "Add",
                  tokens,
                  g.op("Gather", new String[] {"wpe", "position_ids"}, ofInt("axis", 0)))
              : tokens;
      mask = g.op("Unsqueeze", new String[] {"attention_mask", axisOne}); // [B,1,S,T]
      if (kvHeads != heads) groupedMask = g.op("Unsqueeze", new String[] {mask, axisOne});
      if (arch.positions().kind() == Architecture.PositionKind.ROTARY) rotaryTables();

      for (int i = 0; i < spec.layers(); i++) {
        String b = "h." + i + ".";
        String a = norm(x, b + "ln_1");
        String attn = selfAttention(a, b, i);
        switch (arch.residual()) {
          case SEQUENTIAL -> {
            x = g.op("Add", x, attn);
            x = g.op("Add", x, mlp(norm(x, b + "ln_2"), b));
          }
          case PARALLEL_SHARED_NORM -> x = g.op("Add", g.op("Add", x, attn), mlp(a, b));
          case PARALLEL_TWO_NORMS ->
              x = g.op("Add", g.op("Add", x, attn), mlp(norm(x, b + "ln_2"), b));
        }
      }
      String f = norm(x, "ln_f");
      if (arch.topQueryLayer()) f = topQueryLayer(f, spec.layers());
      String kept =
          g.op(
              "Slice",
              new String[] {f, g.op("Neg", "logits_to_keep"), int64Max, axisOne}); // [B,K,W]
      String headWeight = arch.head().tied() ? "wte" : "lm_head.weight";
      String raw = g.op("MatMul", kept, g.op("Transpose", headWeight, ofInts("perm", 1, 0)));
      if (arch.head().bias()) raw = g.op("Add", raw, "lm_head.bias");
      String allowedRows =
          g.op("Or", g.op("Not", "restrict_to_code"), "code_vocabulary_mask"); // [rows]
      g.node("Where", new String[] {allowedRows, raw, masked}, new String[] {"logits"});

      g.output("logits", OnnxGraph.FLOAT, "batch", "kept_sequence", (long) spec.embeddingRows());
      for (int i = 0; i < caches; i++) {
        long h = cacheHeads(spec, i);
        g.output(
            "present_key." + i, OnnxGraph.FLOAT, "batch", h, "total_sequence", (long) headSize);
        g.output(
            "present_value." + i, OnnxGraph.FLOAT, "batch", h, "total_sequence", (long) headSize);
      }
      return g;
    }

    /** cos and sin of position · θ^(−2i/r), [B,1,S,r/2] (adjacent pairs: [B,1,S,r/2,1]). */
    private void rotaryTables() {
      int r = spec.rotaryDims();
      float[] inverse = new float[r / 2];
      for (int i = 0; i < r / 2; i++) {
        inverse[i] = (float) Math.pow(arch.positions().rotaryBase(), -2.0 * i / r);
      }
      g.floatInitializer("rotary_inverse_frequencies", new long[] {r / 2}, inverse);
      String positions =
          g.op(
              "Unsqueeze",
              new String[] {g.op("Cast", "position_ids", ofInt("to", OnnxGraph.FLOAT)), axisLast});
      String angle = g.op("Mul", positions, "rotary_inverse_frequencies"); // [B,S,r/2]
      cos = g.op("Unsqueeze", new String[] {g.op("Cos", angle), axisOne});
      sin = g.op("Unsqueeze", new String[] {g.op("Sin", angle), axisOne});
      if (arch.positions().pairing() == Architecture.RotaryPairing.ADJACENT) {
        cos = g.op("Unsqueeze", new String[] {cos, axisLast});
        sin = g.op("Unsqueeze", new String[] {sin, axisLast});
      }
    }

    /** Rotates the first r dims of every head of x [B,h,S,D]. */
    private String rotate(String x) {
      int r = spec.rotaryDims();
      String rotated = x;
      String pass = null;
      if (r < headSize) {
        String[] parts = split(x, 3, r, headSize - r);
        rotated = parts[0];
        pass = parts[1];
      }
      String out;
      if (arch.positions().pairing() == Architecture.RotaryPairing.HALF) {
        String[] p = split(rotated, 3, r / 2, r / 2);
        String[] t = turn(p[0], p[1]);
        out = g.op("Concat", new String[] {t[0], t[1]}, ofInt("axis", 3));
      } else {
        String pairs = g.op("Reshape", rotated, g.int64s(unique("pairs_shape"), 0, 0, 0, r / 2, 2));
        String[] p = split(pairs, 4, 1, 1);
        String[] t = turn(p[0], p[1]);
        out =
            g.op(
                "Reshape",
                g.op("Concat", new String[] {t[0], t[1]}, ofInt("axis", 4)),
                g.int64s(unique("rotated_shape"), 0, 0, 0, r));
      }
      return pass == null ? out : g.op("Concat", new String[] {out, pass}, ofInt("axis", 3));
    }

    /** (a cos − c sin, c cos + a sin). */
    private String[] turn(String a, String c) {
      return new String[] {
        g.op("Sub", g.op("Mul", a, cos), g.op("Mul", c, sin)),
        g.op("Add", g.op("Mul", c, cos), g.op("Mul", a, sin))
      };
    }

    private String unique(String base) {
      return base + "_" + names++;
    }

    private String[] split(String x, int axis, long... sizes) {
      String[] outs = new String[sizes.length];
      String stem = unique("split");
      for (int i = 0; i < outs.length; i++) outs[i] = stem + "_" + i;
      g.node(
          "Split",
          new String[] {x, g.int64s(unique("split_sizes"), sizes)},
          outs,
          ofInt("axis", axis));
      return outs;
    }

    /** [B,S,n·D] -> [B,n,S,D]. */
    private String toHeads(String x, int n) {
      return g.op(
          "Transpose",
          g.op("Reshape", x, g.int64s(unique("heads_shape"), 0, 0, n, headSize)),
          ofInts("perm", 0, 2, 1, 3));
    }

    private String selfAttention(String a, String b, int layer) {
      boolean bias = arch.attention().qkvBias();
      String q;
      String k;
      String v;
      if (arch.attention().fusedQkv() && kvHeads == heads) {
        // one reshape and transpose for all three: [B,S,3W] -> [B,S,3H,D] -> [B,3H,S,D], split by
        // thirds
        String qkv = linear(a, b + "attn.c_attn", bias);
        String qkvHeads =
            g.op("Transpose", g.op("Reshape", qkv, qkvShape()), ofInts("perm", 0, 2, 1, 3));
        q = "q_" + layer;
        k = "k_" + layer;
        v = "v_" + layer;
        g.node("Split", new String[] {qkvHeads}, new String[] {q, k, v}, ofInt("axis", 1));
      } else if (arch.attention().fusedQkv()) {
        String[] parts =
            split(
                linear(a, b + "attn.c_attn", bias),
                2,
                (long) heads * headSize,
                (long) kvHeads * headSize,
                (long) kvHeads * headSize);
        q = toHeads(parts[0], heads);
        k = toHeads(parts[1], kvHeads);
        v = toHeads(parts[2], kvHeads);
      } else {
        q = toHeads(linear(a, b + "attn.q_proj", bias), heads);
        k = toHeads(linear(a, b + "attn.k_proj", bias), kvHeads);
        v = toHeads(linear(a, b + "attn.v_proj", bias), kvHeads);
      }
      if (arch.positions().kind() == Architecture.PositionKind.ROTARY) {
        q = rotate(q);
        k = rotate(k);
      }
      String merged = attend(q, k, v, layer, kvHeads, arch.attention().windowOf(layer));
      return linear(merged, b + "attn.c_proj", arch.attention().projectionBias());
    }

    private String qkvShapeName;

    private String qkvShape() {
      if (qkvShapeName == null) {
        qkvShapeName = g.int64s("qkv_shape", 0, 0, 3L * heads, headSize);
      }
      return qkvShapeName;
    }

    /** Caches k and v as entry {@code i} and attends; returns [B,S,H·D]. */
    private String attend(String q, String k, String v, int i, int kv, int window) {
      String presentKey = "present_key." + i;
      String presentValue = "present_value." + i;
      g.node(
          "Concat", new String[] {"past_key." + i, k}, new String[] {presentKey}, ofInt("axis", 2));
      g.node(
          "Concat",
          new String[] {"past_value." + i, v},
          new String[] {presentValue},
          ofInt("axis", 2));
      boolean grouped = kv != heads;
      String keys = presentKey;
      String values = presentValue;
      String queries = q;
      String layerMask = grouped ? groupedMask : mask;
      if (grouped) {
        // query head h uses kv head h / G: [B,H,S,D] -> [B,KV,G,S,D] against [B,KV,1,T,D]
        queries =
            g.op("Reshape", q, g.int64s(unique("group_shape"), 0, kv, heads / kv, -1, headSize));
        String axisTwo = g.int64s(unique("axis_2"), 2);
        keys = g.op("Unsqueeze", new String[] {presentKey, axisTwo});
        values = g.op("Unsqueeze", new String[] {presentValue, axisTwo});
      }
      String keysT =
          g.op(
              "Transpose",
              keys,
              grouped ? ofInts("perm", 0, 1, 2, 4, 3) : ofInts("perm", 0, 1, 3, 2));
      String scores = g.op("MatMul", queries, keysT);
      if (arch.attention().scaled()) scores = g.op("Div", scores, scale);
      if (window > 0) layerMask = g.op("And", layerMask, windowMask(window));
      String allowed = g.op("Where", new String[] {layerMask, scores, masked});
      String p = g.op("Softmax", allowed, ofInt("axis", -1));
      String o = g.op("MatMul", p, values);
      if (grouped) {
        o = g.op("Reshape", o, g.int64s(unique("ungroup_shape"), 0, heads, -1, headSize));
      }
      return g.op(
          "Reshape", g.op("Transpose", o, ofInts("perm", 0, 2, 1, 3)), mergedShape()); // [B,S,H·D]
    }

    private String mergedShapeName;

    private String mergedShape() {
      if (mergedShapeName == null) {
        mergedShapeName = g.int64s("width_shape", 0, 0, (long) heads * headSize);
      }
      return mergedShapeName;
    }

    /**
     * [S,T], true where new position q (sequence index T − S + q) may see key k under a local
     * window w: (T − S + q) − k &lt; w. Distances do not change under left padding.
     */
    private String windowMask(int window) {
      return windowMasks.computeIfAbsent(
          window,
          w -> {
            String shape = g.op("Shape", "attention_mask");
            String s = g.op("Gather", new String[] {shape, g.int64Scalar(unique("index"), 1)});
            String t = g.op("Gather", new String[] {shape, g.int64Scalar(unique("index"), 2)});
            String step = g.int64Scalar(unique("step"), 1);
            String queries = g.op("Range", new String[] {g.op("Sub", t, s), t, step});
            String keys = g.op("Range", new String[] {g.int64Scalar(unique("zero"), 0), t, step});
            String distance =
                g.op(
                    "Sub",
                    g.op("Unsqueeze", new String[] {queries, axisLast}),
                    g.op("Unsqueeze", new String[] {keys, g.int64s(unique("axis_0"), 0)}));
            return g.op("Less", distance, g.int64Scalar(unique("window"), w));
          });
    }

    /** PanGu-α: the query is a learned embedding of the position; keys and values from h. */
    private String topQueryLayer(String f, int cacheIndex) {
      boolean bias = arch.attention().qkvBias();
      int width = spec.width();
      String queryRows =
          g.op("Gather", new String[] {"top_query_embedding", "position_ids"}, ofInt("axis", 0));
      String q = toHeads(linear(queryRows, "top.attn.q_proj", bias), heads);
      String[] kv = split(linear(norm(f, "top.ln_1"), "top.attn.c_attn", bias), 2, width, width);
      String o = attend(q, toHeads(kv[0], heads), toHeads(kv[1], heads), cacheIndex, heads, 0);
      String h = g.op("Add", f, linear(o, "top.attn.c_proj", arch.attention().projectionBias()));
      return g.op("Add", h, mlp(norm(h, "top.ln_2"), "top."));
    }

    private String mlp(String m, String b) {
      boolean bias = arch.mlp().bias();
      String h = linear(m, b + "mlp.c_fc", bias);
      String act =
          switch (arch.mlp().activation()) {
            case GELU -> {
              String erf = g.op("Erf", g.op("Div", h, constant("sqrt_2", (float) Math.sqrt(2.0))));
              yield g.op("Mul", g.op("Mul", h, half), g.op("Add", erf, one));
            }
            case GELU_TANH -> {
              String cube = g.op("Mul", g.op("Mul", h, h), h);
              String inner =
                  g.op(
                      "Mul",
                      g.op("Add", h, g.op("Mul", cube, constant("gelu_cubic", 0.044715f))),
                      constant("sqrt_2_over_pi", (float) Math.sqrt(2 / Math.PI)));
              yield g.op("Mul", g.op("Mul", h, half), g.op("Add", g.op("Tanh", inner), one));
            }
            case SILU_GATED -> {
              String gate = linear(m, b + "mlp.c_gate", bias);
              yield g.op("Mul", h, g.op("Mul", gate, g.op("Sigmoid", gate)));
            }
          };
      return linear(act, b + "mlp.c_proj", bias);
    }

    private String constant(String name, float value) {
      if (constants.add(name)) g.scalar(name, value);
      return name;
    }

    private String norm(String x, String name) {
      float eps = (float) arch.norm().epsilon();
      if (arch.norm().kind() == Architecture.NormKind.LAYER_NORM) {
        return g.op(
            "LayerNormalization",
            new String[] {x, name + ".weight", name + ".bias"},
            ofInt("axis", -1),
            ofFloat("epsilon", eps));
      }
      String meanSquare =
          g.op(
              "ReduceMean",
              new String[] {g.op("Mul", x, x)},
              ofInts("axes", -1),
              ofInt("keepdims", 1));
      String rms = g.op("Sqrt", g.op("Add", meanSquare, constant("norm_epsilon", eps)));
      return g.op("Mul", g.op("Div", x, rms), name + ".weight");
    }

    private String linear(String x, String name, boolean bias) {
      String y = g.op("MatMul", x, name + ".weight");
      return bias ? g.op("Add", y, name + ".bias") : y;
    }
  }

  private static void writeAtomically(OnnxGraph graph, Map<String, String> metadata, Path target) {
    ProtoWriter model = new ProtoWriter();
    model.int64(1, IR_VERSION);
    model.string(2, "text2code");
    model.string(
        3,
        OnnxExporter.class.getPackage().getImplementationVersion() == null
            ? "dev"
            : OnnxExporter.class.getPackage().getImplementationVersion());
    model.message(8, new ProtoWriter().string(1, "").int64(2, OPSET));
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      model.message(14, new ProtoWriter().string(1, e.getKey()).string(2, e.getValue()));
    }
    long graphSize = graph.encodedSize();
    byte[] header = ProtoWriter.lengthDelimitedHeader(7, graphSize);
    long total = model.size() + header.length + graphSize;
    if (total > PROTOBUF_LIMIT) {
      throw new CheckpointException(
          "cannot export to "
              + target
              + ": the model needs "
              + total
              + " bytes but a single ONNX protobuf file holds at most 2 GiB; export with"
              + " external data");
    }
    long stamp = System.nanoTime();
    Path temp = target.resolveSibling(target.getFileName() + ".partial-" + stamp);
    Path data = externalDataFile(target);
    Path tempData = data.resolveSibling(data.getFileName() + ".partial-" + stamp);
    try {
      Path parent = target.getParent();
      if (parent != null) Files.createDirectories(parent);
      boolean external = !graph.externalData().isEmpty();
      if (external) write(tempData, graph.externalData());
      try (OutputStream out =
          new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 20)) {
        out.write(model.toByteArray());
        out.write(header);
        for (byte[] part : graph.parts()) out.write(part);
      }
      // the data first, then the model that refers to it
      if (external) {
        Files.move(
            tempData, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      if (!external) Files.deleteIfExists(data); // a previous export's, now unreferenced
    } catch (IOException e) {
      throw new CheckpointException("cannot write ONNX model " + target + ": " + e, e);
    } finally {
      try {
        Files.deleteIfExists(temp);
        Files.deleteIfExists(tempData);
      } catch (IOException ignored) {
        // the temporary names never shadow a real model
      }
    }
  }

  private static void write(Path file, java.util.List<byte[]> chunks) throws IOException {
    try (OutputStream out =
        new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      for (byte[] chunk : chunks) out.write(chunk);
    }
  }
}
