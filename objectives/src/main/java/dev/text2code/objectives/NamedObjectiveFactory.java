package dev.text2code.objectives;

import dev.text2code.api.Settings;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.ObjectiveFactory;
import java.util.Objects;
import java.util.function.BiFunction;

/** An {@link ObjectiveFactory} from a name, a one-line description and a constructor. */
public record NamedObjectiveFactory(
    String name, String description, BiFunction<Tokenizer, Settings, Objective> constructor)
    implements ObjectiveFactory {
  public NamedObjectiveFactory {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(constructor, "constructor");
  }

  @Override
  public Objective create(Tokenizer tokenizer, Settings settings) {
    return constructor.apply(tokenizer, settings);
  }
}
