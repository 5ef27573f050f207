"""The CPU of one `check` run, for the bench scripts that compare runs."""

import resource
import subprocess


def check_cpu(binary: str, path: str) -> float:
    """CPU (user + system) of `check PATH --format json -j 1`, output dropped."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [binary, "check", path, "--format", "json", "-j", "1", "--no-progress"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
