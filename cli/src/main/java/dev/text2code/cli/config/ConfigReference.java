package dev.text2code.cli.config;

import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders the configuration reference (docs/CONFIGURATION.md) from the shipped defaults and their
 * comments, so the documentation is generated from what the code reads and a test keeps the two
 * equal.
 */
public final class ConfigReference {
  private ConfigReference() {}

  public static String markdown() {
    ConfigLoader loader = new ConfigLoader();
    Map<String, ConfigValue> values = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : loader.defaults().entrySet())
      values.put(e.getKey(), e.getValue());
    StringBuilder out = new StringBuilder();
    out.append("# Configuration reference\n\n");
    out.append(
        "Generated from `cli/src/main/resources/reference.conf` by `sdk-cli info --reference`; a test keeps\n");
    out.append(
        "this file equal to the shipped defaults. Set keys in a file (`--config`), as environment variables\n");
    out.append("(`T2C_` + key with `.` → `__` and `-` → `_`) or with `--set key=value`.\n\n");
    out.append("| key | default | meaning |\n|---|---|---|\n");
    for (Map.Entry<String, ConfigValue> e : values.entrySet()) {
      List<String> comments = e.getValue().origin().comments();
      String meaning = String.join(" ", comments).strip().replace("|", "\\|");
      out.append("| `")
          .append(e.getKey())
          .append("` | `")
          .append(String.valueOf(e.getValue().unwrapped()).replace("|", "\\|"))
          .append("` | ")
          .append(meaning)
          .append(" |\n");
    }
    return out.toString();
  }
}
