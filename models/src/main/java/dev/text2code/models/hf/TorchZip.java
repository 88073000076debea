package dev.text2code.models.hf;

import dev.text2code.api.CheckpointException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * {@code pytorch_model.bin} as written by {@code torch.save} (1.6+): an uncompressed zip holding
 * {@code <root>/data.pkl}, a pickle of the state dict, and one member {@code <root>/data/<key>} of
 * raw little-endian bytes per storage. The pickle is read with Pyrolite, but every Python global it
 * names is resolved here against a short allow-list ({@code torch._utils._rebuild_tensor_v2},
 * {@code torch.*Storage}, {@code collections.OrderedDict}) to inert Java objects; anything else is
 * refused, so nothing in the file is ever executed. Storage bytes are not read here: each tensor
 * becomes a {@link StoredTensor} pointing into its storage member, to be memory-mapped later.
 */
final class TorchZip {
  private TorchZip() {}

  /** A zip member's data: its absolute offset and size in the archive. */
  private record Member(long offset, long size, int method) {}

  /** The placeholder for a torch storage class named in the pickle. */
  private record StorageType(String name) implements IObjectConstructor {
    @Override
    public Object construct(Object[] args) {
      throw new PickleException("torch." + name + " is not called in a state dict");
    }
  }

  /** A persistent storage reference: {@code ('storage', type, key, location, numel)}. */
  private record Storage(String dtype, String key, long numel) {}

  /** The arguments of {@code _rebuild_tensor_v2(storage, offset, size, stride, ...)}. */
  private record TensorRef(Storage storage, long offset, long[] shape, long[] stride) {}

  /** An {@code OrderedDict} that ignores the {@code _metadata} torch attaches to state dicts. */
  @SuppressWarnings("serial")
  public static final class StateDict extends LinkedHashMap<Object, Object> {
    public void __setstate__(HashMap<?, ?> state) {
      // torch's per-module version metadata: not needed
    }
  }

  static Map<String, StoredTensor> read(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Map<String, Member> members = centralDirectory(channel, file);
      String pickleName = null;
      for (String name : members.keySet()) {
        if (name.endsWith("/data.pkl")
            && name.indexOf('/') == name.length() - "/data.pkl".length()) {
          pickleName = name;
        }
      }
      if (pickleName == null) {
        throw new CheckpointException(
            file
                + ": no <root>/data.pkl member; not a torch.save zip (members "
                + members.keySet()
                + ")");
      }
      String root = pickleName.substring(0, pickleName.length() - "data.pkl".length());
      Member pickleMember = members.get(pickleName);
      if (pickleMember.method() != 0 || pickleMember.size() > 1_000_000_000L) {
        throw new CheckpointException(file + ": " + pickleName + " is compressed or too large");
      }
      ByteBuffer bytes = ByteBuffer.allocate((int) pickleMember.size());
      WeightFiles.readFully(channel, bytes, pickleMember.offset(), file);
      Object state;
      Unpickler unpickler = new RestrictedUnpickler(file);
      try {
        state = unpickler.load(new ByteArrayInputStream(bytes.array()));
      } catch (PickleException | ClassCastException e) {
        throw new CheckpointException(
            file + ": cannot read " + pickleName + ": " + e.getMessage(), e);
      } finally {
        unpickler.close();
      }
      if (!(state instanceof Map<?, ?> dict)) {
        throw new CheckpointException(file + ": " + pickleName + " does not hold a state dict");
      }
      Map<String, StoredTensor> tensors = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : dict.entrySet()) {
        String name = String.valueOf(e.getKey());
        if (!(e.getValue() instanceof TensorRef ref)) continue; // e.g. a non-tensor entry
        Member data = members.get(root + "data/" + ref.storage().key());
        if (data == null) {
          throw new CheckpointException(
              file
                  + ": tensor "
                  + name
                  + " needs storage member "
                  + root
                  + "data/"
                  + ref.storage().key()
                  + ", which the archive lacks (truncated?)");
        }
        if (data.method() != 0) {
          throw new CheckpointException(
              file + ": storage " + ref.storage().key() + " is compressed; torch.save stores it");
        }
        requireContiguous(file, name, ref);
        StoredTensor t =
            new StoredTensor(name, ref.storage().dtype(), ref.shape(), file, data.offset());
        DType type = known(ref.storage().dtype());
        if (type != null) {
          long end = (ref.offset() + t.count()) * type.bytes();
          if (ref.offset() + t.count() > ref.storage().numel() || end > data.size()) {
            throw new CheckpointException(
                file
                    + ": tensor "
                    + name
                    + " needs "
                    + end
                    + " bytes of storage "
                    + ref.storage().key()
                    + " but it holds "
                    + data.size()
                    + " (truncated?)");
          }
          t =
              new StoredTensor(
                  name, t.dtype(), ref.shape(), file, data.offset() + ref.offset() * type.bytes());
        }
        tensors.put(name, t);
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

  private static void requireContiguous(Path file, String name, TensorRef ref) {
    long expected = 1;
    for (int i = ref.shape().length - 1; i >= 0; i--) {
      if (ref.shape()[i] != 1 && ref.stride()[i] != expected) {
        throw new CheckpointException(
            file
                + ": tensor "
                + name
                + " is stored with strides "
                + java.util.Arrays.toString(ref.stride())
                + " for shape "
                + java.util.Arrays.toString(ref.shape())
                + "; only contiguous (row-major) tensors are read");
      }
      expected *= ref.shape()[i];
    }
  }

  /** Resolves Python globals to inert Java values; refuses everything a state dict never needs. */
  private static final class RestrictedUnpickler extends Unpickler {
    private final Path file;

    RestrictedUnpickler(Path file) {
      this.file = file;
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
      if (key == Opcodes.GLOBAL) {
        String module = PickleUtils.readline(input);
        String name = PickleUtils.readline(input);
        stack.add(global(module, name));
        return NO_RETURN_VALUE;
      }
      if (key == Opcodes.STACK_GLOBAL) {
        String name = String.valueOf(stack.pop());
        String module = String.valueOf(stack.pop());
        stack.add(global(module, name));
        return NO_RETURN_VALUE;
      }
      if (key == Opcodes.INST
          || key == Opcodes.OBJ
          || key == Opcodes.NEWOBJ
          || key == Opcodes.NEWOBJ_EX
          || key == Opcodes.EXT1
          || key == Opcodes.EXT2
          || key == Opcodes.EXT4) {
        throw new CheckpointException(
            file + ": the pickle uses opcode " + key + ", which a state dict never needs");
      }
      return super.dispatch(key);
    }

    private Object global(String module, String name) {
      String full = module + "." + name;
      if (full.equals("torch._utils._rebuild_tensor_v2")) return (IObjectConstructor) this::tensor;
      if (full.equals("torch._utils._rebuild_parameter")) return (IObjectConstructor) a -> a[0];
      if (full.equals("collections.OrderedDict")) return (IObjectConstructor) a -> new StateDict();
      if (module.equals("torch") && name.endsWith("Storage")) return new StorageType(name);
      throw new CheckpointException(
          file
              + ": the pickle names the Python global "
              + full
              + ", which a weights file does"
              + " not need; refusing it (nothing from the file is executed)");
    }

    private Object tensor(Object[] args) {
      if (args.length < 4 || !(args[0] instanceof Storage storage)) {
        throw new PickleException("_rebuild_tensor_v2 with unexpected arguments");
      }
      return new TensorRef(storage, number(args[1]), longs(args[2]), longs(args[3]));
    }

    @Override
    protected Object persistentLoad(Object pid) {
      if (pid instanceof Object[] t
          && t.length == 5
          && "storage".equals(t[0])
          && t[1] instanceof StorageType type) {
        return new Storage(DType.ofTorchStorage(type.name()), String.valueOf(t[2]), number(t[4]));
      }
      throw new CheckpointException(
          file
              + ": unexpected persistent id in the pickle: "
              + (pid instanceof Object[] a ? java.util.Arrays.toString(a) : pid));
    }

    private static long number(Object o) {
      return ((Number) o).longValue();
    }

    private static long[] longs(Object o) {
      Object[] items = o instanceof Object[] a ? a : ((List<?>) o).toArray();
      long[] out = new long[items.length];
      for (int i = 0; i < items.length; i++) out[i] = number(items[i]);
      return out;
    }
  }

  // --- zip central directory (stored members only, zip64 aware) ---

  private static Map<String, Member> centralDirectory(FileChannel channel, Path file)
      throws IOException {
    long size = channel.size();
    int tail = (int) Math.min(size, 65_557);
    ByteBuffer end = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
    WeightFiles.readFully(channel, end, size - tail, file);
    int eocd = -1;
    for (int i = tail - 22; i >= 0; i--) {
      if (end.getInt(i) == 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      throw new CheckpointException(
          file + ": no zip end-of-central-directory record; the file is truncated or not a zip");
    }
    long entries = end.getShort(eocd + 10) & 0xFFFF;
    long cdSize = end.getInt(eocd + 12) & 0xFFFFFFFFL;
    long cdOffset = end.getInt(eocd + 16) & 0xFFFFFFFFL;
    if (cdOffset == 0xFFFFFFFFL || entries == 0xFFFF) {
      int locator = eocd - 20;
      if (locator < 0 || end.getInt(locator) != 0x07064b50) {
        throw new CheckpointException(file + ": zip64 archive without a zip64 locator");
      }
      long zip64 = end.getLong(locator + 8);
      ByteBuffer record = ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN);
      WeightFiles.readFully(channel, record, zip64, file);
      entries = record.getLong(32);
      cdSize = record.getLong(40);
      cdOffset = record.getLong(48);
    }
    if (cdOffset + cdSize > size || cdSize > Integer.MAX_VALUE) {
      throw new CheckpointException(file + ": the zip central directory lies beyond the file");
    }
    ByteBuffer cd = ByteBuffer.allocate((int) cdSize).order(ByteOrder.LITTLE_ENDIAN);
    WeightFiles.readFully(channel, cd, cdOffset, file);
    Map<String, Member> members = new LinkedHashMap<>();
    int p = 0;
    for (long i = 0; i < entries; i++) {
      if (p + 46 > cd.capacity() || cd.getInt(p) != 0x02014b50) {
        throw new CheckpointException(file + ": malformed zip central directory entry " + i);
      }
      int method = cd.getShort(p + 10) & 0xFFFF;
      long compressed = cd.getInt(p + 20) & 0xFFFFFFFFL;
      long uncompressed = cd.getInt(p + 24) & 0xFFFFFFFFL;
      int nameLength = cd.getShort(p + 28) & 0xFFFF;
      int extraLength = cd.getShort(p + 30) & 0xFFFF;
      int commentLength = cd.getShort(p + 32) & 0xFFFF;
      long local = cd.getInt(p + 42) & 0xFFFFFFFFL;
      byte[] nameBytes = new byte[nameLength];
      cd.get(p + 46, nameBytes);
      String name = new String(nameBytes, StandardCharsets.UTF_8);
      int x = p + 46 + nameLength;
      int extraEnd = x + extraLength;
      while (x + 4 <= extraEnd) {
        int id = cd.getShort(x) & 0xFFFF;
        int length = cd.getShort(x + 2) & 0xFFFF;
        if (id == 0x0001) {
          int q = x + 4;
          if (uncompressed == 0xFFFFFFFFL) {
            uncompressed = cd.getLong(q);
            q += 8;
          }
          if (compressed == 0xFFFFFFFFL) {
            compressed = cd.getLong(q);
            q += 8;
          }
          if (local == 0xFFFFFFFFL) local = cd.getLong(q);
        }
        x += 4 + length;
      }
      ByteBuffer header = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
      WeightFiles.readFully(channel, header, local, file);
      if (header.getInt(0) != 0x04034b50) {
        throw new CheckpointException(file + ": zip member " + name + " has no local header");
      }
      long data = local + 30 + (header.getShort(26) & 0xFFFF) + (header.getShort(28) & 0xFFFF);
      if (data + compressed > size) {
        throw new CheckpointException(
            file + ": zip member " + name + " ends beyond the end of the file (truncated?)");
      }
      members.put(name, new Member(data, uncompressed, method));
      p = extraEnd + commentLength;
    }
    return members;
  }
}
