#!/usr/bin/env python3
"""CPU per letter by corpus size: how much of a distinct letter's cost is
paid once per pattern and per new text, and so falls as a run goes on.

    bench/corpus-curve.py BINARY [RUNS] [LETTERS] [ALONE]

The letters (`*.txt` in LETTERS, default ../shared/letters/real) are split
into two halves by name, alternately (first, third, ... and second, fourth,
...), each half and all the letters copied into a temporary directory (so
that every run reads `*.txt` alone). `check --format json -j 1`
then runs, RUNS times each (default 11), in turn: on ALONE (default
CM17-0014320.txt of LETTERS, a letter of ordinary length), on each half,
and on all the letters. From the medians it prints:

- the CPU per letter over each half and over all, (T(N) - T(one)) / (N - 1),
  the figure `bench/corpus-cpu.py` gives for all;
- the marginal CPU of each half run after the other, (T(all) -
  T(other half)) / (letters in the half): what a letter costs once the
  other half's letters have been read in the same run.

On the real letters the per-letter figure falls from the halves to all
the letters, and the marginal figure has measured below both: the figure
over all the letters averages over a run's start, when most patterns are
compiled and most lazy DFA states built. CPU is user + system time of the
child process (`getrusage`).
"""

import os
import shutil
import statistics
import sys
import tempfile

from check_cpu import check_cpu


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 11
    letters = sys.argv[3] if len(sys.argv) > 3 else "../shared/letters/real"
    if not os.path.isdir(letters):
        sys.exit(f"{letters}: no such directory; give the letters as the third argument")
    files = sorted(f for f in os.listdir(letters) if f.endswith(".txt"))
    if len(files) < 4:
        sys.exit(f"{letters}: fewer than four letters (*.txt)")
    alone = sys.argv[4] if len(sys.argv) > 4 else os.path.join(letters, "CM17-0014320.txt")
    if not os.path.isfile(alone):
        alone = os.path.join(letters, files[0])
    with tempfile.TemporaryDirectory() as tmp:
        sets = {"one": alone}
        for name, chosen in (("half 1", files[0::2]), ("half 2", files[1::2]), ("all", files)):
            directory = os.path.join(tmp, name.replace(" ", "-"))
            os.mkdir(directory)
            for letter in chosen:
                shutil.copy(os.path.join(letters, letter), directory)
            sets[name] = directory
        cpu = {name: [] for name in sets}
        for _ in range(runs):
            for name, path in sets.items():
                cpu[name].append(check_cpu(binary, path))
    t = {name: statistics.median(values) for name, values in cpu.items()}
    n = {"half 1": len(files[0::2]), "half 2": len(files[1::2]), "all": len(files)}
    print(f"{letters}: {len(files)} letters, {runs} runs each, -j 1, medians")
    print(f"  one letter ({os.path.basename(alone)}): {t['one']:.3f} s")
    for name in ("half 1", "half 2", "all"):
        per = (t[name] - t["one"]) / (n[name] - 1)
        print(f"  {name}, {n[name]} letters: {t[name]:.3f} s, {per * 1000:.2f} ms a letter")
    for half, other in (("half 2", "half 1"), ("half 1", "half 2")):
        marginal = (t["all"] - t[other]) / n[half]
        print(f"  {half} after {other}: {marginal * 1000:.2f} ms a letter")


if __name__ == "__main__":
    main()
