package dev.text2code.tokenizers.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.CheckpointException;
import dev.text2code.api.IdentityRouter;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.Text2CodeException;
import dev.text2code.tokenizers.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Saves a router as {@code router.json} beside a checkpoint and loads it back. The file holds the
 * separation, the vocabulary size, the replicated pairs and the new tokens' spellings:
 *
 * <pre>{"format": "text2code-router/1", "separation": "partial", "vocabularySize": 50281,
 *  "embeddingRows": 50500, "replicated": [[11, 50281], ...], "newTokens": {"50281": "[_DUP_],"}}
 * </pre>
 */
public final class RouterFiles {
  public static final String FILE_NAME = "router.json";
  static final String FORMAT = "text2code-router/1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private RouterFiles() {}

  /** The router file inside a checkpoint directory, or the path itself if it names a file. */
  public static Path resolve(Path checkpointOrFile) {
    return Files.isDirectory(checkpointOrFile)
        ? checkpointOrFile.resolve(FILE_NAME)
        : checkpointOrFile;
  }

  /** Writes the router atomically (temp file, then rename); returns the file written. */
  public static Path save(ModalityRouter router, Path checkpointOrFile) {
    Path file = resolve(checkpointOrFile);
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("separation", router.separation().configName());
    root.put("vocabularySize", router.vocabularySize());
    root.put("embeddingRows", router.embeddingRows());
    ArrayNode pairs = root.putArray("replicated");
    router
        .replicatedRows()
        .forEach((original, replica) -> pairs.addArray().add(original).add(replica));
    ObjectNode spellings = root.putObject("newTokens");
    if (router instanceof ReplicatingRouter r) {
      r.newTokens().forEach((id, token) -> spellings.put(Integer.toString(id), token));
    }
    try {
      AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot write router: " + e.getMessage(), e);
    }
    return file;
  }

  /**
   * Reads a router file.
   *
   * @throws CheckpointException naming the file and key when it is missing or inconsistent
   */
  public static ModalityRouter load(Path checkpointOrFile) {
    Path file = resolve(checkpointOrFile);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new CheckpointException(
          file
              + ": router file not found; a checkpoint trained with"
              + " embedding separation keeps "
              + FILE_NAME
              + " beside its weights",
          e);
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read router: " + e.getMessage(), e);
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new CheckpointException(
          file
              + ": key format = "
              + (root == null ? "null" : root.path("format"))
              + " is not valid; expected "
              + FORMAT);
    }
    try {
      Separation separation = Separation.parse(root.path("separation").asText(""));
      int vocabularySize = requireInt(root, "vocabularySize", file);
      int rows = requireInt(root, "embeddingRows", file);
      if (separation == Separation.NONE) {
        if (rows != vocabularySize) {
          throw new CheckpointException(
              file
                  + ": key embeddingRows = "
                  + rows
                  + " must equal vocabularySize for separation none");
        }
        return new IdentityRouter(vocabularySize);
      }
      Map<Integer, Integer> replicated = new HashMap<>();
      int index = 0;
      for (JsonNode pair : root.path("replicated")) {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isInt() || !pair.get(1).isInt()) {
          throw new CheckpointException(
              file
                  + ": key replicated["
                  + index
                  + "] = "
                  + pair
                  + " is not valid; expected [original, replica]");
        }
        replicated.put(pair.get(0).asInt(), pair.get(1).asInt());
        index++;
      }
      Map<Integer, String> newTokens = new HashMap<>();
      var fields = root.path("newTokens").fields();
      while (fields.hasNext()) {
        var e = fields.next();
        try {
          newTokens.put(Integer.parseInt(e.getKey()), e.getValue().asText());
        } catch (NumberFormatException bad) {
          throw new CheckpointException(
              file + ": key newTokens." + e.getKey() + " is not valid; expected an integer id");
        }
      }
      ReplicatingRouter router =
          new ReplicatingRouter(separation, vocabularySize, replicated, newTokens);
      if (router.embeddingRows() != rows) {
        throw new CheckpointException(
            file
                + ": key embeddingRows = "
                + rows
                + " but the file defines "
                + router.embeddingRows()
                + " rows");
      }
      return router;
    } catch (CheckpointException e) {
      throw e;
    } catch (Text2CodeException e) {
      throw new CheckpointException(file + ": " + e.getMessage(), e);
    }
  }

  private static int requireInt(JsonNode root, String key, Path file) {
    JsonNode v = root.path(key);
    if (!v.isInt() || v.asInt() <= 0) {
      throw new CheckpointException(
          file + ": key " + key + " = " + v + " is not valid; expected a positive integer");
    }
    return v.asInt();
  }
}
