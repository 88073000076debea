package dev.text2code.backend.pytorch;

import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Capability;
import java.util.EnumSet;
import java.util.Set;

/** The {@code pytorch} backend. Constructing it loads no native library. */
public final class PyTorchBackend implements Backend {
  public static final String NAME = "pytorch";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.noneOf(Capability.class);
  }
}
