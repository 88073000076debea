package dev.text2code.backend.onnx;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.text2code.api.backend.Backend;

/** Registers {@link OnnxBackend} as backend {@code onnx}. Does no I/O and loads no natives. */
public final class OnnxBackendModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder.newMapBinder(binder(), String.class, Backend.class)
        .addBinding(OnnxBackend.NAME)
        .to(OnnxBackend.class);
  }
}
