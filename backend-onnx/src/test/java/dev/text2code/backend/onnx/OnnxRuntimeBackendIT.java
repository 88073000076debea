package dev.text2code.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.text2code.api.BackendUnavailableException;
import dev.text2code.api.CheckpointException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.backend.CharTokenizer;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend end to end on ONNX Runtime: devices, the cached export, bad model files. */
class OnnxRuntimeBackendIT {
  @TempDir Path temp;
  private final MappedRouter router = TestModels.partialRouter();
  private final ModelSpec spec = TestModels.spec(router, 2, 2, 16, 32);

  private Path checkpoint(String name, long seed) {
    return TestModels.write(TestModels.checkpoint(spec, router, seed), temp.resolve(name));
  }

  private static List<Completion> greedy(Generator generator, String code) {
    CharTokenizer tokenizer = TestModels.TOKENIZER;
    TokenSequence prompt = TokenSequence.uniform(tokenizer.encode(code).toArray(), Modality.CODE);
    return generator
        .generate(List.of(prompt), GenerationConfig.greedy(10, List.of()), tokenizer)
        .get(0);
  }

  @Test
  void gpuWithoutACudaProviderFailsClearly() {
    assumeFalse(
        OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
        "this ONNX Runtime has a CUDA provider");
    Path dir = checkpoint("gpu", 1);
    BackendUnavailableException e =
        assertThrows(
            BackendUnavailableException.class,
            () -> new OnnxBackend().openGenerator(dir, Device.GPU));
    assertTrue(e.getMessage().contains("gpu") && e.getMessage().contains("CUDA"), e.getMessage());
    try (Generator auto = new OnnxBackend().openGenerator(dir, Device.AUTO)) {
      assertEquals(spec, auto.spec(), "auto falls back to the CPU");
    }
  }

  @Test
  void theExportBesideACheckpointIsReusedUntilTheCheckpointChanges() throws Exception {
    Path dir = checkpoint("cached", 1);
    Path cached = dir.resolve(OnnxBackend.CACHED_EXPORT);
    List<Completion> first;
    try (Generator g = new OnnxBackend().openGenerator(dir, Device.CPU)) {
      first = greedy(g, "def f(");
    }
    assertTrue(Files.isRegularFile(cached), "export cached at " + cached);
    FileTime stamp = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(cached, stamp);
    try (Generator g = new OnnxBackend().openGenerator(dir, Device.CPU)) {
      assertEquals(first, greedy(g, "def f("));
    }
    assertEquals(stamp, Files.getLastModifiedTime(cached), "the cached export was reused");

    // new weights in the same directory, the old export put back beside them: it is stale
    Path stale = temp.resolve("stale.onnx");
    Files.copy(cached, stale);
    TestModels.checkpoint(spec, router, 2).write(dir);
    Files.copy(stale, cached);
    try (Generator g = new OnnxBackend().openGenerator(dir, Device.CPU)) {
      assertNotEquals(first, greedy(g, "def f("), "generation follows the new weights");
    }
  }

  @Test
  void anExportedFileOpensDirectly() {
    Path dir = checkpoint("direct", 3);
    Path file = temp.resolve("exported.onnx");
    OnnxExporter.export(dir, file);
    try (Generator fromFile = new OnnxBackend().openGenerator(file, Device.CPU);
        Generator fromDir = new OnnxBackend().openGenerator(dir, Device.CPU)) {
      assertEquals(spec, fromFile.spec());
      assertEquals(greedy(fromDir, "x = ("), greedy(fromFile, "x = ("));
    }
  }

  @Test
  void corruptOrTruncatedFilesGiveAnErrorNamingTheFile() throws Exception {
    Path dir = checkpoint("corrupt", 4);
    Path good = temp.resolve("good.onnx");
    OnnxExporter.export(dir, good);
    byte[] bytes = Files.readAllBytes(good);

    Path truncated = temp.resolve("truncated.onnx");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    Path garbage = temp.resolve("garbage.onnx");
    byte[] noise = new byte[4096];
    new java.util.SplittableRandom(1).nextBytes(noise);
    Files.write(garbage, noise);
    Path empty = temp.resolve("empty.onnx");
    Files.write(empty, new byte[0]);
    Path missing = temp.resolve("missing.onnx");

    for (Path bad : List.of(truncated, garbage, empty, missing)) {
      CheckpointException e =
          assertThrows(
              CheckpointException.class, () -> OnnxDecoder.open(bad, Device.CPU), bad.toString());
      assertTrue(e.getMessage().contains(bad.toAbsolutePath().toString()), e.getMessage());
    }
  }

  @Test
  void aFileThatIsNotATextToCodeExportIsRefused() throws Exception {
    // a valid ONNX graph without the text2code metadata: the exported bytes minus its metadata
    Path dir = checkpoint("foreign", 5);
    Path file = temp.resolve("foreign.onnx");
    OnnxGraph graph = OnnxExporter.buildGraph(Checkpoint.read(dir));
    ProtoWriter model = new ProtoWriter().int64(1, OnnxExporter.IR_VERSION);
    model.message(8, new ProtoWriter().string(1, "").int64(2, OnnxExporter.OPSET));
    try (var out = Files.newOutputStream(file)) {
      out.write(model.toByteArray());
      out.write(ProtoWriter.lengthDelimitedHeader(7, graph.encodedSize()));
      for (byte[] part : graph.parts()) out.write(part);
    }
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> OnnxDecoder.open(file, Device.CPU));
    assertTrue(
        e.getMessage().contains(file.toString()) && e.getMessage().contains("text2code"),
        e.getMessage());
  }
}
