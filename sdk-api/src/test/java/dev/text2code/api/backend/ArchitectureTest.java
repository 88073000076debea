package dev.text2code.api.backend;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.UnsupportedCapabilityException;
import dev.text2code.api.backend.Architecture.Activation;
import dev.text2code.api.backend.Architecture.Attention;
import dev.text2code.api.backend.Architecture.Head;
import dev.text2code.api.backend.Architecture.Mlp;
import dev.text2code.api.backend.Architecture.Norm;
import dev.text2code.api.backend.Architecture.NormKind;
import dev.text2code.api.backend.Architecture.Positions;
import dev.text2code.api.backend.Architecture.Residual;
import dev.text2code.api.backend.Architecture.RotaryPairing;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchitectureTest {
  @TempDir Path temp;

  /** A Llama-like model: every switch away from the default. */
  static Architecture llamaLike() {
    return Architecture.TEXT2CODE
        .withNorm(new Norm(NormKind.RMS_NORM, 1e-6))
        .withPositions(Positions.rotary(500000, 0, RotaryPairing.HALF))
        .withAttention(new Attention(false, false, false, 1, true, List.of(0, 4)))
        .withMlp(new Mlp(Activation.SILU_GATED, 20, false))
        .withResidual(Residual.PARALLEL_TWO_NORMS)
        .withHead(new Head(false, true));
  }

  @Test
  void theOldConstructorIsTheSdksOwnGptWithTheSameParametersAsBefore() {
    ModelSpec spec = new ModelSpec(2, 2, 8, 16, 12, Separation.NONE, 0.0);
    assertEquals(Architecture.TEXT2CODE, spec.architecture());
    long w = 8;
    long perBlock =
        4 * w + (3 * w * w + 3 * w) + (w * w + w) + (4 * w * w + 4 * w) + (4 * w * w + w);
    assertEquals(12 * w + 16 * w + 2 * perBlock + 2 * w, spec.parameterCount());
    List<String> names =
        ParameterLayout.parameters(spec).stream().map(ParameterLayout.Parameter::name).toList();
    assertEquals("wte", names.get(0));
    assertEquals("wpe", names.get(1));
    assertEquals("h.0.ln_1.weight", names.get(2));
    assertEquals("ln_f.bias", names.get(names.size() - 1));
    assertEquals(2 + 2 * 12 + 2, names.size());
  }

  @Test
  void theLayoutFollowsTheSwitches() {
    ModelSpec spec = new ModelSpec(2, 4, 16, 32, 10, Separation.NONE, 0.0, llamaLike());
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (ParameterLayout.Parameter p : ParameterLayout.parameters(spec))
      shapes.put(p.name(), p.shape());
    assertTrue(
        !shapes.containsKey("wpe") && !shapes.containsKey("h.0.ln_1.bias"),
        shapes.keySet().toString());
    assertEquals(
        List.of(16L, 4L),
        List.of(shapes.get("h.0.attn.k_proj.weight")[0], shapes.get("h.0.attn.k_proj.weight")[1]));
    assertEquals(20L, shapes.get("h.1.mlp.c_gate.weight")[1]);
    assertEquals(10L, shapes.get("lm_head.weight")[0]);
    assertTrue(shapes.containsKey("lm_head.bias") && !shapes.containsKey("h.0.mlp.c_fc.bias"));
  }

  @Test
  void inconsistentShapesAreRejectedNamingTheKey() {
    Architecture gqa =
        Architecture.TEXT2CODE.withAttention(new Attention(true, true, true, 3, true, List.of()));
    var e =
        assertThrows(
            ConfigurationException.class,
            () -> new ModelSpec(1, 4, 16, 8, 10, Separation.NONE, 0, gqa));
    assertTrue(e.getMessage().contains("kv-heads = 3"), e.getMessage());
    Architecture windows =
        Architecture.TEXT2CODE.withAttention(new Attention(true, true, true, 0, true, List.of(4)));
    assertThrows(
        ConfigurationException.class,
        () -> new ModelSpec(2, 4, 16, 8, 10, Separation.NONE, 0, windows));
  }

  @Test
  void checkpointsRoundTripTheArchitectureAndOldOnesReadAsTheDefault() throws Exception {
    ModelSpec spec = new ModelSpec(2, 4, 16, 32, 10, Separation.NONE, 0.0, llamaLike());
    MappedRouter router = new MappedRouter(Separation.NONE, 10, 10, Map.of());
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Tensor t : ParameterLayout.initialize(spec, router, 1)) weights.put(t.name(), t);
    new Checkpoint(spec, router, weights, Map.of(), Optional.empty(), 0, Map.of(), Map.of())
        .write(temp.resolve("a"));
    assertEquals(spec, Checkpoint.read(temp.resolve("a")).spec());
    assertEquals(spec, Checkpoint.readSpec(temp.resolve("a")));

    ModelSpec plain = new ModelSpec(1, 2, 8, 16, 10, Separation.NONE, 0.0);
    Map<String, Tensor> w2 = new LinkedHashMap<>();
    for (Tensor t : ParameterLayout.initialize(plain, router, 1)) w2.put(t.name(), t);
    new Checkpoint(plain, router, w2, Map.of(), Optional.empty(), 0, Map.of(), Map.of())
        .write(temp.resolve("b"));
    Path meta = temp.resolve("b").resolve(Checkpoint.METADATA_FILE);
    String json = Files.readString(meta);
    int start = json.indexOf(",\"architecture\":");
    int end = json.indexOf("},\"router\"");
    // a checkpoint.json as written before architectures existed
    Files.writeString(meta, json.substring(0, start) + json.substring(end));
    assertTrue(!Files.readString(meta).contains("architecture"));
    assertEquals(plain, Checkpoint.read(temp.resolve("b")).spec());
  }

  @Test
  void aBackendGuardNamesEveryFeatureItLacks() throws Exception {
    ModelSpec spec = new ModelSpec(2, 4, 16, 32, 10, Separation.NONE, 0.0, llamaLike());
    var e =
        assertThrows(
            UnsupportedCapabilityException.class,
            () -> spec.architecture().requireDefault("backend x"));
    for (String feature :
        List.of(
            "RMS_NORM",
            "rotary positions",
            "separate q/k/v",
            "1 kv heads",
            "local attention windows",
            "SILU_GATED",
            "PARALLEL_TWO_NORMS",
            "untied output head")) {
      assertTrue(e.getMessage().contains(feature), e.getMessage() + " lacks " + feature);
    }
    assertDoesNotThrow(() -> Architecture.TEXT2CODE.requireDefault("backend x"));
    assertDoesNotThrow(() -> Architecture.requireDefault(temp.resolve("model.onnx"), "backend x"));
  }
}
