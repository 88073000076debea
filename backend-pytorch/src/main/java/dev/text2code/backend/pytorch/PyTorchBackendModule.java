package dev.text2code.backend.pytorch;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.text2code.api.backend.Backend;

/**
 * Registers {@link PyTorchBackend} as backend {@code pytorch}. Does no I/O and loads no natives.
 */
public final class PyTorchBackendModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder.newMapBinder(binder(), String.class, Backend.class)
        .addBinding(PyTorchBackend.NAME)
        .to(PyTorchBackend.class);
  }
}
