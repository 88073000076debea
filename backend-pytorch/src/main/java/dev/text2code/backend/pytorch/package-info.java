/**
 * The {@code pytorch} backend: the transformer of docs/MODEL.md written with DJL NDArray operations
 * ({@link dev.text2code.backend.pytorch.GptModel}), its AdamW training session, KV-cache generator
 * and the Guice module that registers it.
 */
package dev.text2code.backend.pytorch;
