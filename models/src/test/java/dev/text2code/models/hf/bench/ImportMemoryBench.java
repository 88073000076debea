package dev.text2code.models.hf.bench;

import dev.text2code.api.MappedRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.backend.Architecture;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.models.hf.HuggingFaceExport;
import dev.text2code.models.hf.HuggingFaceImport;
import dev.text2code.models.hf.ImportedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Import memory on a GPT-2-small-shaped model (12 × 768, 12 heads, vocabulary 50257, context 1024,
 * random weights, float32). {@code write DIR} exports one with the SDK's own exporter; {@code
 * import DIR OUT} imports it into a checkpoint directory and prints the time and this process's
 * peak RSS (VmHWM) against the weight file's size. Run each in its own JVM, e.g. under {@code
 * /usr/bin/time -v}; see models/README.md.
 */
public final class ImportMemoryBench {
  private ImportMemoryBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("write")) {
      ModelSpec spec =
          new ModelSpec(12, 12, 768, 1024, 50257, Separation.NONE, 0.0, Architecture.gpt2());
      MappedRouter router = new MappedRouter(Separation.NONE, 50257, 50257, Map.of());
      Map<String, Tensor> weights = new LinkedHashMap<>();
      for (Tensor t : ParameterLayout.initialize(spec, router, 1)) weights.put(t.name(), t);
      Checkpoint c =
          new Checkpoint(spec, router, weights, Map.of(), Optional.empty(), 0, Map.of(), Map.of());
      HuggingFaceExport.write(c, Optional.empty(), Optional.empty(), Path.of(args[1]));
      System.out.println("wrote " + args[1] + " (" + spec.parameterCount() + " parameters)");
      return;
    }
    if (args.length >= 3 && args[0].equals("import")) {
      Path dir = Path.of(args[1]);
      long fileBytes = Files.size(dir.resolve("model.safetensors"));
      long start = System.nanoTime();
      ImportedModel model = HuggingFaceImport.importTo(dir, Path.of(args[2]));
      double seconds = (System.nanoTime() - start) / 1e9;
      long peak = peakRssBytes();
      System.out.printf(
          "| %s | %d | %.1f MB | %.2f s | %.1f MB | %.2f× |%n",
          model.info().family().configName(),
          model.info().parameterCount(),
          fileBytes / 1e6,
          seconds,
          peak / 1e6,
          (double) peak / fileBytes);
      return;
    }
    System.err.println("usage: write DIR | import DIR OUT");
    System.exit(2);
  }

  private static long peakRssBytes() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }
}
