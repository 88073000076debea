package dev.text2code.tokenizers;

import dev.text2code.api.ConfigurationException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The special tokens the SDK's formats and objectives use, by group. Add them to a tokenizer with
 * {@code tokenizer.withSpecialTokens(SpecialTokens.PAPER)}; they are then atomic in every encoder.
 */
public final class SpecialTokens {
  public static final String COMMENTS = "<comments>";
  public static final String PYTHON = "<python>";
  public static final String EOT = "<eot>";
  public static final String EOD = "<eod>";
  public static final String PAD = "<pad>";
  public static final String MASK = "<mask>";
  public static final String NEW_LINE = "<NEW_LINE>";
  public static final String INDENT = "<INDENT>";
  public static final String DEDENT = "<DEDENT>";
  public static final String BEGIN_OF_TEXT = "<|beginoftext|>";

  /**
   * The modality-relative pre-training paper's added tokens (docs/METHODS.md section 1.2), in the
   * paper's order, plus {@code <|beginoftext|>} that its PyCodeGPT layout starts with.
   */
  public static final List<String> PAPER =
      List.of(
          EOD,
          EOT,
          PAD,
          "<java>",
          PYTHON,
          "<go>",
          "<php>",
          "<javascript>",
          "<ruby>",
          "<en>",
          "<cn>",
          COMMENTS,
          NEW_LINE,
          INDENT,
          DEDENT,
          MASK,
          BEGIN_OF_TEXT);

  public static final String FIM_PREFIX = "<fim_prefix>";
  public static final String FIM_MIDDLE = "<fim_middle>";
  public static final String FIM_SUFFIX = "<fim_suffix>";
  public static final String FIM_PAD = "<fim_pad>";

  /** Fill-in-the-middle sentinels, StarCoder spelling. */
  public static final List<String> FIM = List.of(FIM_PREFIX, FIM_MIDDLE, FIM_SUFFIX, FIM_PAD);

  /** Fill-in-the-middle sentinels, SantaCoder spelling. */
  public static final List<String> FIM_SANTACODER =
      List.of("<fim-prefix>", "<fim-middle>", "<fim-suffix>", "<fim-pad>");

  public static final String SEP = "<sep>";
  public static final String EOM = "<eom>";

  private SpecialTokens() {}

  /**
   * CodeGen2's span-corruption tokens: {@code <mask_1>..<mask_spans>}, {@code <sep>}, {@code
   * <eom>}.
   */
  public static List<String> codeGen2(int spans) {
    ConfigurationException.require(spans >= 1, "spans", spans, "an integer >= 1");
    List<String> tokens = new ArrayList<>(spans + 2);
    for (int k = 1; k <= spans; k++) tokens.add(codeGen2Mask(k));
    tokens.add(SEP);
    tokens.add(EOM);
    return List.copyOf(tokens);
  }

  /** CodeGen2's k-th mask token, {@code <mask_k>} (k counts from 1). */
  public static String codeGen2Mask(int k) {
    ConfigurationException.require(k >= 1, "mask number", k, "an integer >= 1");
    return "<mask_" + k + ">";
  }

  /** T5's sentinels {@code <extra_id_0>..<extra_id_{count-1}>}. */
  public static List<String> t5Sentinels(int count) {
    ConfigurationException.require(count >= 1, "sentinel count", count, "an integer >= 1");
    List<String> tokens = new ArrayList<>(count);
    for (int k = 0; k < count; k++) tokens.add(t5Sentinel(k));
    return List.copyOf(tokens);
  }

  /** T5's k-th sentinel {@code <extra_id_k>} (k counts from 0). */
  public static String t5Sentinel(int k) {
    ConfigurationException.require(k >= 0, "sentinel number", k, "an integer >= 0");
    return "<extra_id_" + k + ">";
  }

  private static Map<String, List<String>> groups() {
    Map<String, List<String>> groups = new TreeMap<>();
    groups.put("paper", PAPER);
    groups.put("fim", FIM);
    groups.put("fim-santacoder", FIM_SANTACODER);
    groups.put("codegen2", codeGen2(32));
    // Added from <extra_id_99> down to <extra_id_0>, so <extra_id_0> gets the highest id and the
    // k-th sentinel
    // sits at id(<extra_id_0>) - k, counting down from the top as T5 does.
    List<String> t5 = new ArrayList<>(t5Sentinels(100));
    java.util.Collections.reverse(t5);
    groups.put("t5", List.copyOf(t5));
    return groups;
  }

  /**
   * Resolves a comma-separated list of group names ({@code paper}, {@code fim}, {@code
   * fim-santacoder}, {@code codegen2} (32 masks), {@code t5} (100 sentinels)) and literal tokens
   * written in angle brackets, such as {@code paper,<repo_name>}.
   *
   * @throws ConfigurationException naming the entry and listing the groups when an entry is neither
   */
  public static List<String> resolve(String spec) {
    LinkedHashSet<String> tokens = new LinkedHashSet<>();
    Map<String, List<String>> groups = groups();
    for (String raw : spec.split(",")) {
      String entry = raw.trim();
      if (entry.isEmpty()) continue;
      List<String> group = groups.get(entry);
      if (group != null) {
        tokens.addAll(group);
      } else if (entry.length() > 2 && entry.startsWith("<") && entry.endsWith(">")) {
        tokens.add(entry);
      } else {
        throw new ConfigurationException(
            "special tokens entry "
                + entry
                + " is not valid; expected a group ("
                + String.join(", ", groups.keySet())
                + ") or a token in angle brackets such as <sep>");
      }
    }
    return List.copyOf(tokens);
  }
}
