package dev.text2code.tokenizers.routing;

import dev.text2code.api.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The Python tokens that get their own code-side embedding under partial separation: keywords,
 * operators and punctuation, builtin types and functions, {@code self}, common str/list/dict
 * methods. The shipped list is a resource; users may supply their own file in the same format.
 */
public final class PythonTokenList {
  private static final String RESOURCE = "python-tokens.txt";

  private PythonTokenList() {}

  /** The shipped list, in file order, without duplicates. */
  public static List<String> shipped() {
    try (InputStream in = PythonTokenList.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("resource " + RESOURCE + " is missing");
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A user list: one token per line; blank lines and lines starting with "# " are ignored. */
  public static List<String> read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read token list: " + e.getMessage(), e);
    }
  }

  static List<String> parse(String text) {
    LinkedHashSet<String> tokens = new LinkedHashSet<>();
    for (String line : text.split("\r?\n")) {
      if (line.isBlank() || line.startsWith("# ")) continue;
      tokens.add(line.strip());
    }
    return List.copyOf(tokens);
  }

  /**
   * The spelling a vocabulary uses for a word-initial space: {@code Ġ} (byte-level BPE) or {@code
   * ▁} (SentencePiece), judged from which of {@code Ġreturn}/{@code ▁return}-like entries exist.
   */
  public static Optional<String> wordInitialMarker(dev.text2code.api.Tokenizer tokenizer) {
    for (String marker : new String[] {"Ġ", "▁"}) {
      for (String probe : new String[] {"", "the", "return", "="}) {
        if (tokenizer.idOf(marker + probe).isPresent()) return Optional.of(marker);
      }
    }
    return Optional.empty();
  }

  /** Every entry, followed by its word-initial spelling when the vocabulary has a marker. */
  public static List<String> withWordInitialSpellings(
      List<String> entries, dev.text2code.api.Tokenizer tokenizer) {
    Optional<String> marker = wordInitialMarker(tokenizer);
    List<String> result = new ArrayList<>(entries.size() * 2);
    for (String entry : entries) {
      result.add(entry);
      marker.ifPresent(m -> result.add(m + entry));
    }
    return result;
  }
}
