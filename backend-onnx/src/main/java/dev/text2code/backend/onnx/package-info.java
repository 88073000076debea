/**
 * The {@code onnx} backend: a pure-Java exporter from the shared checkpoint format to ONNX (opset
 * 17, key/value cache, code-vocabulary restriction) and generation with ONNX Runtime; no training.
 */
package dev.text2code.backend.onnx;
