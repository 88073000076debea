package dev.text2code.models.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The hf-tiny fixtures copied into src/test/resources (written by Hugging Face transformers 4.36.2
 * and the PanGu-α paper's code, with their logits and greedy tokens), and readers for them.
 */
final class Fixtures {
  static final List<String> ALL =
      List.of(
          "gpt2",
          "gpt2-fp16",
          "gpt2-bf16",
          "gpt2-sharded",
          "gpt2-bin",
          "gpt_neo",
          "llama",
          "codegen",
          "gpt_neox",
          "gpt_neox-sequential",
          "pangu_alpha",
          "mistral");

  private Fixtures() {}

  /** hf-tiny's fixtures, or one of hf-tiny-peer (made here with transformers; see its README). */
  static Path dir(String name) {
    try {
      var url = Fixtures.class.getResource("/hf-tiny/" + name + "/config.json");
      if (url == null) url = Fixtures.class.getResource("/hf-tiny-peer/" + name + "/config.json");
      return Path.of(url.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode reference(String name) {
    try {
      return new ObjectMapper().readTree(dir(name).resolve("reference.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
    return out;
  }

  /** A float32 little-endian C-order NPY v1 file, flattened. */
  static float[] npy(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      int headerLength = b.getShort(8) & 0xFFFF;
      String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
      if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
        throw new IllegalArgumentException(file + ": not a float32 C-order array: " + header);
      }
      b.position(10 + headerLength);
      float[] out = new float[b.remaining() / 4];
      b.asFloatBuffer().get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a fixture into a writable temporary directory (to damage or extend it). */
  static Path copy(String name, Path into) throws IOException {
    Path target = into.resolve(name);
    Files.createDirectories(target);
    try (var files = Files.list(dir(name))) {
      for (Path f : files.toList()) Files.copy(f, target.resolve(f.getFileName()));
    }
    return target;
  }
}
