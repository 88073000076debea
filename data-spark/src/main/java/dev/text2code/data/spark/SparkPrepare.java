package dev.text2code.data.spark;

import dev.text2code.cli.SdkCli;
import java.util.ArrayList;
import java.util.List;

/**
 * The main class of {@code data-spark.jar} for {@code spark-submit}: {@code sdk-cli} with {@code
 * data.engine = spark}, so {@code spark-submit --class dev.text2code.data.spark.SparkPrepare
 * data-spark.jar --config run.conf prepare --run DIR} prepares on the submitted cluster with the
 * same configuration file as {@code sdk-cli prepare --engine spark}.
 */
public final class SparkPrepare {
  private SparkPrepare() {}

  public static void main(String[] args) {
    List<String> all = new ArrayList<>(List.of("--set", "data.engine=spark"));
    all.addAll(List.of(args));
    System.exit(SdkCli.commandLine(System.getenv()).execute(all.toArray(String[]::new)));
  }
}
