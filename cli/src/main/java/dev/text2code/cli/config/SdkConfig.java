package dev.text2code.cli.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.text2code.api.Settings;
import java.util.Optional;

/** The merged configuration, with {@link Settings} access for components. */
public final class SdkConfig implements Settings {
  private final Config config;
  private final String sources;

  SdkConfig(Config config, String sources) {
    this.config = config;
    this.sources = sources;
  }

  /**
   * A configuration already merged elsewhere (for example {@link #raw()} rendered and shipped to
   * another JVM, as the Spark engine's executors get it).
   */
  public static SdkConfig of(Config config, String sources) {
    return new SdkConfig(config, sources);
  }

  public Config raw() {
    return config;
  }

  /** Where the values came from, lowest precedence first. */
  public String sources() {
    return sources;
  }

  @Override
  public Optional<String> find(String key) {
    try {
      return config.hasPath(key)
          ? Optional.of(String.valueOf(config.getValue(key).unwrapped()))
          : Optional.empty();
    } catch (ConfigException e) {
      return Optional.empty();
    }
  }

  @Override
  public String origin() {
    return "configuration (" + sources + ")";
  }

  /** The same configuration with one key replaced (the key must exist). */
  @Override
  public SdkConfig with(String key, String value) {
    if (!config.hasPath(key)) {
      throw new dev.text2code.api.ConfigurationException("unknown configuration key " + key);
    }
    return new SdkConfig(
        config.withValue(key, com.typesafe.config.ConfigValueFactory.fromAnyRef(value, "sdk-cli")),
        sources + " < sdk-cli");
  }

  public String backend() {
    return config.getString("backend");
  }

  public String objective() {
    return config.getString("objective");
  }

  public String tokenizer() {
    return config.getString("tokenizer");
  }
}
