package dev.text2code.data.decontamination;

import dev.text2code.api.TextCodePair;
import java.util.List;

/** Hand-written pairs that overlap no benchmark: what decontamination must leave alone. */
final class CleanCorpus {
  private CleanCorpus() {}

  static final List<TextCodePair> PAIRS =
      List.of(
          TextCodePair.python(
              "clean-0",
              "Read a configuration file of key=value lines into a dictionary.",
              """
              def read_settings(path):
                  settings = {}
                  with open(path, encoding="utf-8") as handle:
                      for raw in handle:
                          entry = raw.split("#", 1)[0].strip()
                          if entry:
                              key, _, val = entry.partition("=")
                              settings[key.strip()] = val.strip()
                  return settings
              """),
          TextCodePair.python(
              "clean-1",
              "Return the n-th Fibonacci number, iteratively.",
              """
              def fibonacci(n):
                  previous, current = 0, 1
                  for _ in range(n):
                      previous, current = current, previous + current
                  return previous
              """),
          TextCodePair.python(
              "clean-2",
              "Group words by their sorted letters to find anagrams.",
              """
              def anagram_groups(words):
                  groups = {}
                  for w in words:
                      groups.setdefault("".join(sorted(w)), []).append(w)
                  return [g for g in groups.values() if len(g) > 1]
              """),
          TextCodePair.python(
              "clean-3",
              "Convert a temperature from Celsius to Fahrenheit.",
              "def to_fahrenheit(celsius):\n    return celsius * 9 / 5 + 32\n"),
          TextCodePair.python(
              "clean-4",
              "Chunk a sequence into tuples of a fixed size, the last one shorter.",
              """
              def chunks(items, size):
                  if size < 1:
                      raise ValueError("size must be positive")
                  return [tuple(items[i:i + size]) for i in range(0, len(items), size)]
              """),
          TextCodePair.python(
              "clean-5",
              "Parse an ISO date string such as 2024-05-17 into a (year, month, day) tuple.",
              """
              def parse_iso_date(text):
                  year_text, month_text, day_text = text.strip().split("-")
                  return int(year_text), int(month_text), int(day_text)
              """),
          TextCodePair.python(
              "clean-6",
              "Flatten a nested list of arbitrary depth.",
              """
              def flatten_deep(nested):
                  flat = []
                  stack = [iter(nested)]
                  while stack:
                      try:
                          node = next(stack[-1])
                      except StopIteration:
                          stack.pop()
                          continue
                      if isinstance(node, list):
                          stack.append(iter(node))
                      else:
                          flat.append(node)
                  return flat
              """));
}
