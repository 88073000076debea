package dev.text2code.cli.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.multibindings.MapBinder;
import dev.text2code.api.TokenizerFactory;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.objective.ObjectiveFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Builds the one injector. Modules are found with {@link ServiceLoader} ({@code
 * META-INF/services/com.google.inject.Module}), so a backend on the class path registers itself;
 * two entries with the same name fail here, at injector creation.
 */
public final class SdkInjector {
  private SdkInjector() {}

  /** Every module on the class path. */
  public static List<Module> discoveredModules() {
    List<Module> modules = new ArrayList<>();
    ServiceLoader.load(Module.class, SdkInjector.class.getClassLoader()).forEach(modules::add);
    return modules;
  }

  public static Injector create() {
    return create(discoveredModules());
  }

  /**
   * An injector over the given modules; the three registries exist even when no module adds to
   * them.
   */
  public static Injector create(List<? extends Module> modules) {
    List<Module> all = new ArrayList<>(modules);
    all.add(
        new AbstractModule() {
          @Override
          protected void configure() {
            MapBinder.newMapBinder(binder(), String.class, Backend.class);
            MapBinder.newMapBinder(binder(), String.class, ObjectiveFactory.class);
            MapBinder.newMapBinder(binder(), String.class, TokenizerFactory.class);
          }
        });
    return Guice.createInjector(all);
  }

  public static Components components(Injector injector) {
    return injector.getInstance(Components.class);
  }
}
