#!/usr/bin/env python3
"""Checks that every C++ and CMake block of the given Markdown files is a file the build compiles.

    scripts/check_snippets.py README.md [docs/x.md ...]

Each ```cpp or ```cmake block must follow a line `<!-- snippet: PATH -->` (the block is that whole file)
or `<!-- snippet: PATH#NAME -->` (the block is the region of PATH between the lines `// [NAME]` and
`// [NAME end]`, or `# [NAME]` / `# [NAME end]` in CMake, taken without the region's common indent).
PATH is relative to the repository. Run by ctest (readme_snippets), so a README example cannot drift
from the code that is built and run.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKER = re.compile(r"^<!--\s*snippet:\s*(\S+?)(?:#(\S+))?\s*-->\s*$")
FENCE = re.compile(r"^```(\w*)\s*$")
CHECKED = {"cpp", "c++", "cmake"}


def region(path, name):
    lines = open(os.path.join(ROOT, path), encoding="utf-8").read().split("\n")
    begin = re.compile(r"^\s*(//|#)\s*\[" + re.escape(name) + r"\]\s*$")
    end = re.compile(r"^\s*(//|#)\s*\[" + re.escape(name) + r" end\]\s*$")
    starts = [i for i, l in enumerate(lines) if begin.match(l)]
    if len(starts) != 1:
        raise ValueError(f"{path}: expected one line `[{name}]`, found {len(starts)}")
    ends = [i for i, l in enumerate(lines) if end.match(l) and i > starts[0]]
    if not ends:
        raise ValueError(f"{path}: region [{name}] has no `[{name} end]` line")
    body = lines[starts[0] + 1:ends[0]]
    indent = min((len(l) - len(l.lstrip(" ")) for l in body if l.strip()), default=0)
    return "\n".join(l[indent:] for l in body).strip("\n")


def check(md):
    problems = []
    text = open(md, encoding="utf-8").read().split("\n")
    i = 0
    checked = 0
    while i < len(text):
        m = FENCE.match(text[i])
        if not m or not m.group(1):
            i += 1
            continue
        lang = m.group(1).lower()
        j = i + 1
        while j < len(text) and not text[j].startswith("```"):
            j += 1
        block = "\n".join(text[i + 1:j]).strip("\n")
        if lang in CHECKED:
            k = i - 1
            while k >= 0 and not text[k].strip():
                k -= 1
            marker = MARKER.match(text[k]) if k >= 0 else None
            where = f"{md}:{i + 1}"
            if not marker:
                problems.append(f"{where}: a {lang} block without a `<!-- snippet: PATH[#NAME] -->` line before it")
            else:
                path, name = marker.group(1), marker.group(2)
                try:
                    expected = region(path, name) if name else \
                        open(os.path.join(ROOT, path), encoding="utf-8").read().strip("\n")
                except (OSError, ValueError) as e:
                    problems.append(f"{where}: {e}")
                else:
                    if block != expected:
                        problems.append(f"{where}: the block differs from {path}{'#' + name if name else ''}")
                    checked += 1
        i = j + 1
    return problems, checked


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    problems, total = [], 0
    for md in argv[1:]:
        p, n = check(md)
        problems += p
        total += n
    for p in problems:
        print(p)
    print(f"{total} snippets checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
