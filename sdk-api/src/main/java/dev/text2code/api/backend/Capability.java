package dev.text2code.api.backend;

/** What a backend can do. A backend advertises exactly what it implements. */
public enum Capability {
  TRAIN,
  GENERATE,
  EXPORT_ONNX,
  GPU
}
