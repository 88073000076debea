package dev.text2code.api;

/** A checkpoint cannot be written, read or matched to the requested model. */
public class CheckpointException extends Text2CodeException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
