#!/usr/bin/python3
"""Regenerates the sentencepiece parity fixtures of SentencePieceTokenizerTest.

Run from this directory with Debian's python3-sentencepiece (0.1.97):
    /usr/bin/python3 regenerate.py ../../../../../../shared/data/mbpp/mbpp.jsonl
It trains four small models on the MBPP text+code records (plus a few lines of Chinese and
Unicode so those pieces exist), then writes expected.tsv: model, case number, the input as a
JSON string, the ids and the pieces real sentencepiece produced, and its decode of the ids.
"""
import json
import sys

import sentencepiece as spm

EXTRA = [
    "编写一个函数来计算列表中所有数字的和。",
    "返回字符串的长度，并打印结果。",
    "Café naïve résumé — “quotes” and ① ② Ｆｕｌｌｗｉｄｔｈ",
]

MODELS = {
    # name: trainer options
    "unigram_identity": dict(model_type="unigram", normalization_rule_name="identity",
                             user_defined_symbols=["<code>", "</code>"]),
    "unigram_nfkc": dict(model_type="unigram", normalization_rule_name="nmt_nfkc"),
    "bpe_identity": dict(model_type="bpe", normalization_rule_name="identity",
                         remove_extra_whitespaces=False),
    "bpe_bytefallback": dict(model_type="bpe", normalization_rule_name="nmt_nfkc",
                             byte_fallback=True, character_coverage=0.9995),
}

CASES = [
    "def add(a, b):\n    return a + b",
    "Write a function to find the minimum cost path.",
    "for i in range(10):\n\tprint(i**2)  # square",
    "    leading and   multiple   spaces   ",
    "x = [1, 22, 333, 4444, 55555, 1234567890]",
    "编写一个函数来计算列表中所有数字的和。",
    "混合 mixed 中文 and code: print('你好')",
    "Café naïve résumé — “quotes”",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ and ① ②",
    "emoji 🙂 and rare ꙮ glyph",
    "<code>x = 1</code> user symbols",
    "",
    " ",
    "a\u3000b\u00a0c",
    "if x!=y and y>=z: return {'k': v}",
    "tab\t\tand\nnewline\n\nend",
    "UPPER lower MiXeD 3.14159 -0.5e10",
    "▁already▁escaped",
    "import numpy as np\nnp.zeros((3, 4), dtype=np.float32)",
    "s.split(',')[::-1]",
]


def corpus(path):
    lines = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            lines.append(record["text"])
            lines.extend(record["code"].replace("\r", "").split("\n"))
    return [l for l in lines if l.strip()] + EXTRA * 5


def main():
    lines = corpus(sys.argv[1])
    for name, options in MODELS.items():
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(lines), model_prefix=name, vocab_size=600,
            input_sentence_size=0, shuffle_input_sentence=False, num_threads=1,
            **{"character_coverage": 1.0, **options})
    with open("expected.tsv", "w", encoding="utf-8") as out:
        for name in MODELS:
            sp = spm.SentencePieceProcessor(model_file=name + ".model")
            for i, text in enumerate(CASES):
                ids = sp.encode(text)
                pieces = sp.encode(text, out_type=str)
                out.write("\t".join([name, str(i), json.dumps(text, ensure_ascii=True),
                                     " ".join(map(str, ids)), json.dumps(pieces, ensure_ascii=True),
                                     json.dumps(sp.decode(ids), ensure_ascii=True)]) + "\n")
    for name in MODELS:
        import os
        os.remove(name + ".vocab")


if __name__ == "__main__":
    main()
