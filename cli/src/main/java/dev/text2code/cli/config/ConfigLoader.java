package dev.text2code.cli.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import dev.text2code.api.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Merges, from lowest to highest precedence: the defaults shipped in the jar ({@code
 * reference.conf}), a user file (HOCON or JSON; {@code .yaml}/{@code .yml} files are read as their
 * flat {@code key: value} subset), environment variables {@code T2C_*}, and flag overrides. Every
 * key must exist in the defaults; an unknown key is rejected with the closest valid keys.
 */
public final class ConfigLoader {
  public static final String ENV_PREFIX = "T2C_";

  /**
   * Variables the {@code sdk-cli} launcher script reads itself (the native-library cache, the log
   * level); they share the {@code T2C_} prefix but are not configuration keys, so the loader leaves
   * them alone. No configuration key may be named like one of them.
   */
  public static final Set<String> LAUNCHER_VARIABLES = Set.of("T2C_NATIVE_CACHE", "T2C_LOG_LEVEL");

  private final Config defaults;

  public ConfigLoader() {
    this(ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf"));
  }

  ConfigLoader(Config defaults) {
    this.defaults = defaults.resolve();
  }

  /** The valid keys, sorted. */
  public Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) keys.add(e.getKey());
    return keys;
  }

  public Config defaults() {
    return defaults;
  }

  /**
   * @param file a user configuration file, or null
   * @param environment the process environment (only {@code T2C_*} variables are read, except the
   *     {@link #LAUNCHER_VARIABLES})
   * @param overrides key -> value from flags
   */
  public SdkConfig load(Path file, Map<String, String> environment, Map<String, String> overrides) {
    Config merged = defaults;
    List<String> sources = new ArrayList<>();
    sources.add("defaults");
    if (file != null) {
      Config user = parseFile(file);
      checkKeys(user, "file " + file);
      merged = user.withFallback(merged);
      sources.add(file.toString());
    }
    Config env = ConfigFactory.empty();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(environment).entrySet()) {
      if (!e.getKey().startsWith(ENV_PREFIX) || LAUNCHER_VARIABLES.contains(e.getKey())) continue;
      String key = envToKey(e.getKey());
      if (!keys().contains(key)) {
        throw new ConfigurationException(
            "environment variable "
                + e.getKey()
                + " names key "
                + key
                + ", which does not exist; "
                + suggest(key));
      }
      env =
          env.withValue(
              key, ConfigValueFactory.fromAnyRef(e.getValue(), "environment " + e.getKey()));
    }
    if (!env.isEmpty()) sources.add("environment");
    merged = env.withFallback(merged);
    Config flags = ConfigFactory.empty();
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (!keys().contains(e.getKey())) {
        throw new ConfigurationException(
            "flag --set " + e.getKey() + ": unknown key; " + suggest(e.getKey()));
      }
      flags =
          flags.withValue(
              e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue(), "flag " + e.getKey()));
    }
    if (!overrides.isEmpty()) sources.add("flags");
    merged = flags.withFallback(merged).resolve();
    checkTypes(merged);
    return new SdkConfig(merged, String.join(" < ", sources));
  }

  /** {@code T2C_TRAINING__MAX_STEPS} -> {@code training.max-steps}. */
  static String envToKey(String variable) {
    String body = variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
    return body.replace("__", ".").replace('_', '-');
  }

  private Config parseFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigurationException(
          "configuration file " + file + " does not exist or is not a file");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        return FlatYaml.parse(file);
      }
      ConfigSyntax syntax = name.endsWith(".json") ? ConfigSyntax.JSON : ConfigSyntax.CONF;
      return ConfigFactory.parseFile(
          file.toFile(), ConfigParseOptions.defaults().setSyntax(syntax).setAllowMissing(false));
    } catch (ConfigException e) {
      throw new ConfigurationException("configuration file " + file + ": " + e.getMessage(), e);
    }
  }

  private void checkKeys(Config user, String where) {
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      if (!keys().contains(e.getKey())) {
        String line =
            e.getValue().origin().lineNumber() > 0
                ? " (line " + e.getValue().origin().lineNumber() + ")"
                : "";
        throw new ConfigurationException(
            where + line + ": unknown key " + e.getKey() + "; " + suggest(e.getKey()));
      }
    }
  }

  private void checkTypes(Config merged) {
    for (String key : keys()) {
      ConfigValue reference = defaults.getValue(key);
      try {
        switch (reference.valueType()) {
          case NUMBER -> merged.getDouble(key);
          case BOOLEAN -> merged.getBoolean(key);
          default -> merged.getString(key);
        }
      } catch (ConfigException.WrongType e) {
        throw new ConfigurationException(
            key
                + " = "
                + merged.getValue(key).unwrapped()
                + " (from "
                + merged.getValue(key).origin().description()
                + ") is not valid; expected a "
                + reference.valueType().name().toLowerCase(Locale.ROOT)
                + " like the default "
                + reference.unwrapped());
      }
    }
  }

  private String suggest(String key) {
    List<String> close = new ArrayList<>();
    for (String valid : keys()) {
      if (editDistance(valid, key) <= 3 || valid.endsWith("." + key) || key.endsWith(valid))
        close.add(valid);
    }
    return close.isEmpty()
        ? "valid keys: " + String.join(", ", keys())
        : "did you mean " + String.join(" or ", close) + "? (all keys: sdk-cli info --keys)";
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
