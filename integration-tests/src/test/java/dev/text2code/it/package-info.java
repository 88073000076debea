/** End-to-end runs and cross-backend parity over the real backends, tokenizers and objectives. */
package dev.text2code.it;
