package dev.text2code.runs;

import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.Settings;
import dev.text2code.api.Tokenizer;
import dev.text2code.tokenizers.SpecialTokens;
import dev.text2code.tokenizers.pairs.PairFormat;
import dev.text2code.tokenizers.routing.ModalityRouters;
import dev.text2code.tokenizers.routing.RouterFiles;
import java.nio.file.Files;
import java.util.List;

/**
 * The tokenizer and router of a run: the configured tokenizer with the paper's special tokens, the
 * router for the configured separation, and the tokenizer extended with the router's new tokens.
 *
 * @param base the configured tokenizer plus the paper's tokens (what the router was built for)
 * @param tokenizer {@code base} extended with the router's new tokens (encode and decode with this
 *     one)
 */
public record RunTokenizers(Tokenizer base, ModalityRouter router, Tokenizer tokenizer) {
  /** Builds them from configuration. */
  public static RunTokenizers build(RunComponents components, Settings settings) {
    Tokenizer base = baseTokenizer(components, settings);
    ModalityRouter router =
        ModalityRouters.build(base, Separation.parse(settings.string("separation")));
    return new RunTokenizers(base, router, ModalityRouters.extend(base, router));
  }

  /**
   * Rebuilds them for an existing run: the run's configuration, and its saved router when present.
   */
  public static RunTokenizers of(RunComponents components, Settings runSettings, RunLayout layout) {
    Tokenizer base = baseTokenizer(components, runSettings);
    ModalityRouter router =
        Files.isRegularFile(layout.routerFile())
            ? RouterFiles.load(layout.routerFile())
            : ModalityRouters.build(base, Separation.parse(runSettings.string("separation")));
    return new RunTokenizers(base, router, ModalityRouters.extend(base, router));
  }

  /**
   * The configured tokenizer with the paper's tokens and the groups of {@code
   * tokenizers.special-tokens}.
   */
  static Tokenizer baseTokenizer(RunComponents components, Settings settings) {
    Tokenizer tokenizer =
        PairFormat.withPaperTokens(
            components.tokenizers().select(settings.string("tokenizer")).create(settings));
    List<String> extra =
        SpecialTokens.resolve(settings.string("tokenizers.special-tokens", "paper"));
    return extra.isEmpty() ? tokenizer : tokenizer.withSpecialTokens(extra);
  }
}
