package dev.text2code.objectives;

import dev.text2code.api.Modality;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.infill.FillInTheMiddle;
import dev.text2code.objectives.span.SpanCorruptionObjective;
import dev.text2code.objectives.span.SpanCorruptionPair;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Examples per second built from 1024-token sequences, one thread (compare with
 * benchmarks/objectives/t5_objectives.py, the same algorithms in Python + numpy).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ObjectiveBenchmark {
  private static final int LENGTH = 1024;
  private TokenSequence sequence;
  private SpanCorruptionObjective spanCorruption;
  private FillInTheMiddle fim;
  private SplittableRandom random;

  @Setup
  public void setUp() {
    CharacterTokenizer tokenizer = CharacterTokenizer.withPaperSpecials();
    SplittableRandom r = new SplittableRandom(42);
    int[] ids = new int[LENGTH];
    // Printable ASCII, like source code through a character-level tokenizer.
    for (int i = 0; i < LENGTH; i++) ids[i] = 32 + r.nextInt(95);
    sequence = TokenSequence.uniform(ids, Modality.CODE);
    spanCorruption =
        SpanCorruptionObjective.create(
            tokenizer, Settings.empty(), SpanCorruptionObjective.Form.DECODER_ONLY);
    fim =
        FillInTheMiddle.create(
            tokenizer, Settings.of(Map.of("objectives.fim.rate", "1", "objectives.fim.eod-token", "none")));
    random = new SplittableRandom(7);
  }

  /** T5 span corruption: the encoder-decoder pair (inputs, targets), as T5 produces it. */
  @Benchmark
  public SpanCorruptionPair spanCorruptionPair() {
    return spanCorruption.corrupt(sequence, random);
  }

  /** The same plus the decoder-only training row (labels, positions, attention). */
  @Benchmark
  public TrainingExample spanCorruptionDecoderExample() {
    return spanCorruption.apply(sequence, random);
  }

  /**
   * Character-level FIM (PSM/SPM 50/50): decode through the character tokenizer, cut outside
   * special-token spellings, encode the three parts (special spellings matched atomically).
   */
  @Benchmark
  public TrainingExample fimExample() {
    return fim.apply(sequence, random);
  }
}
