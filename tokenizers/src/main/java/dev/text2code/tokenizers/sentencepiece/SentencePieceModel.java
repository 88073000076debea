package dev.text2code.tokenizers.sentencepiece;

import dev.text2code.api.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a SentencePiece {@code ModelProto} the encoder uses: the pieces with their scores
 * and types, the model type and byte fallback of the trainer spec, and the normalizer spec.
 *
 * @param pieces the vocabulary; a piece's id is its position
 * @param type the algorithm the model declares
 * @param byteFallback whether unknown characters become {@code <0xNN>} byte pieces
 * @param unkId the id of the unknown piece
 * @param normalizer how input text is normalized before encoding
 * @param treatWhitespaceAsSuffix whether {@code ▁} ends words instead of starting them
 */
public record SentencePieceModel(
    List<Piece> pieces,
    ModelType type,
    boolean byteFallback,
    int unkId,
    NormalizerSpec normalizer,
    boolean treatWhitespaceAsSuffix) {

  /** The algorithms a model can declare ({@code TrainerSpec.model_type}). */
  public enum ModelType {
    UNIGRAM,
    BPE,
    WORD,
    CHAR
  }

  /** The piece types of {@code ModelProto.SentencePiece.Type}. */
  public enum PieceType {
    NORMAL,
    UNKNOWN,
    CONTROL,
    USER_DEFINED,
    UNUSED,
    BYTE
  }

  /** One vocabulary entry. */
  public record Piece(String piece, float score, PieceType type) {
    public Piece {
      if (piece == null || type == null) throw new IllegalArgumentException("piece and type");
    }
  }

  /**
   * The normalizer spec.
   *
   * @param name the rule name, such as {@code nmt_nfkc} or {@code identity}
   * @param precompiledCharsmap the compiled rules (empty for identity)
   */
  public record NormalizerSpec(
      String name,
      byte[] precompiledCharsmap,
      boolean addDummyPrefix,
      boolean removeExtraWhitespaces,
      boolean escapeWhitespaces) {
    public NormalizerSpec {
      if (precompiledCharsmap == null) precompiledCharsmap = new byte[0];
    }
  }

  public SentencePieceModel {
    pieces = List.copyOf(pieces);
    if (pieces.isEmpty()) throw new IllegalArgumentException("a model needs pieces");
    if (unkId < 0 || unkId >= pieces.size()) {
      throw new IllegalArgumentException(
          "unk_id " + unkId + " is outside the vocabulary [0, " + pieces.size() + ")");
    }
  }

  /** Reads a {@code .model} file. */
  public static SentencePieceModel read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read sentencepiece model: " + e, e);
    }
    try {
      return parse(bytes);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new InvalidInputException(
          file + ": not a sentencepiece ModelProto (" + e.getMessage() + ")", e);
    }
  }

  /** Parses a serialized {@code ModelProto}. */
  public static SentencePieceModel parse(byte[] bytes) {
    ProtoReader in = new ProtoReader(bytes, 0, bytes.length);
    List<Piece> pieces = new ArrayList<>();
    ModelType type = ModelType.UNIGRAM;
    boolean byteFallback = false;
    boolean suffix = false;
    int unkId = 0;
    NormalizerSpec normalizer = new NormalizerSpec("identity", new byte[0], true, true, true);
    while (in.hasMore()) {
      int key = in.key();
      int field = key >>> 3;
      int wire = key & 7;
      if (field == 1 && wire == ProtoReader.LENGTH_DELIMITED) {
        pieces.add(piece(in.message()));
      } else if (field == 2 && wire == ProtoReader.LENGTH_DELIMITED) {
        ProtoReader spec = in.message();
        while (spec.hasMore()) {
          int k = spec.key();
          int f = k >>> 3;
          int w = k & 7;
          if (f == 3 && w == ProtoReader.VARINT) {
            int value = (int) spec.varint();
            if (value < 1 || value > 4) {
              throw new IllegalStateException(
                  "trainer_spec.model_type " + value + " is not 1-4 (unigram, bpe, word, char)");
            }
            type = ModelType.values()[value - 1];
          } else if (f == 35 && w == ProtoReader.VARINT) {
            byteFallback = spec.varint() != 0;
          } else if (f == 24 && w == ProtoReader.VARINT) {
            suffix = spec.varint() != 0;
          } else if (f == 40 && w == ProtoReader.VARINT) {
            unkId = (int) spec.varint();
          } else {
            spec.skip(w);
          }
        }
      } else if (field == 3 && wire == ProtoReader.LENGTH_DELIMITED) {
        normalizer = normalizer(in.message());
      } else {
        in.skip(wire);
      }
    }
    return new SentencePieceModel(pieces, type, byteFallback, unkId, normalizer, suffix);
  }

  private static Piece piece(ProtoReader in) {
    String piece = "";
    float score = 0f;
    PieceType type = PieceType.NORMAL;
    while (in.hasMore()) {
      int key = in.key();
      int field = key >>> 3;
      int wire = key & 7;
      if (field == 1 && wire == ProtoReader.LENGTH_DELIMITED) {
        piece = in.string();
      } else if (field == 2 && wire == ProtoReader.FIXED32) {
        score = in.float32();
      } else if (field == 3 && wire == ProtoReader.VARINT) {
        int value = (int) in.varint();
        if (value < 1 || value > 6) {
          throw new IllegalStateException("piece type " + value + " of '" + piece + "' is not 1-6");
        }
        type = PieceType.values()[value - 1];
      } else {
        in.skip(wire);
      }
    }
    return new Piece(piece, score, type);
  }

  private static NormalizerSpec normalizer(ProtoReader in) {
    String name = "";
    byte[] charsmap = new byte[0];
    boolean dummy = true;
    boolean extra = true;
    boolean escape = true;
    while (in.hasMore()) {
      int key = in.key();
      int field = key >>> 3;
      int wire = key & 7;
      if (field == 1 && wire == ProtoReader.LENGTH_DELIMITED) {
        name = in.string();
      } else if (field == 2 && wire == ProtoReader.LENGTH_DELIMITED) {
        charsmap = in.bytes();
      } else if (field == 3 && wire == ProtoReader.VARINT) {
        dummy = in.varint() != 0;
      } else if (field == 4 && wire == ProtoReader.VARINT) {
        extra = in.varint() != 0;
      } else if (field == 5 && wire == ProtoReader.VARINT) {
        escape = in.varint() != 0;
      } else {
        in.skip(wire);
      }
    }
    return new NormalizerSpec(name, charsmap, dummy, extra, escape);
  }
}
