/** OpenAI tiktoken encodings (p50k_base, cl100k_base, o200k_base, ...) through jtokkit. */
package dev.text2code.tokenizers.tiktoken;
