package dev.text2code.models.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ReferenceForward;
import dev.text2code.api.objective.AttentionSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Hugging Face {@code transformers} loads what the exporter writes, unchanged, and
 * computes the same logits and greedy tokens. Needs the peer of
 * ../shared/peers/hf-transformers/README.md: set {@code T2C_HF_PEER_SITE} to its site directory
 * (Debian's python3 with python3-torch); skipped otherwise.
 */
class TransformersPeerIT {
  /** PanGu-α needs the paper's own modeling code, which transformers does not ship. */
  private static final List<String> FIXTURES =
      Fixtures.ALL.stream().filter(f -> !f.equals("pangu_alpha")).toList();

  @TempDir Path temp;

  @Test
  void transformersLoadsEveryExportAndComputesTheReferenceLogits() throws Exception {
    String site = System.getenv("T2C_HF_PEER_SITE");
    assumeTrue(
        site != null && Files.isDirectory(Path.of(site)),
        "T2C_HF_PEER_SITE is not set to the peer's site");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
    List<String> command = new ArrayList<>();
    Path script = temp.resolve("transformers_forward.py");
    Files.copy(
        TransformersPeerIT.class.getResourceAsStream("/peer/transformers_forward.py"), script);
    Path ids = temp.resolve("input_ids.json");
    Files.writeString(ids, Fixtures.reference("gpt2").get("input_ids").toString());
    command.addAll(List.of("/usr/bin/python3", script.toString(), ids.toString()));
    for (String f : FIXTURES) {
      Path out = temp.resolve(f);
      HuggingFaceExport.write(
          HuggingFaceImport.read(Fixtures.dir(f)).checkpoint(),
          Optional.empty(),
          Optional.empty(),
          out);
      command.add(out.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PYTHONPATH", site);
    pb.environment().put("HF_HUB_OFFLINE", "1");
    pb.environment().put("TRANSFORMERS_OFFLINE", "1");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES));
    assumeTrue(!output.contains("No module named 'torch'"), "python3-torch is not installed");
    assertEquals(0, p.exitValue(), output);
    ObjectMapper json = new ObjectMapper();
    for (String f : FIXTURES) {
      float[] expected = Fixtures.npy(Fixtures.dir(f).resolve("logits.npy"));
      float[] peer = Fixtures.npy(temp.resolve(f).resolve("peer_logits.npy"));
      assertEquals(expected.length, peer.length, f);
      double worst = 0;
      for (int i = 0; i < expected.length; i++)
        worst = Math.max(worst, Math.abs(expected[i] - peer[i]));
      assertTrue(worst < 1e-4, f + ": transformers on the export differs by " + worst);
      int[] tokens =
          json.readValue(temp.resolve(f).resolve("peer_greedy.json").toFile(), int[].class);
      assertArrayEquals(
          Fixtures.ints(Fixtures.reference(f).get("generation").get("new_token_ids")), tokens, f);
    }
  }

  @Test
  void transformersRunsTheSdksOwnGptAsGpt2WithExactGelu() throws Exception {
    String site = System.getenv("T2C_HF_PEER_SITE");
    assumeTrue(
        site != null && Files.isDirectory(Path.of(site)),
        "T2C_HF_PEER_SITE is not set to the peer's site");
    var spec =
        new dev.text2code.api.backend.ModelSpec(
            2, 4, 48, 64, 512, dev.text2code.api.Separation.NONE, 0.0);
    var router =
        new dev.text2code.api.MappedRouter(
            dev.text2code.api.Separation.NONE, 512, 512, java.util.Map.of());
    var weights = new java.util.LinkedHashMap<String, dev.text2code.api.checkpoint.Tensor>();
    for (var t : dev.text2code.api.checkpoint.ParameterLayout.initialize(spec, router, 3)) {
      // larger than the training init so that the logits are far from uniform
      float[] d = t.data().clone();
      for (int i = 0; i < d.length; i++) d[i] *= t.name().contains("ln_") ? 1 : 8;
      weights.put(t.name(), new dev.text2code.api.checkpoint.Tensor(t.name(), t.shape(), d));
    }
    Checkpoint own =
        new Checkpoint(
            spec,
            router,
            weights,
            java.util.Map.of(),
            Optional.empty(),
            0,
            java.util.Map.of(),
            java.util.Map.of());
    Path out = temp.resolve("own");
    HuggingFaceExport.write(own, Optional.empty(), Optional.empty(), out);
    Path script = temp.resolve("transformers_forward.py");
    Files.copy(
        TransformersPeerIT.class.getResourceAsStream("/peer/transformers_forward.py"), script);
    Path ids = temp.resolve("input_ids.json");
    Files.writeString(ids, Fixtures.reference("gpt2").get("input_ids").toString());
    ProcessBuilder pb =
        new ProcessBuilder("/usr/bin/python3", script.toString(), ids.toString(), out.toString())
            .redirectErrorStream(true);
    pb.environment().put("PYTHONPATH", site);
    pb.environment().put("HF_HUB_OFFLINE", "1");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    assumeTrue(!output.contains("No module named 'torch'"), "python3-torch is not installed");
    assertEquals(0, p.exitValue(), output);
    float[] peer = Fixtures.npy(out.resolve("peer_logits.npy"));
    ReferenceForward forward = new ReferenceForward(spec, weights);
    double worst = 0;
    for (int row = 0; row < 2; row++) {
      int[] in = Fixtures.ints(Fixtures.reference("gpt2").get("input_ids").get(row));
      int[] pos = new int[in.length];
      for (int i = 0; i < pos.length; i++) pos[i] = i;
      float[][] logits = forward.logits(in, pos, AttentionSpec.causal(in.length));
      for (int t = 0; t < in.length; t++) {
        for (int v = 0; v < 512; v++)
          worst = Math.max(worst, Math.abs(logits[t][v] - peer[(row * in.length + t) * 512 + v]));
      }
    }
    assertTrue(worst < 1e-4, "transformers differs from ReferenceForward by " + worst);
  }
}
