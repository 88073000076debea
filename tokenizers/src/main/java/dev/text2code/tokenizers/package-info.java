/** Tokenizer factories, the special-token catalogue and the Guice module that registers them. */
package dev.text2code.tokenizers;
