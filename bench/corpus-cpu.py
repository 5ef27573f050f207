#!/usr/bin/env python3
"""CPU of a whole corpus run, builds alternated: `check LETTERS --format json
-j 1` run by each binary in turn, RUNS times (the order reversed every other
round, so that a drift of the machine's speed falls on every binary alike).

    bench/corpus-cpu.py BINARY[,BINARY...] [RUNS] [LETTERS]

Prints, per binary, the median and the best CPU (user + system) of the
runs. On a shared machine a single run's CPU moves by a tenth; compare
builds only within one invocation, and prefer instruction counts
(`valgrind --tool=callgrind`) where they must be exact.
"""

import os
import resource
import statistics
import subprocess
import sys


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binaries = sys.argv[1].split(",")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 11
    letters = sys.argv[3] if len(sys.argv) > 3 else "../shared/letters/real"
    if not os.path.isdir(letters):
        sys.exit(f"{letters}: no such directory; give the letters as the third argument")
    cpu = {b: [] for b in binaries}
    for i in range(runs):
        for binary in binaries if i % 2 == 0 else binaries[::-1]:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(
                [binary, "check", letters, "--format", "json", "-j", "1", "--no-progress"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[binary].append(
                after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            )
    print(f"{letters}, {runs} runs each, alternated, -j 1")
    for binary in binaries:
        print(
            f"{binary}: CPU median {statistics.median(cpu[binary]):.3f} s, "
            f"best {min(cpu[binary]):.3f} s"
        )


if __name__ == "__main__":
    main()
