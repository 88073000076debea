/** Corpora: JSON/JSONL pair readers and a docstring-function extractor for Python source trees. */
package dev.text2code.tokenizers.corpus;
