package dev.text2code.evaluation.postprocess;

import dev.text2code.api.ConfigurationException;
import java.util.function.UnaryOperator;

/**
 * What happens to a generated completion before it is executed: optional de-linearisation (for
 * models trained on {@code <NEW_LINE>/<INDENT>/<DEDENT>} text, starting {@code initialDepth} levels
 * deep, 1 for a function body), then the stop sequences.
 */
public record Postprocessing(StopSequences stops, boolean delinearise, int initialDepth)
    implements UnaryOperator<String> {

  public Postprocessing {
    ConfigurationException.require(stops != null, "stops", null, "a stop-sequence set");
    ConfigurationException.require(initialDepth >= 0, "initialDepth", initialDepth, ">= 0");
  }

  /** Only the stop sequences (plain-text models). */
  public static Postprocessing stopAt(StopSequences stops) {
    return new Postprocessing(stops, false, 0);
  }

  /** De-linearise a function body, then cut at the stop sequences (MRPT models). */
  public static Postprocessing linearisedBody(StopSequences stops) {
    return new Postprocessing(stops, true, 1);
  }

  @Override
  public String apply(String completion) {
    String code = delinearise ? Linearisation.delinearise(completion, initialDepth) : completion;
    return stops.truncate(code);
  }
}
