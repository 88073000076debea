package dev.text2code.api.backend;

import dev.text2code.api.ConfigurationException;
import java.util.Locale;

/**
 * The value of the {@code device} key: {@code cpu}, {@code gpu} (the first GPU), {@code gpu:N} (GPU
 * number N, counted from 0) or {@code auto} (a GPU if one is visible, else the CPU).
 *
 * @param device the kind of device
 * @param gpuIndex the GPU number of {@code gpu:N}; -1 where none was given
 */
public record Placement(Device device, int gpuIndex) {
  public Placement {
    if (device == null) throw new ConfigurationException("device is missing");
    if (gpuIndex < -1 || (gpuIndex >= 0 && device != Device.GPU)) {
      throw new ConfigurationException(
          "device index " + gpuIndex + " is not valid for device " + device.name().toLowerCase());
    }
  }

  /** {@code device} without an index. */
  public static Placement of(Device device) {
    return new Placement(device, -1);
  }

  /** Parses {@code cpu | gpu | gpu:N | auto}. */
  public static Placement parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    int colon = v.indexOf(':');
    if (colon < 0) {
      try {
        return of(Device.valueOf(v.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw invalid(value);
      }
    }
    if (!v.substring(0, colon).equals("gpu")) throw invalid(value);
    String number = v.substring(colon + 1);
    if (number.isEmpty() || number.length() > 4 || !number.chars().allMatch(Character::isDigit)) {
      throw invalid(value);
    }
    return new Placement(Device.GPU, Integer.parseInt(number));
  }

  private static ConfigurationException invalid(String value) {
    return new ConfigurationException(
        "device = "
            + value
            + " is not valid; expected one of cpu, gpu, gpu:N (N = 0, 1, ... the GPU number), auto");
  }

  /** The GPU number to use: the given index, or 0 where none was given. */
  public int gpuOrFirst() {
    return Math.max(0, gpuIndex);
  }

  /** The configuration spelling: {@code cpu}, {@code gpu}, {@code gpu:1}, {@code auto}. */
  @Override
  public String toString() {
    String kind = device.name().toLowerCase(Locale.ROOT);
    return gpuIndex >= 0 ? kind + ":" + gpuIndex : kind;
  }
}
