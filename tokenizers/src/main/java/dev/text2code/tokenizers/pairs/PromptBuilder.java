package dev.text2code.tokenizers.pairs;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Modality;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.tokenizers.SpecialTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a HumanEval-style prompt (code with a docstring) into the layout a model was trained on, so
 * that the model continues with the function body. comments-then-code: {@code <comments> docstring
 * <python> code-without-docstring}; signature-docstring-body: {@code <|beginoftext|> signature
 * <comments> docstring <python>} (the docstring rewritten as in training, code after it, if any,
 * following {@code <python>}). Both are the first tokens of what {@link PairFormat} makes of the
 * finished pair. The body the model generates is appended after the original prompt when executed.
 */
public final class PromptBuilder {
  private static final Pattern DOCSTRING = Pattern.compile("(?s)(\"\"\"|''')(.*?)\\1");
  private static final String NO_DOCSTRING = "Complete the following Python code.";

  private final Tokenizer tokenizer;
  private final PairLayout layout;
  private final boolean linearize;
  private final boolean raw;

  private PromptBuilder(Tokenizer tokenizer, PairLayout layout, boolean linearize, boolean raw) {
    this.tokenizer = tokenizer;
    this.layout = layout;
    this.linearize = linearize;
    this.raw = raw;
  }

  /**
   * Prompts as plain code, preceded by the tokenizer's begin token (its end token when it has
   * none), for models trained on whole files (CERT).
   */
  public static PromptBuilder raw(Tokenizer tokenizer) {
    return new PromptBuilder(tokenizer, PairLayout.COMMENTS_THEN_CODE, false, true);
  }

  public PromptBuilder(Tokenizer tokenizer, PairLayout layout, boolean linearize) {
    this(tokenizer, layout, linearize, false);
  }

  /** The description and the code of a prompt: its last docstring, and the prompt without it. */
  public record Split(String text, String code) {}

  /**
   * The prompt around its last docstring: the code before it, the text, the code after it; without
   * a docstring, the whole prompt and a generic instruction.
   */
  private record Parts(String before, String text, String after, boolean hasDocstring) {
    /** The code without the docstring; lines after it keep their indentation. */
    String code() {
      if (!hasDocstring) return before;
      String head = before.stripTrailing();
      String rest = after.replaceFirst("^([ \\t]*\\r?\\n)+", "").stripTrailing();
      String tail = rest.isEmpty() ? "" : rest + "\n";
      return head.isEmpty() ? tail : head + "\n" + tail;
    }
  }

  private static Parts parts(String prompt) {
    Matcher m = DOCSTRING.matcher(prompt);
    int start = -1;
    int end = -1;
    String text = null;
    while (m.find()) {
      start = m.start();
      end = m.end();
      text = m.group(2);
    }
    if (text == null || text.isBlank()) return new Parts(prompt, NO_DOCSTRING, "", false);
    return new Parts(prompt.substring(0, start), dedent(text).strip(), prompt.substring(end), true);
  }

  public static Split split(String prompt) {
    Parts p = parts(prompt);
    return new Split(p.text(), p.code());
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
    return build(parts(prompt));
  }

  /**
   * The model input for a description and the start of its code (possibly empty; a signature for
   * signature-docstring-body), as a benchmark prompt with that docstring would give.
   */
  public TokenSequence describe(String text, String codeStart) {
    if (text.isBlank()) throw new ConfigurationException("the description is empty");
    if (raw) {
      String comment = "# " + text.strip().replace("\n", "\n# ") + "\n";
      return build(comment + codeStart);
    }
    return build(new Parts(codeStart, text.strip(), "", true));
  }

  /**
   * The code of a prompt as the model sees it: linearised when the run linearises (the {@code
   * <INDENT>} of an open body left open), the code start otherwise.
   */
  public String codeAsModelled(String codeStart) {
    if (raw) return codeStart;
    String code = new Parts(codeStart, "x", "", true).code();
    return linearize ? openLinearized(code) : code;
  }

  private TokenSequence build(Parts parts) {
    String code = parts.code();
    if (linearize) code = openLinearized(code);
    Sequence out = new Sequence();
    if (layout == PairLayout.COMMENTS_THEN_CODE) {
      out.add(tokenizer.specialTokenId(SpecialTokens.COMMENTS), Modality.TEXT);
      out.add(tokenizer.encode(parts.text()).toArray(), Modality.TEXT);
      int prefix = out.size();
      out.add(tokenizer.specialTokenId(SpecialTokens.PYTHON), Modality.TEXT);
      out.add(tokenizer.encode(code).toArray(), Modality.CODE);
      return out.build(prefix);
    }
    int signatureEnd = signatureEnd(parts, code);
    out.add(tokenizer.specialTokenId(SpecialTokens.BEGIN_OF_TEXT), Modality.CODE);
    out.add(tokenizer.encode(code.substring(0, signatureEnd)).toArray(), Modality.CODE);
    out.add(tokenizer.specialTokenId(SpecialTokens.COMMENTS), Modality.TEXT);
    out.add(tokenizer.encode(PairFormat.docstring(parts.text())).toArray(), Modality.TEXT);
    int prefix = out.size();
    out.add(tokenizer.specialTokenId(SpecialTokens.PYTHON), Modality.TEXT);
    String body = code.substring(signatureEnd);
    // Raw code: the body starts on the line after the signature, as in training; a prompt with
    // nothing after its docstring leaves that line break to the model.
    if (!linearize && body.isBlank()) body = "";
    out.add(tokenizer.encode(body).toArray(), Modality.CODE);
    return out.build(prefix);
  }

  /**
   * A linearised closed function cut before its placeholder body, leaving the open {@code <INDENT>}
   * for the model.
   */
  private static String openLinearized(String code) {
    // the placeholder goes where the next line would: inside a block its last line opens
    String placeholder = "    ".repeat(nextDepth(code)) + "pass\n";
    String closed = PythonLinearizer.fourSpaces().linearize(code + placeholder);
    int cut = closed.lastIndexOf("pass");
    return cut >= 0 ? closed.substring(0, cut) : closed;
  }

  /**
   * The 4-space indentation depth of a line that would follow {@code code}: one level inside a
   * block its last line opens, that line's level otherwise (1 when there is no line).
   */
  public static int nextDepth(String code) {
    String[] lines = code.split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      String line = lines[i];
      if (line.isBlank()) continue;
      int spaces = 0;
      while (spaces < line.length() && line.charAt(spaces) == ' ') spaces++;
      return spaces / 4 + (line.strip().endsWith(":") ? 1 : 0);
    }
    return 1;
  }

  /**
   * Where the signature of the function that owns the docstring ends (just after its colon) in
   * {@code code}, the prompt without its docstring, raw or linearised.
   */
  private int signatureEnd(Parts parts, String code) {
    String before = parts.before().stripTrailing();
    if (linearize) {
      // linearising the code up to the signature gives the same text up to the signature's end
      String upToSignature = openLinearized(before + "\n");
      int at = upToSignature.lastIndexOf(PairFormat.LINEARIZED_SIGNATURE_END);
      if (at >= 0) return at + 1;
    } else if (before.endsWith(":")) {
      return before.length();
    }
    throw new ConfigurationException(
        "data.layout = signature-docstring-body: the description (docstring) must follow a"
            + " 'def ...:' or 'class ...:' line, the signature this layout puts before it");
  }

  /** Ids and modalities being collected. */
  private static final class Sequence {
    private final List<Integer> ids = new ArrayList<>();
    private final List<Modality> modalities = new ArrayList<>();

    void add(int id, Modality modality) {
      ids.add(id);
      modalities.add(modality);
    }

    void add(int[] tokens, Modality modality) {
      for (int id : tokens) add(id, modality);
    }

    int size() {
      return ids.size();
    }

    TokenSequence build(int prefixIndex) {
      int[] idArray = ids.stream().mapToInt(Integer::intValue).toArray();
      byte[] modalityArray = new byte[ids.size()];
      for (int i = 0; i < modalityArray.length; i++) modalityArray[i] = modalities.get(i).code();
      return TokenSequence.of(idArray, modalityArray, prefixIndex);
    }
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

  /**
   * Python's {@code inspect.cleandoc} indentation rule: the first line (which follows the opening
   * quotes) is stripped, the common indentation of the other lines is removed.
   */
  private static String dedent(String text) {
    String[] lines = text.split("\n", -1);
    int indent = Integer.MAX_VALUE;
    for (int l = 1; l < lines.length; l++) {
      String line = lines[l];
      if (line.isBlank()) continue;
      int i = 0;
      while (i < line.length() && line.charAt(i) == ' ') i++;
      indent = Math.min(indent, i);
    }
    StringBuilder out = new StringBuilder(lines[0].strip()).append('\n');
    for (int l = 1; l < lines.length; l++) {
      String line = lines[l];
      out.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
    }
    return out.toString();
  }
}
