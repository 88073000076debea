package dev.text2code.evaluation.cert;

import static dev.text2code.api.ConfigurationException.require;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Parameters of CERT inference; {@link #paperDefaults()} gives the values of the paper's scripts
 * (docs/METHODS.md section 2.3).
 *
 * @param sketcherTemperature temperature of the sketcher (paper script: 1.0)
 * @param generatorTemperature temperature of the generator (paper script: 0.2)
 * @param topP nucleus sampling for both models (0.9)
 * @param samples samples per problem (200)
 * @param batchSize problems are sampled in batches of {@code min(batchSize, samples)} (50)
 * @param maxNewTokens tokens per sample (100)
 * @param blockCut a sample is cut at the first match and right-stripped
 * @param placeholders a popular sketch containing any of these still needs the generator
 * @param seed seeds every sampling call (the paper resets to 123 before each call)
 */
public record CertSettings(
    double sketcherTemperature,
    double generatorTemperature,
    double topP,
    int samples,
    int batchSize,
    int maxNewTokens,
    Pattern blockCut,
    List<String> placeholders,
    long seed) {
  /** The separator between a sketch and the prompt in the generator's input and training data. */
  public static final String SEGMENTATION = "\n# [segmentation]\n";

  public CertSettings {
    require(sketcherTemperature > 0, "cert.sketcher-temperature", sketcherTemperature, "> 0");
    require(generatorTemperature > 0, "cert.generator-temperature", generatorTemperature, "> 0");
    require(topP > 0 && topP <= 1, "cert.top-p", topP, "a value in (0, 1]");
    require(samples > 0, "cert.samples", samples, "a positive integer");
    require(batchSize > 0, "cert.batch-size", batchSize, "a positive integer");
    require(maxNewTokens > 0, "cert.max-new-tokens", maxNewTokens, "a positive integer");
    placeholders = List.copyOf(placeholders);
  }

  public static CertSettings paperDefaults() {
    return new CertSettings(
        1.0,
        0.2,
        0.9,
        200,
        50,
        100,
        Pattern.compile("\nclass|\ndef|\n#|\n@|\nprint|\nif"),
        List.of(
            "func",
            "AnClass",
            "raw_string",
            "number",
            "interrawstring",
            "complex",
            "string",
            "floatexponant",
            "interstring",
            "float",
            "binarystring",
            "unicodestring"),
        123);
  }

  public CertSettings withSamples(int newSamples, int newBatchSize) {
    return new CertSettings(
        sketcherTemperature,
        generatorTemperature,
        topP,
        newSamples,
        newBatchSize,
        maxNewTokens,
        blockCut,
        placeholders,
        seed);
  }
}
