package dev.text2code.api.backend;

/** What a backend can do. A backend advertises exactly what it implements. */
public enum Capability {
  TRAIN,
  GENERATE,
  /** {@link Backend#exportOnnx}. */
  EXPORT_ONNX,
  GPU
}
