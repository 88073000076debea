package dev.text2code.api.backend;

/**
 * What one optimizer step did.
 *
 * @param step the 1-based number of the step just completed
 * @param loss mean cross-entropy over labelled positions of the batch
 * @param learningRate the rate used for this step
 * @param gradientNorm global gradient norm before clipping
 * @param tokens labelled positions in the batch
 */
public record StepResult(
    long step, double loss, double learningRate, double gradientNorm, long tokens) {}
