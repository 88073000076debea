package dev.text2code.tokenizers.pairs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.text2code.api.InvalidInputException;
import dev.text2code.tokenizers.Fixtures;
import org.junit.jupiter.api.Test;

class PythonLinearizerTest {
  private final PythonLinearizer four = PythonLinearizer.fourSpaces();

  @Test
  void writesThePapersForm() {
    String code = "def add(a, b):\n    return a + b\n";
    assertEquals(
        "def add(a, b): <NEW_LINE> <INDENT> return a + b <NEW_LINE> <DEDENT>",
        four.linearize(code));
    assertEquals(code, four.reverse(four.linearize(code)));
  }

  @Test
  void nestedBlocksCloseSeveralLevels() {
    String code = "def f(x):\n    if x:\n        return 1\n    return 2\nprint(f(0))";
    String linear = four.linearize(code);
    assertEquals(
        "def f(x): <NEW_LINE> <INDENT> if x: <NEW_LINE> <INDENT> return 1 <NEW_LINE> <DEDENT>"
            + " return 2 <NEW_LINE> <DEDENT> print(f(0))",
        linear);
    assertEquals(code, four.reverse(linear));
  }

  @Test
  void reversesThePapersDataWithFourSpaceIndents() {
    assertEquals(
        "def add(a, b):\n    return a + b\n",
        four.reverse("def add(a, b): <NEW_LINE> <INDENT> return a + b <NEW_LINE> <DEDENT>"));
  }

  @Test
  void keepsOddWhitespaceBlankLinesTabsAndCarriageReturns() {
    String[] samples = {
      "def f():\r\n\treturn 1\r\n",
      "x = [\n        1,\n  2]\n\n\n    \ny = 3  \n",
      "class A:\n    \"\"\"Doc.\n\n      more\n    \"\"\"\n    \n    def g(self):  \n        pass",
      "\n\n",
      "",
      "   leading",
    };
    for (String code : samples) {
      PythonLinearizer l = PythonLinearizer.detect(code);
      assertEquals(code, l.reverse(l.linearize(code)), code);
      assertEquals(code, four.reverse(four.linearize(code)), code);
    }
  }

  @Test
  void fixtureFilesRoundTripExactly() {
    for (String source : Fixtures.pythonSources()) {
      assertEquals(source, four.reverse(four.linearize(source)));
    }
  }

  @Test
  void refusesCodeThatAlreadyHoldsMarkers() {
    assertThrows(InvalidInputException.class, () -> four.linearize("s = '<NEW_LINE>'"));
  }

  @Test
  void detectsTheIndentationUnit() {
    assertEquals("\t", PythonLinearizer.detect("if x:\n\tpass\n").unit());
    assertEquals("  ", PythonLinearizer.detect("if x:\n  pass\n").unit());
    assertEquals("    ", PythonLinearizer.detect("x = 1\n").unit());
  }
}
