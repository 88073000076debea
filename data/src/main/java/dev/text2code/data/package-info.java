/**
 * Corpus hygiene before preparation: lexical code tokens and the stable 64-bit hashes the
 * deduplication and decontamination passes share.
 */
package dev.text2code.data;
