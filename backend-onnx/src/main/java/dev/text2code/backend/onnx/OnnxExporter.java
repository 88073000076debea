package dev.text2code.backend.onnx;

import static dev.text2code.backend.onnx.OnnxGraph.Attribute.ofFloat;
import static dev.text2code.backend.onnx.OnnxGraph.Attribute.ofInt;
import static dev.text2code.backend.onnx.OnnxGraph.Attribute.ofInts;

import dev.text2code.api.CheckpointException;
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
 *   <li>{@code position_ids} int64 [B, S]: rows of {@code wpe}, below the context length;
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
 * Outputs: {@code logits} float [B, K, rows] (tied head: {@code x @ wte^T}); {@code present_key.i},
 * {@code present_value.i} float [B, heads, T, head_dim], the cache to pass back as {@code past_*}.
 *
 * <p>Metadata properties {@code text2code.*} carry the model spec and the router's replication map
 * (see {@link OnnxModelInfo}), so an exported file is self-contained for generation. GELU is exact
 * ({@code 0.5·z·(1 + Erf(z/√2))}); LayerNorm is {@code LayerNormalization} with epsilon 1e-5.
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

  static OnnxGraph buildGraph(Checkpoint checkpoint, String externalLocation) {
    ModelSpec spec = checkpoint.spec();
    Map<String, Tensor> w = checkpoint.weights();
    int width = spec.width();
    int heads = spec.heads();
    int headSize = spec.headSize();
    OnnxGraph g =
        new OnnxGraph("text2code_decoder", "text2code decoder, docs/MODEL.md", externalLocation);

    g.input("input_ids", OnnxGraph.INT64, "batch", "sequence");
    g.input("position_ids", OnnxGraph.INT64, "batch", "sequence");
    g.input("attention_mask", OnnxGraph.BOOL, "batch", "sequence", "total_sequence");
    for (int i = 0; i < spec.layers(); i++) {
      g.input(
          "past_key." + i,
          OnnxGraph.FLOAT,
          "batch",
          (long) heads,
          "past_sequence",
          (long) headSize);
      g.input(
          "past_value." + i,
          OnnxGraph.FLOAT,
          "batch",
          (long) heads,
          "past_sequence",
          (long) headSize);
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
    String masked = g.scalar("masked_score", MASKED);
    String scale = g.scalar("sqrt_head_size", (float) Math.sqrt(headSize));
    String sqrt2 = g.scalar("sqrt_2", (float) Math.sqrt(2.0));
    String half = g.scalar("half", 0.5f);
    String one = g.scalar("one", 1f);
    String qkvShape = g.int64s("qkv_shape", 0, 0, 3L * heads, headSize);
    String widthShape = g.int64s("width_shape", 0, 0, width);
    String axisOne = g.int64s("axis_1", 1);
    String int64Max = g.int64s("int64_max", Long.MAX_VALUE);

    String x =
        g.op(
            "Add",
            g.op("Gather", new String[] {"wte", "input_ids"}, ofInt("axis", 0)),
            g.op("Gather", new String[] {"wpe", "position_ids"}, ofInt("axis", 0)));
    String mask = g.op("Unsqueeze", new String[] {"attention_mask", axisOne}); // [B,1,S,T]

    for (int i = 0; i < spec.layers(); i++) {
      String b = "h." + i + ".";
      String a = layerNorm(g, x, b + "ln_1");
      String qkv = linear(g, a, b + "attn.c_attn");
      // one reshape and transpose for all three: [B,S,3W] -> [B,S,3H,D] -> [B,3H,S,D], split by
      // thirds
      String qkvHeads =
          g.op("Transpose", g.op("Reshape", qkv, qkvShape), ofInts("perm", 0, 2, 1, 3));
      String qh = "q_" + i;
      String k = "k_" + i;
      String v = "v_" + i;
      g.node("Split", new String[] {qkvHeads}, new String[] {qh, k, v}, ofInt("axis", 1));
      String presentKey = "present_key." + i;
      String presentValue = "present_value." + i;
      g.node(
          "Concat", new String[] {"past_key." + i, k}, new String[] {presentKey}, ofInt("axis", 2));
      g.node(
          "Concat",
          new String[] {"past_value." + i, v},
          new String[] {presentValue},
          ofInt("axis", 2));
      String keysT = g.op("Transpose", presentKey, ofInts("perm", 0, 1, 3, 2));
      String scores = g.op("Div", g.op("MatMul", qh, keysT), scale);
      String allowed = g.op("Where", new String[] {mask, scores, masked});
      String p = g.op("Softmax", allowed, ofInt("axis", -1));
      String o = g.op("MatMul", p, presentValue); // [B,H,S,D]
      String merged =
          g.op("Reshape", g.op("Transpose", o, ofInts("perm", 0, 2, 1, 3)), widthShape); // [B,S,W]
      x = g.op("Add", x, linear(g, merged, b + "attn.c_proj"));
      String h = linear(g, layerNorm(g, x, b + "ln_2"), b + "mlp.c_fc");
      String erf = g.op("Erf", g.op("Div", h, sqrt2));
      String gelu = g.op("Mul", g.op("Mul", h, half), g.op("Add", erf, one));
      x = g.op("Add", x, linear(g, gelu, b + "mlp.c_proj"));
    }
    String f = layerNorm(g, x, "ln_f");
    String kept =
        g.op(
            "Slice", new String[] {f, g.op("Neg", "logits_to_keep"), int64Max, axisOne}); // [B,K,W]
    String wteT = g.op("Transpose", "wte", ofInts("perm", 1, 0));
    String raw = g.op("MatMul", kept, wteT);
    String allowedRows =
        g.op("Or", g.op("Not", "restrict_to_code"), "code_vocabulary_mask"); // [rows]
    g.node("Where", new String[] {allowedRows, raw, masked}, new String[] {"logits"});

    g.output("logits", OnnxGraph.FLOAT, "batch", "kept_sequence", (long) spec.embeddingRows());
    for (int i = 0; i < spec.layers(); i++) {
      g.output(
          "present_key." + i,
          OnnxGraph.FLOAT,
          "batch",
          (long) heads,
          "total_sequence",
          (long) headSize);
      g.output(
          "present_value." + i,
          OnnxGraph.FLOAT,
          "batch",
          (long) heads,
          "total_sequence",
          (long) headSize);
    }
    return g;
  }

  private static String layerNorm(OnnxGraph g, String x, String name) {
    return g.op(
        "LayerNormalization",
        new String[] {x, name + ".weight", name + ".bias"},
        ofInt("axis", -1),
        ofFloat("epsilon", 1e-5f));
  }

  private static String linear(OnnxGraph g, String x, String name) {
    return g.op("Add", g.op("MatMul", x, name + ".weight"), name + ".bias");
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
