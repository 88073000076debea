package dev.text2code.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.CheckpointException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exporter and the export cache, in pure Java (no ONNX Runtime). */
class OnnxExporterTest {
  @TempDir Path temp;
  private final MappedRouter router = TestModels.partialRouter();
  private final ModelSpec spec = TestModels.spec(router, 2, 2, 16, 32);

  @Test
  void theExportCarriesTheSpecAndTheRouterAsMetadata() throws Exception {
    Path file = temp.resolve("m.onnx");
    OnnxExporter.export(TestModels.checkpoint(spec, router, 1), "abc123", file);
    Map<String, String> metadata = OnnxFiles.metadata(file);
    assertEquals(OnnxExporter.FORMAT, metadata.get("text2code.format"));
    assertEquals("0:44,1:45,2:46,3:47,4:48,5:49,6:50,7:51", metadata.get("text2code.replicated"));
    OnnxModelInfo info = OnnxModelInfo.fromMetadata(metadata, file.toString());
    assertEquals(spec, info.spec());
    assertEquals(router, info.router());
    assertEquals("abc123", info.sourceFingerprint());
  }

  @Test
  void theFileHoldsEveryWeightExactlyOnceAsRawFloats() throws Exception {
    Checkpoint checkpoint = TestModels.checkpoint(spec, router, 2);
    Path file = temp.resolve("m.onnx");
    OnnxExporter.export(checkpoint, "x", file);
    byte[] bytes = Files.readAllBytes(file);
    long weightBytes = 4 * spec.parameterCount();
    assertTrue(bytes.length > weightBytes, bytes.length + " bytes for " + weightBytes);
    assertTrue(bytes.length < weightBytes + 64 * 1024, "the tied head adds no second table");
    byte[] wte = ProtoWriter.littleEndian(checkpoint.weights().get("wte").data());
    assertTrue(indexOf(bytes, wte) >= 0, "wte is stored verbatim");
  }

  @Test
  void weightsAreWrittenInCanonicalOrderSoExportsAreByteIdenticalEverywhere() throws Exception {
    Checkpoint checkpoint = TestModels.checkpoint(spec, router, 3);
    Path first = temp.resolve("a.onnx");
    Path second = temp.resolve("b.onnx");
    OnnxExporter.export(checkpoint, "same", first);
    OnnxExporter.export(checkpoint, "same", second);
    byte[] bytes = Files.readAllBytes(first);
    assertTrue(Arrays.equals(bytes, Files.readAllBytes(second)));
    int previous = -1;
    for (dev.text2code.api.checkpoint.ParameterLayout.Parameter p :
        dev.text2code.api.checkpoint.ParameterLayout.parameters(spec)) {
      if (p.size() < 64) continue; // short vectors (biases, gains) may recur by chance
      int at = indexOf(bytes, ProtoWriter.littleEndian(checkpoint.weights().get(p.name()).data()));
      assertTrue(at > previous, p.name() + " follows the parameter before it in canonical order");
      previous = at;
    }
  }

  @Test
  void exportReplacesAnOldFileAtomicallyAndLeavesNoTemporaryFiles() throws Exception {
    Path file = temp.resolve("m.onnx");
    OnnxExporter.export(TestModels.checkpoint(spec, router, 1), "first", file);
    OnnxExporter.export(TestModels.checkpoint(spec, router, 2), "second", file);
    assertEquals("second", OnnxFiles.sourceFingerprint(file));
    try (Stream<Path> files = Files.list(temp)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void externalDataLivesBesideTheModelAndGoesAwayWithAnInlineReExport() throws Exception {
    Path file = temp.resolve("m.onnx");
    Path data = OnnxExporter.externalDataFile(file);
    OnnxExporter.export(TestModels.checkpoint(spec, router, 1), "ext", file, true);
    assertTrue(Files.isRegularFile(data), "weights in " + data);
    assertEquals("ext", OnnxFiles.sourceFingerprint(file));
    OnnxExporter.export(TestModels.checkpoint(spec, router, 1), "inline", file, false);
    assertTrue(!Files.exists(data), "the unreferenced data file is removed");
    try (Stream<Path> files = Files.list(temp)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void theCachedExportIsReusedUntilTheCheckpointChanges() throws Exception {
    Path dir = TestModels.write(TestModels.checkpoint(spec, router, 1), temp.resolve("ckpt"));
    Path cached = OnnxBackend.exportedModel(dir);
    assertEquals(dir.resolve(OnnxBackend.CACHED_EXPORT), cached);
    assertEquals(OnnxExporter.fingerprint(dir), OnnxFiles.sourceFingerprint(cached));
    FileTime stamp = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(cached, stamp);
    assertEquals(cached, OnnxBackend.exportedModel(dir));
    assertEquals(stamp, Files.getLastModifiedTime(cached), "reused, not rewritten");

    byte[] old = Files.readAllBytes(cached);
    TestModels.checkpoint(spec, router, 2).write(dir);
    Files.write(dir.resolve(OnnxBackend.CACHED_EXPORT), old); // a stale export beside new weights
    OnnxBackend.exportedModel(dir);
    assertNotEquals(stamp, Files.getLastModifiedTime(cached));
    assertEquals(OnnxExporter.fingerprint(dir), OnnxFiles.sourceFingerprint(cached));
    assertTrue(!Arrays.equals(old, Files.readAllBytes(cached)), "re-exported from the new weights");
  }

  @Test
  void aDirectoryThatIsNotACheckpointIsNamedInTheError() throws Exception {
    Path empty = Files.createDirectories(temp.resolve("empty"));
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> OnnxBackend.exportedModel(empty));
    assertTrue(
        e.getMessage().contains(empty.toString()) && e.getMessage().contains("checkpoint.json"),
        e.getMessage());
    Path missing = temp.resolve("missing");
    e =
        assertThrows(
            CheckpointException.class, () -> OnnxExporter.export(missing, temp.resolve("x.onnx")));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void malformedMetadataIsReportedWithTheFile() {
    CheckpointException e =
        assertThrows(
            CheckpointException.class,
            () -> OnnxModelInfo.fromMetadata(Map.of("text2code.format", "other"), "model X"));
    assertTrue(
        e.getMessage().contains("model X") && e.getMessage().contains("text2code-onnx-1"),
        e.getMessage());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
