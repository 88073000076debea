package dev.text2code.objectives.cert;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.Modality;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenIds;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.objective.GenerationNeeds;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.Examples;
import dev.text2code.objectives.ObjectiveSettings;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The CERT objectives: {@code cert-sketcher} trains on {@code [bos] sketch [eos]}, {@code
 * cert-generator} on {@code [bos] generator-text [eos]} (see {@link CertCorpus}); both plain causal
 * LM. The input sequence is decoded (special tokens dropped) back to the Python file. Files that do
 * not parse, or whose sketch splits into other blocks, raise {@link InvalidInputException}; the
 * {@code prepare} pipeline counts and skips them, as CERT does.
 */
public final class CertObjectives implements Objective {
  public static final String SKETCHER_NAME = "cert-sketcher";
  public static final String GENERATOR_NAME = "cert-generator";

  private final String name;
  private final Tokenizer tokenizer;
  private final PythonSketcher sketcher;
  private final int bosId;
  private final int eosId;
  private final Function<Sketch, Optional<String>> corpusText;

  private CertObjectives(
      String name,
      Tokenizer tokenizer,
      PythonSketcher sketcher,
      int bosId,
      int eosId,
      Function<Sketch, Optional<String>> corpusText) {
    this.name = name;
    this.tokenizer = tokenizer;
    this.sketcher = sketcher;
    this.bosId = bosId;
    this.eosId = eosId;
    this.corpusText = corpusText;
  }

  /**
   * {@code cert-sketcher}; reads {@code objectives.cert-sketcher.}{@code eos-token} ({@code
   * <eot>}), {@code bos-token} (empty: the EOS, as CERT does for tokenizers without BOS) and {@code
   * python} ({@code python3}).
   */
  public static CertObjectives sketcher(Tokenizer tokenizer, Settings settings) {
    return create(SKETCHER_NAME, tokenizer, settings, s -> Optional.of(CertCorpus.sketcherText(s)));
  }

  /** {@code cert-generator}; the same keys under {@code objectives.cert-generator.}. */
  public static CertObjectives generator(Tokenizer tokenizer, Settings settings) {
    return create(GENERATOR_NAME, tokenizer, settings, CertCorpus::generatorText);
  }

  private static CertObjectives create(
      String name,
      Tokenizer tokenizer,
      Settings settings,
      Function<Sketch, Optional<String>> corpusText) {
    ObjectiveSettings s = new ObjectiveSettings(settings, name);
    int eos = tokenizer.specialTokenId(s.string("eos-token", "<eot>"));
    String bos = s.string("bos-token", "");
    int bosId = bos.isEmpty() ? eos : tokenizer.specialTokenId(bos);
    return new CertObjectives(
        name, tokenizer, new PythonSketcher(s.string("python", "python3")), bosId, eos, corpusText);
  }

  @Override
  public String name() {
    return name;
  }

  /** CERT reads whole code files as plain tokenizer ids and is prompted with plain code. */
  @Override
  public GenerationNeeds generationNeeds() {
    return new GenerationNeeds(GenerationNeeds.Input.CODE, false, Optional.empty());
  }

  /** The sketching process this objective uses (also for corpus building in batches). */
  public PythonSketcher sketcher() {
    return sketcher;
  }

  @Override
  public TrainingExample apply(TokenSequence sequence, RandomGenerator random) {
    String file = tokenizer.decode(sequence.tokenIds(), true);
    SketchResult result = sketcher.sketch(file);
    Sketch sketch =
        result
            .sketch()
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        name
                            + ": the file is not valid Python (line "
                            + result.line()
                            + ": "
                            + result.error()
                            + "); CERT skips such files"));
    String text =
        corpusText
            .apply(sketch)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        name
                            + ": the file and its sketch split into different numbers of blocks;"
                            + " CERT skips such files"));
    return frame(tokenizer.encode(text));
  }

  private TrainingExample frame(TokenIds body) {
    int n = body.length() + 2;
    int[] ids = new int[n];
    ids[0] = bosId;
    System.arraycopy(body.toArray(), 0, ids, 1, body.length());
    ids[n - 1] = eosId;
    return Examples.shiftedFrom(ids, Examples.filled(n, Modality.CODE.code()), 0, 0);
  }
}
