package dev.text2code.models.hf;

import dev.text2code.api.CheckpointException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Separation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * The {@code replicated_tokens_map.pkl} the paper's released separated checkpoints carry: a pickled
 * Python {@code dict} from an original token id to its code-side replica id. Loading it gives the
 * router the model was trained with, instead of rebuilding one from the token list.
 */
public final class ReplicatedTokensMap {
  /** The file name beside the weights. */
  public static final String FILE_NAME = "replicated_tokens_map.pkl";

  private ReplicatedTokensMap() {}

  /**
   * Reads the map (original id -> replica id, ordered by original id).
   *
   * @throws CheckpointException naming the file when it is not a pickled dict of int to int
   */
  public static Map<Integer, Integer> read(Path file) {
    Object loaded;
    try (InputStream in = Files.newInputStream(file)) {
      loaded = new Unpickler().load(in);
    } catch (IOException | PickleException e) {
      throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!(loaded instanceof Map<?, ?> map)) {
      throw new CheckpointException(
          file
              + ": expected a pickled dict of token id -> replica id, found "
              + (loaded == null ? "None" : loaded.getClass().getSimpleName()));
    }
    Map<Integer, Integer> ids = new TreeMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      ids.put(id(e.getKey(), file), id(e.getValue(), file));
    }
    return ids;
  }

  /**
   * The router of a released separated model.
   *
   * @param vocabularySize ids of its tokenizer before the replicas were added
   * @param embeddingRows rows of its embedding matrix
   * @param separation partial or full (the map does not say which)
   * @throws CheckpointException where an id lies outside the embedding, a replica id is below the
   *     vocabulary or used twice
   */
  public static MappedRouter router(
      Map<Integer, Integer> map, int vocabularySize, int embeddingRows, Separation separation) {
    if (separation == Separation.NONE) {
      throw new CheckpointException(
          FILE_NAME + " describes a separated model; separation none has no replicas");
    }
    Set<Integer> replicas = new HashSet<>();
    for (Map.Entry<Integer, Integer> e : map.entrySet()) {
      int original = e.getKey();
      int replica = e.getValue();
      if (original >= embeddingRows || replica >= embeddingRows) {
        throw new CheckpointException(
            FILE_NAME
                + ": "
                + original
                + " -> "
                + replica
                + " lies outside the "
                + embeddingRows
                + " embedding rows");
      }
      if (replica < vocabularySize || replica <= original) {
        throw new CheckpointException(
            FILE_NAME
                + ": replica "
                + replica
                + " of "
                + original
                + " must be an id added after the vocabulary of "
                + vocabularySize
                + " and after its original");
      }
      if (!replicas.add(replica)) {
        throw new CheckpointException(FILE_NAME + ": replica id " + replica + " is used twice");
      }
    }
    return new MappedRouter(separation, vocabularySize, embeddingRows, map);
  }

  private static int id(Object o, Path file) {
    if (o instanceof Integer i && i >= 0) return i;
    if (o instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE) return (int) (long) l;
    throw new CheckpointException(file + ": " + o + " is not a token id (a non-negative int)");
  }
}
