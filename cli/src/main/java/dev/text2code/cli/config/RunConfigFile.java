package dev.text2code.cli.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.Text2CodeException;
import dev.text2code.runs.RunSettingsStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A run's {@code run.conf}: the merged configuration as HOCON, read back through the {@link
 * ConfigLoader} (so the defaults fill keys added since, and unknown keys are still rejected).
 */
public final class RunConfigFile implements RunSettingsStore {
  @Override
  public void save(Settings settings, Path file) {
    if (!(settings instanceof SdkConfig config)) {
      throw new ConfigurationException(
          "a run's configuration must come from ConfigLoader.load to be saved as " + file);
    }
    Config raw = config.raw();
    String tokenizerFile = raw.getString("tokenizers.file");
    if (!tokenizerFile.isBlank()) {
      raw =
          raw.withValue(
              "tokenizers.file",
              ConfigValueFactory.fromAnyRef(Path.of(tokenizerFile).toAbsolutePath().toString()));
    }
    String text =
        "# written by sdk-cli: the configuration this run was started with\n"
            + raw.root()
                .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    try {
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new Text2CodeException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Settings load(Path file) {
    return new ConfigLoader().load(file, Map.of(), Map.of());
  }
}
