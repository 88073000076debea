package dev.text2code.data.spark;

import dev.text2code.api.Settings;
import dev.text2code.runs.PreparationEngine;
import dev.text2code.runs.RunData;
import org.apache.spark.sql.SparkSession;

/**
 * {@code data.engine = spark}: the run's preparation on Apache Spark. It joins the session already
 * running in this JVM (a test's, or the one {@code spark-submit} made); else it starts one at
 * {@code data.spark.master} ({@code ""} = the {@code spark.master} that {@code spark-submit} set,
 * or {@code local[*]} inside this process) and stops it at the end.
 */
public final class SparkEngine implements PreparationEngine {
  @Override
  public String name() {
    return "spark";
  }

  @Override
  public RunData.Prepared prepare(Request request) {
    Settings settings = request.settings();
    int partitions = (int) settings.integer("data.spark.partitions", 0);
    scala.Option<SparkSession> running = SparkSession.getActiveSession();
    if (running.isEmpty()) running = SparkSession.getDefaultSession();
    if (running.isDefined()) return SparkPreparation.prepare(running.get(), request, partitions);
    SparkSession spark = session(settings.string("data.spark.master", ""));
    try {
      return SparkPreparation.prepare(spark, request, partitions);
    } finally {
      spark.stop();
    }
  }

  /** A session at {@code master} (see the class comment for {@code ""}), quiet and without UI. */
  static SparkSession session(String master) {
    String chosen = !master.isBlank() ? master : System.getProperty("spark.master", "local[*]");
    return SparkSession.builder()
        .appName("text2code prepare")
        .master(chosen)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate();
  }
}
