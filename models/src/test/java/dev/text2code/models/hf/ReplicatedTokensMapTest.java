package dev.text2code.models.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.CheckpointException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Modality;
import dev.text2code.api.Separation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicatedTokensMapTest {
  @TempDir Path temp;

  private static Path fixture(String name) throws Exception {
    return Path.of(ReplicatedTokensMapTest.class.getResource("/released-map/" + name).toURI());
  }

  @Test
  void readsThePapersPickledMapInBothProtocols() throws Exception {
    Map<Integer, Integer> expected = Map.of(3, 40, 7, 41, 11, 42, 43, 44, 25, 45);
    assertEquals(expected, ReplicatedTokensMap.read(fixture(ReplicatedTokensMap.FILE_NAME)));
    assertEquals(
        expected, ReplicatedTokensMap.read(fixture("replicated_tokens_map.protocol2.pkl")));
  }

  @Test
  void theLoadedRouterRoutesCodeToTheReplicasAndMasksAsTheModelWasTrained() throws Exception {
    MappedRouter router =
        ReplicatedTokensMap.router(
            ReplicatedTokensMap.read(fixture(ReplicatedTokensMap.FILE_NAME)),
            40,
            46,
            Separation.PARTIAL);
    assertEquals(40, router.route(3, Modality.CODE));
    assertEquals(3, router.route(3, Modality.TEXT));
    assertEquals(44, router.route(43, Modality.CODE));
    assertEquals(5, router.route(5, Modality.CODE));
    boolean[] code = router.codeVocabularyMask();
    boolean[] text = router.textVocabularyMask();
    assertTrue(code[40] && !code[3] && code[5]);
    assertTrue(text[3] && !text[40] && text[5]);
    assertFalse(code[43]);
  }

  @Test
  void aMapThatDoesNotFitTheModelIsRefusedNamingTheIds() throws Exception {
    Map<Integer, Integer> map = ReplicatedTokensMap.read(fixture(ReplicatedTokensMap.FILE_NAME));
    CheckpointException outside =
        assertThrows(
            CheckpointException.class,
            () -> ReplicatedTokensMap.router(map, 40, 45, Separation.FULL));
    assertTrue(outside.getMessage().contains("25 -> 45"), outside.getMessage());
    CheckpointException below =
        assertThrows(
            CheckpointException.class,
            () -> ReplicatedTokensMap.router(map, 42, 46, Separation.FULL));
    assertTrue(below.getMessage().contains("replica 40 of 3"), below.getMessage());
  }

  @Test
  void aFileThatIsNotAPickledDictIsRefusedNamingIt() throws Exception {
    Path list = temp.resolve("list.pkl");
    // pickle protocol 2 of [1, 2]: PROTO 2, EMPTY_LIST, MARK, BININT1 1, BININT1 2, APPENDS, STOP
    Files.write(list, new byte[] {(byte) 0x80, 2, ']', '(', 'K', 1, 'K', 2, 'e', '.'});
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> ReplicatedTokensMap.read(list));
    assertTrue(e.getMessage().contains(list.toString()) && e.getMessage().contains("dict"));
    Path garbage = temp.resolve("garbage.pkl");
    Files.writeString(garbage, "not a pickle");
    assertThrows(CheckpointException.class, () -> ReplicatedTokensMap.read(garbage));
  }
}
