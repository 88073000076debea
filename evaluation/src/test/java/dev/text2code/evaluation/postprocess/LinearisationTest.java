package dev.text2code.evaluation.postprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.text2code.api.ConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearisationTest {
  private static final String CODE =
      "    total = 0\n"
          + "    for x in xs:\n"
          + "\n"
          + "        if x:\n"
          + "            total += 1\n"
          + "    return total\n";

  @Test
  void lineariseMarksLinesAndIndentChangesAndDropsBlankLines() {
    assertEquals(
        "total = 0 <NEW_LINE> for x in xs: <NEW_LINE> <INDENT> if x: <NEW_LINE> <INDENT> total += 1"
            + " <NEW_LINE> <DEDENT> <DEDENT> return total <NEW_LINE>",
        Linearisation.linearise(CODE));
  }

  @Test
  void delineariseRestoresRealIndentationFromTheGivenDepth() {
    String restored = Linearisation.delinearise(Linearisation.linearise(CODE), 1);
    assertEquals(CODE.replace("\n\n", "\n"), restored);
  }

  @Test
  void delineariseHandlesModelSpacingAndAnUnfinishedLastLine() {
    assertEquals(
        "def f ( x ) :\n    return x + 1",
        Linearisation.delinearise("def f ( x ) : <NEW_LINE> <INDENT> return x + 1", 0));
    assertEquals(
        "if a:\n\tb()\nc()",
        Linearisation.delinearise("if a:<NEW_LINE><INDENT>b()<NEW_LINE><DEDENT>c()", 0, "\t"));
    // More DEDENTs than open levels stop at column 0 instead of failing.
    assertEquals("x\n", Linearisation.delinearise("<DEDENT> <DEDENT> x <NEW_LINE>", 0));
  }

  @Test
  void postprocessingDelinearisesThenStops() {
    String generated =
        "if x : <NEW_LINE> <INDENT> return 1 <NEW_LINE> <DEDENT> return 0 <NEW_LINE> <DEDENT>"
            + " def other ( ) : <NEW_LINE> <INDENT> pass";
    assertEquals(
        "    if x :\n        return 1\n    return 0",
        Postprocessing.linearisedBody(StopSequences.CODEX).apply(generated));
    assertEquals(
        "    return 1",
        Postprocessing.stopAt(StopSequences.CODEX).apply("    return 1\ndef g(): pass"));
  }

  @Test
  void tabsCountToTheNextMultipleOfEight() {
    assertEquals(8, Linearisation.indentWidth("\tx"));
    assertEquals(8, Linearisation.indentWidth("   \tx"));
    assertEquals(12, Linearisation.indentWidth("\t    x"));
  }

  @Test
  void rejectsBadIndentUnit() {
    assertThrows(ConfigurationException.class, () -> Linearisation.delinearise("x", 0, "ab"));
    assertThrows(ConfigurationException.class, () -> Linearisation.delinearise("x", -1));
  }

  @Test
  void stopSequencesCutAtTheEarliestStop() {
    String completion = "    return 1\n\ndef helper():\n    pass\nprint(1)\n";
    assertEquals("    return 1\n", StopSequences.CODEX.truncate(completion));
    assertEquals("    return 1\n", StopSequences.named("bigcode-humaneval").truncate(completion));
    assertEquals(completion, StopSequences.NONE.truncate(completion));
    assertEquals("    x = 1", StopSequences.BIGCODE_MBPP.truncate("    x = 1\nassert f(1) == 1\n"));
    var error = assertThrows(ConfigurationException.class, () -> StopSequences.named("gpt"));
    assertEquals(
        "stop sequence set 'gpt' is unknown; valid: codex, bigcode-humaneval, bigcode-mbpp, none",
        error.getMessage());
    assertThrows(ConfigurationException.class, () -> new StopSequences(List.of("")));
  }
}
