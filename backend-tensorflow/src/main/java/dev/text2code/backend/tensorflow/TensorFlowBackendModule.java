package dev.text2code.backend.tensorflow;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.text2code.api.backend.Backend;

/**
 * Registers {@link TensorFlowBackend} as backend {@code tensorflow}. Does no I/O and loads no
 * natives.
 */
public final class TensorFlowBackendModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder.newMapBinder(binder(), String.class, Backend.class)
        .addBinding(TensorFlowBackend.NAME)
        .to(TensorFlowBackend.class);
  }
}
