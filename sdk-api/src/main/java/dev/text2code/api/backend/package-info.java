/**
 * The compute-backend contract: model specification, training sessions, generators and
 * capabilities. Each backend module (PyTorch through DJL, TensorFlow Java, ONNX Runtime) implements
 * {@link dev.text2code.api.backend.Backend}.
 */
package dev.text2code.api.backend;
