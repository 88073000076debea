package dev.text2code.tokenizers.bpe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.text2code.api.InvalidInputException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The normalizer and pre-tokenizer chain of a byte-level tokenizer.json: optional Unicode
 * normalisation, then Split-regex steps (behaviour Isolated) and a ByteLevel step, producing the
 * pieces the BPE model encodes one by one.
 */
final class PreTokenizer {
  /** The pattern GPT-2's ByteLevel pre-tokenizer applies when {@code use_regex} is true. */
  static final String GPT2_PATTERN =
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

  private interface Step {
    void apply(String piece, Consumer<String> next);
  }

  private final Normalizer.Form normalization;
  private final List<Step> steps;

  private PreTokenizer(Normalizer.Form normalization, List<Step> steps) {
    this.normalization = normalization;
    this.steps = steps;
  }

  /**
   * Compiles an Oniguruma-style pattern from a tokenizer.json for Java: {@code \s} and case folding
   * follow Unicode, as they do in the Rust library.
   */
  static Pattern compile(String regex, Path file, String key) {
    try {
      return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
    } catch (PatternSyntaxException e) {
      throw InvalidInputException.at(
          file, 0, "key " + key + ": regex " + regex + " does not compile: " + e.getDescription());
    }
  }

  static PreTokenizer of(TokenizerJson json) {
    Path file = json.file();
    Normalizer.Form form = normalization(json.node("normalizer"), file, "normalizer");
    List<Step> steps = new ArrayList<>();
    boolean[] byteLevel = {false};
    addSteps(json.node("pre_tokenizer"), "pre_tokenizer", file, steps, byteLevel);
    if (!byteLevel[0]) {
      throw InvalidInputException.at(
          file,
          0,
          "key pre_tokenizer has no ByteLevel step; the Java BPE encoder reads byte-level BPE"
              + " files only (use tokenizer = huggingface for other kinds)");
    }
    return new PreTokenizer(form, List.copyOf(steps));
  }

  private static Normalizer.Form normalization(JsonNode node, Path file, String key) {
    if (node.isMissingNode() || node.isNull()) return null;
    String type = node.path("type").asText();
    switch (type) {
      case "NFC":
        return Normalizer.Form.NFC;
      case "NFD":
        return Normalizer.Form.NFD;
      case "NFKC":
        return Normalizer.Form.NFKC;
      case "NFKD":
        return Normalizer.Form.NFKD;
      case "Sequence":
        {
          JsonNode list = node.path("normalizers");
          if (list.size() == 0) return null;
          if (list.size() == 1) return normalization(list.get(0), file, key + ".normalizers[0]");
          break;
        }
      default:
        break;
    }
    throw unsupported(file, key, type, "null, NFC, NFD, NFKC or NFKD");
  }

  private static InvalidInputException unsupported(
      Path file, String key, String type, String expected) {
    return InvalidInputException.at(
        file,
        0,
        "key "
            + key
            + ".type = "
            + type
            + " is not supported by the Java BPE encoder; expected "
            + expected);
  }

  private static void addSteps(
      JsonNode node, String key, Path file, List<Step> steps, boolean[] byteLevel) {
    if (node.isMissingNode() || node.isNull()) return;
    String type = node.path("type").asText();
    switch (type) {
      case "Sequence" -> {
        int i = 0;
        for (JsonNode child : node.path("pretokenizers")) {
          addSteps(child, key + ".pretokenizers[" + i++ + "]", file, steps, byteLevel);
        }
      }
      case "Split" -> {
        String behavior = node.path("behavior").asText();
        if (!behavior.equals("Isolated") || node.path("invert").asBoolean(false)) {
          throw InvalidInputException.at(
              file,
              0,
              "key "
                  + key
                  + ": Split behavior "
                  + behavior
                  + (node.path("invert").asBoolean(false) ? " with invert" : "")
                  + " is not supported; expected behavior Isolated, invert false");
        }
        JsonNode pattern = node.path("pattern");
        Pattern regex;
        if (pattern.has("Regex")) {
          regex = compile(pattern.get("Regex").asText(), file, key + ".pattern.Regex");
        } else if (pattern.has("String")) {
          regex = Pattern.compile(Pattern.quote(pattern.get("String").asText()));
        } else {
          throw InvalidInputException.at(
              file, 0, "key " + key + ".pattern: expected {\"Regex\": ...} or {\"String\": ...}");
        }
        steps.add((piece, next) -> isolate(regex, piece, next));
      }
      case "ByteLevel" -> {
        byteLevel[0] = true;
        boolean prefixSpace = node.path("add_prefix_space").asBoolean(false);
        boolean useRegex = node.path("use_regex").asBoolean(true);
        Pattern gpt2 = useRegex ? compile(GPT2_PATTERN, file, key) : null;
        steps.add(
            (piece, next) -> {
              String p = prefixSpace && !piece.startsWith(" ") ? " " + piece : piece;
              if (gpt2 == null) next.accept(p);
              else isolate(gpt2, p, next);
            });
      }
      default -> throw unsupported(file, key, type, "Sequence, Split or ByteLevel");
    }
  }

  /** Hugging Face's "Isolated" split: every match and every gap between matches is a piece. */
  private static void isolate(Pattern regex, String piece, Consumer<String> next) {
    Matcher m = regex.matcher(piece);
    int last = 0;
    while (m.find()) {
      if (m.end() == m.start()) continue;
      if (m.start() > last) next.accept(piece.substring(last, m.start()));
      next.accept(piece.substring(m.start(), m.end()));
      last = m.end();
    }
    if (last < piece.length()) next.accept(piece.substring(last));
  }

  /** Normalises a stretch of ordinary text and hands every non-empty piece to {@code sink}. */
  void split(String text, Consumer<String> sink) {
    String normalized =
        normalization == null ? text : ReferenceNormalization.normalize(text, normalization);
    if (normalized.isEmpty()) return;
    run(normalized, 0, sink);
  }

  private void run(String piece, int step, Consumer<String> sink) {
    if (step == steps.size()) {
      if (!piece.isEmpty()) sink.accept(piece);
      return;
    }
    steps.get(step).apply(piece, p -> run(p, step + 1, sink));
  }

  @Override
  public String toString() {
    return "PreTokenizer{normalization="
        + (normalization == null ? "none" : normalization.name().toLowerCase(Locale.ROOT))
        + ", steps="
        + steps.size()
        + "}";
  }
}
