/**
 * Prepared training data on disk: a corpus streamed through an objective and the packer into numpy
 * {@code .npy} shards with a JSON manifest; constant memory, resumable, byte-identical.
 */
package dev.text2code.objectives.prepare;
