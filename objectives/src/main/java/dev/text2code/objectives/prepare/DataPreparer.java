package dev.text2code.objectives.prepare;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.text2code.api.CheckpointException;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.ExampleSeeds;
import dev.text2code.objectives.ObjectiveSettings;
import dev.text2code.objectives.packing.PackedRow;
import dev.text2code.objectives.packing.Packer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Streams a corpus through an objective and the {@link Packer} into shards of {@code .npy} files
 * plus {@code manifest.json}.
 *
 * <p>Each shard {@code shard-NNNNN} holds six {@code [rows, rowLength]} arrays: {@code inputs},
 * {@code labels} (-100 = no loss), {@code positions}, {@code segments} (int32), {@code
 * prefix_lengths} (int32; column {@code s} is the prefix length of segment {@code s}, 0 beyond the
 * last segment) and {@code target_modalities} (uint8, 0 text / 1 code).
 *
 * <p>Example {@code i} is built with {@code ExampleSeeds.generator(seed, epoch, i)}, so the output
 * depends only on the corpus, the objective and the configuration: byte-identical for the same
 * seed. Memory is one shard. Every file is written to a temporary name and renamed; the manifest is
 * rewritten (the same way) after each shard, so a killed run resumes from its last complete shard:
 * call {@code prepare} again with the same configuration and the same corpus from its start.
 * Examples the objective rejects with {@link InvalidInputException} are counted as skipped.
 */
public final class DataPreparer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectWriter WRITER =
      JSON.writer(
          new DefaultPrettyPrinter()
              .withObjectIndenter(new DefaultIndenter("  ", "\n"))
              .withArrayIndenter(new DefaultIndenter("  ", "\n")));
  public static final String MANIFEST = "manifest.json";

  private DataPreparer() {}

  /**
   * Prepares (or resumes preparing) {@code config.outputDirectory()}; returns the final manifest.
   */
  public static Manifest prepare(
      PreparationConfig config, Objective objective, Iterator<TokenSequence> corpus) {
    return new Run(config, objective).run(corpus);
  }

  /** {@link #prepare(PreparationConfig, Objective, Iterator)} over a stream (closed at the end). */
  public static Manifest prepare(
      PreparationConfig config,
      Objective objective,
      java.util.stream.Stream<TokenSequence> corpus) {
    try (corpus) {
      return prepare(config, objective, corpus.iterator());
    }
  }

  /** Reads a manifest written by {@link #prepare}. */
  public static Optional<Manifest> readManifest(Path directory) {
    Path file = directory.resolve(MANIFEST);
    if (!Files.exists(file)) return Optional.empty();
    try {
      return Optional.of(JSON.readValue(file.toFile(), Manifest.class));
    } catch (IOException e) {
      throw InvalidInputException.at(file, 0, "not a valid manifest: " + e.getMessage());
    }
  }

  /** Counters as of a resume point. */
  private record Progress(
      long examplesRead, long packed, long dropped, long truncated, long skipped, long rows) {}

  private static final class Run {
    private final PreparationConfig config;
    private final Objective objective;
    private final int rowLength;
    private final int[] inputs;
    private final int[] labels;
    private final int[] positions;
    private final int[] segments;
    private final int[] prefixLengths;
    private final byte[] modalities;
    private final List<Manifest.Shard> shards = new ArrayList<>();
    private int bufferedRows;
    private long bufferedExamples;
    private Progress base;
    private Progress last;

    Run(PreparationConfig config, Objective objective) {
      this.config = config;
      this.objective = objective;
      this.rowLength = config.packing().rowLength();
      int cells = config.rowsPerShard() * rowLength;
      inputs = new int[cells];
      labels = new int[cells];
      positions = new int[cells];
      segments = new int[cells];
      prefixLengths = new int[cells];
      modalities = new byte[cells];
    }

    Manifest run(Iterator<TokenSequence> corpus) {
      Path dir = config.outputDirectory();
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new CheckpointException("cannot create " + dir + ": " + e.getMessage(), e);
      }
      Optional<Manifest> existing = readManifest(dir);
      base = new Progress(0, 0, 0, 0, 0, 0);
      last = base;
      if (existing.isPresent()) {
        Manifest m = existing.get();
        checkMatches(m);
        if (m.complete()) return m;
        shards.addAll(m.shards());
        base =
            new Progress(
                m.examplesRead(),
                m.examplesPacked(),
                m.examplesDropped(),
                m.examplesTruncated(),
                m.examplesSkipped(),
                m.rows());
      }
      last = base;
      long index = 0;
      while (index < base.examplesRead()) {
        if (!corpus.hasNext()) {
          throw new InvalidInputException(
              "the corpus has "
                  + index
                  + " examples but "
                  + dir.resolve(MANIFEST)
                  + " says "
                  + base.examplesRead()
                  + " were already read; resume with the same corpus");
        }
        corpus.next();
        index++;
      }
      Packer packer = new Packer(config.packing());
      long skipped = 0;
      long packed = 0;
      while (corpus.hasNext()) {
        TokenSequence sequence = corpus.next();
        long i = index++;
        TrainingExample example;
        try {
          example =
              objective.apply(sequence, ExampleSeeds.generator(config.seed(), config.epoch(), i));
        } catch (InvalidInputException e) {
          skipped++;
          continue;
        }
        long truncatedBefore = packer.truncated();
        Optional<PackedRow> closed = packer.add(example);
        if (closed.isPresent()) {
          packed += closed.get().examples();
          // Example i opened the next row, so everything before i is settled.
          long truncatedSettled =
              packer.truncated() - (packer.truncated() > truncatedBefore ? 1 : 0);
          addRow(
              closed.get(),
              new Progress(
                  i,
                  base.packed() + packed,
                  base.dropped() + packer.dropped(),
                  base.truncated() + truncatedSettled,
                  base.skipped() + skipped,
                  last.rows() + 1));
        }
      }
      Optional<PackedRow> closed = packer.flush();
      Progress end =
          new Progress(
              index,
              base.packed() + packed + closed.map(PackedRow::examples).orElse(0),
              base.dropped() + packer.dropped(),
              base.truncated() + packer.truncated(),
              base.skipped() + skipped,
              last.rows() + (closed.isPresent() ? 1 : 0));
      closed.ifPresent(row -> addRow(row, end));
      if (bufferedRows > 0) writeShard();
      last = end;
      Manifest done = manifest(true);
      writeManifest(done);
      return done;
    }

    private void addRow(PackedRow row, Progress progress) {
      TrainingExample r = row.row();
      int offset = bufferedRows * rowLength;
      System.arraycopy(r.inputIds(), 0, inputs, offset, rowLength);
      System.arraycopy(r.labels(), 0, labels, offset, rowLength);
      System.arraycopy(r.positionIds(), 0, positions, offset, rowLength);
      System.arraycopy(r.attention().segmentIds(), 0, segments, offset, rowLength);
      System.arraycopy(r.targetModalities(), 0, modalities, offset, rowLength);
      int[] prefixes = r.attention().prefixLengths();
      java.util.Arrays.fill(prefixLengths, offset, offset + rowLength, 0);
      System.arraycopy(prefixes, 0, prefixLengths, offset, prefixes.length);
      bufferedRows++;
      bufferedExamples += row.examples();
      last = progress;
      if (bufferedRows == config.rowsPerShard()) {
        writeShard();
        writeManifest(manifest(false));
      }
    }

    private void writeShard() {
      String name = String.format("shard-%05d", shards.size());
      int rows = bufferedRows;
      writeAtomically(name + ".inputs.npy", out -> Npy.writeInt32(out, inputs, rows, rowLength));
      writeAtomically(name + ".labels.npy", out -> Npy.writeInt32(out, labels, rows, rowLength));
      writeAtomically(
          name + ".positions.npy", out -> Npy.writeInt32(out, positions, rows, rowLength));
      writeAtomically(
          name + ".segments.npy", out -> Npy.writeInt32(out, segments, rows, rowLength));
      writeAtomically(
          name + ".prefix_lengths.npy", out -> Npy.writeInt32(out, prefixLengths, rows, rowLength));
      writeAtomically(
          name + ".target_modalities.npy", out -> Npy.writeUint8(out, modalities, rows, rowLength));
      shards.add(new Manifest.Shard(name, rows, bufferedExamples));
      bufferedRows = 0;
      bufferedExamples = 0;
    }

    private Manifest manifest(boolean complete) {
      return new Manifest(
          Manifest.FORMAT,
          objective.name(),
          config.seed(),
          config.epoch(),
          config.tokenizerName(),
          config.tokenizerHash(),
          rowLength,
          config.rowsPerShard(),
          config.packing().padId(),
          ObjectiveSettings.spelling(config.packing().overflow()),
          Manifest.ARRAYS,
          shards,
          last.examplesRead(),
          last.packed(),
          last.dropped(),
          last.truncated(),
          last.skipped(),
          last.rows(),
          complete);
    }

    private void writeManifest(Manifest manifest) {
      writeAtomically(MANIFEST, out -> WRITER.writeValue(out, manifest));
    }

    private void checkMatches(Manifest m) {
      Manifest wanted = manifest(false);
      check("objective", m.objective(), wanted.objective());
      check("seed", m.seed(), wanted.seed());
      check("epoch", m.epoch(), wanted.epoch());
      check("tokenizerHash", m.tokenizerHash(), wanted.tokenizerHash());
      check("rowLength", m.rowLength(), wanted.rowLength());
      check("rowsPerShard", m.rowsPerShard(), wanted.rowsPerShard());
      check("padId", m.padId(), wanted.padId());
      check("overflow", m.overflow(), wanted.overflow());
    }

    private void check(String field, Object found, Object wanted) {
      if (!found.equals(wanted)) {
        throw new ConfigurationException(
            config.outputDirectory().resolve(MANIFEST)
                + ": "
                + field
                + " = "
                + found
                + " but this run asks for "
                + wanted
                + "; resume with the same settings or choose another output directory");
      }
    }

    private interface Writer {
      void write(OutputStream out) throws IOException;
    }

    private void writeAtomically(String fileName, Writer writer) {
      Path target = config.outputDirectory().resolve(fileName);
      Path temp = config.outputDirectory().resolve(fileName + ".tmp");
      try {
        try (OutputStream out =
            new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
          writer.write(out);
        }
        try {
          Files.move(
              temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        throw new CheckpointException(
            "cannot write " + target + ": " + e.getMessage(), new UncheckedIOException(e));
      }
    }
  }
}
