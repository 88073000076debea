package dev.text2code.cli.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.text2code.api.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Reads the subset of YAML a configuration needs: nested mappings by indentation, {@code key:
 * scalar} lines, comments, and quoted strings. Anything else (lists, anchors, multi-line scalars)
 * is rejected with its line.
 */
final class FlatYaml {
  private FlatYaml() {}

  static Config parse(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    Config config = ConfigFactory.empty();
    Deque<int[]> indents = new ArrayDeque<>();
    Deque<String> path = new ArrayDeque<>();
    for (int n = 0; n < lines.size(); n++) {
      String raw = lines.get(n);
      String line = stripComment(raw);
      if (line.isBlank()) continue;
      int indent = 0;
      while (indent < line.length() && line.charAt(indent) == ' ') indent++;
      String body = line.trim();
      int colon = body.indexOf(':');
      if (body.startsWith("-") || colon <= 0) {
        throw new ConfigurationException(
            file
                + ":"
                + (n + 1)
                + ": expected 'key: value' or 'key:' (lists and other YAML forms are not supported)");
      }
      while (!indents.isEmpty() && indents.peek()[0] >= indent) {
        indents.pop();
        path.pop();
      }
      String key = body.substring(0, colon).trim();
      String value = body.substring(colon + 1).trim();
      if (value.isEmpty()) {
        indents.push(new int[] {indent});
        path.push(key);
        continue;
      }
      StringBuilder full = new StringBuilder();
      path.descendingIterator().forEachRemaining(p -> full.append(p).append('.'));
      full.append(key);
      ConfigOrigin origin = ConfigOriginFactory.newFile(file.toString()).withLineNumber(n + 1);
      config =
          config.withValue(
              full.toString(), ConfigValueFactory.fromAnyRef(unquote(value)).withOrigin(origin));
    }
    return config;
  }

  private static String stripComment(String line) {
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'' && !dbl) single = !single;
      else if (c == '"' && !single) dbl = !dbl;
      else if (c == '#' && !single && !dbl && (i == 0 || line.charAt(i - 1) == ' '))
        return line.substring(0, i);
    }
    return line;
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && ((value.startsWith("\"") && value.endsWith("\""))
            || (value.startsWith("'") && value.endsWith("'")))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
