package dev.text2code.data.spark;

import dev.text2code.api.TokenSequence;
import dev.text2code.data.decontamination.Decontaminator;
import java.io.Serializable;

/**
 * What an executor computed for one input record, by its input index: a reading skip, or a pair's
 * split, hygiene keys and encoding (or the reason the layout rejected it).
 */
final class Item implements Serializable {
  private static final long serialVersionUID = 1L;

  long index;

  /**
   * Where the record is ({@code file:line}); with {@link #skipReason}, a record that is no pair.
   */
  String where;

  String skipReason;

  String id;
  boolean heldOut;
  long exactKey;
  int[] signature;
  int[] hitProblems;
  String[] hitReasons;
  int[] ids;
  byte[] modalities;
  int prefixIndex;

  /** Why the pair layout rejected the pair, or null. */
  String rejected;

  boolean isSkip() {
    return skipReason != null;
  }

  Decontaminator.Hits hits() {
    return hitProblems == null
        ? Decontaminator.Hits.NONE
        : new Decontaminator.Hits(hitProblems, hitReasons);
  }

  TokenSequence sequence() {
    return TokenSequence.of(ids, modalities, prefixIndex);
  }
}
