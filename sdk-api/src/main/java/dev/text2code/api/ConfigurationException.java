package dev.text2code.api;

/**
 * A configuration key, value or argument is not valid; the message names it and the valid choices.
 */
public class ConfigurationException extends Text2CodeException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A check for record components: {@code require(x > 0, "width", x, "a positive integer")}. */
  public static void require(boolean condition, String field, Object value, String valid) {
    if (!condition) {
      throw new ConfigurationException(field + " = " + value + " is not valid; expected " + valid);
    }
  }
}
