package dev.text2code.api;

/**
 * A backend or device cannot be used here: natives missing, no GPU although one was requested, and
 * so on.
 */
public class BackendUnavailableException extends Text2CodeException {
  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String message) {
    super(message);
  }

  public BackendUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
