package dev.text2code.objectives.mixture;

import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * {@code mixture}: picks one component per example with probability proportional to its weight (one
 * draw from the example's generator), optionally prepends the component's mode token (UL2's {@code
 * [NLU]}, {@code [NLG]}, {@code [S2S]}), and lets it build the example from the same generator.
 */
public final class ObjectiveMixture implements Objective {
  public static final String NAME = "mixture";

  /**
   * One weighted component.
   *
   * @param label a name for reports, such as {@code R(mu=3,r=0.15)}
   * @param modeToken prepended to the sequence before the component sees it, when present
   */
  public record Component(String label, double weight, Objective objective, OptionalInt modeToken) {
    public Component {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(objective, "objective");
      Objects.requireNonNull(modeToken, "modeToken");
      if (!(weight > 0) || Double.isInfinite(weight)) {
        throw new IllegalArgumentException(
            "weight of " + label + " = " + weight + "; expected a positive finite number");
      }
    }
  }

  private final List<Component> components;
  private final double[] cumulative;

  public ObjectiveMixture(List<Component> components) {
    if (components.isEmpty()) {
      throw new IllegalArgumentException("a mixture needs at least one component");
    }
    this.components = List.copyOf(components);
    this.cumulative = new double[components.size()];
    double total = components.stream().mapToDouble(Component::weight).sum();
    double running = 0;
    for (int i = 0; i < cumulative.length; i++) {
      running += components.get(i).weight() / total;
      cumulative[i] = running;
    }
    cumulative[cumulative.length - 1] = 1.0;
  }

  @Override
  public String name() {
    return NAME;
  }

  public List<Component> components() {
    return components;
  }

  /** The component the next draw of {@code random} selects. */
  public Component choose(RandomGenerator random) {
    double u = random.nextDouble();
    for (int i = 0; i < cumulative.length; i++) if (u < cumulative[i]) return components.get(i);
    return components.get(components.size() - 1);
  }

  @Override
  public TrainingExample apply(TokenSequence sequence, RandomGenerator random) {
    Component component = choose(random);
    TokenSequence input = sequence;
    if (component.modeToken().isPresent()) {
      input = prepend(sequence, component.modeToken().getAsInt());
    }
    return component.objective().apply(input, random);
  }

  static TokenSequence prepend(TokenSequence sequence, int id) {
    int n = sequence.length();
    int[] ids = new int[n + 1];
    byte[] modalities = new byte[n + 1];
    ids[0] = id;
    System.arraycopy(sequence.ids(), 0, ids, 1, n);
    byte[] original = sequence.modalityCodes();
    System.arraycopy(original, 0, modalities, 1, n);
    modalities[0] = n == 0 ? 0 : original[0];
    return TokenSequence.of(
        ids, modalities, sequence.hasPrefix() ? sequence.prefixIndex() + 1 : -1);
  }
}
