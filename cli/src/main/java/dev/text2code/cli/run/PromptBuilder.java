package dev.text2code.cli.run;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Modality;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.tokenizers.SpecialTokens;
import dev.text2code.tokenizers.pairs.PairLayout;
import dev.text2code.tokenizers.pairs.PythonLinearizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a HumanEval-style prompt (code with a docstring) into the layout a model was trained on, so
 * that the model continues with the function body: {@code <comments> docstring <python>
 * code-without-docstring}. The body it generates is appended after the original prompt when
 * executed.
 */
public final class PromptBuilder {
  private static final Pattern DOCSTRING = Pattern.compile("(?s)(\"\"\"|''')(.*?)\\1");

  private final Tokenizer tokenizer;
  private final PairLayout layout;
  private final boolean linearize;
  private final boolean raw;

  private PromptBuilder(Tokenizer tokenizer, boolean raw) {
    this.tokenizer = tokenizer;
    this.layout = PairLayout.COMMENTS_THEN_CODE;
    this.linearize = false;
    this.raw = raw;
  }

  /**
   * Prompts as plain code, preceded by the tokenizer's begin token (its end token when it has
   * none), for models trained on whole files (CERT).
   */
  public static PromptBuilder raw(Tokenizer tokenizer) {
    return new PromptBuilder(tokenizer, true);
  }

  public PromptBuilder(Tokenizer tokenizer, PairLayout layout, boolean linearize) {
    if (layout != PairLayout.COMMENTS_THEN_CODE) {
      throw new ConfigurationException(
          "data.layout = "
              + layout.configName()
              + ": benchmark prompts are built for comments-then-code only;"
              + " train with data.layout = comments-then-code to generate for benchmarks");
    }
    this.tokenizer = tokenizer;
    this.layout = layout;
    this.linearize = linearize;
    this.raw = false;
  }

  /** The description and the code of a prompt: its last docstring, and the prompt without it. */
  public record Split(String text, String code) {}

  public static Split split(String prompt) {
    Matcher m = DOCSTRING.matcher(prompt);
    int start = -1;
    int end = -1;
    String text = null;
    while (m.find()) {
      start = m.start();
      end = m.end();
      text = m.group(2);
    }
    if (text == null || text.isBlank()) {
      return new Split("Complete the following Python code.", prompt);
    }
    String before = prompt.substring(0, start).stripTrailing();
    String after = prompt.substring(end);
    String code = (before + "\n" + after.strip()).stripTrailing() + "\n";
    return new Split(dedent(text).strip(), code);
  }

  /** The model input for a prompt, ids with modalities (not yet routed). */
  public TokenSequence build(String prompt) {
    if (raw) {
      int[] body = tokenizer.encode(prompt).toArray();
      int[] ids = new int[body.length + 1];
      ids[0] = beginToken(tokenizer);
      System.arraycopy(body, 0, ids, 1, body.length);
      return TokenSequence.uniform(ids, Modality.CODE);
    }
    Split s = split(prompt);
    String code = s.code();
    if (linearize) {
      // Linearise a closed function and cut its placeholder body, leaving the open <INDENT> for the
      // model.
      String closed = PythonLinearizer.fourSpaces().linearize(code + "    pass\n");
      int cut = closed.lastIndexOf("pass");
      code = cut >= 0 ? closed.substring(0, cut) : closed;
    }
    List<Integer> ids = new ArrayList<>();
    List<Modality> modalities = new ArrayList<>();
    add(ids, modalities, tokenizer.specialTokenId(SpecialTokens.COMMENTS), Modality.TEXT);
    for (int id : tokenizer.encode(s.text()).toArray()) add(ids, modalities, id, Modality.TEXT);
    int prefix = ids.size();
    add(ids, modalities, tokenizer.specialTokenId(SpecialTokens.PYTHON), Modality.TEXT);
    for (int id : tokenizer.encode(code).toArray()) add(ids, modalities, id, Modality.CODE);
    int[] idArray = ids.stream().mapToInt(Integer::intValue).toArray();
    byte[] modalityArray = new byte[ids.size()];
    for (int i = 0; i < modalityArray.length; i++) modalityArray[i] = modalities.get(i).code();
    return TokenSequence.of(idArray, modalityArray, prefix);
  }

  /**
   * The begin token CERT puts before every file: BOS when the tokenizer has one, else its end
   * token.
   */
  static int beginToken(Tokenizer tokenizer) {
    for (String name : List.of(SpecialTokens.BEGIN_OF_TEXT, "<|endoftext|>", SpecialTokens.EOT)) {
      Integer id = tokenizer.specialTokens().get(name);
      if (id != null) return id;
    }
    throw new ConfigurationException(
        "tokenizer " + tokenizer.name() + " has neither a begin nor an end token for CERT prompts");
  }

  public PairLayout layout() {
    return layout;
  }

  private static void add(List<Integer> ids, List<Modality> modalities, int id, Modality m) {
    ids.add(id);
    modalities.add(m);
  }

  private static String dedent(String text) {
    String[] lines = text.split("\n", -1);
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (line.isBlank()) continue;
      int i = 0;
      while (i < line.length() && line.charAt(i) == ' ') i++;
      indent = Math.min(indent, i);
    }
    if (indent == Integer.MAX_VALUE) return text;
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
    }
    return out.toString();
  }
}
