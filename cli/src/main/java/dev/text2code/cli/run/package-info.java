/**
 * Assembles the SDK's chain for a run directory: tokenizer, router, corpus, prepared data,
 * training, generation and evaluation. Library users can call these classes directly; the commands
 * only parse arguments.
 */
package dev.text2code.cli.run;
