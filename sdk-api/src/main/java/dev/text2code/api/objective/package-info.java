/**
 * Training objectives as pure data transforms: a token sequence and a random generator in, a {@link
 * dev.text2code.api.objective.TrainingExample} (inputs, labels, attention, positions) out.
 */
package dev.text2code.api.objective;
