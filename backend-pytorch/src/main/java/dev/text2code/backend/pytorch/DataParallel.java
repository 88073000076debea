package dev.text2code.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Data-parallel replicas of a {@link GptModel} on the devices of one machine. Every replica holds
 * the same weights; each computes the gradient of its share of a micro-batch (its loss divided by
 * the labelled positions of the whole batch), {@link #allReduceInto} sums the replicas' gradients
 * into the master (replica 0, whose optimizer then steps once) and {@link #broadcastFrom} copies
 * the updated master weights back to every replica. Because each share's loss is already divided by
 * the global count, the sum is exactly the gradient of the whole batch: the loss curve is the one
 * of a single device with the same global batch (up to float summation order).
 */
final class DataParallel implements AutoCloseable {
  private final List<NDManager> managers = new ArrayList<>();
  private final List<GptModel> replicas = new ArrayList<>();

  /**
   * Replicas 1.. on {@code devices.subList(1, ...)} with {@code weights} (replica 0 is the master
   * the session owns).
   */
  DataParallel(
      ModelSpec spec,
      Map<String, Tensor> weights,
      List<ai.djl.Device> devices,
      DataType computeType) {
    try {
      for (ai.djl.Device d : devices.subList(1, devices.size())) {
        NDManager m = Devices.engine().newBaseManager(d);
        managers.add(m);
        replicas.add(GptModel.load(spec, weights, m, true, computeType));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The replicas besides the master, in device order. */
  List<GptModel> others() {
    return replicas;
  }

  /** Adds every replica's gradients to the master's (on the master's device). */
  void allReduceInto(GptModel master) {
    if (replicas.isEmpty()) return;
    try (NDScope scope = new NDScope()) {
      for (Map.Entry<String, NDArray> e : master.parameters().entrySet()) {
        NDArray target = e.getValue().getGradient();
        for (GptModel r : replicas) {
          NDArray g = r.parameter(e.getKey()).getGradient();
          target.addi(g.toDevice(target.getDevice(), false));
        }
      }
    }
  }

  /** Overwrites every replica's weights with the master's (after the optimizer step). */
  void broadcastFrom(GptModel master) {
    if (replicas.isEmpty()) return;
    try (NDScope scope = new NDScope()) {
      for (Map.Entry<String, NDArray> e : master.parameters().entrySet()) {
        for (GptModel r : replicas) {
          NDArray p = r.parameter(e.getKey());
          // weights are finite after a step, so 0 * p + master is exactly master
          p.muli(0).addi(e.getValue().toDevice(p.getDevice(), false));
        }
      }
    }
  }

  @Override
  public void close() {
    for (GptModel r : replicas) r.close();
    for (NDManager m : managers) m.close();
    replicas.clear();
    managers.clear();
  }
}
