#!/usr/bin/env python3
"""Check that JUnit XML files are well-formed and consistent.

Usage: .ci/validate-junit.py FILE.xml [FILE.xml ...]

Standard library only. Checks, for each file:
  - it parses as XML; the root is <testsuites> holding only <testsuite>s;
  - every <testsuite> has a name and holds <testcase>s (plus optional
    <properties>, <system-out>, <system-err>);
  - every <testcase> has a name, and at most one of <failure>, <error>, <skipped>;
  - the tests/failures/errors/skipped counts of each suite match its test
    cases, and the root's counts are the sums over the suites;
  - no timestamp or time attribute (imr-audit's output is reproducible);
  - test case names are unique within a suite.

Exit status: 0 valid, 1 invalid, 2 usage or unreadable file. Quiet on success
unless -v.
"""

import sys
import xml.etree.ElementTree as ET

SUITE_CHILDREN = {"testcase", "properties", "system-out", "system-err"}
CASE_CHILDREN = {"failure", "error", "skipped", "system-out", "system-err", "properties"}
OUTCOMES = ("failure", "error", "skipped")


def count_attr(element, name, problems, where):
    value = element.get(name)
    if value is None:
        problems.append(f"{where}: missing attribute {name}")
        return None
    try:
        number = int(value)
    except ValueError:
        problems.append(f"{where}: {name}={value!r} is not a count")
        return None
    if number < 0:
        problems.append(f"{where}: {name}={value} is negative")
    return number


def check(path):
    problems = []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        return [f"not well-formed XML: {e}"]
    if root.tag != "testsuites":
        return [f"root element is <{root.tag}>, expected <testsuites>"]
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for element in root.iter():
        for attr in ("timestamp", "time"):
            if attr in element.attrib:
                problems.append(f"<{element.tag} name={element.get('name')!r}>: has a {attr} attribute")
    for i, suite in enumerate(root):
        where = f"testsuite #{i + 1}"
        if suite.tag != "testsuite":
            problems.append(f"{where}: <{suite.tag}> directly under <testsuites>")
            continue
        name = suite.get("name")
        if not name:
            problems.append(f"{where}: no name")
        else:
            where = f"testsuite {name!r}"
        counts = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
        names = set()
        for child in suite:
            if child.tag not in SUITE_CHILDREN:
                problems.append(f"{where}: unexpected <{child.tag}>")
            if child.tag != "testcase":
                continue
            counts["tests"] += 1
            case_name = child.get("name")
            case_where = f"{where} / testcase {case_name!r}"
            if not case_name:
                problems.append(f"{where}: a testcase has no name")
            elif case_name in names:
                problems.append(f"{case_where}: duplicate name in the suite")
            names.add(case_name)
            outcomes = [c.tag for c in child if c.tag in OUTCOMES]
            for c in child:
                if c.tag not in CASE_CHILDREN:
                    problems.append(f"{case_where}: unexpected <{c.tag}>")
            if len(outcomes) > 1:
                problems.append(f"{case_where}: several outcomes {outcomes}")
            elif outcomes:
                key = {"failure": "failures", "error": "errors", "skipped": "skipped"}[outcomes[0]]
                counts[key] += 1
        for key, actual in counts.items():
            stated = count_attr(suite, key, problems, where)
            if stated is not None and stated != actual:
                problems.append(f"{where}: {key}={stated} but {actual} found")
            totals[key] += actual
    for key, actual in totals.items():
        stated = count_attr(root, key, problems, "testsuites")
        if stated is not None and stated != actual:
            problems.append(f"testsuites: {key}={stated} but the suites add up to {actual}")
    return problems


def main(argv):
    verbose = any(a in ("-v", "--verbose") for a in argv)
    files = [a for a in argv if a not in ("-v", "--verbose")]
    if not files or any(a in ("-h", "--help") for a in files):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    bad = 0
    for path in files:
        try:
            open(path, "rb").close()
        except OSError as e:
            print(f"validate-junit: {path}: {e}", file=sys.stderr)
            return 2
        problems = check(path)
        if problems:
            bad += 1
            print(f"{path}: INVALID JUnit XML", file=sys.stderr)
            for p in problems[:50]:
                print(f"  {p}", file=sys.stderr)
        elif verbose:
            print(f"valid: {path}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
