package dev.text2code.models.hf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.CheckpointException;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Text2CodeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad Hugging Face directories fail with the file and the problem named. */
class HuggingFaceImportErrorsTest {
  @TempDir Path temp;

  private static void assertMessage(Text2CodeException e, String... parts) {
    for (String p : parts) assertTrue(e.getMessage().contains(p), e.getMessage() + " lacks " + p);
  }

  @Test
  void anUnsupportedModelTypeListsTheSupportedOnes() throws IOException {
    Path dir = Fixtures.copy("gpt2", temp);
    Path config = dir.resolve("config.json");
    Files.writeString(config, Files.readString(config).replace("\"gpt2\"", "\"bloom\""));
    var e = assertThrows(ConfigurationException.class, () -> HuggingFaceImport.read(dir));
    assertMessage(
        e,
        config.toString(),
        "model_type bloom is not supported",
        "gpt2, gpt_neo, gpt_neox, codegen, llama");
  }

  @Test
  void aMissingShardIsNamed() throws IOException {
    Path dir = Fixtures.copy("gpt2-sharded", temp);
    Files.delete(dir.resolve("model-00003-of-00004.safetensors"));
    var e = assertThrows(CheckpointException.class, () -> HuggingFaceImport.read(dir));
    assertMessage(
        e, "model.safetensors.index.json", "shard model-00003-of-00004.safetensors", "missing");
  }

  @Test
  void aTensorWithTheWrongShapeNamesItAndBothShapes() throws IOException {
    Path dir = Fixtures.copy("gpt2", temp);
    Path config = dir.resolve("config.json");
    // 8 heads still divide 48, but a wider MLP no longer fits the stored c_fc
    Files.writeString(
        config, Files.readString(config).replace("\"n_inner\": null", "\"n_inner\": 96"));
    var e = assertThrows(CheckpointException.class, () -> HuggingFaceImport.read(dir));
    assertMessage(
        e, "model.safetensors", "transformer.h.0.mlp.c_fc.weight", "[48, 192]", "[48, 96]");
  }

  @Test
  void aTruncatedSafetensorsFileIsReportedAsTruncated() throws IOException {
    Path dir = Fixtures.copy("gpt2", temp);
    truncate(dir.resolve("model.safetensors"), 1000);
    var e = assertThrows(CheckpointException.class, () -> HuggingFaceImport.read(dir));
    assertMessage(e, "model.safetensors", "truncated");
  }

  @Test
  void aTruncatedPytorchBinIsReportedAsTruncated() throws IOException {
    Path dir = Fixtures.copy("gpt2-bin", temp);
    truncate(dir.resolve("pytorch_model.bin"), 5000);
    var e = assertThrows(CheckpointException.class, () -> HuggingFaceImport.read(dir));
    assertMessage(e, "pytorch_model.bin", "truncated");
  }

  @Test
  void anUnknownDtypeOfANeededTensorIsNamedWithTheSupportedOnes() throws IOException {
    Path dir = Fixtures.copy("gpt2", temp);
    Path file = dir.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    // give ln_f.bias (48 x F32 = 192 bytes) a dtype of the same width the importer cannot read
    String entry = "\"transformer.ln_f.bias\":{\"dtype\":\"F32\"";
    assertTrue(header.contains(entry), header);
    String damaged = header.replace(entry, "\"transformer.ln_f.bias\":{\"dtype\":\"I32\"");
    System.arraycopy(damaged.getBytes(StandardCharsets.UTF_8), 0, bytes, 8, (int) headerLength);
    Files.write(file, bytes);
    var e = assertThrows(CheckpointException.class, () -> HuggingFaceImport.read(dir));
    assertMessage(e, "model.safetensors", "transformer.ln_f.bias", "dtype I32", "F32, F16, BF16");
  }

  @Test
  void anUntiedHeadMissingFromTheFileIsNamed() throws IOException {
    Path dir = Fixtures.copy("gpt2", temp);
    Path config = dir.resolve("config.json");
    Files.writeString(
        config, Files.readString(config).replace("{", "{\"tie_word_embeddings\": false,"));
    var e = assertThrows(CheckpointException.class, () -> HuggingFaceImport.read(dir));
    assertMessage(e, "tensor lm_head.weight is missing");
  }

  @Test
  void aPickleThatNamesAnythingButTensorsIsRefusedWithoutRunningIt() throws IOException {
    Path dir = Fixtures.copy("gpt2-bin", temp);
    Path file = dir.resolve("pytorch_model.bin");
    byte[] bytes = Files.readAllBytes(file);
    byte[] from = "collections\nOrderedDict\n".getBytes(StandardCharsets.US_ASCII);
    byte[] to = "os\nsystem\n\n\n\n\n\n\n\n\n\n\n\n\n\n".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(bytes, from);
    assertTrue(at > 0);
    // same length, so the zip stays valid (the stored CRC is not checked by the reader)
    System.arraycopy(Arrays.copyOf(to, from.length), 0, bytes, at, from.length);
    Files.write(file, bytes);
    var e = assertThrows(CheckpointException.class, () -> HuggingFaceImport.read(dir));
    assertMessage(e, "pytorch_model.bin", "os.system", "refusing");
  }

  @Test
  void aDirectoryWithoutWeightsSaysWhichFilesItLooksFor() throws IOException {
    Path dir = Fixtures.copy("gpt2", temp);
    Files.delete(dir.resolve("model.safetensors"));
    var e = assertThrows(CheckpointException.class, () -> HuggingFaceImport.read(dir));
    assertMessage(e, "no weights found", "model.safetensors.index.json", "pytorch_model.bin");
  }

  private static void truncate(Path file, int drop) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - drop));
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
