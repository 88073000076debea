package dev.text2code.data.report;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import org.junit.jupiter.api.Test;

class HistogramProperties {
  @Test
  void everyLengthLandsInTheBinThatCoversItAndCountsAddUp() {
    qt().forAll(lists().of(integers().between(0, 1 << 20)).ofSizeBetween(0, 200))
        .check(
            lengths -> {
              Histogram h = new Histogram();
              lengths.forEach(h::add);
              Histogram.Summary s = h.summary();
              long sum = 0;
              for (Histogram.Bin b : s.bins()) sum += b.count();
              boolean covered = true;
              for (int v : lengths) {
                int bin = v == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(v);
                Histogram.Bin b = s.bins().get(bin);
                covered &= b.from() <= v && v <= b.to() && b.count() > 0;
              }
              return covered
                  && sum == lengths.size()
                  && s.count() == lengths.size()
                  && s.total() == lengths.stream().mapToLong(Integer::longValue).sum();
            });
  }
}
