package dev.text2code.backend.tensorflow;

import dev.text2code.api.BackendUnavailableException;
import dev.text2code.api.backend.Device;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/** Resolves {@code cpu}, {@code gpu} and {@code auto} to a session configuration. */
final class Devices {
  private static volatile Boolean gpuPresent;

  private Devices() {}

  /** The session configuration for a device; asking for a GPU where there is none fails. */
  static ConfigProto configFor(Device device) {
    boolean useGpu =
        switch (device) {
          case CPU -> false;
          case AUTO -> gpuAvailable();
          case GPU -> {
            if (!gpuAvailable()) {
              throw new BackendUnavailableException(
                  "device = gpu but TensorFlow sees no GPU: either this machine has none or the"
                      + " CPU-only native artifact (tensorflow-core-native:linux-x86_64) is on the"
                      + " class path; use device = cpu or auto, or put the GPU native artifact"
                      + " (classifier linux-x86_64-gpu) on the class path instead");
            }
            yield true;
          }
        };
    ConfigProto.Builder config = ConfigProto.newBuilder();
    if (!useGpu) config.putDeviceCount("GPU", 0);
    return config.build();
  }

  /** Whether an op pinned to {@code GPU:0} runs (without soft placement); checked once. */
  static boolean gpuAvailable() {
    Boolean known = gpuPresent;
    if (known != null) return known;
    boolean present;
    try (Graph graph = new Graph()) {
      Ops tf =
          Ops.create(graph)
              .withDevice(
                  DeviceSpec.newBuilder()
                      .deviceType(DeviceSpec.DeviceType.GPU)
                      .deviceIndex(0)
                      .build());
      Operand<TFloat32> probe = tf.math.add(tf.constant(1f), tf.constant(1f));
      ConfigProto strict = ConfigProto.newBuilder().setAllowSoftPlacement(false).build();
      try (Session session = new Session(graph, strict);
          var result = session.runner().fetch(probe).run()) {
        present = result.size() == 1;
      }
    } catch (RuntimeException e) {
      present = false;
    }
    gpuPresent = present;
    return present;
  }
}
