package dev.text2code.api.internal;

import dev.text2code.api.CheckpointException;
import dev.text2code.api.checkpoint.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to {@code dtype}, {@code shape} and {@code data_offsets}, optional
 * {@code __metadata__} of strings, then the little-endian tensor bytes. Only {@code F32} tensors
 * are written; {@code F32} is read.
 */
public final class SafeTensors {
  private SafeTensors() {}

  /** The tensors of a file in header order, with its metadata. */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    public Tensor require(String name, Path file) {
      Tensor t = tensors.get(name);
      if (t == null) {
        throw new CheckpointException(
            file + ": tensor " + name + " is missing; the file has " + tensors.keySet());
      }
      return t;
    }
  }

  /** Writes atomically: a temporary file beside {@code file}, then a rename. */
  public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) {
    Map<String, Object> header = new LinkedHashMap<>();
    if (!metadata.isEmpty()) header.put("__metadata__", new LinkedHashMap<>(metadata));
    long offset = 0;
    for (Tensor t : tensors) {
      if (header.containsKey(t.name()))
        throw new IllegalArgumentException("duplicate tensor name " + t.name());
      long bytes = 4L * t.data().length;
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", "F32");
      entry.put("shape", t.shape());
      entry.put("data_offsets", List.of(offset, offset + bytes));
      header.put(t.name(), entry);
      offset += bytes;
    }
    byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
    int padded =
        (json.length + 7) / 8 * 8; // align the data to 8 bytes, padding the header with spaces
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (OutputStream out =
          Files.newOutputStream(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        out.write(length.array());
        out.write(json);
        for (int i = json.length; i < padded; i++) out.write(' ');
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : tensors) {
          for (float v : t.data()) {
            if (!buffer.hasRemaining()) {
              out.write(buffer.array(), 0, buffer.position());
              buffer.clear();
            }
            buffer.putFloat(v);
          }
        }
        out.write(buffer.array(), 0, buffer.position());
      }
      Files.move(
          temp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CheckpointException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads every tensor; fails with the file name on a truncated or malformed file. */
  @SuppressWarnings("unchecked")
  public static Contents read(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 8)
        throw new CheckpointException(file + ": not a safetensors file (" + size + " bytes)");
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.flip().getLong();
      if (headerLength <= 0 || headerLength > size - 8 || headerLength > 100_000_000) {
        throw new CheckpointException(
            file
                + ": header length "
                + headerLength
                + " does not fit a file of "
                + size
                + " bytes");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(channel, headerBytes, 8);
      Object parsed =
          Json.parse(new String(headerBytes.array(), StandardCharsets.UTF_8), file.toString());
      if (!(parsed instanceof Map<?, ?> header)) {
        throw new CheckpointException(file + ": header is not a JSON object");
      }
      long dataStart = 8 + headerLength;
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      Map<String, String> metadata = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : header.entrySet()) {
        String name = (String) e.getKey();
        if (name.equals("__metadata__")) {
          ((Map<String, Object>) e.getValue())
              .forEach((k, v) -> metadata.put(k, String.valueOf(v)));
          continue;
        }
        Map<String, Object> entry = (Map<String, Object>) e.getValue();
        String dtype = String.valueOf(entry.get("dtype"));
        if (!dtype.equals("F32")) {
          throw new CheckpointException(
              file + ": tensor " + name + " has dtype " + dtype + "; only F32 is supported");
        }
        List<Object> shapeList = (List<Object>) entry.get("shape");
        long[] shape = new long[shapeList.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
          shape[i] = ((Number) shapeList.get(i)).longValue();
          count *= shape[i];
        }
        List<Object> offsets = (List<Object>) entry.get("data_offsets");
        long begin = ((Number) offsets.get(0)).longValue();
        long end = ((Number) offsets.get(1)).longValue();
        if (end - begin != 4 * count || dataStart + end > size || begin < 0) {
          throw new CheckpointException(
              file
                  + ": tensor "
                  + name
                  + " needs bytes ["
                  + begin
                  + ", "
                  + end
                  + ") of the data section, which "
                  + "does not match its shape or lies beyond the end of the file (truncated?)");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, bytes, dataStart + begin);
        float[] data = new float[(int) count];
        bytes.flip().asFloatBuffer().get(data);
        tensors.put(name, new Tensor(name, shape, data));
      }
      return new Contents(tensors, metadata);
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
      throw new CheckpointException(file + ": malformed safetensors header (" + e + ")", e);
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long p = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, p);
      if (n < 0) throw new IOException("unexpected end of file at byte " + p);
      p += n;
    }
  }

  /** Names in header order (for messages). */
  public static List<String> names(Contents contents) {
    return new ArrayList<>(contents.tensors().keySet());
  }
}
