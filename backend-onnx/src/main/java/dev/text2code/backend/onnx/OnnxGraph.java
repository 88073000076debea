package dev.text2code.backend.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an ONNX {@code GraphProto} field by field (field numbers from onnx.proto). Every part is
 * kept as the encoded bytes of one repeated field, so the exporter can stream them into the model
 * file without concatenating the weights into one giant array.
 */
final class OnnxGraph {
  // GraphProto fields
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_NAME = 2;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_DOC = 10;
  private static final int GRAPH_INPUT = 11;
  private static final int GRAPH_OUTPUT = 12;
  // TensorProto.DataType
  static final int FLOAT = 1;
  static final int INT64 = 7;
  static final int BOOL = 9;

  private static final int EXTERNAL_ALIGNMENT = 4096;
  private static final int EXTERNAL_MIN_BYTES = 1024;

  private final List<byte[]> parts = new ArrayList<>();
  private final String externalLocation;
  private final List<byte[]> external = new ArrayList<>();
  private long externalSize;
  private int counter;

  /**
   * @param externalLocation where initializers of 1 KiB and more go (ONNX external data, a file
   *     name relative to the model), or null to keep every initializer inside the model
   */
  OnnxGraph(String name, String doc, String externalLocation) {
    this.externalLocation = externalLocation;
    parts.add(new ProtoWriter().string(GRAPH_NAME, name).toByteArray());
    parts.add(new ProtoWriter().string(GRAPH_DOC, doc).toByteArray());
  }

  /** An attribute of a node. */
  record Attribute(String name, ProtoWriter encoded) {
    static Attribute ofInt(String name, long value) {
      return new Attribute(name, new ProtoWriter().string(1, name).int64(20, 2).int64(3, value));
    }

    static Attribute ofFloat(String name, float value) {
      return new Attribute(name, new ProtoWriter().string(1, name).int64(20, 1).float32(2, value));
    }

    static Attribute ofInts(String name, long... values) {
      ProtoWriter w = new ProtoWriter().string(1, name).int64(20, 7);
      for (long v : values) w.int64(8, v);
      return new Attribute(name, w);
    }
  }

  /** Adds a node with the given outputs. */
  void node(String opType, String[] inputs, String[] outputs, Attribute... attributes) {
    ProtoWriter n = new ProtoWriter();
    for (String in : inputs) n.string(1, in);
    for (String out : outputs) n.string(2, out);
    n.string(3, opType + "_" + counter++);
    n.string(4, opType);
    for (Attribute a : attributes) n.message(5, a.encoded());
    parts.add(new ProtoWriter().message(GRAPH_NODE, n).toByteArray());
  }

  /** Adds a one-output node and returns its (generated) output name. */
  String op(String opType, String[] inputs, Attribute... attributes) {
    String out = opType.toLowerCase(java.util.Locale.ROOT) + "_" + counter;
    node(opType, inputs, new String[] {out}, attributes);
    return out;
  }

  String op(String opType, String input, Attribute... attributes) {
    return op(opType, new String[] {input}, attributes);
  }

  String op(String opType, String a, String b) {
    return op(opType, new String[] {a, b});
  }

  void floatInitializer(String name, long[] shape, float[] data) {
    initializer(name, FLOAT, shape, ProtoWriter.littleEndian(data));
  }

  void int64Initializer(String name, long[] shape, long[] data) {
    ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(data);
    initializer(name, INT64, shape, b.array());
  }

  void boolInitializer(String name, long[] shape, boolean[] data) {
    byte[] raw = new byte[data.length];
    for (int i = 0; i < data.length; i++) raw[i] = (byte) (data[i] ? 1 : 0);
    initializer(name, BOOL, shape, raw);
  }

  /** A rank-0 float constant, returned by name. */
  String scalar(String name, float value) {
    floatInitializer(name, new long[0], new float[] {value});
    return name;
  }

  /** A rank-0 int64 constant, returned by name. */
  String int64Scalar(String name, long value) {
    int64Initializer(name, new long[0], new long[] {value});
    return name;
  }

  /** A 1-d int64 constant, returned by name. */
  String int64s(String name, long... values) {
    int64Initializer(name, new long[] {values.length}, values);
    return name;
  }

  private void initializer(String name, int dataType, long[] shape, byte[] raw) {
    ProtoWriter t = new ProtoWriter();
    for (long d : shape) t.int64(1, d);
    t.int64(2, dataType);
    t.string(8, name);
    if (externalLocation != null && raw.length >= EXTERNAL_MIN_BYTES) {
      long padding = (EXTERNAL_ALIGNMENT - externalSize % EXTERNAL_ALIGNMENT) % EXTERNAL_ALIGNMENT;
      if (padding > 0) external.add(new byte[(int) padding]);
      long offset = externalSize + padding;
      external.add(raw);
      externalSize = offset + raw.length;
      t.message(13, entry("location", externalLocation));
      t.message(13, entry("offset", Long.toString(offset)));
      t.message(13, entry("length", Integer.toString(raw.length)));
      t.int64(14, 1); // DataLocation.EXTERNAL
    } else {
      t.bytes(9, raw);
    }
    parts.add(new ProtoWriter().message(GRAPH_INITIALIZER, t).toByteArray());
  }

  private static ProtoWriter entry(String key, String value) {
    return new ProtoWriter().string(1, key).string(2, value);
  }

  /** The external data file's chunks, in order (empty when everything is inline). */
  List<byte[]> externalData() {
    return external;
  }

  /** Declares a graph input; a dimension is a Long (fixed) or a String (symbolic name). */
  void input(String name, int elementType, Object... dims) {
    parts.add(
        new ProtoWriter().message(GRAPH_INPUT, valueInfo(name, elementType, dims)).toByteArray());
  }

  void output(String name, int elementType, Object... dims) {
    parts.add(
        new ProtoWriter().message(GRAPH_OUTPUT, valueInfo(name, elementType, dims)).toByteArray());
  }

  private static ProtoWriter valueInfo(String name, int elementType, Object... dims) {
    ProtoWriter shape = new ProtoWriter();
    for (Object d : dims) {
      ProtoWriter dim = new ProtoWriter();
      if (d instanceof String s) dim.string(2, s);
      else dim.int64(1, ((Number) d).longValue());
      shape.message(1, dim);
    }
    ProtoWriter tensorType = new ProtoWriter().int64(1, elementType).message(2, shape);
    ProtoWriter type = new ProtoWriter().message(1, tensorType);
    return new ProtoWriter().string(1, name).message(2, type);
  }

  /** The encoded fields of the graph, in order; their concatenation is the GraphProto. */
  List<byte[]> parts() {
    return parts;
  }

  long encodedSize() {
    long n = 0;
    for (byte[] p : parts) n += p.length;
    return n;
  }
}
