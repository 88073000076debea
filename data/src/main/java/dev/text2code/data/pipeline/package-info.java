/**
 * The single-JVM preparation as a stream: pairs read lazily from a file or source tree, cleaned,
 * split, encoded and packed into shards, in memory that does not grow with the corpus.
 */
package dev.text2code.data.pipeline;
