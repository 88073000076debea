/**
 * The TensorFlow backend and its Guice module, which registers it under the name {@code
 * tensorflow}.
 */
package dev.text2code.backend.tensorflow;
