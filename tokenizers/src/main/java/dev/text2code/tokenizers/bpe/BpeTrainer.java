package dev.text2code.tokenizers.bpe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.InvalidInputException;
import dev.text2code.tokenizers.AtomicFiles;
import dev.text2code.tokenizers.AtomicTokenMatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Learns a byte-level BPE vocabulary from a corpus and writes it as a standard {@code
 * tokenizer.json} that the Hugging Face library and {@link ByteLevelBpeTokenizer} both load.
 *
 * <p>Text is split by a pre-tokenizer regex, each piece into UTF-8 bytes; then the most frequent
 * adjacent pair is merged until the vocabulary (256 bytes + merges + special tokens) reaches the
 * requested size. Ties are broken by the pair's spelling, so the same corpus always gives the same
 * file.
 */
public final class BpeTrainer {
  /** Qwen2/3's pre-tokenizer pattern: digits one by one, which suits code. */
  public static final String CODE_PATTERN =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}|"
          + " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /**
   * What to learn.
   *
   * @param vocabularySize total ids, the 256 byte tokens and the special tokens included
   * @param specialTokens atomic tokens given the last ids, never learned from the corpus
   * @param minFrequency a pair seen fewer times than this is never merged
   * @param pattern the Split pre-tokenizer regex written into the file
   */
  public record Options(
      int vocabularySize, List<String> specialTokens, int minFrequency, String pattern) {
    public Options {
      specialTokens = List.copyOf(specialTokens);
      ConfigurationException.require(
          vocabularySize >= 256 + specialTokens.size() + 1,
          "vocabularySize",
          vocabularySize,
          "at least 257 + the number of special tokens (" + specialTokens.size() + ")");
      ConfigurationException.require(
          minFrequency >= 1, "minFrequency", minFrequency, "an integer >= 1");
      ConfigurationException.require(
          new HashSet<>(specialTokens).size() == specialTokens.size(),
          "specialTokens",
          specialTokens,
          "distinct tokens");
      PreTokenizer.compile(pattern, Path.of("<options>"), "pattern");
    }

    public static Options of(int vocabularySize, List<String> specialTokens) {
      return new Options(vocabularySize, specialTokens, 2, CODE_PATTERN);
    }
  }

  private final Options options;

  public BpeTrainer(Options options) {
    this.options = options;
  }

  /** The learned vocabulary: byte tokens, then merges in rank order, then special tokens. */
  public record Result(List<String> tokens, List<String[]> merges, List<String> specialTokens) {
    public Result {
      tokens = List.copyOf(tokens);
      merges = List.copyOf(merges);
      specialTokens = List.copyOf(specialTokens);
    }
  }

  /**
   * Learns from files read as UTF-8 one at a time; files that are not valid UTF-8 are counted in
   * {@code skips} and left out.
   */
  public Result trainOnFiles(List<Path> files, dev.text2code.tokenizers.corpus.SkipReport skips) {
    Iterable<String> texts =
        () ->
            files.stream()
                .map(
                    f -> {
                      try {
                        String text =
                            StandardCharsets.UTF_8
                                .newDecoder()
                                .decode(
                                    java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(f)))
                                .toString();
                        skips.accept();
                        return text;
                      } catch (java.nio.charset.CharacterCodingException e) {
                        skips.skip(f.toString(), "invalid UTF-8");
                        return "";
                      } catch (IOException e) {
                        skips.skip(f.toString(), "unreadable file (" + e.getMessage() + ")");
                        return "";
                      }
                    })
                .iterator();
    return train(texts);
  }

  /** Learns from texts (for example file contents). */
  public Result train(Iterable<String> texts) {
    Map<String, Long> pieceCounts = countPieces(texts);
    // Sorted pieces: the word numbering, and so everything after it, is deterministic.
    TreeMap<String, Long> sorted = new TreeMap<>(pieceCounts);
    int[][] words = new int[sorted.size()][];
    long[] counts = new long[sorted.size()];
    int w = 0;
    for (var e : sorted.entrySet()) {
      byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
      int[] symbols = new int[bytes.length];
      for (int i = 0; i < bytes.length; i++) symbols[i] = bytes[i] & 0xff;
      words[w] = symbols;
      counts[w++] = e.getValue();
    }
    List<String> tokens = new ArrayList<>();
    Map<String, Integer> ids = new HashMap<>();
    for (int b = 0; b < 256; b++) {
      String s = String.valueOf(ByteLevelAlphabet.charOf(b));
      tokens.add(s);
      ids.put(s, b);
    }
    int target = options.vocabularySize() - options.specialTokens().size();
    List<String[]> merges = new ArrayList<>();

    Map<Long, Long> pairCounts = new HashMap<>();
    Map<Long, Set<Integer>> where = new HashMap<>();
    for (int i = 0; i < words.length; i++) {
      addPairs(words[i], counts[i], i, pairCounts, where);
    }
    PriorityQueue<long[]> queue = new PriorityQueue<>((x, y) -> compare(x, y, tokens));
    pairCounts.forEach((pair, count) -> queue.add(new long[] {count, pair}));

    while (tokens.size() < target && !queue.isEmpty()) {
      long[] top = queue.poll();
      long pair = top[1];
      Long current = pairCounts.get(pair);
      if (current == null || current != top[0]) continue; // stale entry
      if (current < options.minFrequency()) break;
      int left = (int) (pair >>> 32);
      int right = (int) pair;
      String spelling = tokens.get(left) + tokens.get(right);
      Integer merged = ids.get(spelling);
      if (merged == null) {
        merged = tokens.size();
        tokens.add(spelling);
        ids.put(spelling, merged);
      }
      merges.add(new String[] {tokens.get(left), tokens.get(right)});
      Map<Long, Long> changed = new HashMap<>();
      for (int wi : where.remove(pair).stream().sorted().toList()) {
        int[] before = words[wi];
        int[] after = applyMerge(before, left, right, merged);
        if (after == before) continue;
        updatePairs(before, -counts[wi], pairCounts, changed);
        updatePairs(after, counts[wi], pairCounts, changed);
        for (int i = 0; i + 1 < after.length; i++) {
          where.computeIfAbsent(key(after[i], after[i + 1]), k -> new HashSet<>()).add(wi);
        }
        words[wi] = after;
      }
      pairCounts.remove(pair);
      for (long p : changed.keySet()) {
        Long c = pairCounts.get(p);
        if (c != null && c > 0 && p != pair) queue.add(new long[] {c, p});
      }
    }
    return new Result(tokens, merges, options.specialTokens());
  }

  private static int compare(long[] x, long[] y, List<String> tokens) {
    if (x[0] != y[0]) return Long.compare(y[0], x[0]);
    int c = tokens.get((int) (x[1] >>> 32)).compareTo(tokens.get((int) (y[1] >>> 32)));
    if (c != 0) return c;
    return tokens.get((int) x[1]).compareTo(tokens.get((int) y[1]));
  }

  private static long key(int left, int right) {
    return ((long) left << 32) | (right & 0xffffffffL);
  }

  private static void addPairs(
      int[] word,
      long count,
      int index,
      Map<Long, Long> pairCounts,
      Map<Long, Set<Integer>> where) {
    for (int i = 0; i + 1 < word.length; i++) {
      long k = key(word[i], word[i + 1]);
      pairCounts.merge(k, count, Long::sum);
      where.computeIfAbsent(k, x -> new HashSet<>()).add(index);
    }
  }

  private static void updatePairs(
      int[] word, long delta, Map<Long, Long> pairCounts, Map<Long, Long> changed) {
    for (int i = 0; i + 1 < word.length; i++) {
      long k = key(word[i], word[i + 1]);
      long c = pairCounts.merge(k, delta, Long::sum);
      if (c <= 0) pairCounts.remove(k);
      changed.put(k, c);
    }
  }

  /** Merges every non-overlapping (left, right), left to right; the same array if none. */
  private static int[] applyMerge(int[] word, int left, int right, int merged) {
    int[] out = null;
    int n = 0;
    for (int i = 0; i < word.length; i++) {
      if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
        if (out == null) {
          out = new int[word.length - 1];
          System.arraycopy(word, 0, out, 0, i);
          n = i;
        }
        out[n++] = merged;
        i++;
      } else if (out != null) {
        out[n++] = word[i];
      }
    }
    return out == null ? word : Arrays.copyOf(out, n);
  }

  private Map<String, Long> countPieces(Iterable<String> texts) {
    Pattern pattern = Pattern.compile(options.pattern(), Pattern.UNICODE_CHARACTER_CLASS);
    Map<String, Integer> specials = new LinkedHashMap<>();
    for (String s : options.specialTokens()) specials.put(s, specials.size());
    AtomicTokenMatcher matcher = new AtomicTokenMatcher(specials);
    Map<String, Long> counts = new HashMap<>();
    for (String text : texts) {
      matcher.split(
          text,
          new AtomicTokenMatcher.Visitor() {
            @Override
            public void text(String t, int from, int to) {
              Matcher m = pattern.matcher(t).region(from, to);
              int last = from;
              while (m.find()) {
                if (m.end() == m.start()) continue;
                if (m.start() > last) counts.merge(t.substring(last, m.start()), 1L, Long::sum);
                counts.merge(t.substring(m.start(), m.end()), 1L, Long::sum);
                last = m.end();
              }
              if (last < to) counts.merge(t.substring(last, to), 1L, Long::sum);
            }

            @Override
            public void token(int id) {}
          });
    }
    return counts;
  }

  /** The tokenizer.json tree of a result, with this trainer's pre-tokenizer. */
  public ObjectNode toJson(Result result) {
    ObjectNode root = TokenizerJson.JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    int id = result.tokens().size();
    for (String special : result.specialTokens()) {
      ObjectNode t = added.addObject();
      t.put("id", id++);
      t.put("content", special);
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
    }
    root.putNull("normalizer");
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "Sequence");
    ArrayNode steps = pre.putArray("pretokenizers");
    ObjectNode split = steps.addObject();
    split.put("type", "Split");
    split.putObject("pattern").put("Regex", options.pattern());
    split.put("behavior", "Isolated");
    split.put("invert", false);
    ObjectNode byteLevel = steps.addObject();
    byteLevel.put("type", "ByteLevel");
    byteLevel.put("add_prefix_space", false);
    byteLevel.put("trim_offsets", false);
    byteLevel.put("use_regex", false);
    root.putNull("post_processor");
    ObjectNode decoder = root.putObject("decoder");
    decoder.put("type", "ByteLevel");
    decoder.put("add_prefix_space", false);
    decoder.put("trim_offsets", false);
    decoder.put("use_regex", false);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("ignore_merges", false);
    ObjectNode vocab = model.putObject("vocab");
    for (int i = 0; i < result.tokens().size(); i++) vocab.put(result.tokens().get(i), i);
    ArrayNode merges = model.putArray("merges");
    for (String[] m : result.merges()) merges.add(m[0] + " " + m[1]);
    return root;
  }

  /** Writes the result as tokenizer.json, atomically (temp file, then rename). */
  public Path write(Result result, Path file) {
    try {
      byte[] bytes =
          TokenizerJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson(result));
      AtomicFiles.write(file, bytes);
      return file;
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot write tokenizer: " + e.getMessage(), e);
    }
  }
}
