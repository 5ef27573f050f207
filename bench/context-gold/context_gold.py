"""Runs medspaCy's ConText on the sentences of the context gold set and prints
its scores beside the tool's.

Input: the TSV that `tests/context_gold.rs` writes when IMR_AUDIT_GOLD_TSV is
set: one row per gold mention with the gold class, the tool's class ("-" when
the tool reports nothing there), the sentence as the tool's scanner splits it
and the mention's character offsets in it. The gold mention is ConText's
target, so detection is not at stake, only context.

ConText's modifiers map to the five classes in this order of precedence:
NEGATED_EXISTENCE -> negated; HYPOTHETICAL, POSSIBLE_EXISTENCE or FAMILY ->
hypothetical (not a present fact about this patient); HISTORICAL ->
historical; no modifier -> affirmed. ConText has no notion of guideline text,
so it never says "guideline".

Usage: python context_gold.py TOOL.tsv (see README.md).
"""

import csv
import sys
from collections import Counter, defaultdict

import spacy
from spacy.tokens import Span

import medspacy  # noqa: F401  (registers the medspacy_context factory)

CLASSES = ["affirmed", "negated", "historical", "hypothetical", "guideline"]
GROUP = {
    "affirmed": "patient fact",
    "historical": "patient fact",
    "negated": "stated absent",
    "hypothetical": "not a patient fact",
    "guideline": "not a patient fact",
}


def context_class(categories):
    """The five-class reading of a target's ConText modifier categories."""
    if "NEGATED_EXISTENCE" in categories:
        return "negated"
    if categories & {"HYPOTHETICAL", "POSSIBLE_EXISTENCE", "FAMILY"}:
        return "hypothetical"
    if "HISTORICAL" in categories:
        return "historical"
    return "affirmed"


def build():
    nlp = spacy.blank("en")
    context = nlp.add_pipe("medspacy_context")
    return nlp, context


def classify(nlp, context, sentence, start, end):
    """ConText's class for the characters start..end of one sentence."""
    doc = nlp.make_doc(sentence)
    # The whole text is one sentence: the tool's own split.
    for i, token in enumerate(doc):
        token.is_sent_start = i == 0
    target = doc.char_span(start, end, label="CONCEPT", alignment_mode="expand")
    if target is None:
        return None
    doc.ents = [Span(doc, target.start, target.end, label="CONCEPT")]
    doc = context(doc)
    categories = {m.category for m in doc.ents[0]._.modifiers}
    return context_class(categories)


class Scores:
    def __init__(self):
        self.confusion = Counter()
        self.n = 0

    def add(self, gold, said):
        self.n += 1
        self.confusion[(gold, said)] += 1

    def precision(self, c):
        said = sum(v for (g, s), v in self.confusion.items() if s == c)
        return None if said == 0 else self.confusion[(c, c)] / said

    def recall(self, c):
        gold = sum(v for (g, s), v in self.confusion.items() if g == c)
        return None if gold == 0 else self.confusion[(c, c)] / gold

    def accuracy(self):
        right = sum(self.confusion[(c, c)] for c in CLASSES)
        return right / self.n if self.n else 0.0

    def grouped(self):
        right = sum(v for (g, s), v in self.confusion.items() if GROUP[g] == GROUP[s])
        return right / self.n if self.n else 0.0


def pct(x):
    return "    -" if x is None else f"{100 * x:5.1f}"


def side_by_side(title, rows, note=""):
    tool, ctx = Scores(), Scores()
    for r in rows:
        tool.add(r["gold"], r["tool"])
        ctx.add(r["gold"], r["context"])
    print(f"{title}: {len(rows)} mentions{note}")
    print(f"  5-class accuracy   tool {pct(tool.accuracy())}   ConText {pct(ctx.accuracy())}")
    print(f"  3-group accuracy   tool {pct(tool.grouped())}   ConText {pct(ctx.grouped())}")
    print("  class          gold    tool P / R        ConText P / R")
    for c in CLASSES:
        gold = sum(1 for r in rows if r["gold"] == c)
        print(
            f"  {c:<12} {gold:>6}   {pct(tool.precision(c))} / {pct(tool.recall(c))}"
            f"     {pct(ctx.precision(c))} / {pct(ctx.recall(c))}"
        )
    print()


def main(path):
    nlp, context = build()
    rows = []
    unread = 0
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not r["sentence"]:
                unread += 1
                continue
            said = classify(
                nlp, context, r["sentence"], int(r["mention_start"]), int(r["mention_end"])
            )
            if said is None:
                unread += 1
                continue
            r["context"] = said
            rows.append(r)
    if unread:
        print(f"({unread} mentions had no sentence ConText could read and are left out)\n")
    halves = defaultdict(list)
    for r in rows:
        halves[r["half"]].append(r)
    reported = [r for r in rows if r["tool"] != "-"]
    print("== On the mentions the tool reports (both systems on the same mentions) ==\n")
    for half in ["A", "B"]:
        side_by_side(f"half {half}", [r for r in halves[half] if r["tool"] != "-"])
    side_by_side("real letters (A + B)", [r for r in reported if r["half"] != "Samples"])
    side_by_side("samples", [r for r in halves["Samples"] if r["tool"] != "-"])
    print("== ConText on every gold mention (the tool's column counts a miss as wrong) ==\n")
    for r in rows:
        if r["tool"] == "-":
            r["tool"] = "unreported"
    GROUP["unreported"] = "unreported"
    for half in ["A", "B"]:
        side_by_side(f"half {half}", halves[half])
    side_by_side("real letters (A + B)", [r for r in rows if r["half"] != "Samples"])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: context_gold.py TOOL.tsv")
    main(sys.argv[1])
