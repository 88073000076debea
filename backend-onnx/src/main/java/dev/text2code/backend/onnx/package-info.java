/** The Onnx backend and its Guice module, which registers it under the name {@code onnx}. */
package dev.text2code.backend.onnx;
