/** Post-processing of generated completions: stop sequences and de-linearisation. */
package dev.text2code.evaluation.postprocess;
