#!/usr/bin/env python3
"""One-letter latency: `check LETTER --format json` run by each binary in
turn, RUNS times (the order reversed every other round, so that a drift of
the machine's speed falls on every binary alike), the pack load included.

    bench/one-letter.py BINARY[,BINARY...] [LETTER] [RUNS]

Prints, per binary, the wall time's median, trimmed mean (the fastest tenth
and the slowest fifth left out), best and 90th percentile, and the median
CPU (user + system) of the process. Compare binaries only within one run:
the machine's speed moves between runs.
"""

import os
import resource
import statistics
import subprocess
import sys
import time


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binaries = sys.argv[1].split(",")
    letter = sys.argv[2] if len(sys.argv) > 2 else "../shared/letters/real/CM16-0219557.txt"
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 41
    if not os.path.isfile(letter):
        sys.exit(f"{letter}: no such letter; give one as the second argument")
    wall = {b: [] for b in binaries}
    cpu = {b: [] for b in binaries}
    for i in range(runs):
        for binary in binaries if i % 2 == 0 else binaries[::-1]:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(
                [binary, "check", letter, "--format", "json", "--no-progress"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            wall[binary].append((time.perf_counter() - start) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[binary].append(
                (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
            )
    print(f"{os.path.basename(letter)}, {runs} runs each, alternated")
    for binary in binaries:
        times = sorted(wall[binary])
        n = len(times)
        trimmed = statistics.mean(times[n // 10 : n - n // 5] or times)
        print(
            f"{binary}: wall median {statistics.median(times):.1f} ms, "
            f"trimmed mean {trimmed:.1f}, best {times[0]:.1f}, "
            f"90th pct. {times[min(n - 1, int(n * 0.9))]:.1f}; "
            f"CPU median {statistics.median(cpu[binary]):.1f} ms"
        )


if __name__ == "__main__":
    main()
