package dev.text2code.backend.tensorflow;

import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Capability;
import java.util.EnumSet;
import java.util.Set;

/** The {@code tensorflow} backend. Constructing it loads no native library. */
public final class TensorFlowBackend implements Backend {
  public static final String NAME = "tensorflow";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.noneOf(Capability.class);
  }
}
