"""Python + numpy peer of the objectives benchmark (ObjectiveBenchmark.java).

The same algorithms, written from METHODS.md §4.1/§4.2 in idiomatic numpy, measured in
examples/s on one core for 1024-token sequences:
  span-corruption-pair : T5 random_spans_noise_mask + unique sentinels -> (inputs, targets)
  span-corruption-decoder : the pair + one decoder-only row (ids, labels, positions)
  fim : character-level FIM, PSM/SPM 50/50, detokenize + retokenize with a character tokenizer
Run: python3 benchmarks/objectives/t5_objectives.py [seconds-per-benchmark]
Numbers: examples per wall-clock second, and per second of process CPU time (fairer on a busy
machine; ObjectiveBenchmark reports the same with -prof dev.text2code.objectives.ProcessCpuProfiler).
"""
import sys
import time

import numpy as np

IGNORE = -100
VOCAB = 283  # the Java benchmark's character tokenizer: 256 characters + 27 special tokens
EOS = 257
FIM_PREFIX, FIM_MIDDLE, FIM_SUFFIX = 265, 266, 267


def random_segmentation(num_items, num_segments, rng):
    first_in_segment = np.zeros(num_items - 1, dtype=bool)
    first_in_segment[: num_segments - 1] = True
    rng.shuffle(first_in_segment)
    first_in_segment = np.concatenate([[False], first_in_segment])
    segment_id = np.cumsum(first_in_segment)
    return np.bincount(segment_id, minlength=num_segments)


def random_spans_noise_mask(length, density, mean_span, rng):
    orig_length = length
    length = max(length, 2)
    num_noise = int(np.rint(length * density))
    num_noise = min(max(num_noise, 1), length - 1)
    num_spans = max(int(np.rint(num_noise / mean_span)), 1)
    num_nonnoise = length - num_noise
    noise_lengths = random_segmentation(num_noise, num_spans, rng)
    nonnoise_lengths = random_segmentation(num_nonnoise, num_spans, rng)
    interleaved = np.stack([nonnoise_lengths, noise_lengths], axis=1).reshape(-1)
    span_starts = np.cumsum(interleaved)[:-1]
    span_start_indicator = np.zeros(length, dtype=np.int32)
    span_start_indicator[span_starts] = 1
    span_num = np.cumsum(span_start_indicator)
    is_noise = span_num % 2 == 1
    return is_noise[:orig_length]


def noise_span_to_unique_sentinel(tokens, noise_mask, top_sentinel):
    prev_noise = np.concatenate([[False], noise_mask[:-1]])
    first_noise = noise_mask & ~prev_noise
    subsequent_noise = noise_mask & prev_noise
    sentinel = top_sentinel + 1 - np.cumsum(first_noise)
    tokens = np.where(first_noise, sentinel, tokens)
    return tokens[~subsequent_noise]


def span_corruption_pair(tokens, rng, density=0.15, mean_span=3.0):
    mask = random_spans_noise_mask(len(tokens), density, mean_span, rng)
    inputs = np.append(noise_span_to_unique_sentinel(tokens, mask, VOCAB - 1), EOS)
    targets = np.append(noise_span_to_unique_sentinel(tokens, ~mask, VOCAB - 1), EOS)
    return inputs, targets


def span_corruption_decoder(tokens, rng):
    inputs, targets = span_corruption_pair(tokens, rng)
    ids = np.concatenate([inputs, targets])
    labels = np.full(len(ids), IGNORE, dtype=np.int64)
    labels[len(inputs) - 1 : -1] = ids[len(inputs) :]
    positions = np.arange(len(ids))
    return ids, labels, positions


def fim(tokens, rng, spm_rate=0.5):
    text = "".join(map(chr, tokens.tolist()))
    a, b = sorted(rng.integers(0, len(text) + 1, size=2))
    prefix = np.array([ord(c) for c in text[:a]], dtype=np.int64)
    middle = np.array([ord(c) for c in text[a:b]], dtype=np.int64)
    suffix = np.array([ord(c) for c in text[b:]], dtype=np.int64)
    if rng.random() < spm_rate:
        ids = np.concatenate([[FIM_PREFIX, FIM_SUFFIX], suffix, [FIM_MIDDLE], prefix, middle])
    else:
        ids = np.concatenate([[FIM_PREFIX], prefix, [FIM_SUFFIX], suffix, [FIM_MIDDLE], middle])
    labels = np.append(ids[1:], IGNORE)
    return ids, labels, np.arange(len(ids))


def measure(fn, tokens, seconds):
    """Examples per wall-clock second and per second of process CPU time."""
    rng = np.random.default_rng(7)
    for _ in range(200):
        fn(tokens, rng)
    count = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    while time.perf_counter() - start < seconds:
        for _ in range(100):
            fn(tokens, rng)
        count += 100
    return count / (time.perf_counter() - start), count / (time.process_time() - cpu_start)


def check():
    rng = np.random.default_rng(0)
    tokens = np.arange(10, 110)
    inputs, targets = span_corruption_pair(tokens, rng)
    assert len(inputs) == 100 - 15 + 5 + 1 and len(targets) == 15 + 5 + 1
    mask = np.array([True, True, False, False, True, False])
    assert noise_span_to_unique_sentinel(np.arange(10, 16), mask, 999).tolist() == [999, 12, 13, 998, 15]


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    check()
    rng = np.random.default_rng(42)
    tokens = rng.integers(32, 127, size=1024)
    print("numpy", np.__version__, "python", sys.version.split()[0])
    for name, fn in [("span-corruption-pair", span_corruption_pair),
                     ("span-corruption-decoder", span_corruption_decoder),
                     ("fim", fim)]:
        wall, cpu = measure(fn, tokens, seconds)
        print("%-26s %12.1f examples/s  %12.1f examples/cpu-s" % (name, wall, cpu))


if __name__ == "__main__":
    main()
