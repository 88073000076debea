package dev.text2code.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.text2code.evaluation.postprocess.Linearisation;
import dev.text2code.tokenizers.pairs.PromptBuilder;
import dev.text2code.tokenizers.pairs.PythonLinearizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two linearisation classes (docs/METHODS.md §1.2) agree: evaluation de-linearises what the
 * training layout linearised, whether a whole function or a body generated after a prompt.
 */
class LinearisationAgreementTest {
  private static final List<String> PROGRAMS =
      List.of(
          "def add(a, b):\n    return a + b\n",
          "def f(x):\n    if x:\n        y = [i for i in range(x)]\n        return y\n"
              + "    else:\n        return None\n",
          "class A:\n    def m(self):\n        for i in range(3):\n            print(i)\n"
              + "        return 1\n");

  @Test
  void evaluationReadsBackWhatTrainingWrites() {
    for (String program : PROGRAMS) {
      String linear = PythonLinearizer.fourSpaces().linearize(program);
      assertEquals(program.strip(), Linearisation.delinearise(linear, 0).strip(), linear);
    }
  }

  @Test
  void aGeneratedBodyContinuesAtThePromptsDepth() {
    String prompt = "def f(x):\n    if x:\n";
    String body = "        return 1\n    return 0\n";
    String linear = PythonLinearizer.fourSpaces().linearize(prompt + body);
    // what the model would write after the prompt's open <INDENT>s: the rest of the linear text
    String generated = linear.substring(linear.indexOf("return 1"));
    assertEquals(
        body.strip(),
        Linearisation.delinearise(generated, PromptBuilder.nextDepth(prompt)).strip(),
        generated);
  }
}
