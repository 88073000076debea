package dev.text2code.models.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.backend.Architecture;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.ReferenceForward;
import dev.text2code.api.checkpoint.Tensor;
import dev.text2code.api.objective.AttentionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class HuggingFaceExportTest {
  static final List<String> FIXTURES = Fixtures.ALL;

  @TempDir Path temp;

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void importExportImportIsBitIdentical(String fixture) throws Exception {
    ImportedModel first = HuggingFaceImport.read(Fixtures.dir(fixture));
    Path exported = temp.resolve("export");
    HuggingFaceExport.write(first.checkpoint(), Optional.empty(), Optional.empty(), exported);
    ImportedModel second = HuggingFaceImport.read(exported);
    assertEquals(first.checkpoint().spec(), second.checkpoint().spec());
    assertEquals(first.info().family(), second.info().family());
    assertEquals(first.checkpoint().weights().keySet(), second.checkpoint().weights().keySet());
    for (Map.Entry<String, Tensor> e : first.checkpoint().weights().entrySet()) {
      assertEquals(e.getValue(), second.checkpoint().weights().get(e.getKey()), e.getKey());
    }
    JsonNode config = new ObjectMapper().readTree(exported.resolve("config.json").toFile());
    JsonNode original =
        new ObjectMapper().readTree(Fixtures.dir(fixture).resolve("config.json").toFile());
    assertEquals(original.get("model_type"), config.get("model_type"));
    assertEquals(original.get("architectures"), config.get("architectures"));
    assertEquals(original.get("eos_token_id"), config.get("eos_token_id"));
  }

  @Test
  void theExportUsesTheFamilysOwnNamesAndLeavesTheTiedHeadOut() throws Exception {
    Path exported = temp.resolve("gpt_neox");
    HuggingFaceExport.write(
        HuggingFaceImport.read(Fixtures.dir("gpt_neox")).checkpoint(),
        Optional.empty(),
        Optional.empty(),
        exported);
    var names = WeightFiles.safetensorsHeader(exported.resolve("model.safetensors")).keySet();
    assertTrue(
        names.contains("gpt_neox.layers.0.attention.query_key_value.weight"), names.toString());
    assertTrue(names.contains("embed_out.weight"));
    Path gpt2 = temp.resolve("gpt2");
    HuggingFaceExport.write(
        HuggingFaceImport.read(Fixtures.dir("gpt2")).checkpoint(),
        Optional.empty(),
        Optional.empty(),
        gpt2);
    var gpt2Names = WeightFiles.safetensorsHeader(gpt2.resolve("model.safetensors")).keySet();
    assertFalse(gpt2Names.contains("lm_head.weight"));
    assertTrue(gpt2Names.contains("transformer.h.2.attn.c_attn.weight"));
  }

  @Test
  void theSdksOwnGptExportsAsGpt2WithExactGeluAndComputesTheSameLogits() {
    ModelSpec spec = new ModelSpec(2, 2, 8, 16, 12, Separation.NONE, 0.0);
    MappedRouter router = new MappedRouter(Separation.NONE, 12, 12, Map.of());
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Tensor t : ParameterLayout.initialize(spec, router, 7)) weights.put(t.name(), t);
    Checkpoint own =
        new Checkpoint(spec, router, weights, Map.of(), Optional.empty(), 0, Map.of(), Map.of());
    Path exported = temp.resolve("own");
    HuggingFaceExport.write(own, Optional.empty(), Optional.empty(), exported);
    ImportedModel back = HuggingFaceImport.read(exported);
    assertEquals(Family.GPT2, back.info().family());
    assertEquals(Architecture.TEXT2CODE, back.checkpoint().spec().architecture());
    int[] ids = {1, 5, 7, 2};
    int[] pos = {0, 1, 2, 3};
    float[][] a = new ReferenceForward(spec, weights).logits(ids, pos, AttentionSpec.causal(4));
    float[][] b = ReferenceForward.of(back.checkpoint()).logits(ids, pos, AttentionSpec.causal(4));
    for (int t = 0; t < 4; t++) org.junit.jupiter.api.Assertions.assertArrayEquals(a[t], b[t], 0f);
  }

  @Test
  void aFamilyThatCannotHoldTheArchitectureIsRefusedWithTheReason() {
    Checkpoint llama = HuggingFaceImport.read(Fixtures.dir("llama")).checkpoint();
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                HuggingFaceExport.write(
                    llama, Optional.of(Family.GPT2), Optional.empty(), temp.resolve("x")));
    assertTrue(e.getMessage().contains("gpt2 cannot hold this model"), e.getMessage());
    assertFalse(Files.exists(temp.resolve("x")));
  }

  @Test
  void aSeparatedModelIsWrittenWithAllItsRowsAndItsRouter() throws Exception {
    ModelSpec spec = new ModelSpec(1, 2, 8, 16, 14, Separation.PARTIAL, 0.0);
    MappedRouter router = new MappedRouter(Separation.PARTIAL, 12, 14, Map.of(3, 12, 5, 13));
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Tensor t : ParameterLayout.initialize(spec, router, 7)) weights.put(t.name(), t);
    Checkpoint separated =
        new Checkpoint(spec, router, weights, Map.of(), Optional.empty(), 0, Map.of(), Map.of());
    Path exported = temp.resolve("separated");
    HuggingFaceExport.write(separated, Optional.empty(), Optional.empty(), exported);
    JsonNode config = new ObjectMapper().readTree(exported.resolve("config.json").toFile());
    assertEquals(14, config.get("vocab_size").asInt());
    JsonNode sep =
        new ObjectMapper().readTree(exported.resolve(HuggingFaceExport.SEPARATION_FILE).toFile());
    assertEquals("[[3,12],[5,13]]", sep.get("replicated_rows").toString());
    assertEquals(12, sep.get("vocabulary_size").asInt());
  }
}
