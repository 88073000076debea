package dev.text2code.cli.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.multibindings.MapBinder;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Capability;
import dev.text2code.backend.onnx.OnnxBackendModule;
import dev.text2code.backend.pytorch.PyTorchBackend;
import dev.text2code.backend.pytorch.PyTorchBackendModule;
import dev.text2code.backend.tensorflow.TensorFlowBackendModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Backend selection through a real Guice injector. */
class BackendSelectionTest {
  static final AtomicInteger EXPLODING_CONSTRUCTIONS = new AtomicInteger();

  /** A backend whose construction fails, standing in for one whose natives are missing. */
  public static final class ExplodingBackend implements Backend {
    public ExplodingBackend() {
      EXPLODING_CONSTRUCTIONS.incrementAndGet();
      throw new IllegalStateException("this backend must never be constructed when not selected");
    }

    @Override
    public String name() {
      return "exploding";
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of();
    }
  }

  static final class ExplodingModule extends AbstractModule {
    @Override
    protected void configure() {
      MapBinder.newMapBinder(binder(), String.class, Backend.class)
          .addBinding("exploding")
          .to(ExplodingBackend.class);
    }
  }

  /** Registers the PyTorch backend a second time under its own name. */
  static final class DuplicatePyTorchModule extends AbstractModule {
    @Override
    protected void configure() {
      MapBinder.newMapBinder(binder(), String.class, Backend.class)
          .addBinding(PyTorchBackend.NAME)
          .to(ExplodingBackend.class);
    }
  }

  @Test
  void theClassPathContributesTheThreeBackends() {
    Components components = SdkInjector.components(SdkInjector.create());
    assertEquals(
        List.of("onnx", "pytorch", "tensorflow"), List.copyOf(components.backends().names()));
  }

  @Test
  void selectsTheConfiguredBackendByName() {
    Components components =
        SdkInjector.components(
            SdkInjector.create(
                List.of(
                    new PyTorchBackendModule(),
                    new TensorFlowBackendModule(),
                    new OnnxBackendModule())));
    Backend backend = components.backends().select("pytorch");
    assertInstanceOf(PyTorchBackend.class, backend);
    assertEquals("pytorch", backend.name());
  }

  @Test
  void losingBackendsAreNeverConstructed() {
    EXPLODING_CONSTRUCTIONS.set(0);
    List<AbstractModule> modules = new ArrayList<>();
    modules.add(new PyTorchBackendModule());
    modules.add(new ExplodingModule());
    Components components = SdkInjector.components(SdkInjector.create(modules));
    assertEquals("pytorch", components.backends().select("pytorch").name());
    assertEquals(0, EXPLODING_CONSTRUCTIONS.get(), "an unselected backend was constructed");
    assertTrue(components.backends().names().contains("exploding"));
    // Selecting it is what constructs it (and then its failure surfaces).
    assertThrows(RuntimeException.class, () -> components.backends().select("exploding"));
    assertEquals(1, EXPLODING_CONSTRUCTIONS.get());
  }

  @Test
  void duplicateNamesFailAtInjectorCreation() {
    CreationException e =
        assertThrows(
            CreationException.class,
            () ->
                SdkInjector.create(
                    List.of(new PyTorchBackendModule(), new DuplicatePyTorchModule())));
    assertTrue(e.getMessage().contains("pytorch"), e.getMessage());
  }

  @Test
  void anUnknownNameListsTheValidNames() {
    Components components = SdkInjector.components(SdkInjector.create());
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> components.backends().select("nosuch"));
    assertEquals(
        "backend = nosuch is not valid; available backends: onnx, pytorch, tensorflow",
        e.getMessage());
  }
}
