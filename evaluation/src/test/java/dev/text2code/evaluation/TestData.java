package dev.text2code.evaluation;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates test inputs: our own fixtures and, when present, the shared datasets. */
public final class TestData {
  private TestData() {}

  /** A file under src/test/resources/fixtures. */
  public static Path fixture(String name) {
    try {
      return Path.of(TestData.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test fixture " + name, e);
    }
  }

  /** A file of the shared data directory ({@code -Dt2c.shared.data}); skips the test if absent. */
  public static Path shared(String relative) {
    String root = System.getProperty("t2c.shared.data");
    assumeTrue(root != null, "system property t2c.shared.data is not set");
    Path file = Path.of(root).resolve(relative);
    assumeTrue(Files.isRegularFile(file), "shared data file " + file + " is absent");
    return file;
  }
}
