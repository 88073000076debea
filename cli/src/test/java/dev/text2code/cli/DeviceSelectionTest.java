package dev.text2code.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code device}, {@code training.precision} and {@code training.data-parallel} are checked before
 * any work: the corpus named here does not exist, and the device error comes first.
 */
class DeviceSelectionTest {
  @TempDir Path temp;

  private SdkCliTest.Run train(String backend, String... settings) {
    String[] args = new String[6 + 2 * settings.length];
    int i = 0;
    args[i++] = "--backend";
    args[i++] = backend;
    args[i++] = "--set";
    args[i++] = "data.corpus=" + temp.resolve("no-such-corpus.jsonl");
    for (String s : settings) {
      args[i++] = "--set";
      args[i++] = s;
    }
    args[i++] = "train";
    args[i++] = "--run=" + temp.resolve("run");
    return SdkCliTest.run(Map.of(), args);
  }

  @Test
  void aMissingGpuFailsBeforeTheCorpusIsRead() {
    SdkCliTest.Run r = train("pytorch", "device=gpu:1");
    assertNotEquals(0, r.exitCode());
    assertTrue(
        r.err().contains("device = gpu:1 but backend pytorch sees no usable CUDA GPU"), r.err());
    assertTrue(!r.err().contains("no-such-corpus"), r.err());
  }

  @Test
  void sixteenBitPrecisionIsRefusedOnTheCpuAndByBackendsWithoutIt() {
    SdkCliTest.Run cpu = train("pytorch", "training.precision=fp16");
    assertEquals(SdkCli.EXIT_USAGE, cpu.exitCode(), cpu.err());
    assertTrue(cpu.err().contains("training.precision = fp16 needs a CUDA GPU"), cpu.err());
    SdkCliTest.Run tf = train("tensorflow", "training.precision=fp16");
    assertEquals(SdkCli.EXIT_USAGE, tf.exitCode(), tf.err());
    assertTrue(
        tf.err().contains("training.precision = fp16 is not available with backend tensorflow"),
        tf.err());
  }

  @Test
  void badDeviceAndPrecisionValuesNameTheChoices() {
    SdkCliTest.Run d = train("tensorflow", "device=gpu:x");
    assertEquals(SdkCli.EXIT_USAGE, d.exitCode(), d.err());
    assertTrue(d.err().contains("expected one of cpu, gpu, gpu:N"), d.err());
    SdkCliTest.Run p = train("tensorflow", "training.precision=int8");
    assertEquals(SdkCli.EXIT_USAGE, p.exitCode(), p.err());
    assertTrue(p.err().contains("expected one of fp32, bf16, fp16"), p.err());
  }
}
