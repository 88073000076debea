package dev.text2code.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.api.InvalidInputException;
import dev.text2code.models.hf.HuggingFaceImport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Java entry point of {@code sdk-cli logits} on the transformers gpt2 fixture. */
class RunLogitsTest {
  private static final Path GPT2 = Path.of("../models/src/test/resources/hf-tiny/gpt2");

  @Test
  void theReferenceForwardOfAnImportedGpt2GivesTheTransformersLogits() throws Exception {
    assumeTrue(Files.isDirectory(GPT2), "fixture " + GPT2 + " is absent");
    JsonNode reference = new ObjectMapper().readTree(GPT2.resolve("reference.json").toFile());
    JsonNode inputs = reference.get("input_ids");
    int[][] ids = new int[inputs.size()][];
    for (int s = 0; s < ids.length; s++) {
      ids[s] = new int[inputs.get(s).size()];
      for (int t = 0; t < ids[s].length; t++) ids[s][t] = inputs.get(s).get(t).asInt();
    }
    JsonNode at = reference.get("logit_positions");
    int[] positions = new int[at.size()];
    for (int i = 0; i < positions.length; i++) positions[i] = at.get(i).asInt();

    RunLogits.Result result =
        RunLogits.reference(
            HuggingFaceImport.read(GPT2).checkpoint(), new RunLogits.Request(ids, positions));

    double max = 0;
    for (int s = 0; s < ids.length; s++) {
      for (int i = 0; i < positions.length; i++) {
        JsonNode expected = reference.get("logits").get(s).get(i);
        assertEquals(expected.size(), result.logits()[s][i].length, "one logit per vocabulary id");
        for (int v = 0; v < expected.size(); v++) {
          max = Math.max(max, Math.abs(expected.get(v).asDouble() - result.logits()[s][i][v]));
        }
      }
    }
    assertTrue(max < 1e-4, "max |reference forward - transformers| = " + max);
    JsonNode json = new ObjectMapper().readTree(result.toJson());
    assertEquals(inputs, json.get("input_ids"));
    assertEquals(at, json.get("logit_positions"));
    assertEquals(result.logits()[1][2][7], json.get("logits").get(1).get(2).get(7).floatValue());
  }

  @Test
  void requestsParseSequencesAndRejectWhatIsNotANumber() {
    RunLogits.Request r = RunLogits.Request.parse("1,2,3; 4,5,6", "0,2");
    assertArrayEquals(new int[][] {{1, 2, 3}, {4, 5, 6}}, r.ids());
    assertArrayEquals(new int[] {0, 2}, r.positions());
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> RunLogits.Request.parse("1,,3", "0"));
    assertTrue(e.getMessage().contains("'' is not an integer"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> RunLogits.Request.parse("1,2", ""));
    assertTrue(e.getMessage().contains("--positions is empty"), e.getMessage());
  }
}
