package dev.text2code.objectives;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.text2code.api.objective.ObjectiveFactory;

/** Registers every objective factory of this module by name. Does no I/O. */
public final class ObjectivesModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder<String, ObjectiveFactory> objectives =
        MapBinder.newMapBinder(binder(), String.class, ObjectiveFactory.class);
  }
}
