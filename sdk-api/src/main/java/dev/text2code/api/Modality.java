package dev.text2code.api;

/** Which side of a text-to-code pair a token belongs to. */
public enum Modality {
  TEXT,
  CODE;

  /** Compact code used in arrays and files: 0 for TEXT, 1 for CODE. */
  public byte code() {
    return (byte) ordinal();
  }

  public static Modality ofCode(int code) {
    if (code == 0) return TEXT;
    if (code == 1) return CODE;
    throw new IllegalArgumentException(
        "modality code " + code + " is not valid; expected 0 (TEXT) or 1 (CODE)");
  }
}
