/**
 * Infilling objectives: fill-in-the-middle at character level (PSM/SPM, per document or per packed
 * context) and CodeGen2's multi-span {@code <mask_k>} format.
 */
package dev.text2code.objectives.infill;
