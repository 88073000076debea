package dev.text2code.api;

import java.util.Arrays;

/** An immutable sequence of token ids with value equality. */
public final class TokenIds {
  private static final TokenIds EMPTY = new TokenIds(new int[0]);
  private final int[] ids;

  private TokenIds(int[] ids) {
    this.ids = ids;
  }

  /** Copies {@code ids}. */
  public static TokenIds of(int... ids) {
    return ids.length == 0 ? EMPTY : new TokenIds(ids.clone());
  }

  public static TokenIds empty() {
    return EMPTY;
  }

  public int length() {
    return ids.length;
  }

  public int get(int index) {
    return ids[index];
  }

  /** A copy of the ids. */
  public int[] toArray() {
    return ids.clone();
  }

  public TokenIds slice(int from, int to) {
    return new TokenIds(Arrays.copyOfRange(ids, from, to));
  }

  public TokenIds concat(TokenIds other) {
    int[] joined = Arrays.copyOf(ids, ids.length + other.ids.length);
    System.arraycopy(other.ids, 0, joined, ids.length, other.ids.length);
    return new TokenIds(joined);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenIds other && Arrays.equals(ids, other.ids);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ids);
  }

  @Override
  public String toString() {
    return Arrays.toString(ids);
  }
}
