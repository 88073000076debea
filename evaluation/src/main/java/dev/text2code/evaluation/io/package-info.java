/** Samples and results as JSONL compatible with openai/human-eval, written incrementally. */
package dev.text2code.evaluation.io;
