package dev.text2code.tokenizers.sentencepiece;

import java.nio.charset.StandardCharsets;

/** A minimal protobuf wire-format reader: varints, 32/64-bit fields and length-delimited fields. */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final byte[] data;
  private int position;
  private final int end;

  ProtoReader(byte[] data, int from, int to) {
    this.data = data;
    this.position = from;
    this.end = to;
  }

  boolean hasMore() {
    return position < end;
  }

  int position() {
    return position;
  }

  /** Reads a field key; the field number is {@code key >>> 3}, the wire type {@code key & 7}. */
  int key() {
    return (int) varint();
  }

  long varint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = next();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) return result;
    }
    throw new IllegalStateException("malformed varint at byte " + position);
  }

  int fixed32() {
    int b0 = next();
    int b1 = next();
    int b2 = next();
    int b3 = next();
    return b0 | (b1 << 8) | (b2 << 16) | (b3 << 24);
  }

  float float32() {
    return Float.intBitsToFloat(fixed32());
  }

  /** A length-delimited field's sub-reader; this reader moves past it. */
  ProtoReader message() {
    int length = length();
    ProtoReader sub = new ProtoReader(data, position, position + length);
    position += length;
    return sub;
  }

  byte[] bytes() {
    int length = length();
    byte[] result = java.util.Arrays.copyOfRange(data, position, position + length);
    position += length;
    return result;
  }

  String string() {
    int length = length();
    String result = new String(data, position, length, StandardCharsets.UTF_8);
    position += length;
    return result;
  }

  void skip(int wireType) {
    switch (wireType) {
      case VARINT -> varint();
      case FIXED64 -> advance(8);
      case LENGTH_DELIMITED -> advance(length());
      case FIXED32 -> advance(4);
      default ->
          throw new IllegalStateException(
              "unsupported protobuf wire type " + wireType + " at byte " + position);
    }
  }

  private int length() {
    long length = varint();
    if (length < 0 || position + length > end) {
      throw new IllegalStateException(
          "length " + length + " at byte " + position + " runs past the end (" + end + ")");
    }
    return (int) length;
  }

  private void advance(int n) {
    if (position + n > end) {
      throw new IllegalStateException("field at byte " + position + " runs past the end");
    }
    position += n;
  }

  private int next() {
    if (position >= end) throw new IllegalStateException("truncated at byte " + position);
    return data[position++] & 0xFF;
  }
}
