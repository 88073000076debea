/**
 * Run directories as a library: corpus, preparation, training with checkpoints and resume,
 * benchmark and CERT generation, sandboxed evaluation and the default job; what {@code sdk-cli}
 * does, callable without it. Callers pass the {@code Backend} and a {@link RunListener}.
 */
package dev.text2code.runs;
