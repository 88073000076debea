/** Generation throughput benchmark of the ONNX backend ({@code GenerationBench}, a main class). */
package dev.text2code.backend.onnx.bench;
