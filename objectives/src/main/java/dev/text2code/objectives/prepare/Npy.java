package dev.text2code.objectives.prepare;

import dev.text2code.api.InvalidInputException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numpy {@code .npy} format, version 1.0, for 2-D little-endian {@code int32} ({@code <i4}) and
 * {@code uint8} ({@code |u1}) arrays in C order: what {@code numpy.load} reads without options.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  private static final Pattern SHAPE =
      Pattern.compile(
          "'descr': '([<|][iu][14])', 'fortran_order': False, 'shape': \\((\\d+), (\\d+)\\)");

  private Npy() {}

  /** A 2-D array read back: {@code int32} data widened from either type. */
  public record Array2d(String descr, int rows, int columns, int[] data) {
    public int get(int row, int column) {
      return data[row * columns + column];
    }
  }

  static byte[] header(String descr, int rows, int columns) {
    String dict =
        "{'descr': '"
            + descr
            + "', 'fortran_order': False, 'shape': ("
            + rows
            + ", "
            + columns
            + "), }";
    int unpadded = MAGIC.length + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String text = dict + " ".repeat(padding) + "\n";
    ByteBuffer b =
        ByteBuffer.allocate(MAGIC.length + 2 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putShort((short) text.length()).put(text.getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }

  /** Writes {@code rows x columns} int32 values (row-major, the first {@code rows * columns}). */
  public static void writeInt32(OutputStream out, int[] values, int rows, int columns)
      throws IOException {
    out.write(header("<i4", rows, columns));
    ByteBuffer b = ByteBuffer.allocate(rows * columns * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(values, 0, rows * columns);
    out.write(b.array());
  }

  /** Writes {@code rows x columns} uint8 values. */
  public static void writeUint8(OutputStream out, byte[] values, int rows, int columns)
      throws IOException {
    out.write(header("|u1", rows, columns));
    out.write(values, 0, rows * columns);
  }

  /**
   * A 2-D {@code <i4} or {@code |u1} array mapped into memory: rows are read from the file on
   * demand (the operating system pages them in and out), so opening costs nothing per row.
   */
  public static final class Mapped {
    private final Path file;
    private final String descr;
    private final int rows;
    private final int columns;
    private final ByteBuffer data;

    private Mapped(Path file, String descr, int rows, int columns, ByteBuffer data) {
      this.file = file;
      this.descr = descr;
      this.rows = rows;
      this.columns = columns;
      this.data = data;
    }

    public int rows() {
      return rows;
    }

    public int columns() {
      return columns;
    }

    /** Values {@code from..from+length-1} of row {@code row}, widened to int. */
    public int[] row(int row, int from, int length) {
      if (row < 0 || row >= rows || from < 0 || length < 0 || from + length > columns) {
        throw new IndexOutOfBoundsException(
            file
                + ": row "
                + row
                + " ["
                + from
                + ", "
                + (from + length)
                + ") of "
                + rows
                + " x "
                + columns);
      }
      int[] out = new int[length];
      long cell = (long) row * columns + from;
      if (descr.equals("<i4")) {
        for (int i = 0; i < length; i++) out[i] = data.getInt((int) ((cell + i) * 4));
      } else {
        for (int i = 0; i < length; i++) out[i] = Byte.toUnsignedInt(data.get((int) (cell + i)));
      }
      return out;
    }
  }

  /** Maps a 2-D {@code <i4} or {@code |u1} array written by this class or by numpy. */
  public static Mapped map(Path file) {
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
      ByteBuffer head =
          channel.map(
              java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, Math.min(channel.size(), 10));
      byte[] magic = new byte[8];
      if (channel.size() < 10) throw InvalidInputException.at(file, 0, "not a version 1 .npy file");
      head.get(magic);
      if (magic[0] != (byte) 0x93 || magic[1] != 'N' || magic[6] != 1) {
        throw InvalidInputException.at(file, 0, "not a version 1 .npy file");
      }
      int headerLength = Short.toUnsignedInt(head.order(ByteOrder.LITTLE_ENDIAN).getShort(8));
      ByteBuffer headerBytes =
          channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 10, headerLength);
      byte[] header = new byte[headerLength];
      headerBytes.get(header);
      Header h = header(file, header);
      String descr = h.descr();
      int rows = h.rows();
      int columns = h.columns();
      long bytes = (long) rows * columns * (descr.equals("<i4") ? 4 : 1);
      long offset = 10L + headerLength;
      if (channel.size() < offset + bytes || bytes > Integer.MAX_VALUE) {
        throw InvalidInputException.at(
            file,
            0,
            "holds "
                + (channel.size() - offset)
                + " data bytes but its header says "
                + bytes
                + " (at most 2 GiB per file)");
      }
      ByteBuffer data =
          channel
              .map(java.nio.channels.FileChannel.MapMode.READ_ONLY, offset, bytes)
              .order(ByteOrder.LITTLE_ENDIAN);
      return new Mapped(file, descr, rows, columns, data);
    } catch (IOException e) {
      throw InvalidInputException.at(file, 0, "cannot read: " + e.getMessage());
    }
  }

  /** Reads a 2-D {@code <i4} or {@code |u1} array written by this class or by numpy. */
  public static Array2d read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      DataInputStream data = new DataInputStream(in);
      byte[] magic = new byte[8];
      data.readFully(magic);
      if (magic[0] != (byte) 0x93 || magic[1] != 'N' || magic[6] != 1) {
        throw InvalidInputException.at(file, 0, "not a version 1 .npy file");
      }
      int headerLength = Short.toUnsignedInt(Short.reverseBytes(data.readShort()));
      byte[] header = new byte[headerLength];
      data.readFully(header);
      Header h = header(file, header);
      String descr = h.descr();
      int rows = h.rows();
      int columns = h.columns();
      int[] values = new int[rows * columns];
      if (descr.equals("<i4")) {
        byte[] raw = new byte[values.length * 4];
        data.readFully(raw);
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values);
      } else {
        byte[] raw = new byte[values.length];
        data.readFully(raw);
        for (int i = 0; i < raw.length; i++) values[i] = Byte.toUnsignedInt(raw[i]);
      }
      return new Array2d(descr, rows, columns, values);
    } catch (IOException e) {
      throw InvalidInputException.at(file, 0, "cannot read: " + e.getMessage());
    }
  }

  /** A 2-D array's dtype and shape, from its .npy header. */
  private record Header(String descr, int rows, int columns) {}

  private static Header header(Path file, byte[] header) {
    Matcher m = SHAPE.matcher(new String(header, StandardCharsets.US_ASCII));
    if (!m.find()) {
      throw InvalidInputException.at(
          file,
          0,
          "expected a 2-D C-order <i4 or |u1 array; header is "
              + new String(header, StandardCharsets.US_ASCII).trim());
    }
    String descr = m.group(1);
    if (!descr.equals("<i4") && !descr.equals("|u1")) {
      throw InvalidInputException.at(
          file, 0, "dtype " + descr + " is not supported; expected <i4 or |u1");
    }
    return new Header(descr, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }
}
