package dev.text2code.tokenizers.pairs;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.Modality;
import dev.text2code.api.TextCodePair;
import dev.text2code.api.TokenIds;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.tokenizers.SpecialTokens;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link TextCodePair} into a {@link TokenSequence}: token ids in one of the paper's
 * layouts, the modality of every token, and the prefix index (the position of {@code <python>}).
 */
public final class PairFormat {
  /** Where a signature ends in linearised code: its colon, the line break and the indent. */
  public static final String LINEARIZED_SIGNATURE_END =
      ": " + PythonLinearizer.NEW_LINE + " " + PythonLinearizer.INDENT;

  private static final Pattern RAW_SIGNATURE =
      Pattern.compile(
          "^[ \\t]*(?:async[ \\t]+)?(?:def|class)[ \\t].*?:[ \\t]*(?=\\r?\\n)",
          Pattern.MULTILINE | Pattern.DOTALL);

  private final Tokenizer tokenizer;
  private final PairLayout layout;
  private final boolean linearize;
  private final int comments;
  private final int python;
  private final int eot;
  private final int beginOfText;

  /**
   * @param tokenizer a tokenizer that knows the paper's special tokens (see {@link
   *     SpecialTokens#PAPER}); {@link #withPaperTokens} adds them
   * @param linearize write raw Python code with {@code <NEW_LINE>/<INDENT>/<DEDENT>} (code that
   *     already holds markers is used as it is)
   */
  public PairFormat(Tokenizer tokenizer, PairLayout layout, boolean linearize) {
    this.tokenizer = tokenizer;
    this.layout = layout;
    this.linearize = linearize;
    this.comments = tokenizer.specialTokenId(SpecialTokens.COMMENTS);
    this.python = tokenizer.specialTokenId(SpecialTokens.PYTHON);
    this.eot = tokenizer.specialTokenId(SpecialTokens.EOT);
    this.beginOfText =
        layout == PairLayout.SIGNATURE_DOCSTRING_BODY
            ? tokenizer.specialTokenId(SpecialTokens.BEGIN_OF_TEXT)
            : -1;
  }

  /** The tokenizer extended with the paper's tokens, for use with this class. */
  public static Tokenizer withPaperTokens(Tokenizer tokenizer) {
    return tokenizer.withSpecialTokens(SpecialTokens.PAPER);
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public PairLayout layout() {
    return layout;
  }

  /** The code as it enters the sequence: linearised when asked and not already so. */
  public String codeText(TextCodePair pair) {
    String code = pair.code();
    if (linearize && !PythonLinearizer.isLinearized(code)) {
      code = PythonLinearizer.detect(code).linearize(code);
    }
    return code;
  }

  public TokenSequence format(TextCodePair pair) {
    return switch (layout) {
      case COMMENTS_THEN_CODE -> commentsThenCode(pair);
      case SIGNATURE_DOCSTRING_BODY -> signatureDocstringBody(pair);
    };
  }

  private TokenSequence commentsThenCode(TextCodePair pair) {
    Builder b = new Builder();
    b.add(comments, Modality.TEXT);
    b.add(tokenizer.encode(pair.text()), Modality.TEXT);
    int prefix = b.size;
    b.add(python, Modality.TEXT);
    b.add(tokenizer.encode(codeText(pair)), Modality.CODE);
    b.add(eot, Modality.CODE);
    return b.build(prefix);
  }

  private TokenSequence signatureDocstringBody(TextCodePair pair) {
    String code = codeText(pair);
    int split = signatureEnd(pair, code);
    Builder b = new Builder();
    b.add(beginOfText, Modality.CODE);
    b.add(tokenizer.encode(code.substring(0, split)), Modality.CODE);
    b.add(comments, Modality.TEXT);
    b.add(tokenizer.encode(docstring(pair.text())), Modality.TEXT);
    int prefix = b.size;
    b.add(python, Modality.TEXT);
    b.add(tokenizer.encode(code.substring(split)), Modality.CODE);
    b.add(eot, Modality.CODE);
    return b.build(prefix);
  }

  /** The index just after the signature's colon. */
  private static int signatureEnd(TextCodePair pair, String code) {
    int linear = code.indexOf(LINEARIZED_SIGNATURE_END);
    if (linear >= 0) return linear + 1;
    Matcher m = RAW_SIGNATURE.matcher(code);
    if (m.find()) {
      int colon = code.lastIndexOf(':', m.end() - 1);
      return colon + 1;
    }
    throw new InvalidInputException(
        "pair "
            + pair.id()
            + ": no function or class signature found; the signature-docstring-body layout needs"
            + " code that starts with 'def name(...):' (or class) followed by an indented body");
  }

  /** The paper's PyCodeGPT docstring rewrite: one line, or one line per docstring line. */
  public static String docstring(String text) {
    List<String> lines = Arrays.asList(text.strip().split("\r?\n", -1));
    if (lines.size() == 1) return "\n    \"\"\" " + lines.get(0) + " \"\"\"";
    StringBuilder sb = new StringBuilder("\n    \"\"\"\n");
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) sb.append('\n');
      sb.append("    ").append(lines.get(i));
    }
    return sb.append("\n    \"\"\"").toString();
  }

  private static final class Builder {
    private int[] ids = new int[256];
    private byte[] modalities = new byte[256];
    private int size;

    void add(int id, Modality modality) {
      if (size == ids.length) {
        ids = Arrays.copyOf(ids, size * 2);
        modalities = Arrays.copyOf(modalities, size * 2);
      }
      ids[size] = id;
      modalities[size++] = modality.code();
    }

    void add(TokenIds tokens, Modality modality) {
      for (int i = 0; i < tokens.length(); i++) add(tokens.get(i), modality);
    }

    TokenSequence build(int prefixIndex) {
      return TokenSequence.of(
          Arrays.copyOf(ids, size), Arrays.copyOf(modalities, size), prefixIndex);
    }
  }
}
