package dev.text2code.api;

import java.nio.file.Path;

/** An input file or record cannot be used; the message names the file, line or key. */
public class InvalidInputException extends Text2CodeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An error located at {@code file:line}; {@code line <= 0} leaves the line out. */
  public static InvalidInputException at(Path file, long line, String problem) {
    return new InvalidInputException(file + (line > 0 ? ":" + line : "") + ": " + problem);
  }
}
