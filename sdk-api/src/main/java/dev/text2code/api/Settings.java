package dev.text2code.api;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Read-only view of configuration values by dotted key, so that components read their settings
 * without depending on a configuration library. Typed getters fail with a message naming the key,
 * its value and the expected form.
 */
public interface Settings {
  /** The raw value of a key, if set. */
  Optional<String> find(String key);

  /** A description of where values come from, for messages (for example the file name). */
  default String origin() {
    return "configuration";
  }

  default String string(String key) {
    return find(key)
        .orElseThrow(
            () ->
                new ConfigurationException(origin() + ": key " + key + " is required but not set"));
  }

  default String string(String key, String fallback) {
    return find(key).orElse(fallback);
  }

  default long integer(String key, long fallback) {
    Optional<String> v = find(key);
    if (v.isEmpty()) return fallback;
    try {
      return Long.parseLong(v.get().trim());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(
          origin() + ": " + key + " = " + v.get() + " is not valid; expected an integer");
    }
  }

  default double number(String key, double fallback) {
    Optional<String> v = find(key);
    if (v.isEmpty()) return fallback;
    try {
      return Double.parseDouble(v.get().trim());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(
          origin() + ": " + key + " = " + v.get() + " is not valid; expected a number");
    }
  }

  default boolean flag(String key, boolean fallback) {
    Optional<String> v = find(key);
    if (v.isEmpty()) return fallback;
    String s = v.get().trim();
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("yes") || s.equals("1")) return true;
    if (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("no") || s.equals("0")) return false;
    throw new ConfigurationException(
        origin() + ": " + key + " = " + s + " is not valid; expected true or false");
  }

  /**
   * These settings with one key set to {@code value}; implementations backed by a configuration
   * library return their own kind, so the result can be saved like the original.
   */
  default Settings with(String key, String value) {
    Settings base = this;
    return new Settings() {
      @Override
      public Optional<String> find(String k) {
        return k.equals(key) ? Optional.of(value) : base.find(k);
      }

      @Override
      public String origin() {
        return base.origin();
      }
    };
  }

  /** Settings backed by a map (tests, programmatic use). */
  static Settings of(Map<String, ?> values) {
    Map<String, String> copy = new TreeMap<>();
    values.forEach((k, v) -> copy.put(k, String.valueOf(v)));
    return key -> Optional.ofNullable(copy.get(key));
  }

  static Settings empty() {
    return key -> Optional.empty();
  }
}
