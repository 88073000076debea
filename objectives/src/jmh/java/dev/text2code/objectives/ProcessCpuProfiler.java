package dev.text2code.objectives;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Operations per second of process CPU time (all JVM threads, GC included), next to JMH's
 * wall-clock throughput: on a shared, oversubscribed machine the CPU-time rate is the fairer
 * "per core" figure. Use with {@code -prof dev.text2code.objectives.ProcessCpuProfiler}; the
 * Python peer reports the same with {@code time.process_time()}.
 */
public class ProcessCpuProfiler implements InternalProfiler {
  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long start;

  @Override
  public String getDescription() {
    return "operations per second of process CPU time";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    start = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
    double seconds = (os.getProcessCpuTime() - start) / 1e9;
    double ops = result.getMetadata().getAllOps();
    return List.of(
        new ScalarResult("cpu.throughput", ops / seconds, "ops/cpu-s", AggregationPolicy.AVG));
  }
}
