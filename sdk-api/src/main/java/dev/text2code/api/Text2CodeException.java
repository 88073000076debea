package dev.text2code.api;

/**
 * Root of every exception the SDK throws on purpose. Messages say what was wrong, where (file:line
 * or configuration key) and what would be valid.
 */
public class Text2CodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public Text2CodeException(String message) {
    super(message);
  }

  public Text2CodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
