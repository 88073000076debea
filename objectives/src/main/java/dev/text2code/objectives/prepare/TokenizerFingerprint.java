package dev.text2code.objectives.prepare;

import dev.text2code.api.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** A SHA-256 over a tokenizer's vocabulary and special tokens, recorded in manifests. */
public final class TokenizerFingerprint {
  private TokenizerFingerprint() {}

  /** {@code sha256:<hex>} of every id's spelling in order, then the special tokens by spelling. */
  public static String of(Tokenizer tokenizer) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      int size = tokenizer.vocabularySize();
      digest.update(Integer.toString(size).getBytes(StandardCharsets.UTF_8));
      for (int id = 0; id < size; id++) {
        digest.update((byte) 0);
        digest.update(tokenizer.tokenOf(id).getBytes(StandardCharsets.UTF_8));
      }
      for (Map.Entry<String, Integer> e : new TreeMap<>(tokenizer.specialTokens()).entrySet()) {
        digest.update((byte) 1);
        digest.update((e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8));
      }
      return "sha256:" + HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
