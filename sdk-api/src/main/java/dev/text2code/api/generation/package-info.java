/**
 * The one generation loop ({@link dev.text2code.api.generation.GenerationLoop}) and the
 * decoder-step contract ({@link dev.text2code.api.generation.DecoderStep}, {@link
 * dev.text2code.api.generation.DecodeBatch}) that every backend implements under it: a backend
 * computes logits with its KV cache; routing, the code-vocabulary restriction, sampling, samples
 * per prompt, stop sequences, end tokens, budgets and batching are done here, once.
 */
package dev.text2code.api.generation;
