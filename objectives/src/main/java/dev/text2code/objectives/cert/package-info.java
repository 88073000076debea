/**
 * CERT (Zan et al. 2022): code sketches (literals and def/class names anonymised with Python's own
 * tokenizer), the sketcher and generator corpora, and the objectives that train on them.
 */
package dev.text2code.objectives.cert;
