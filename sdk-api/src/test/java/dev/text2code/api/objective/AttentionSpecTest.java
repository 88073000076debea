package dev.text2code.api.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttentionSpecTest {
  @Test
  void causalSeesOnlyThePast() {
    AttentionSpec spec = AttentionSpec.causal(4);
    assertTrue(spec.canAttend(2, 2));
    assertTrue(spec.canAttend(2, 0));
    assertFalse(spec.canAttend(1, 2));
  }

  @Test
  void prefixSquareIsBidirectionalAndTheRestCausal() {
    AttentionSpec spec = AttentionSpec.prefix(6, 3);
    assertTrue(spec.canAttend(0, 2), "prefix sees its whole prefix");
    assertFalse(spec.canAttend(0, 3), "prefix does not see the continuation");
    assertTrue(spec.canAttend(4, 2));
    assertFalse(spec.canAttend(3, 4));
  }

  @Test
  void oneSegmentEqualsTheSameRowGivenAsSegmentIds() {
    AttentionSpec single = AttentionSpec.prefix(4, 2);
    AttentionSpec explicit = AttentionSpec.segments(new int[4], new int[] {2});
    assertEquals(explicit, single);
    assertEquals(single, explicit);
    assertEquals(explicit.hashCode(), single.hashCode());
    assertEquals(explicit.toString(), single.toString());
    assertArrayEquals(new int[4], single.segmentIds());
    assertEquals(0, single.segmentOf(3));
    assertThrows(IndexOutOfBoundsException.class, () -> single.segmentOf(4));
    assertNotEquals(AttentionSpec.prefix(4, 1), single);
    assertNotEquals(AttentionSpec.segments(new int[] {0, 0, 1, 1}, new int[] {2, 0}), single);
  }

  @Test
  void packedSegmentsNeverSeeEachOther() {
    AttentionSpec spec = AttentionSpec.segments(new int[] {0, 0, 0, 1, 1, 2}, new int[] {2, 1, 0});
    assertFalse(spec.canAttend(3, 2), "second example must not see the first");
    assertTrue(spec.canAttend(0, 1), "first example's prefix square");
    assertFalse(spec.canAttend(3, 4));
    assertFalse(spec.canAttend(5, 4), "padding segment is isolated");
    assertTrue(spec.canAttend(5, 5));
  }

  @Test
  void malformedSegmentsAreRejectedWithTheIndex() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AttentionSpec.segments(new int[] {0, 2}, new int[] {0, 0, 0}));
    assertTrue(e.getMessage().contains("segmentIds[1]"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> AttentionSpec.segments(new int[] {0, 0}, new int[] {3}));
  }
}
