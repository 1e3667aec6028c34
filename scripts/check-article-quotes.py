#!/usr/bin/env python3
"""Checks that the first quotation of each chapter notebook (1 to 9, and 2b) appears word for
word in the article's text. The article is not part of the repository; pass its text file:

    python3 scripts/check-article-quotes.py the-elements-of-style.txt

Exit status 0 when every quotation is found (whitespace compared loosely), 1 otherwise.
"""
import glob
import re
import sys


def normal(text):
    return re.sub(r"\s+", " ", text).strip()


def first_quotation(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    quoted = []
    for line in lines[1:]:
        if line.startswith('> "') or (quoted and line.startswith("> ") and not line.startswith("> —")):
            quoted.append(line[2:])
        elif quoted:
            break
    return normal(" ".join(quoted)).strip('"')


def main(article_path):
    article = normal(open(article_path, encoding="utf-8").read())
    missing = 0
    for path in sorted(glob.glob("Notebooks/0[1-9]*.md")):
        quotation = first_quotation(path)
        found = bool(quotation) and quotation in article
        missing += not found
        print(("found    " if found else "MISSING  ") + path + ("" if found else ": " + quotation[:80]))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
