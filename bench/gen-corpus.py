#!/usr/bin/env python3
"""Generate a corpus for whole-process benchmarks: N letters made from the
project's sample letters, each with its own case number, so `imr-audit check`
can be timed on thousands of letters (docs/PERFORMANCE.md)."""
import pathlib
import re
import sys

def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: gen-corpus.py N OUT_DIR")
    count, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    samples = sorted(pathlib.Path(__file__).resolve().parent.parent.joinpath("samples").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in samples]
    out.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        text = texts[i % len(texts)]
        text = re.sub(r"CM\d{2}-\d{7}", f"CM99-{i:07d}", text)
        (out / f"letter-{i:06d}.txt").write_text(text, encoding="utf-8")
    print(f"wrote {count} letters to {out}")

if __name__ == "__main__":
    main()
