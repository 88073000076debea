/**
 * SentencePiece models ({@code vocab.model}, {@code tokenizer.model}) read from their protobuf and
 * encoded in Java: the normalizer (identity or a precompiled charsmap such as {@code nmt_nfkc}),
 * unigram Viterbi and BPE merges, byte fallback, user-defined and control pieces, and decoding.
 */
package dev.text2code.tokenizers.sentencepiece;
