package dev.text2code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MappedRouterTest {

  @Test
  void textIsNeverRemappedAndCodeGoesToReplicas() {
    MappedRouter r = new MappedRouter(Separation.PARTIAL, 10, 12, Map.of(2, 10, 5, 11));
    assertEquals(2, r.route(2, Modality.TEXT));
    assertEquals(10, r.route(2, Modality.CODE));
    assertEquals(4, r.route(4, Modality.CODE));
    assertEquals(2, r.tokenIdOf(10));
    assertEquals(5, r.tokenIdOf(11));
  }

  @Test
  void masksFollowTheReplicationMap() {
    MappedRouter r = new MappedRouter(Separation.PARTIAL, 10, 12, Map.of(2, 10, 5, 11));
    boolean[] code = r.codeVocabularyMask();
    boolean[] text = r.textVocabularyMask();
    for (int row = 0; row < 12; row++) {
      boolean original = row == 2 || row == 5;
      boolean replica = row == 10 || row == 11;
      assertEquals(!original, code[row], "code mask row " + row);
      assertEquals(!replica, text[row], "text mask row " + row);
      assertTrue(code[row] || text[row], "every row is predictable somewhere");
    }
  }

  @Test
  void aRowCannotBeTheReplicaOfTwoOriginals() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> new MappedRouter(Separation.FULL, 10, 12, Map.of(2, 10, 3, 10)));
    assertTrue(e.getMessage().contains("row 10"), e.getMessage());
  }
}
