/** Hugging Face tokenizer.json files encoded by the Rust library through DJL. */
package dev.text2code.tokenizers.hf;
