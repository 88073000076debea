package dev.text2code.models.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.Tokenizer;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ReferenceForward;
import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.tokenizers.bpe.BpeTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code importTo}: a checkpoint directory with the model's tokenizer, and {@code info}. */
class HuggingFaceImportToTest {
  @TempDir Path temp;

  @Test
  void theImportedCheckpointCarriesTheArchitectureAndTheTokenizer() throws Exception {
    Path source = Fixtures.copy("llama", temp);
    BpeTrainer trainer = new BpeTrainer(BpeTrainer.Options.of(300, List.of("<|endoftext|>")));
    trainer.write(
        trainer.train(List.of("def add(a, b):\n    return a + b\n", "print('hello world')\n")),
        source.resolve("tokenizer.json"));
    Path run = temp.resolve("run");
    Files.createDirectories(run); // an existing target is replaced as a whole
    Files.writeString(run.resolve("stale.txt"), "old");
    ImportedModel model = HuggingFaceImport.importTo(source, run);

    assertTrue(Files.isRegularFile(run.resolve(HuggingFaceImport.TOKENIZER_FILE)));
    assertTrue(!Files.exists(run.resolve("stale.txt")));
    Checkpoint read = Checkpoint.read(run);
    assertEquals(model.checkpoint().spec(), read.spec());
    assertEquals("llama", read.state().get("hf.family"));
    assertEquals("0", read.state().get("hf.pad_token_id"));
    int[] ids = {4, 270, 469};
    int[] pos = {0, 1, 2};
    float[][] a = ReferenceForward.of(model.checkpoint()).logits(ids, pos, AttentionSpec.causal(3));
    float[][] b = ReferenceForward.of(read).logits(ids, pos, AttentionSpec.causal(3));
    for (int t = 0; t < 3; t++) org.junit.jupiter.api.Assertions.assertArrayEquals(a[t], b[t], 0f);

    Tokenizer tokenizer = model.tokenizer().orElseThrow();
    assertEquals("def add(a, b):", tokenizer.decode(tokenizer.encode("def add(a, b):")));
    try (var files = Files.list(temp)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".import-")));
    }
  }

  @Test
  void infoDescribesTheModelWithoutReadingWeights() {
    ModelInfo info = HuggingFaceImport.info(Fixtures.dir("gpt_neox"));
    assertEquals(Family.GPT_NEOX, info.family());
    assertEquals(2, info.spec().heads());
    assertEquals(6, info.spec().rotaryDims());
    assertEquals(java.util.Set.of("F32"), info.storedDtypes());
    assertEquals(info.spec().parameterCount(), info.parameterCount());
    String text = String.join("\n", info.describe());
    assertTrue(text.contains("family: gpt_neox (GPTNeoXForCausalLM)"), text);
    assertTrue(text.contains("tokenizer: none"), text);
    assertEquals(
        java.util.Set.of("BF16"), HuggingFaceImport.info(Fixtures.dir("gpt2-bf16")).storedDtypes());
    assertEquals("pytorch-bin", HuggingFaceImport.info(Fixtures.dir("gpt2-bin")).weightFormat());
    assertEquals(4, HuggingFaceImport.info(Fixtures.dir("gpt2-sharded")).weightFiles().size());
  }
}
