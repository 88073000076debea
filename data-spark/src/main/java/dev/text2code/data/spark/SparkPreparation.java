package dev.text2code.data.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigRenderOptions;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.data.CorpusHygiene;
import dev.text2code.data.report.DataReport;
import dev.text2code.data.report.DataReportBuilder;
import dev.text2code.objectives.prepare.DataPreparer;
import dev.text2code.objectives.prepare.Manifest;
import dev.text2code.objectives.prepare.PreparedDataset;
import dev.text2code.runs.PreparationEngine;
import dev.text2code.runs.RunData;
import dev.text2code.tokenizers.corpus.SkipReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * One run's data preparation on a Spark session. Executors compute an {@link Item} per input record
 * (keyed by its input index); the driver then reads the items back in input order and makes every
 * order-dependent decision with the classes the single-JVM engine uses ({@link CorpusHygiene},
 * {@link DataPreparer}), so the output does not depend on the number of partitions.
 */
public final class SparkPreparation {
  /** Records per partition when {@code data.spark.partitions = 0} (auto). */
  static final int RECORDS_PER_PARTITION = 20_000;

  private SparkPreparation() {}

  /**
   * Prepares {@code request} on {@code spark}.
   *
   * @param partitions partitions of the per-record work; 0 = the session's default parallelism, or
   *     more so that a partition holds at most {@value #RECORDS_PER_PARTITION} records
   */
  public static RunData.Prepared prepare(
      SparkSession spark, PreparationEngine.Request request, int partitions) {
    if (partitions < 0) {
      throw new ConfigurationException(
          "data.spark.partitions = " + partitions + "; expected 0 (auto) or a positive count");
    }
    Settings settings = request.settings();
    if (!(settings instanceof SdkConfig sdk)) {
      throw new IllegalArgumentException(
          "the Spark engine ships the run configuration to its executors and needs an SdkConfig, not "
              + settings.getClass().getName());
    }
    String rendered = sdk.raw().root().render(ConfigRenderOptions.concise());
    boolean codeOnly = RunData.isCodeOnly(request.objective());
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaPairRDD<Long, Tuple2<String, byte[]>> records =
        records(spark, sc, request.corpus(), Math.max(partitions, 1));
    long n = records.count();
    int wanted =
        partitions > 0
            ? partitions
            : (int)
                Math.max(
                    sc.defaultParallelism(),
                    Math.min(1 << 16, (n + RECORDS_PER_PARTITION - 1) / RECORDS_PER_PARTITION));
    JavaRDD<Item> items =
        records
            .repartitionAndSortWithinPartitions(new IndexRanges(n, wanted))
            .mapPartitions(new Compute(rendered, codeOnly), true)
            .persist(StorageLevel.DISK_ONLY());
    try {
      items.count();
      request
          .listener()
          .report(
              String.format(
                  "spark: %d records of %s in %d partitions (%s)",
                  n, request.corpus(), items.getNumPartitions(), spark.sparkContext().master()));
      return decide(sc, items, request, n);
    } finally {
      items.unpersist(false);
    }
  }

  /** The order-dependent part, on the driver. */
  private static RunData.Prepared decide(
      JavaSparkContext sc, JavaRDD<Item> items, PreparationEngine.Request request, long n) {
    Settings settings = request.settings();
    if (n > Integer.MAX_VALUE) {
      throw new ConfigurationException(
          request.corpus() + " has " + n + " records; the Spark engine takes at most 2^31 - 1");
    }
    CorpusHygiene.Filter filter = CorpusHygiene.fromSettings(settings).filter();
    long max = settings.integer("data.max-pairs", 0);
    BitSet heldOut = new BitSet();
    SkipReport layoutSkips = new SkipReport();
    DataReportBuilder report = new DataReportBuilder();
    long[] pairs = new long[1];
    Manifest trainManifest;
    Path rejects = request.layout().root().resolve("rejects.jsonl");
    try (SkipReport readSkips =
        SkipReport.writingTo(rejects, settings.flag("data.strict", false))) {
      Iterator<Item> source = items.toLocalIterator();
      Iterator<TokenSequence> train =
          new Sequences() {
            @Override
            Item nextWanted() {
              while (source.hasNext()) {
                Item item = source.next();
                if (item.isSkip()) {
                  if (!item.skipReason.isEmpty()) readSkips.skip(item.where, item.skipReason);
                  continue;
                }
                if (max > 0 && pairs[0] >= max) return null;
                pairs[0]++;
                readSkips.accept();
                if (!filter.test(item.id, item.hits(), item.exactKey, item.signature)) continue;
                if (item.heldOut) {
                  heldOut.set((int) item.index);
                  continue;
                }
                return item;
              }
              return null;
            }
          }.counting(layoutSkips, report);
      trainManifest =
          DataPreparer.prepare(
              RunData.preparationConfig(
                  request.layout().preparedTrain(), request.tokenizers(), settings),
              request.objective(),
              train);
      // A complete earlier preparation returns at once; the held-out pairs are still needed.
      while (train.hasNext()) train.next();
      request
          .listener()
          .report(
              String.format(
                  "corpus %s: %d pairs, %d records skipped",
                  request.corpus(), pairs[0], readSkips.skipped()));
    }
    Broadcast<BitSet> wanted = sc.broadcast(heldOut);
    Iterator<Item> heldOutItems = items.filter(new Wanted(wanted)).toLocalIterator();
    Iterator<TokenSequence> heldOutSequences =
        new Sequences() {
          @Override
          Item nextWanted() {
            return heldOutItems.hasNext() ? heldOutItems.next() : null;
          }
        }.counting(layoutSkips, report);
    DataPreparer.prepare(
        RunData.preparationConfig(
            request.layout().preparedHeldOut(), request.tokenizers(), settings),
        request.objective(),
        heldOutSequences);
    while (heldOutSequences.hasNext()) heldOutSequences.next();
    wanted.destroy();
    PreparedDataset trainRows = PreparedDataset.open(request.layout().preparedTrain());
    PreparedDataset heldOutRows = PreparedDataset.open(request.layout().preparedHeldOut());
    Map<String, Long> rejected = new TreeMap<>();
    layoutSkips.countsByReason().forEach((reason, count) -> rejected.put(reason, (long) count));
    report
        .build(
            pairs[0],
            Map.of(),
            filter.dedup(),
            filter.decontamination(),
            rejected,
            List.of(
                DataReport.Split.of("train", trainRows),
                DataReport.Split.of("held-out", heldOutRows)))
        .write(request.layout().preparedTrain().getParent());
    return new RunData.Prepared(trainRows.rows(), heldOutRows.rows(), trainManifest);
  }

  /**
   * The encoded pairs of the items {@link #nextWanted} hands over; a pair the layout rejected is a
   * counted skip, as in the single-JVM engine.
   */
  private abstract static class Sequences {
    abstract Item nextWanted();

    Iterator<TokenSequence> counting(SkipReport layoutSkips, DataReportBuilder report) {
      return new Iterator<>() {
        private TokenSequence next;
        private boolean done;

        @Override
        public boolean hasNext() {
          while (next == null && !done) {
            Item item = nextWanted();
            if (item == null) {
              done = true;
            } else if (item.rejected != null) {
              layoutSkips.skip(item.id, item.rejected);
            } else {
              next = item.sequence();
              report.example(next);
            }
          }
          return next != null;
        }

        @Override
        public TokenSequence next() {
          if (!hasNext()) throw new NoSuchElementException();
          TokenSequence s = next;
          next = null;
          return s;
        }
      };
    }
  }

  /**
   * The corpus records by input index, each with where it is ({@code file:line}) and its JSON
   * object: a {@code .jsonl(.gz)} file (split on line feeds only, as the single-JVM reader does),
   * or Parquet (a file or a directory; columns as the JSONL keys, rows in file then row order).
   */
  static JavaPairRDD<Long, Tuple2<String, byte[]>> records(
      SparkSession spark, JavaSparkContext sc, Path corpus, int minPartitions) {
    if (!Files.exists(corpus)) {
      throw new ConfigurationException(
          "data.corpus = "
              + corpus
              + " does not exist; the Spark engine reads .jsonl(.gz) or Parquet");
    }
    if (isParquet(corpus)) return parquet(spark, corpus, minPartitions);
    String name = corpus.getFileName().toString();
    if (Files.isDirectory(corpus) || !(name.endsWith(".jsonl") || name.endsWith(".jsonl.gz"))) {
      throw new ConfigurationException(
          "data.corpus = "
              + corpus
              + ": the Spark engine reads a .jsonl(.gz) pair file or Parquet (a .parquet file or a"
              + " directory of them); sdk-cli prepare first extracts Python sources and JSON arrays"
              + " to the run's corpus.jsonl");
    }
    JobConf conf = new JobConf(sc.hadoopConfiguration());
    conf.set("textinputformat.record.delimiter", "\n");
    FileInputFormat.setInputPaths(conf, corpus.toAbsolutePath().toUri().toString());
    String file = corpus.toString();
    return sc.hadoopRDD(conf, TextInputFormat.class, LongWritable.class, Text.class, minPartitions)
        .map(t -> java.util.Arrays.copyOf(t._2().getBytes(), t._2().getLength()))
        .zipWithIndex()
        .mapToPair(t -> new Tuple2<>(t._2(), new Tuple2<>(file + ":" + (t._2() + 1), t._1())));
  }

  static boolean isParquet(Path corpus) {
    if (Files.isRegularFile(corpus)) return corpus.getFileName().toString().endsWith(".parquet");
    if (!Files.isDirectory(corpus)) return false;
    try (Stream<Path> files = Files.list(corpus)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JavaPairRDD<Long, Tuple2<String, byte[]>> parquet(
      SparkSession spark, Path corpus, int minPartitions) {
    Dataset<Row> rows = spark.read().parquet(corpus.toAbsolutePath().toString());
    List<String> columns = new ArrayList<>();
    for (StructField f : rows.schema().fields()) columns.add(f.name());
    Dataset<Row> ordered =
        rows.select(
                functions.col("*"),
                functions.col("_metadata.file_name").as("__t2c_file"),
                functions.col("_metadata.row_index").as("__t2c_row"))
            .repartitionByRange(
                minPartitions, functions.col("__t2c_file"), functions.col("__t2c_row"))
            .sortWithinPartitions("__t2c_file", "__t2c_row");
    String[] names = columns.toArray(String[]::new);
    return ordered
        .javaRDD()
        .map(new ParquetRecord(names))
        .zipWithIndex()
        .mapToPair(t -> new Tuple2<>(t._2(), t._1()));
  }

  /** A Parquet row as the JSON object of its columns, with {@code file:row} (1-based). */
  private static final class ParquetRecord implements Function<Row, Tuple2<String, byte[]>> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String[] columns;

    ParquetRecord(String[] columns) {
      this.columns = columns;
    }

    @Override
    public Tuple2<String, byte[]> call(Row row) throws Exception {
      ObjectNode node = JSON.createObjectNode();
      for (String c : columns) {
        Object v = row.getAs(c);
        if (v == null) node.putNull(c);
        else if (v instanceof String s) node.put(c, s);
        else if (v instanceof Long l) node.put(c, l);
        else if (v instanceof Integer i) node.put(c, i);
        else if (v instanceof Boolean b) node.put(c, b);
        else if (v instanceof Double d) node.put(c, d);
        else node.put(c, v.toString());
      }
      String where = row.<String>getAs("__t2c_file") + ":row " + (row.<Long>getAs("__t2c_row") + 1);
      return new Tuple2<>(where, JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Partition {@code p} holds the indices {@code [p n / parts, (p + 1) n / parts)}. */
  static final class IndexRanges extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final long records;
    private final int parts;

    IndexRanges(long records, int parts) {
      this.records = Math.max(records, 1);
      this.parts = parts;
    }

    @Override
    public int numPartitions() {
      return parts;
    }

    @Override
    public int getPartition(Object key) {
      long index = (Long) key;
      return (int) Math.min(parts - 1, index * parts / records);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IndexRanges r && r.records == records && r.parts == parts;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(records) * 31 + parts;
    }
  }

  /** The per-record work of a partition, in index order. */
  private static final class Compute
      implements FlatMapFunction<Iterator<Tuple2<Long, Tuple2<String, byte[]>>>, Item> {
    private static final long serialVersionUID = 1L;
    private final String renderedConfig;
    private final boolean codeOnly;

    Compute(String renderedConfig, boolean codeOnly) {
      this.renderedConfig = renderedConfig;
      this.codeOnly = codeOnly;
    }

    @Override
    public Iterator<Item> call(Iterator<Tuple2<Long, Tuple2<String, byte[]>>> records) {
      Worker worker = Worker.of(renderedConfig, codeOnly);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return records.hasNext();
        }

        @Override
        public Item next() {
          Tuple2<Long, Tuple2<String, byte[]>> r = records.next();
          return worker.compute(r._1(), r._2()._1(), r._2()._2());
        }
      };
    }
  }

  /** The held-out items the driver kept. */
  private static final class Wanted implements Function<Item, Boolean> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<BitSet> wanted;

    Wanted(Broadcast<BitSet> wanted) {
      this.wanted = wanted;
    }

    @Override
    public Boolean call(Item item) {
      return !item.isSkip() && wanted.value().get((int) item.index);
    }
  }
}
