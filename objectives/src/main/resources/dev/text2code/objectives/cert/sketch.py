"""CERT sketching service for text2code (objectives module).

Reads one JSON request per line on stdin, {"code": "..."}, and writes one JSON reply per line:
{"ok": true, "normalised": ..., "sketch": ...} or {"ok": false, "error": ..., "line": N}.

normalised: the file with line endings, trailing whitespace and blank-line runs normalised
(a stand-in for autopep8, which is not available; see CertCorpus).
sketch: the normalised file with literals and def/class names replaced by CERT's placeholder
words, found with Python's own tokenizer (never with regular expressions), after ast.parse
has confirmed the file is valid Python.
"""
import ast
import io
import json
import sys
import token
import tokenize

FSTRING_START = getattr(token, "FSTRING_START", None)
FSTRING_END = getattr(token, "FSTRING_END", None)


def number_placeholder(text):
    low = text.lower()
    if low.startswith(("0x", "0o", "0b")):
        return None  # hexa / octa / binary literals stay as they are
    if low.endswith("j"):
        return "complex"
    if "e" in low:
        return "floatexponant"
    if "." in low:
        return "float"
    return "number"


def string_placeholder(text):
    quote = 0
    while text[quote] not in "'\"":
        quote += 1
    prefix = text[:quote].lower()
    if prefix == "":
        # plain strings holding triple quotes (docstrings and other long strings) are kept
        return None if ('"""' in text or "'''" in text) else "string"
    return {"r": "rawstring", "u": "unicodestring", "b": "binarystring",
            "f": "interstring", "fr": "interrawstring", "rf": "interrawstring"}.get(prefix)


def line_offsets(source):
    offsets = [0]
    for i, ch in enumerate(source):
        if ch == "\n":
            offsets.append(i + 1)
    return offsets


def tokens_of(source):
    return list(tokenize.generate_tokens(io.StringIO(source, newline="").readline))


def sketch(source):
    offsets = line_offsets(source)

    def at(pos):
        return offsets[pos[0] - 1] + pos[1]

    edits = []
    previous = None
    fstring_depth = 0
    fstring_start = None
    fstring_prefix = ""
    for tok in tokens_of(source):
        if FSTRING_START is not None and tok.type == FSTRING_START:
            if fstring_depth == 0:
                fstring_start = tok.start
                fstring_prefix = tok.string.rstrip("'\"").lower()
            fstring_depth += 1
            continue
        if FSTRING_END is not None and tok.type == FSTRING_END:
            fstring_depth -= 1
            if fstring_depth == 0:
                word = "interrawstring" if "r" in fstring_prefix else "interstring"
                edits.append((at(fstring_start), at(tok.end), word))
            continue
        if fstring_depth > 0:
            continue
        if tok.type == token.NUMBER:
            word = number_placeholder(tok.string)
        elif tok.type == token.STRING:
            word = string_placeholder(tok.string)
        elif tok.type == token.NAME and previous is not None and previous.type == token.NAME \
                and previous.string in ("def", "class"):
            word = "func" if previous.string == "def" else "AnClass"
        else:
            word = None
        if word is not None:
            edits.append((at(tok.start), at(tok.end), word))
        if tok.type not in (token.NL, token.COMMENT, tokenize.INDENT, tokenize.DEDENT):
            previous = tok
    parts = []
    cursor = 0
    for start, end, word in edits:
        parts.append(source[cursor:start])
        parts.append(word)
        cursor = end
    parts.append(source[cursor:])
    return "".join(parts)


def normalise(source):
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    tree = ast.parse(source)
    lines = source.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    keep_trailing = set()  # rows whose end lies inside a multi-line string
    inside = set()  # rows that start inside a multi-line string
    for tok in tokens_of(source + "\n"):
        if tok.start[0] != tok.end[0] and tok.type not in (token.NEWLINE, token.NL):
            for row in range(tok.start[0], tok.end[0]):
                keep_trailing.add(row)
            for row in range(tok.start[0] + 1, tok.end[0] + 1):
                inside.add(row)
    # rows (1-based) that must be preceded by exactly two blank lines
    two_blank = set()
    body = tree.body
    definitions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    for i, node in enumerate(body):
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        if isinstance(node, definitions) or (i > 0 and isinstance(body[i - 1], definitions)):
            if i > 0:
                two_blank.add(first)
    anchors = set()
    for row in two_blank:
        anchor = row
        while anchor > 1 and lines[anchor - 2].startswith("#") and (anchor - 1) not in inside:
            anchor -= 1
        anchors.add(anchor)
    out = []
    blanks = 0
    seen_code = False
    for row, line in enumerate(lines, start=1):
        if row in inside:
            out.append(line if row in keep_trailing else line.rstrip())
            continue
        stripped = line if row in keep_trailing else line.rstrip()
        if stripped.strip() == "":
            blanks += 1
            continue
        if seen_code:
            if row in anchors:
                wanted = 2
            else:
                indented = stripped[:1] in (" ", "\t")
                wanted = min(blanks, 1 if indented else 2)
            out.extend([""] * wanted)
        blanks = 0
        seen_code = True
        out.append(stripped)
    return "\n".join(out) + "\n" if out else ""


def main():
    for request in sys.stdin:
        try:
            code = json.loads(request)["code"]
            normalised = normalise(code)
            ast.parse(normalised)
            reply = {"ok": True, "normalised": normalised, "sketch": sketch(normalised)}
        except SyntaxError as e:
            reply = {"ok": False, "error": "SyntaxError: %s" % e.msg, "line": e.lineno or 0}
        except (tokenize.TokenError, ValueError, IndexError) as e:
            reply = {"ok": False, "error": "%s: %s" % (type(e).__name__, e), "line": 0}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
