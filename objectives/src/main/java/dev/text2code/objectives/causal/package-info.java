/**
 * Causal-LM objectives of the modality-relative pre-training paper (clm, code-clm,
 * corrupt-code-clm, prefix-code-clm) and the general prefix-LM: labels, noise on the text and
 * prefix attention.
 */
package dev.text2code.objectives.causal;
