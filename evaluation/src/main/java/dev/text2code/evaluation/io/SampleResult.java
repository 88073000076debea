package dev.text2code.evaluation.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.ConfigurationException;

/**
 * One executed sample: its position in the samples file, the sample and the human-eval {@code
 * result} string ("passed", "timed out", "failed: ...").
 */
public record SampleResult(int sampleIndex, Sample sample, String result, boolean passed) {
  public SampleResult {
    ConfigurationException.require(sampleIndex >= 0, "sampleIndex", sampleIndex, ">= 0");
    ConfigurationException.require(sample != null, "sample", null, "a sample");
    ConfigurationException.require(
        result != null && !result.isBlank(), "result", result, "a verdict text");
  }

  /** The results-file line: the sample's fields plus {@code result} and {@code passed}. */
  public ObjectNode toJson() {
    ObjectNode node = sample.fields();
    node.put("result", result);
    node.put("passed", passed);
    return node;
  }
}
