package dev.text2code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ComponentSelectorTest {
  @Test
  void constructsOnlyTheSelectedComponent() {
    AtomicInteger built = new AtomicInteger();
    Supplier<String> fails =
        () -> {
          throw new AssertionError("must not be constructed");
        };
    ComponentSelector<String> selector =
        new ComponentSelector<>(
            "backends", "backend", Map.of("a", () -> "A" + built.incrementAndGet(), "b", fails));
    assertEquals("A1", selector.select("a"));
    assertEquals(1, built.get());
  }

  @Test
  void unknownNamesListTheValidOnes() {
    ComponentSelector<String> selector =
        new ComponentSelector<>(
            "backends", "backend", Map.of("onnx", () -> "", "pytorch", () -> ""));
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> selector.select("nosuch"));
    assertTrue(e.getMessage().contains("backend = nosuch"), e.getMessage());
    assertTrue(e.getMessage().contains("onnx, pytorch"), e.getMessage());
  }
}
