package dev.text2code.data.decontamination;

import dev.text2code.api.TextCodePair;
import dev.text2code.data.CodeTokens;
import dev.text2code.evaluation.problems.Benchmarks;
import dev.text2code.evaluation.problems.HumanEval;
import dev.text2code.evaluation.problems.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes training pairs that overlap evaluation problems. A pair (its description, a line break,
 * its code) is contaminated by a problem when they share {@code ngram} consecutive {@link
 * CodeTokens} of the problem's prompt + canonical solution, or (with {@code docstrings}) when the
 * pair's description equals the docstring of the problem's prompt, whitespace collapsed. Problems
 * are loaded with the evaluation module's loaders, so the decontaminated problems are the evaluated
 * ones.
 */
public final class Decontaminator {
  /** Benchmark names besides those of {@link Benchmarks#FILES}: name -> file under the data dir. */
  public static final Map<String, String> EXTRA =
      Map.of("humaneval-plus", "evalplus/HumanEvalPlus.jsonl.gz");

  /** Every known benchmark name. */
  public static final List<String> KNOWN;

  static {
    List<String> known = new ArrayList<>(Benchmarks.FILES.keySet());
    known.add(1, "humaneval-plus");
    KNOWN = List.copyOf(known);
  }

  private static final Pattern DOCSTRING = Pattern.compile("(\"\"\"|''')(.*?)\\1", Pattern.DOTALL);
  private static final int MIN_DOCSTRING_TOKENS = 3;

  private final DecontaminationOptions options;
  private final List<String> names = new ArrayList<>();
  private final List<List<String>> taskIds = new ArrayList<>();

  /** Problem number -> (benchmark, task). */
  private final List<int[]> problems = new ArrayList<>();

  private final Map<Long, int[]> ngrams = new HashMap<>();
  private final Map<String, int[]> docstrings = new HashMap<>();
  private final List<BitSet> matchedTasks = new ArrayList<>();
  private final long[] removedPerBenchmark;
  private final List<List<DecontaminationSummary.Hit>> examples = new ArrayList<>();
  private long pairsIn;
  private long pairsRemoved;

  /** A decontaminator for the given benchmarks (name -> task id -> problem, in order). */
  public Decontaminator(
      DecontaminationOptions options, Map<String, Map<String, Problem>> benchmarks) {
    this.options = options;
    int b = 0;
    for (var benchmark : benchmarks.entrySet()) {
      names.add(benchmark.getKey());
      List<String> ids = new ArrayList<>(benchmark.getValue().keySet());
      taskIds.add(ids);
      matchedTasks.add(new BitSet());
      examples.add(new ArrayList<>());
      for (int t = 0; t < ids.size(); t++) {
        Problem p = benchmark.getValue().get(ids.get(t));
        int number = problems.size();
        problems.add(new int[] {b, t});
        long[] tokens = CodeTokens.hashes(p.prompt() + "\n" + p.canonicalSolution());
        for (int i = 0; i + options.ngram() <= tokens.length; i++) {
          ngrams.merge(
              CodeTokens.ngram(tokens, i, options.ngram()),
              new int[] {number},
              Decontaminator::union);
        }
        String doc = docstring(p.prompt());
        if (!doc.isEmpty() && CodeTokens.count(doc) >= MIN_DOCSTRING_TOKENS) {
          docstrings.merge(doc, new int[] {number}, Decontaminator::union);
        }
      }
      b++;
    }
    removedPerBenchmark = new long[names.size()];
  }

  /**
   * Loads {@code options.benchmarks()}: names from {@link #KNOWN} under {@code dataDirectory} (laid
   * out like the project's shared data), or HumanEval-format files.
   */
  public static Decontaminator load(DecontaminationOptions options, Path dataDirectory) {
    Map<String, Map<String, Problem>> benchmarks = new LinkedHashMap<>();
    for (String name : options.benchmarks()) {
      String extra = EXTRA.get(name);
      if (extra != null) {
        Path file = dataDirectory.resolve(extra);
        if (!Files.isRegularFile(file)) {
          throw new dev.text2code.api.ConfigurationException(
              "benchmark "
                  + name
                  + " needs "
                  + file
                  + ", which does not exist; set evaluation.data-dir to a directory holding "
                  + extra);
        }
        benchmarks.put(name, HumanEval.load(file));
      } else {
        benchmarks.put(name, Benchmarks.load(name, dataDirectory));
      }
    }
    return new Decontaminator(options, benchmarks);
  }

  /** Checks one pair; returns whether it is clean (kept). Contaminated pairs are recorded. */
  public boolean offer(TextCodePair pair) {
    return record(pair.id(), hits(pair));
  }

  /**
   * The problems a pair overlaps, lowest problem number first, with why ({@code docstring} or
   * {@code ngram}); empty when clean. Records nothing, so an engine may compute it anywhere and
   * {@link #record} the results in input order.
   */
  public Hits hits(TextCodePair pair) {
    // Problem number -> reason, lowest problem first.
    Map<Integer, String> hits = new java.util.TreeMap<>();
    if (options.docstrings()) {
      int[] found = docstrings.get(collapse(pair.text()));
      if (found != null) for (int p : found) hits.put(p, "docstring");
    }
    long[] tokens = CodeTokens.hashes(pair.text() + "\n" + pair.code());
    for (int i = 0; i + options.ngram() <= tokens.length; i++) {
      int[] found = ngrams.get(CodeTokens.ngram(tokens, i, options.ngram()));
      if (found != null) for (int p : found) hits.putIfAbsent(p, "ngram");
    }
    if (hits.isEmpty()) return Hits.NONE;
    int[] problemNumbers = new int[hits.size()];
    String[] reasons = new String[hits.size()];
    int k = 0;
    for (var hit : hits.entrySet()) {
      problemNumbers[k] = hit.getKey();
      reasons[k++] = hit.getValue();
    }
    return new Hits(problemNumbers, reasons);
  }

  /**
   * The problems one pair overlaps ({@link #hits}).
   *
   * @param problems problem numbers, ascending
   * @param reasons why each matched
   */
  public record Hits(int[] problems, String[] reasons) implements java.io.Serializable {
    public static final Hits NONE = new Hits(new int[0], new String[0]);

    public Hits {
      if (problems.length != reasons.length) {
        throw new IllegalArgumentException("one reason per problem");
      }
    }

    public boolean clean() {
      return problems.length == 0;
    }
  }

  /**
   * Counts pair {@code id} with its {@link #hits}; returns whether it is clean (kept). Pairs must
   * be recorded in input order for the report's examples to be the first ones.
   */
  public boolean record(String id, Hits hits) {
    pairsIn++;
    if (hits.clean()) return true;
    pairsRemoved++;
    BitSet benchmarksHit = new BitSet();
    for (int k = 0; k < hits.problems().length; k++) {
      int[] problem = problems.get(hits.problems()[k]);
      int b = problem[0];
      matchedTasks.get(b).set(problem[1]);
      if (!benchmarksHit.get(b)) {
        benchmarksHit.set(b);
        removedPerBenchmark[b]++;
        if (examples.get(b).size() < options.examples()) {
          examples
              .get(b)
              .add(
                  new DecontaminationSummary.Hit(
                      id, taskIds.get(b).get(problem[1]), hits.reasons()[k]));
        }
      }
    }
    return false;
  }

  /** The pairs of {@code pairs} that overlap no benchmark, in order. */
  public List<TextCodePair> filter(List<TextCodePair> pairs) {
    List<TextCodePair> kept = new ArrayList<>();
    for (TextCodePair p : pairs) if (offer(p)) kept.add(p);
    return kept;
  }

  public DecontaminationSummary summary() {
    List<DecontaminationSummary.Benchmark> out = new ArrayList<>();
    for (int b = 0; b < names.size(); b++) {
      List<String> ids = new ArrayList<>();
      BitSet matched = matchedTasks.get(b);
      for (int t = matched.nextSetBit(0); t >= 0; t = matched.nextSetBit(t + 1)) {
        ids.add(taskIds.get(b).get(t));
      }
      out.add(
          new DecontaminationSummary.Benchmark(
              names.get(b), taskIds.get(b).size(), removedPerBenchmark[b], ids, examples.get(b)));
    }
    return new DecontaminationSummary(
        options.ngram(), options.docstrings(), pairsIn, pairsRemoved, out);
  }

  /** The text of the first triple-quoted string of a prompt, whitespace collapsed; or "". */
  static String docstring(String prompt) {
    Matcher m = DOCSTRING.matcher(prompt);
    return m.find() ? collapse(m.group(2)) : "";
  }

  private static String collapse(String s) {
    return s.strip().replaceAll("\\s+", " ");
  }

  private static int[] union(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return Arrays.stream(out).distinct().sorted().toArray();
  }
}
