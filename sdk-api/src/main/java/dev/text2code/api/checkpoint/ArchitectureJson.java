package dev.text2code.api.checkpoint;

import dev.text2code.api.CheckpointException;
import dev.text2code.api.backend.Architecture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code spec.architecture} object of {@code checkpoint.json}. Every field is optional when
 * read: an absent field takes its value from {@link Architecture#TEXT2CODE}, so checkpoints written
 * before architectures existed (no object at all) load as the SDK's own GPT. Enum values are
 * written in lower case ({@code "rms_norm"}, {@code "silu_gated"}).
 */
public final class ArchitectureJson {
  private ArchitectureJson() {}

  /** The JSON object of an architecture (nested maps, lists, numbers, strings, booleans). */
  public static Map<String, Object> write(Architecture a) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> norm = new LinkedHashMap<>();
    norm.put("kind", name(a.norm().kind()));
    norm.put("epsilon", a.norm().epsilon());
    out.put("norm", norm);
    Map<String, Object> positions = new LinkedHashMap<>();
    positions.put("kind", name(a.positions().kind()));
    positions.put("rotaryBase", a.positions().rotaryBase());
    positions.put("rotaryDims", a.positions().rotaryDims());
    positions.put("pairing", name(a.positions().pairing()));
    out.put("positions", positions);
    Map<String, Object> attention = new LinkedHashMap<>();
    attention.put("fusedQkv", a.attention().fusedQkv());
    attention.put("qkvBias", a.attention().qkvBias());
    attention.put("projectionBias", a.attention().projectionBias());
    attention.put("kvHeads", a.attention().kvHeads());
    attention.put("scaled", a.attention().scaled());
    attention.put("windows", new ArrayList<>(a.attention().windows()));
    out.put("attention", attention);
    Map<String, Object> mlp = new LinkedHashMap<>();
    mlp.put("activation", name(a.mlp().activation()));
    mlp.put("inner", a.mlp().inner());
    mlp.put("bias", a.mlp().bias());
    out.put("mlp", mlp);
    out.put("residual", name(a.residual()));
    Map<String, Object> head = new LinkedHashMap<>();
    head.put("tied", a.head().tied());
    head.put("bias", a.head().bias());
    out.put("head", head);
    out.put("topQueryLayer", a.topQueryLayer());
    return out;
  }

  /** Reads an architecture object; {@code where} names it in error messages. */
  public static Architecture read(Map<String, Object> json, String where) {
    Architecture d = Architecture.TEXT2CODE;
    try {
      Map<String, Object> n = object(json, "norm", where);
      Architecture.Norm norm =
          new Architecture.Norm(
              enumOf(n, "kind", Architecture.NormKind.class, d.norm().kind(), where + ".norm"),
              num(n, "epsilon", d.norm().epsilon()));
      Map<String, Object> p = object(json, "positions", where);
      Architecture.Positions positions =
          new Architecture.Positions(
              enumOf(
                  p,
                  "kind",
                  Architecture.PositionKind.class,
                  d.positions().kind(),
                  where + ".positions"),
              num(p, "rotaryBase", d.positions().rotaryBase()),
              (int) num(p, "rotaryDims", d.positions().rotaryDims()),
              enumOf(
                  p,
                  "pairing",
                  Architecture.RotaryPairing.class,
                  d.positions().pairing(),
                  where + ".positions"));
      Map<String, Object> at = object(json, "attention", where);
      Architecture.Attention da = d.attention();
      List<Integer> windows = new ArrayList<>();
      Object w = at.get("windows");
      if (w != null) {
        for (Object v : (List<?>) w) windows.add(((Number) v).intValue());
      }
      Architecture.Attention attention =
          new Architecture.Attention(
              bool(at, "fusedQkv", da.fusedQkv()),
              bool(at, "qkvBias", da.qkvBias()),
              bool(at, "projectionBias", da.projectionBias()),
              (int) num(at, "kvHeads", da.kvHeads()),
              bool(at, "scaled", da.scaled()),
              windows);
      Map<String, Object> m = object(json, "mlp", where);
      Architecture.Mlp mlp =
          new Architecture.Mlp(
              enumOf(
                  m,
                  "activation",
                  Architecture.Activation.class,
                  d.mlp().activation(),
                  where + ".mlp"),
              (int) num(m, "inner", d.mlp().inner()),
              bool(m, "bias", d.mlp().bias()));
      Architecture.Residual residual =
          enumOf(json, "residual", Architecture.Residual.class, d.residual(), where);
      Map<String, Object> h = object(json, "head", where);
      Architecture.Head head =
          new Architecture.Head(bool(h, "tied", d.head().tied()), bool(h, "bias", d.head().bias()));
      return new Architecture(
          norm,
          positions,
          attention,
          mlp,
          residual,
          head,
          bool(json, "topQueryLayer", d.topQueryLayer()));
    } catch (ClassCastException e) {
      throw new CheckpointException(where + ": malformed architecture (" + e.getMessage() + ")", e);
    }
  }

  private static String name(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> json, String key, String where) {
    Object v = json.get(key);
    if (v == null) return Map.of();
    if (!(v instanceof Map))
      throw new CheckpointException(where + "." + key + ": expected an object");
    return (Map<String, Object>) v;
  }

  private static <E extends Enum<E>> E enumOf(
      Map<String, Object> json, String key, Class<E> type, E fallback, String where) {
    Object v = json.get(key);
    if (v == null) return fallback;
    for (E e : type.getEnumConstants()) {
      if (name(e).equals(v)) return e;
    }
    throw new CheckpointException(
        where
            + "."
            + key
            + " = "
            + v
            + " is not valid; expected one of "
            + Arrays.stream(type.getEnumConstants()).map(ArchitectureJson::name).toList());
  }

  private static double num(Map<String, Object> json, String key, double fallback) {
    Object v = json.get(key);
    return v == null ? fallback : ((Number) v).doubleValue();
  }

  private static boolean bool(Map<String, Object> json, String key, boolean fallback) {
    Object v = json.get(key);
    return v == null ? fallback : (Boolean) v;
  }
}
