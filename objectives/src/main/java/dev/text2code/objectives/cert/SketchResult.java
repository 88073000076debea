package dev.text2code.objectives.cert;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of sketching one file: a {@link Sketch}, or why the file is not valid Python (CERT
 * skips such files).
 *
 * @param line the line of the syntax error, 0 when unknown or when the file parsed
 */
public record SketchResult(Optional<Sketch> sketch, String error, int line) {
  public SketchResult {
    Objects.requireNonNull(sketch, "sketch");
    Objects.requireNonNull(error, "error");
  }

  static SketchResult of(Sketch sketch) {
    return new SketchResult(Optional.of(sketch), "", 0);
  }

  static SketchResult failed(String error, int line) {
    return new SketchResult(Optional.empty(), error, line);
  }

  public boolean parsed() {
    return sketch.isPresent();
  }
}
