package dev.text2code.objectives;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.multibindings.MapBinder;
import dev.text2code.api.objective.ObjectiveFactory;
import dev.text2code.objectives.causal.CausalLanguageModel;
import dev.text2code.objectives.causal.CodeOnlyCausalLm;
import dev.text2code.objectives.causal.CorruptedTextCodeCausalLm;
import dev.text2code.objectives.causal.PrefixCodeCausalLm;
import dev.text2code.objectives.causal.PrefixLanguageModel;
import dev.text2code.objectives.cert.CertObjectives;
import dev.text2code.objectives.infill.CodeGen2Infill;
import dev.text2code.objectives.infill.FillInTheMiddle;
import dev.text2code.objectives.mixture.MixtureFactory;
import dev.text2code.objectives.mixture.ObjectiveMixture;
import dev.text2code.objectives.span.SpanCorruptionObjective;
import dev.text2code.objectives.span.SpanCorruptionObjective.Form;
import java.util.List;
import java.util.Map;

/** Registers every objective factory of this module by name. Does no I/O. */
public final class ObjectivesModule extends AbstractModule {
  /** Every factory except the mixture, which needs the registry. */
  public static List<ObjectiveFactory> baseFactories() {
    return List.of(
        new NamedObjectiveFactory(
            CausalLanguageModel.NAME,
            "causal LM over text and code, loss on every token",
            (t, s) -> new CausalLanguageModel()),
        new NamedObjectiveFactory(
            CodeOnlyCausalLm.NAME,
            "causal LM, loss only on code tokens after the text prefix (paper's CodeCLM)",
            (t, s) -> new CodeOnlyCausalLm()),
        new NamedObjectiveFactory(
            CorruptedTextCodeCausalLm.NAME,
            "MLM noise on the text input, loss on code (objectives.corrupt-code-clm.*)",
            CorruptedTextCodeCausalLm::create),
        new NamedObjectiveFactory(
            PrefixCodeCausalLm.NAME,
            "bidirectional text prefix incl. <python>, causal code, loss on code",
            (t, s) -> new PrefixCodeCausalLm()),
        new NamedObjectiveFactory(
            SpanCorruptionObjective.NAME,
            "T5 span corruption, inputs bidirectional then targets (objectives.span-corruption.*)",
            (t, s) -> SpanCorruptionObjective.create(t, s, Form.ENCODER_DECODER)),
        new NamedObjectiveFactory(
            SpanCorruptionObjective.DECODER_NAME,
            "T5 span corruption as one causal sequence, loss on the targets",
            (t, s) -> SpanCorruptionObjective.create(t, s, Form.DECODER_ONLY)),
        new NamedObjectiveFactory(
            FillInTheMiddle.NAME,
            "character-level fill-in-the-middle, PSM/SPM, per document or context (objectives.fim.*)",
            FillInTheMiddle::create),
        new NamedObjectiveFactory(
            CodeGen2Infill.NAME,
            "CodeGen2 multi-span infill: <mask_k> ... <sep> <mask_k> span <eom>",
            CodeGen2Infill::create),
        new NamedObjectiveFactory(
            PrefixLanguageModel.NAME,
            "prefix-LM, given or random split, loss after the prefix",
            (t, s) -> PrefixLanguageModel.fromSettings(s)),
        new NamedObjectiveFactory(
            CertObjectives.SKETCHER_NAME,
            "CERT sketcher: causal LM over anonymised code (needs python3)",
            CertObjectives::sketcher),
        new NamedObjectiveFactory(
            CertObjectives.GENERATOR_NAME,
            "CERT generator: sketch + # [segmentation] + code blocks (needs python3)",
            CertObjectives::generator));
  }

  @Override
  protected void configure() {
    MapBinder<String, ObjectiveFactory> objectives =
        MapBinder.newMapBinder(binder(), String.class, ObjectiveFactory.class);
    for (ObjectiveFactory factory : baseFactories()) {
      objectives.addBinding(factory.name()).toInstance(factory);
    }
    objectives.addBinding(ObjectiveMixture.NAME).to(MixtureFactory.class);
  }

  @Provides
  MixtureFactory mixtureFactory(Provider<Map<String, ObjectiveFactory>> registry) {
    return new MixtureFactory(registry::get);
  }
}
