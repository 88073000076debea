"""Python + numpy peer of the objectives benchmark (ObjectiveBenchmark.java).

The same algorithms, written from docs/METHODS.md §4.1/§4.2 in idiomatic numpy, measured in
examples/s on one core for 1024-token sequences:
  span-corruption-pair : T5 random_spans_noise_mask + unique sentinels -> (inputs, targets)
  span-corruption-decoder : the pair + one decoder-only row (ids, labels, positions)
  fim : character-level FIM, PSM/SPM 50/50: decode through the Java benchmark's character
        tokenizer (ids 0..255 Latin-1, 91 special tokens), cut outside special spellings, encode
        the three parts matching special spellings atomically (longest first)
Run: python3 benchmarks/objectives/t5_objectives.py [seconds-per-benchmark]
Numbers: examples per wall-clock second, and per second of process CPU time (fairer on a busy
machine; ObjectiveBenchmark reports the same with -prof dev.text2code.objectives.ProcessCpuProfiler).
"""
import re
import sys
import time

import numpy as np

IGNORE = -100
VOCAB = 347  # the Java benchmark's character tokenizer: 256 characters + 91 special tokens
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


# The Java benchmark's tokenizer (objectives' test CharacterTokenizer.withPaperSpecials): ids 0..255
# are the Latin-1 characters, then these special tokens, matched atomically (longest spelling first)
# wherever they occur in text.
SPECIALS = (["<eod>", "<eot>", "<pad>", "<python>", "<comments>", "<NEW_LINE>", "<INDENT>",
             "<DEDENT>", "<mask>", "<fim_prefix>", "<fim_middle>", "<fim_suffix>", "<fim_pad>",
             "<sep>", "<eom>"] + ["<mask_%d>" % k for k in range(1, 9)]
            + ["[NLU]", "[NLG]", "[S2S]", "<|endoftext|>"]
            + ["<extra_id_%d>" % k for k in range(63, -1, -1)])
SPECIAL_IDS = {s: 256 + i for i, s in enumerate(SPECIALS)}


def trie_regex(words):
    """One regex for the words, as a trie (2.5x faster to scan than a flat alternation here):
    at each node the longer continuations are tried before ending, so a match is the longest."""
    trie = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def build(node):
        alts = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:%s)?" % body if "" in node else body

    return re.compile(build(trie))


SPECIAL_RE = trie_regex(SPECIALS)  # leftmost, then longest: the tokenizer's matching
assert len(SPECIALS) == VOCAB - 256 and SPECIAL_IDS["<fim_prefix>"] == FIM_PREFIX


def decode(ids):
    """Ids to text; special ids become their spellings."""
    if ids.max(initial=0) < 256:
        return ids.astype(np.uint8).tobytes().decode("latin-1")
    return "".join(chr(i) if i < 256 else SPECIALS[i - 256] for i in ids.tolist())


def encode(text):
    """Text to ids: special spellings atomically, every other character its Latin-1 code."""
    pieces, start = [], 0
    for m in SPECIAL_RE.finditer(text):
        pieces.append(np.frombuffer(text[start:m.start()].encode("latin-1"), dtype=np.uint8))
        pieces.append(np.array([SPECIAL_IDS[m.group()]]))
        start = m.end()
    pieces.append(np.frombuffer(text[start:].encode("latin-1"), dtype=np.uint8))
    return np.concatenate(pieces).astype(np.int64)


def cut(text, rng):
    """Two sorted cut points, uniform over [0, len] minus the insides of special spellings."""
    # Every start of a spelling, overlapping ones included (search again one past each start);
    # a lookahead regex would find the same but tries all alternatives at every position.
    starts = []
    m = SPECIAL_RE.search(text)
    while m:
        starts.append((m.start(), m.end() - m.start()))
        m = SPECIAL_RE.search(text, m.start() + 1)
    if not starts:
        a, b = rng.integers(0, len(text) + 1, size=2)
    else:
        forbidden = np.zeros(len(text) + 1, dtype=bool)
        for start, length in starts:
            forbidden[start + 1 : start + length] = True
        allowed = np.flatnonzero(~forbidden)
        a, b = allowed[rng.integers(0, len(allowed), size=2)]
    return min(a, b), max(a, b)


def fim(tokens, rng, rate=1.0, spm_rate=0.5):
    """Character-level FIM through the tokenizer: decode, cut outside specials, encode the parts."""
    if rng.random() >= rate:
        ids = tokens
    else:
        text = decode(tokens)
        a, b = cut(text, rng)
        prefix, middle, suffix = encode(text[:a]), encode(text[a:b]), encode(text[b:])
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
    # The Java SpecialSpellingsTest vector: specials atomically, longest first, round trip.
    text = "<e<eot>[NL<mask_1>\u00e9"
    ids = encode(text)
    assert ids.tolist() == [60, 101, 257, 91, 78, 76, 271, 0xE9], ids.tolist()
    assert decode(ids) == text
    for seed in range(50):
        r = np.random.default_rng(seed)
        a, b = cut("ab<eot>cd<mask_1>", r)
        assert all(not (3 <= c <= 6 or 10 <= c <= 16) for c in (a, b)), (a, b)
        out, _, _ = fim(encode("x<eot>yz" * 5), r)
        i_suf, i_mid = out.tolist().index(FIM_SUFFIX), out.tolist().index(FIM_MIDDLE)
        if out[1] == FIM_SUFFIX:  # SPM: <PRE> <SUF> suffix <MID> prefix middle
            parts = out[i_mid + 1 :], out[2:i_mid]
        else:  # PSM: <PRE> prefix <SUF> suffix <MID> middle
            parts = np.concatenate([out[1:i_suf], out[i_mid + 1 :]]), out[i_suf + 1 : i_mid]
        assert decode(np.concatenate(parts)) == "x<eot>yz" * 5


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
