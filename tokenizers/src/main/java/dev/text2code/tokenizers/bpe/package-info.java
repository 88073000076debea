/** Pure-Java byte-level BPE: the tokenizer.json reader, encoder/decoder and trainer. */
package dev.text2code.tokenizers.bpe;
