#!/usr/bin/env python3
"""Writes a JSONL corpus of docstring/code pairs of about TARGET_MB megabytes for the data benchmarks.

Pairs come from the functions with docstrings of the local Python standard library (found with `ast`). Each
record is such a function with its local names (arguments and assigned names) renamed by a per-record random
suffix, so records differ in most tokens; 8 % of records repeat an earlier record exactly (other whitespace) and
8 % repeat one with a single line changed (a near-duplicate), so deduplication has real work to do.

usage: generate_pairs.py TARGET_MB OUT.jsonl [SEED]
"""
import ast
import json
import os
import random
import re
import sys
import sysconfig


def functions(stdlib):
    for root, _, files in sorted(os.walk(stdlib)):
        if "test" in root.split(os.sep) or "site-packages" in root:
            continue
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(root, name)
            try:
                source = open(path, encoding="utf-8").read()
                tree = ast.parse(source)
            except (SyntaxError, UnicodeDecodeError, ValueError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    doc = ast.get_docstring(node)
                    code = ast.get_source_segment(source, node)
                    if not doc or not code or len(code) > 6000:
                        continue
                    local = {a.arg for a in node.args.args + node.args.kwonlyargs if a.arg != "self"}
                    for n in ast.walk(node):
                        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                            local.add(n.id)
                    yield doc, code, sorted(local)


def main():
    target = float(sys.argv[1]) * 1e6
    out = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    pool = list(functions(sysconfig.get_paths()["stdlib"]))
    written = 0
    records = []
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        while written < target:
            r = rng.random()
            if records and r < 0.08:
                doc, code = records[rng.randrange(len(records))]
                code = code.replace("\n", "  \n")
            elif records and r < 0.16:
                doc, code = records[rng.randrange(len(records))]
                lines = code.split("\n")
                i = rng.randrange(len(lines))
                lines[i] = lines[i] + "  # changed"
                code = "\n".join(lines)
            else:
                doc, code, local = pool[n % len(pool)]
                suffix = "_%x" % rng.getrandbits(24)
                if local:
                    pattern = re.compile(r"\b(" + "|".join(map(re.escape, local)) + r")\b")
                    code = pattern.sub(lambda m: m.group(1) + suffix, code)
                n += 1
                if len(records) < 20000:
                    records.append((doc, code))
                else:
                    records[rng.randrange(len(records))] = (doc, code)
            line = json.dumps({"docstring": doc, "code": code}) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
    print(out, int(written), "bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
