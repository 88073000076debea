/** Tokenizer adapters and the Guice module that registers them by name. */
package dev.text2code.tokenizers;
