package dev.text2code.api;

/**
 * The sandbox itself failed (not the generated program): interpreter missing, sandbox not
 * startable, ...
 */
public class CodeExecutionException extends Text2CodeException {
  private static final long serialVersionUID = 1L;

  public CodeExecutionException(String message) {
    super(message);
  }

  public CodeExecutionException(String message, Throwable cause) {
    super(message, cause);
  }
}
