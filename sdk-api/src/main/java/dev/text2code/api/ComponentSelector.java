package dev.text2code.api;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Picks one named implementation out of several, constructing only the one asked for. Backends,
 * objectives and tokenizers are selected this way from a configuration key, so that an unselected
 * backend never loads its natives.
 *
 * @param <T> the component type
 */
public final class ComponentSelector<T> {
  private final String kind;
  private final String configKey;
  private final Map<String, ? extends Supplier<? extends T>> suppliers;

  /**
   * @param kind plural noun for messages, for example {@code backends}
   * @param configKey the configuration key that names the choice, for example {@code backend}
   * @param suppliers name -> lazy constructor; nothing is called until {@link #select(String)}
   */
  public ComponentSelector(
      String kind, String configKey, Map<String, ? extends Supplier<? extends T>> suppliers) {
    this.kind = Objects.requireNonNull(kind);
    this.configKey = Objects.requireNonNull(configKey);
    this.suppliers = new TreeMap<>(suppliers);
  }

  /** The available names, sorted. */
  public java.util.SortedSet<String> names() {
    return new java.util.TreeSet<>(suppliers.keySet());
  }

  /**
   * Constructs the named component.
   *
   * @throws ConfigurationException listing the valid names when {@code name} is unknown
   */
  public T select(String name) {
    Supplier<? extends T> supplier = suppliers.get(name);
    if (supplier == null) {
      throw new ConfigurationException(
          configKey
              + " = "
              + name
              + " is not valid; available "
              + kind
              + ": "
              + String.join(", ", names()));
    }
    return supplier.get();
  }
}
