package dev.text2code.data.pipeline;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Text2CodeException;
import dev.text2code.api.TextCodePair;
import dev.text2code.tokenizers.corpus.PairCorpusReader;
import dev.text2code.tokenizers.corpus.PythonPairExtractor;
import dev.text2code.tokenizers.corpus.SkipReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Pairs of a corpus as a lazy stream: a {@code .json/.jsonl(.gz)} pair file, or a directory of
 * Python sources (pairs extracted as the CLI does). The readers push pairs; a reader thread hands
 * them over through a bounded queue, so at most {@value #BUFFER} pairs are in memory. Close the
 * stream to stop the reader early.
 */
public final class PairSource {
  static final int BUFFER = 256;
  private static final Object END = new Object();

  private PairSource() {}

  /** Streams {@code source}; skipped records are counted in {@code skips}. */
  public static Stream<TextCodePair> stream(Path source, String python, SkipReport skips) {
    if (!Files.exists(source)) {
      throw new ConfigurationException(
          "data.corpus = "
              + source
              + " does not exist; give a .json/.jsonl(.gz) pair file or a directory of Python"
              + " sources");
    }
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(BUFFER);
    Thread reader =
        new Thread(
            () -> {
              Object last = END;
              try {
                if (Files.isDirectory(source)) {
                  try (PythonPairExtractor extractor = new PythonPairExtractor(python)) {
                    extractor.extractTree(source, skips, p -> put(queue, p));
                  }
                } else {
                  new PairCorpusReader().read(source, skips, p -> put(queue, p));
                }
              } catch (Stopped e) {
                return;
              } catch (RuntimeException e) {
                last = e;
              }
              try {
                queue.put(last);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "pair-reader " + source.getFileName());
    reader.setDaemon(true);
    reader.start();
    Iterator<TextCodePair> pairs =
        new Iterator<>() {
          private Object next;

          @Override
          public boolean hasNext() {
            if (next == null) {
              try {
                next = queue.take();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Text2CodeException("interrupted while reading " + source, e);
              }
            }
            if (next instanceof RuntimeException failure) throw failure;
            return next != END;
          }

          @Override
          public TextCodePair next() {
            if (!hasNext()) throw new NoSuchElementException();
            TextCodePair p = (TextCodePair) next;
            next = null;
            return p;
          }
        };
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(pairs, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(reader::interrupt);
  }

  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }

  private static void put(BlockingQueue<Object> queue, TextCodePair pair) {
    try {
      queue.put(pair);
    } catch (InterruptedException e) {
      throw new Stopped();
    }
  }
}
