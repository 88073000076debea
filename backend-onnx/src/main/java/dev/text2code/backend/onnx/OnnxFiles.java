package dev.text2code.backend.onnx;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the top-level metadata properties of an ONNX file without ONNX Runtime, skipping the graph:
 * enough to decide whether a cached export is current.
 */
final class OnnxFiles {
  private OnnxFiles() {}

  /** The {@code text2code.source_sha256} of an export, or "" when unreadable or absent. */
  static String sourceFingerprint(Path onnxFile) {
    try {
      return metadata(onnxFile).getOrDefault("text2code.source_sha256", "");
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** The ModelProto's metadata_props (field 14). */
  static Map<String, String> metadata(Path onnxFile) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(onnxFile), 1 << 16))) {
      while (true) {
        long tag;
        try {
          tag = varint(in);
        } catch (EOFException end) {
          return out;
        }
        int field = (int) (tag >>> 3);
        int wire = (int) (tag & 7);
        switch (wire) {
          case 0 -> varint(in);
          case 1 -> in.skipNBytes(8);
          case 5 -> in.skipNBytes(4);
          case 2 -> {
            long length = varint(in);
            if (field == 14) {
              byte[] entry = in.readNBytes(Math.toIntExact(length));
              readEntry(entry, out);
            } else {
              in.skipNBytes(length);
            }
          }
          default -> throw new IOException("unexpected wire type " + wire);
        }
      }
    }
  }

  private static void readEntry(byte[] entry, Map<String, String> out) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(entry));
    String key = "";
    String value = "";
    while (in.available() > 0) {
      long tag = varint(in);
      if ((tag & 7) != 2) throw new IOException("unexpected metadata entry field");
      byte[] bytes = in.readNBytes(Math.toIntExact(varint(in)));
      String s = new String(bytes, StandardCharsets.UTF_8);
      if ((tag >>> 3) == 1) key = s;
      else if ((tag >>> 3) == 2) value = s;
    }
    out.put(key, value);
  }

  private static long varint(InputStream in) throws IOException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.read();
      if (b < 0) throw new EOFException();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) return result;
    }
    throw new IOException("malformed varint");
  }
}
