package dev.text2code.runs;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.objective.Objective;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Another engine for a run's data preparation than this JVM (key {@code data.engine}): given the
 * run's tokenizers and objective, it reads a corpus file and writes the run's training and held-out
 * shards, manifests and data report, byte-identical to {@link RunData#prepare} for the same corpus,
 * configuration and seed. Implementations are found with {@link java.util.ServiceLoader} (the
 * {@code data-spark} module provides {@code spark}).
 */
public interface PreparationEngine {
  /** The engine named {@code name} on the class path; {@code data.engine = NAME} names it. */
  static PreparationEngine find(String name) {
    List<String> known = new ArrayList<>(List.of("jvm"));
    for (PreparationEngine e : ServiceLoader.load(PreparationEngine.class)) {
      if (e.name().equals(name)) return e;
      known.add(e.name());
    }
    String hint =
        name.equals("spark")
            ? "; the spark engine is the data-spark module: build it (./mvnw -B -q install"
                + " -DskipTests -pl data-spark -am) and the sdk-cli launcher puts it on the class"
                + " path, or add data-spark.jar and its lib/ (or the Maven artifact"
                + " dev.text2code:data-spark) to the class path"
            : "";
    throw new ConfigurationException(
        "data.engine = " + name + " is not available; known here: " + known + hint);
  }

  /** The value of {@code data.engine} that selects this engine. */
  String name();

  /** Prepares the run's data; called after the run's configuration and router are written. */
  RunData.Prepared prepare(Request request);

  /**
   * What an engine prepares.
   *
   * @param layout the run directory
   * @param settings the run's configuration
   * @param tokenizers the run's tokenizers (as {@link RunTokenizers#build} makes them from {@code
   *     settings})
   * @param objective the run's objective
   * @param corpus a {@code .jsonl(.gz)} or {@code .parquet} pair file or directory of Parquet files
   * @param listener progress reports
   */
  record Request(
      RunLayout layout,
      Settings settings,
      RunTokenizers tokenizers,
      Objective objective,
      Path corpus,
      RunListener listener) {
    public Request {
      Objects.requireNonNull(layout, "layout");
      Objects.requireNonNull(settings, "settings");
      Objects.requireNonNull(tokenizers, "tokenizers");
      Objects.requireNonNull(objective, "objective");
      Objects.requireNonNull(corpus, "corpus");
      Objects.requireNonNull(listener, "listener");
    }
  }
}
