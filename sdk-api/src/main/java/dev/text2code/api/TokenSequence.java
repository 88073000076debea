package dev.text2code.api;

import java.util.Arrays;

/**
 * Token ids with the modality of every token, and the index of the separator that ends the text
 * prefix.
 *
 * <p>{@link #prefixIndex()} is the position of the token that closes the prefix (for the paper's
 * layouts the {@code <python>} token); the prefix square of a prefix-LM therefore covers positions
 * {@code 0..prefixIndex} inclusive. It is {@code -1} when the sequence has no prefix.
 */
public final class TokenSequence {
  private final int[] ids;
  private final byte[] modalities;
  private final int prefixIndex;

  private TokenSequence(int[] ids, byte[] modalities, int prefixIndex) {
    this.ids = ids;
    this.modalities = modalities;
    this.prefixIndex = prefixIndex;
  }

  /**
   * Copies its arguments.
   *
   * @param modalities one {@link Modality#code()} per token
   */
  public static TokenSequence of(int[] ids, byte[] modalities, int prefixIndex) {
    if (ids.length != modalities.length) {
      throw new IllegalArgumentException(
          "ids has "
              + ids.length
              + " tokens but modalities has "
              + modalities.length
              + "; they must be equal");
    }
    for (int i = 0; i < modalities.length; i++) {
      if (modalities[i] != 0 && modalities[i] != 1) {
        throw new IllegalArgumentException(
            "modalities[" + i + "] = " + modalities[i] + "; expected 0 (TEXT) or 1 (CODE)");
      }
    }
    if (prefixIndex < -1 || prefixIndex >= Math.max(ids.length, 1)) {
      throw new IllegalArgumentException(
          "prefixIndex = " + prefixIndex + "; expected -1 or an index in [0, " + ids.length + ")");
    }
    return new TokenSequence(ids.clone(), modalities.clone(), prefixIndex);
  }

  /** Every token of one modality, no prefix. */
  public static TokenSequence uniform(int[] ids, Modality modality) {
    byte[] m = new byte[ids.length];
    Arrays.fill(m, modality.code());
    return new TokenSequence(ids.clone(), m, -1);
  }

  public int length() {
    return ids.length;
  }

  public int id(int index) {
    return ids[index];
  }

  public Modality modality(int index) {
    return Modality.ofCode(modalities[index]);
  }

  public boolean isCode(int index) {
    return modalities[index] == 1;
  }

  public int prefixIndex() {
    return prefixIndex;
  }

  public boolean hasPrefix() {
    return prefixIndex >= 0;
  }

  /** A copy of the ids. */
  public int[] ids() {
    return ids.clone();
  }

  /** A copy of the modality codes. */
  public byte[] modalityCodes() {
    return modalities.clone();
  }

  public TokenIds tokenIds() {
    return TokenIds.of(ids);
  }

  /** The same tokens with other ids (for example routed ids), same modalities and prefix. */
  public TokenSequence withIds(int[] newIds) {
    return of(newIds, modalities, prefixIndex);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenSequence other
        && prefixIndex == other.prefixIndex
        && Arrays.equals(ids, other.ids)
        && Arrays.equals(modalities, other.modalities);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(ids) + Arrays.hashCode(modalities)) + prefixIndex;
  }

  @Override
  public String toString() {
    return "TokenSequence{ids="
        + Arrays.toString(ids)
        + ", modalities="
        + Arrays.toString(modalities)
        + ", prefixIndex="
        + prefixIndex
        + "}";
  }
}
