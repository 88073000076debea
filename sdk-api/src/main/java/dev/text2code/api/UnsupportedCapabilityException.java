package dev.text2code.api;

/**
 * A component was asked for something it cannot do (for example training on an inference-only
 * backend).
 */
public class UnsupportedCapabilityException extends Text2CodeException {
  private static final long serialVersionUID = 1L;

  public UnsupportedCapabilityException(String message) {
    super(message);
  }
}
