#!/usr/bin/env python3
"""Size of the main Java code: the largest files and the methods over a length limit.

    scripts/code-size.py [ROOT] [--limit N] [--top N]

ROOT    the tree to read (default: the current folder); every */src/main/java/**/*.java below it
--limit a method longer than this many lines is listed (default 80)
--top   how many of the largest files to list (default 5)

A method's length runs from the first line of its declaration (annotations included, its javadoc
not) to its closing brace. Comments, strings, char literals and text blocks are blanked before
the braces are matched, so a brace inside them does not count. A method is a block whose header
ends in `name(...)` (optionally `throws ...`) and that stands directly in a class, interface,
enum or record body; lambdas and anonymous classes count towards the method that holds them.
"""
import argparse
import pathlib
import re

CONTROL = {"if", "for", "while", "switch", "catch", "synchronized", "try", "else", "do", "return"}
METHOD_HEADER = re.compile(r"\b(\w+)\s*\([^;{}]*\)\s*(throws\s+[\w.,\s<>]+)?$", re.S)
TYPE_HEADER = re.compile(r"\b(class|interface|enum|record)\s+[A-Z]\w*")


def blank_literals(text):
    """Text with comments and literals replaced by spaces (newlines kept, so lines still count)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        two = text[i : i + 2]
        if two == "//":
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif two == "/*":
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif text.startswith('"""', i):
            j = text.find('"""', i + 3)
            j = n if j < 0 else j + 3
        elif text[i] in "\"'":
            quote, j = text[i], i + 1
            while j < n and text[j] != quote:
                j += 2 if text[j] == "\\" else 1
            j += 1
        else:
            out.append(text[i])
            i += 1
            continue
        out.append(re.sub(r"[^\n]", " ", text[i:j]))
        i = j
    return "".join(out)


def methods(path):
    """(name, first line, lines) of every method of a Java file."""
    code = blank_literals(path.read_text(encoding="utf-8"))
    stack = []  # (kind, name, first line)
    header_start = 0
    found = []
    for i, ch in enumerate(code):
        if ch in ";{}":
            if ch == "{":
                raw = code[header_start:i]
                header = raw.strip()
                first = code.count("\n", 0, header_start + len(raw) - len(raw.lstrip())) + 1
                in_type = not stack or stack[-1][0] == "type"
                m = METHOD_HEADER.search(header)
                if TYPE_HEADER.search(header) and not header.startswith("new "):
                    stack.append(("type", None, first))
                elif in_type and m and m.group(1) not in CONTROL:
                    stack.append(("method", m.group(1), first))
                else:
                    stack.append(("block", None, first))
            elif ch == "}" and stack:
                kind, name, first = stack.pop()
                if kind == "method":
                    found.append((name, first, code.count("\n", 0, i) + 1 - first + 1))
            header_start = i + 1
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root", nargs="?", default=".")
    ap.add_argument("--limit", type=int, default=80)
    ap.add_argument("--top", type=int, default=5)
    args = ap.parse_args()
    files = sorted(
        p for p in pathlib.Path(args.root).glob("**/src/main/java/**/*.java") if ".git" not in p.parts
    )
    sizes = sorted(((len(p.read_text(encoding="utf-8").splitlines()), p) for p in files), reverse=True)
    print(f"{len(files)} main Java files; the largest:")
    for lines, p in sizes[: args.top]:
        print(f"  {lines:6d}  {p.relative_to(args.root)}")
    long = []
    for p in files:
        for name, first, lines in methods(p):
            if lines > args.limit:
                long.append((lines, f"{p.relative_to(args.root)}:{first} {name}"))
    long.sort(reverse=True)
    print(f"{len(long)} methods over {args.limit} lines:")
    for lines, where in long:
        print(f"  {lines:6d}  {where}")


if __name__ == "__main__":
    main()
