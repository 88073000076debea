# Reads one JSON-encoded file path per line on stdin and answers one JSON line per path on stdout:
# {"pairs": [{"name", "line", "docstring", "code"}], "skipped": [{"line", "reason"}]} or {"error"}.
# Part of text2code: run by PythonPairExtractor in one long-lived process.
import ast
import json
import sys
import textwrap


def functions(tree):
    stack = [(tree, "")]
    while stack:
        node, prefix = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = prefix + child.name
                if not isinstance(child, ast.ClassDef):
                    yield name, child
                stack.append((child, name + "."))


def extract(path):
    with open(path, "rb") as f:
        source = f.read()
    try:
        tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError) as e:
        line = getattr(e, "lineno", None)
        return {"error": type(e).__name__ + ": " + str(getattr(e, "msg", e)), "line": line}
    text = source.decode(detect_encoding(source))
    lines = text.splitlines(keepends=True)
    pairs, skipped = [], []
    for name, fn in sorted(functions(tree), key=lambda nf: nf[1].lineno):
        doc = ast.get_docstring(fn, clean=True)
        if not doc or not doc.strip():
            continue
        first = fn.body[0]
        if first.lineno == fn.lineno:
            skipped.append({"line": fn.lineno, "reason": "docstring on the def line"})
            continue
        if len(fn.body) == 1:
            skipped.append({"line": fn.lineno, "reason": "function body is only a docstring"})
            continue
        start = fn.lineno - 1
        code_lines = lines[start:first.lineno - 1] + lines[first.end_lineno:fn.end_lineno]
        code = textwrap.dedent("".join(code_lines)).rstrip() + "\n"
        pairs.append({"name": name, "line": fn.lineno, "docstring": doc, "code": code})
    return {"pairs": pairs, "skipped": skipped}


def detect_encoding(source):
    import io
    import tokenize
    try:
        return tokenize.detect_encoding(io.BytesIO(source).readline)[0]
    except SyntaxError:
        return "utf-8"


for request in sys.stdin:
    try:
        answer = extract(json.loads(request))
    except Exception as e:  # one bad file must not end the run
        answer = {"error": type(e).__name__ + ": " + str(e), "line": None}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
