/**
 * CERT's two-stage inference (Zan et al., IJCAI 2022): a sketcher proposes anonymised sketches, the
 * most frequent one conditions a generator when it still holds placeholders.
 */
package dev.text2code.evaluation.cert;
