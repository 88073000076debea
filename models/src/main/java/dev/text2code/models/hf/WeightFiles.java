package dev.text2code.models.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.api.CheckpointException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weight tensors of a Hugging Face directory, located but not yet read: {@code
 * model.safetensors}, a sharded {@code model.safetensors.index.json}, or {@code pytorch_model.bin}
 * (in that order of preference).
 *
 * @param format "safetensors", "safetensors-sharded" or "pytorch-bin"
 * @param files the weight files, in order
 * @param tensors stored name -> location
 */
record WeightFiles(String format, List<Path> files, Map<String, StoredTensor> tensors) {
  static final String SAFETENSORS = "model.safetensors";
  static final String SAFETENSORS_INDEX = "model.safetensors.index.json";
  static final String PYTORCH_BIN = "pytorch_model.bin";

  private static final ObjectMapper JSON = new ObjectMapper();

  WeightFiles {
    files = List.copyOf(files);
    tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
  }

  static WeightFiles locate(Path directory) {
    Path single = directory.resolve(SAFETENSORS);
    if (Files.isRegularFile(single)) {
      return new WeightFiles("safetensors", List.of(single), safetensorsHeader(single));
    }
    Path index = directory.resolve(SAFETENSORS_INDEX);
    if (Files.isRegularFile(index)) return sharded(directory, index);
    Path bin = directory.resolve(PYTORCH_BIN);
    if (Files.isRegularFile(bin)) {
      return new WeightFiles("pytorch-bin", List.of(bin), TorchZip.read(bin));
    }
    throw new CheckpointException(
        directory
            + ": no weights found; expected "
            + SAFETENSORS
            + ", "
            + SAFETENSORS_INDEX
            + " (sharded) or "
            + PYTORCH_BIN);
  }

  private static WeightFiles sharded(Path directory, Path index) {
    JsonNode root;
    try {
      root = JSON.readTree(index.toFile());
    } catch (IOException e) {
      throw new CheckpointException(index + ": not valid JSON: " + e.getMessage(), e);
    }
    JsonNode map = root.path("weight_map");
    if (!map.isObject() || map.isEmpty()) {
      throw new CheckpointException(index + ": weight_map is missing or empty");
    }
    Set<String> shardNames = new LinkedHashSet<>();
    map.fields().forEachRemaining(e -> shardNames.add(e.getValue().asText()));
    Map<String, StoredTensor> tensors = new LinkedHashMap<>();
    List<Path> files = new ArrayList<>();
    for (String shard : shardNames) {
      Path file = directory.resolve(shard).normalize();
      if (!file.startsWith(directory.normalize()) || !Files.isRegularFile(file)) {
        throw new CheckpointException(
            index + ": shard " + shard + " is listed in weight_map but " + file + " is missing");
      }
      files.add(file);
      tensors.putAll(safetensorsHeader(file));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      StoredTensor t = tensors.get(e.getKey());
      if (t == null || !t.file().getFileName().toString().equals(e.getValue().asText())) {
        throw new CheckpointException(
            index
                + ": weight_map puts "
                + e.getKey()
                + " in "
                + e.getValue().asText()
                + ", but that shard does not hold it");
      }
    }
    return new WeightFiles("safetensors-sharded", files, tensors);
  }

  /** The header of one safetensors file: every tensor's dtype, shape and absolute byte offset. */
  static Map<String, StoredTensor> safetensorsHeader(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 8) {
        throw new CheckpointException(
            file + ": not a safetensors file (" + size + " bytes; truncated?)");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0, file);
      long headerLength = lengthBytes.flip().getLong();
      if (headerLength <= 0 || headerLength > 100_000_000 || headerLength > size - 8) {
        throw new CheckpointException(
            file
                + ": header length "
                + headerLength
                + " does not fit a file of "
                + size
                + " bytes (truncated or not safetensors)");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      readFully(channel, header, 8, file);
      JsonNode root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
      if (root == null || !root.isObject()) {
        throw new CheckpointException(file + ": the safetensors header is not a JSON object");
      }
      long dataStart = 8 + headerLength;
      long dataLength = size - dataStart;
      Map<String, StoredTensor> tensors = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String name = e.getKey();
        if (name.equals("__metadata__")) continue;
        JsonNode entry = e.getValue();
        JsonNode shapeNode = entry.path("shape");
        JsonNode offsets = entry.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
          throw new CheckpointException(
              file + ": header entry " + name + " lacks shape or data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
          shape[i] = shapeNode.get(i).asLong();
          count *= shape[i];
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (end > dataLength) {
          throw new CheckpointException(
              file
                  + ": tensor "
                  + name
                  + " ends at data byte "
                  + end
                  + " but the file holds only "
                  + dataLength
                  + " data bytes (truncated?)");
        }
        String dtype = entry.path("dtype").asText();
        DType type = known(dtype);
        if (begin < 0 || (type != null && end - begin != count * type.bytes())) {
          throw new CheckpointException(
              file
                  + ": tensor "
                  + name
                  + " has data_offsets ["
                  + begin
                  + ", "
                  + end
                  + ") that do not hold its shape "
                  + java.util.Arrays.toString(shape)
                  + " of "
                  + dtype);
        }
        tensors.put(name, new StoredTensor(name, dtype, shape, file, dataStart + begin));
      }
      return tensors;
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static DType known(String dtype) {
    for (DType d : DType.values()) if (d.name().equals(dtype)) return d;
    return null;
  }

  /** Fills {@code buffer} from {@code position}; a short file is reported as truncated. */
  static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path file)
      throws IOException {
    long p = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, p);
      if (n < 0) throw new CheckpointException(file + ": unexpected end of file (truncated?)");
      p += n;
    }
  }
}
