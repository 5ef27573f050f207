#!/usr/bin/env python3
"""CPU of a whole corpus run, builds alternated: `check LETTERS --format json
-j 1` run by each binary in turn, RUNS times (the order reversed every other
round, so that a drift of the machine's speed falls on every binary alike),
each run followed by the same binary on one letter alone: ALONE, or the
corpus's first letter.

    bench/corpus-cpu.py BINARY[,BINARY...] [RUNS] [LETTERS] [ALONE]

The first letter of ../shared/letters/real is a short 2013 fragment that
compiles few of the pack's patterns, so the figure a letter is higher with
it than with a letter of ordinary length as ALONE (CM17-0014320.txt, say).

Prints, per binary, the median and the best CPU (user + system) of the
runs over the corpus and over its first letter, and the CPU per letter
from the medians, (all N letters - one letter) / (N - 1), so that
start-up is not spread over the letters. On a shared machine a single run's CPU moves by a tenth; compare
builds only within one invocation, and prefer instruction counts
(`valgrind --tool=callgrind`) where they must be exact.
"""

import os
import statistics
import sys

from check_cpu import check_cpu


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binaries = sys.argv[1].split(",")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 11
    letters = sys.argv[3] if len(sys.argv) > 3 else "../shared/letters/real"
    if not os.path.isdir(letters):
        sys.exit(f"{letters}: no such directory; give the letters as the third argument")
    files = sorted(f for f in os.listdir(letters) if f.endswith(".txt"))
    if not files:
        sys.exit(f"{letters}: no letters (*.txt)")
    first = sys.argv[4] if len(sys.argv) > 4 else os.path.join(letters, files[0])
    cpu = {b: [] for b in binaries}
    one = {b: [] for b in binaries}
    for i in range(runs):
        for binary in binaries if i % 2 == 0 else binaries[::-1]:
            cpu[binary].append(check_cpu(binary, letters))
            one[binary].append(check_cpu(binary, first))
    print(f"{letters}, {runs} runs each, alternated, -j 1")
    for binary in binaries:
        all_letters, alone = statistics.median(cpu[binary]), statistics.median(one[binary])
        line = (
            f"{binary}: CPU median {all_letters:.3f} s, best {min(cpu[binary]):.3f} s; "
            f"{os.path.basename(first)} alone {alone:.3f} s, best {min(one[binary]):.3f} s"
        )
        if len(files) > 1:
            per_letter = (all_letters - alone) / (len(files) - 1)
            line += f"; {per_letter * 1000:.2f} ms a letter over {len(files)}"
        print(line)


if __name__ == "__main__":
    main()
