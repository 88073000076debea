package dev.text2code.api.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.CheckpointException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path temp;

  private final MappedRouter router =
      new MappedRouter(Separation.PARTIAL, 10, 12, Map.of(3, 10, 7, 11));
  private final ModelSpec spec = new ModelSpec(1, 2, 8, 16, 12, Separation.PARTIAL, 0.0);

  private Checkpoint sample() {
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Tensor t : ParameterLayout.initialize(spec, router, 99)) weights.put(t.name(), t);
    Tensor m = new Tensor("adam.m.wte", new long[] {12, 8}, new float[96]);
    return new Checkpoint(
        spec,
        router,
        weights,
        Map.of(m.name(), m),
        Optional.of(TrainingConfig.defaults(5, 4, 100)),
        17,
        Map.of("cursor", "42"),
        Map.of("backend", "test"));
  }

  @Test
  void roundTripsEverything() {
    Checkpoint original = sample();
    original.write(temp.resolve("ckpt"));
    Checkpoint read = Checkpoint.read(temp.resolve("ckpt"));
    assertEquals(original.spec(), read.spec());
    assertEquals(original.router(), read.router());
    assertEquals(original.weights(), read.weights());
    assertEquals(original.optimizer(), read.optimizer());
    assertEquals(original.config(), read.config());
    assertEquals(17, read.completedSteps());
    assertEquals("42", read.state().get("cursor"));
  }

  @Test
  void typedProvenanceRoundTrips() {
    Provenance provenance =
        Provenance.ofTraining(
            "test",
            Map.of("engine", "none 1.0"),
            new TrainingOrigin("code-clm", "tok123", "sha256:abc", Optional.of("/runs/base")));
    sample().withProvenance(provenance).write(temp.resolve("typed"));
    Provenance read = Checkpoint.read(temp.resolve("typed")).provenance();
    assertEquals(provenance, read);
    assertEquals("code-clm", read.objective());
    assertEquals(Optional.of("/runs/base"), read.parentCheckpoint());
    assertTrue(read.created().isAfter(java.time.Instant.EPOCH), read.created().toString());
  }

  @Test
  void aCheckpointWithTheOldUntypedProvenanceStillLoads() throws Exception {
    Path dir = temp.resolve("old");
    sample().write(dir);
    Path meta = dir.resolve(Checkpoint.METADATA_FILE);
    String json = Files.readString(meta);
    int at = json.indexOf("\"provenance\"");
    assertTrue(at >= 0, json);
    // what backends wrote before provenance was typed
    String old =
        json.substring(0, at)
            + "\"provenance\": {\"backend\": \"tensorflow\", \"tensorflow\": \"1.1.0\"}\n}\n";
    Files.writeString(meta, old);
    Provenance read = Checkpoint.read(dir).provenance();
    assertEquals("tensorflow", read.backend());
    assertEquals(Map.of("tensorflow", "1.1.0"), read.engine());
    assertEquals(Provenance.UNKNOWN, read.objective());
    assertEquals(Provenance.UNKNOWN, read.sdkVersion());
  }

  @Test
  void overwritingLeavesNoTemporaryDirectories() throws Exception {
    sample().write(temp.resolve("ckpt"));
    sample().write(temp.resolve("ckpt"));
    try (var files = Files.list(temp)) {
      assertEquals(List.of(temp.resolve("ckpt")), files.toList());
    }
  }

  @Test
  void initialisationIsDeterministicAndReplicasCopyTheirOriginals() {
    List<Tensor> a = ParameterLayout.initialize(spec, router, 99);
    List<Tensor> b = ParameterLayout.initialize(spec, router, 99);
    assertEquals(a, b);
    float[] wte = a.get(0).data();
    for (int i = 0; i < 8; i++) {
      assertEquals(wte[3 * 8 + i], wte[10 * 8 + i]);
      assertEquals(wte[7 * 8 + i], wte[11 * 8 + i]);
    }
    assertFalse(a.equals(ParameterLayout.initialize(spec, router, 100)));
  }

  @Test
  void truncatedWeightsGiveAClearError() throws Exception {
    sample().write(temp.resolve("ckpt"));
    Path weights = temp.resolve("ckpt").resolve(Checkpoint.WEIGHTS_FILE);
    byte[] bytes = Files.readAllBytes(weights);
    Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> Checkpoint.read(temp.resolve("ckpt")));
    assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void aDirectoryWithoutMetadataIsNotACheckpoint() {
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(temp));
    assertTrue(e.getMessage().contains("checkpoint.json is missing"), e.getMessage());
  }
}
