package dev.text2code.objectives.infill;

import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.objective.GenerationNeeds;
import dev.text2code.api.objective.InfillPrompt;
import dev.text2code.api.objective.Infilling;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.Examples;
import dev.text2code.objectives.IdBuffer;
import dev.text2code.objectives.ObjectiveSettings;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * {@code codegen2-infill}: CodeGen2-style multi-span infilling over tokens. {@code k} spans
 * (uniform in {@code [1, max-spans]}) of the code are cut out and replaced by {@code <mask_1> ...
 * <mask_k>}; the spans follow after {@code <sep>}, each as {@code <mask_i> span_i <eom>}:
 *
 * <pre>text-prefix corrupted-code EOD &lt;sep&gt; &lt;mask_1&gt; span_1 &lt;eom&gt; ...</pre>
 *
 * The span boundaries are {@code 2k} distinct positions drawn uniformly from the code. CodeGen2's
 * own span sampling is not published (docs/METHODS.md §3); this layout follows its model card's
 * infill prompt. Loss on every next token ({@code loss = all}) or only on the infill part ({@code
 * loss = infill}).
 */
public final class CodeGen2Infill implements Objective {
  public static final String NAME = "codegen2-infill";

  /** Which targets carry loss. */
  public enum Loss {
    ALL,
    INFILL
  }

  private final int maxSpans;
  private final int[] maskIds;
  private final int sepId;
  private final int endOfMaskId;
  private final OptionalInt endOfDocumentId;
  private final Loss loss;

  public CodeGen2Infill(
      int[] maskIds, int sepId, int endOfMaskId, OptionalInt endOfDocumentId, Loss loss) {
    if (maskIds.length == 0) {
      throw new IllegalArgumentException("maskIds is empty; expected at least <mask_1>");
    }
    this.maxSpans = maskIds.length;
    this.maskIds = maskIds.clone();
    this.sepId = sepId;
    this.endOfMaskId = endOfMaskId;
    this.endOfDocumentId = endOfDocumentId;
    this.loss = loss;
  }

  /**
   * Reads {@code objectives.codegen2-infill.}{@code max-spans} (4; needs {@code <mask_1>} .. {@code
   * <mask_max>}), {@code sep-token} ({@code <sep>}), {@code eom-token} ({@code <eom>}), {@code
   * eod-token} ({@code <eot>}, added when the sequence lacks it; {@code none} for no token) and
   * {@code loss} (all | infill, default all).
   */
  public static CodeGen2Infill create(Tokenizer tokenizer, Settings settings) {
    ObjectiveSettings s = new ObjectiveSettings(settings, NAME);
    int max = s.integer("max-spans", 4, 1, 1000);
    int[] masks = new int[max];
    for (int k = 1; k <= max; k++) masks[k - 1] = tokenizer.specialTokenId("<mask_" + k + ">");
    String eod = s.string("eod-token", "<eot>");
    return new CodeGen2Infill(
        masks,
        tokenizer.specialTokenId(s.string("sep-token", "<sep>")),
        tokenizer.specialTokenId(s.string("eom-token", "<eom>")),
        eod.equalsIgnoreCase("none")
            ? OptionalInt.empty()
            : OptionalInt.of(tokenizer.specialTokenId(eod)),
        s.choice("loss", Loss.ALL, Loss.class));
  }

  /**
   * The prompt that asks a model trained with this objective for the code between {@code prefix}
   * and {@code suffix}: {@code head} (a pair's {@code <comments> text <python>}, or empty), {@code
   * prefix <mask_1> suffix}, the end-of-document token, {@code <sep> <mask_1>}. The model writes
   * the span and closes it with {@code <eom>}, whose spelling ends the generated middle.
   */
  public InfillPrompt infillPrompt(
      dev.text2code.api.Tokenizer tokenizer, TokenSequence head, String prefix, String suffix) {
    int[] eod = endOfDocumentId.isPresent() ? new int[] {endOfDocumentId.getAsInt()} : new int[0];
    int[][] pieces = {
      head.ids(),
      tokenizer.encode(prefix).toArray(),
      new int[] {maskIds[0]},
      tokenizer.encode(suffix).toArray(),
      eod,
      new int[] {sepId, maskIds[0]}
    };
    return new InfillPrompt(
        Examples.concatenate(head, pieces), java.util.List.of(tokenizer.tokenOf(endOfMaskId)));
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Infills with its one layout ({@code <mask_1>} in the prompt); variants do not apply. */
  @Override
  public GenerationNeeds generationNeeds() {
    Infilling infilling = (t, head, before, after, variant) -> infillPrompt(t, head, before, after);
    return new GenerationNeeds(GenerationNeeds.Input.PAIRS, false, Optional.of(infilling));
  }

  @Override
  public TrainingExample apply(TokenSequence sequence, RandomGenerator random) {
    int[] ids = sequence.ids();
    byte[] modalities = sequence.modalityCodes();
    int head = sequence.prefixIndex() + 1;
    int bodyEnd = ids.length;
    boolean hasEod =
        bodyEnd > head
            && endOfDocumentId.isPresent()
            && ids[bodyEnd - 1] == endOfDocumentId.getAsInt();
    if (hasEod) bodyEnd--;
    int bodyLength = bodyEnd - head;
    int spans = Math.min(1 + random.nextInt(maxSpans), (bodyLength + 1) / 2);
    int[] bounds = distinctSorted(bodyLength + 1, 2 * spans, random);
    IdBuffer out = new IdBuffer(ids.length + 3 * spans + 3);
    out.addAll(ids, modalities, 0, head);
    int position = head;
    for (int k = 0; k < spans; k++) {
      int start = head + bounds[2 * k];
      out.addAll(ids, modalities, position, start);
      out.add(maskIds[k], modalities[start]);
      position = head + bounds[2 * k + 1];
    }
    out.addAll(ids, modalities, position, bodyEnd);
    byte last = ids.length == 0 ? 0 : modalities[ids.length - 1];
    if (endOfDocumentId.isPresent()) out.add(endOfDocumentId.getAsInt(), last);
    int sepAt = out.size();
    out.add(sepId, last);
    for (int k = 0; k < spans; k++) {
      int start = head + bounds[2 * k];
      int end = head + bounds[2 * k + 1];
      out.add(maskIds[k], modalities[start]);
      out.addAll(ids, modalities, start, end);
      out.add(endOfMaskId, modalities[end - 1]);
    }
    int firstLabelled = loss == Loss.ALL ? 0 : sepAt + 1;
    return Examples.shiftedFrom(out.ids(), out.modalities(), firstLabelled, 0);
  }

  /** {@code count} distinct values of {@code [0, range)} in increasing order (Floyd's sampling). */
  static int[] distinctSorted(int range, int count, RandomGenerator random) {
    boolean[] chosen = new boolean[range];
    for (int j = range - count; j < range; j++) {
      int t = random.nextInt(j + 1);
      if (chosen[t]) t = j;
      chosen[t] = true;
    }
    int[] out = new int[count];
    int n = 0;
    for (int i = 0; i < range; i++) if (chosen[i]) out[n++] = i;
    return Arrays.copyOf(out, n);
  }
}
