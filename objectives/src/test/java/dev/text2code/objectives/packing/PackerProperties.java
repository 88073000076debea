package dev.text2code.objectives.packing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.Sequences;
import dev.text2code.objectives.causal.PrefixCodeCausalLm;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PackerProperties {
  private static final int PAD = 0;

  private static List<TrainingExample> examples(List<Integer> seeds) {
    List<TrainingExample> out = new ArrayList<>();
    PrefixCodeCausalLm objective = new PrefixCodeCausalLm();
    for (int seed : seeds) {
      SplittableRandom r = new SplittableRandom(seed);
      List<Integer> text = new ArrayList<>();
      List<Integer> code = new ArrayList<>();
      for (int i = r.nextInt(12); i > 0; i--) text.add('a' + r.nextInt(26));
      for (int i = r.nextInt(30); i > 0; i--) code.add('a' + r.nextInt(26));
      out.add(objective.apply(Sequences.pair(text, code), r));
    }
    return out;
  }

  @Test
  void packedExamplesNeverSeeEachOtherAndKeepTheirOwnMasks() {
    qt().withExamples(200)
        .forAll(lists().of(integers().all()).ofSizeBetween(1, 12), integers().between(8, 48))
        .checkAssert(
            (seeds, rowLength) -> {
              List<TrainingExample> examples = examples(seeds);
              PackingOptions options =
                  new PackingOptions(rowLength, PAD, PackingOptions.Overflow.TRUNCATE);
              Iterator<PackedRow> rows = Packer.pack(examples.iterator(), options);
              int next = 0;
              while (rows.hasNext()) {
                PackedRow packed = rows.next();
                TrainingExample row = packed.row();
                assertEquals(rowLength, row.length());
                int start = 0;
                for (int k = 0; k < packed.examples(); k++) {
                  TrainingExample e =
                      Packer.truncate(
                          examples.get(next), Math.min(rowLength, examples.get(next).length()));
                  next++;
                  AttentionSpec own = e.attention();
                  for (int q = 0; q < e.length(); q++) {
                    assertEquals(e.inputId(q), row.inputId(start + q));
                    assertEquals(e.label(q), row.label(start + q));
                    assertEquals(q, row.positionIds()[start + q], "positions restart per example");
                    for (int key = 0; key < rowLength; key++) {
                      boolean inside = key >= start && key < start + e.length();
                      boolean expected = inside && own.canAttend(q, key - start);
                      assertEquals(expected, row.attention().canAttend(start + q, key));
                    }
                  }
                  start += e.length();
                }
                for (int p = start; p < rowLength; p++) {
                  assertEquals(PAD, row.inputId(p));
                  assertEquals(TrainingExample.IGNORE, row.label(p));
                  for (int key = 0; key < start; key++) {
                    assertTrue(!row.attention().canAttend(p, key), "padding sees no example");
                  }
                }
              }
              assertEquals(examples.size(), next, "every example packed exactly once");
            });
  }

  @Test
  void greedyPackingDropsWhatIsTooLong() {
    Packer packer = new Packer(new PackingOptions(10, PAD, PackingOptions.Overflow.DROP));
    TrainingExample six = TrainingExample.causal(new int[6], new int[6], new byte[6]);
    TrainingExample four = TrainingExample.causal(new int[4], new int[4], new byte[4]);
    TrainingExample eleven = TrainingExample.causal(new int[11], new int[11], new byte[11]);
    assertTrue(packer.add(six).isEmpty());
    assertTrue(packer.add(eleven).isEmpty(), "too long: dropped, the row stays open");
    assertTrue(packer.add(four).isEmpty(), "6 + 4 fits exactly");
    PackedRow first = packer.add(six).orElseThrow();
    assertEquals(2, first.examples());
    assertEquals(2, first.attention().segmentCount(), "no padding segment in a full row");
    PackedRow last = packer.flush().orElseThrow();
    assertEquals(1, last.examples());
    assertEquals(2, last.attention().segmentCount(), "example + padding");
    assertEquals(1, packer.dropped());
  }
}
