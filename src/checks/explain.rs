//! `imr-audit explain ID`: what each check looks for, on what guideline
//! basis, what letter language triggers it, and where to read more.

use crate::finding::Check;

pub struct Explanation {
    pub summary: &'static str,
    pub what: &'static str,
    pub basis: &'static str,
    pub example: &'static str,
    pub references: &'static str,
}

pub fn text(check: Check) -> Explanation {
    match check {
        Check::Parse => Explanation {
            summary: "a part of the letter could not be read",
            what: "Reports what the parser could not read: an item with no decision, a guideline statement or rationale that is missing, a malformed date, a file that is empty, binary or not UTF-8. The parser never guesses; each finding names the line and column.",
            basis: "None: this is about the letter's text, not the guideline.",
            example: "Date of Injury: 10/204   (a date that cannot be a date)",
            references: "docs/JSON.md (findings); README, 'Reading letters'.",
        },
        Check::DecisionConflict => Explanation {
            summary: "the decision contradicts the rule's criteria given the documented facts",
            what: "Evaluates the rule for the item's request over the facts the letter itself documents (case summary and rationale, read in context). When the rule implies 'overturned' (criteria met) and the letter upholds the denial, or the reverse, the item is a conflict. The evidence lines show the facts that decided it.",
            basis: "The MTUS is presumed correct on the extent and scope of medical treatment (Labor Code 4604.5; 8 CCR 9792.21(c)); a decision should follow from its criteria applied to the record.",
            example: "Upheld lumbar X-ray while the summary documents 'gait difficulties', 'diminished sensation in calf' and 'post-op infection (2011)' — red flags under ACOEM chapter 12.",
            references: "8 CCR 9792.20-9792.27; the rule file named in the finding (imr-audit rules list).",
        },
        Check::RationaleContradiction => Explanation {
            summary: "the rationale concludes the opposite of the stated decision",
            what: "Reads the rationale's own concluding sentence ('Therefore, the request ... is [not] medically necessary') — skipping tapering advice that opioid rationales add after it — and compares it with the Upheld/Overturned label.",
            basis: "Upheld means not medically necessary; Overturned means medically necessary (Labor Code 4610.6).",
            example: "'Lumbar MRI: Upheld' followed by 'Therefore, the request is medically necessary.'",
            references: "Labor Code 4610.6; docs/ARCHITECTURE.md (rationale conclusions).",
        },
        Check::CitationMismatch => Explanation {
            summary: "the cited guideline or section does not govern this item",
            what: "The reviewer cites an MTUS chapter for another body part than the request's (a lumbar MRI decided on Knee Complaints). Each MTUS entry is judged on its own: a fitting ODG entry cited beside it does not excuse it. A citation of other guidelines alone mismatches only when none of its entries covers the body part. General documents (Chronic Pain, Opioids, Acupuncture) never mismatch.",
            basis: "8 CCR 9792.23.1-9792.23.9 assign each ACOEM chapter to a body part; 9792.21.1 requires the guideline that addresses the condition.",
            example: "MRI of the lumbar spine: Upheld — MAXIMUS guideline: Decision based on MTUS Knee Complaints 2004, Section(s): Special Studies.",
            references: "rules/citations.yaml (body_parts); the rule's body_parts.",
        },
        Check::CitationUnknown => Explanation {
            summary: "a cited guideline the catalogue does not know",
            what: "A citation entry that does not normalise to any document of rules/citations.yaml. Reviewer citations are warnings, claims-administrator citations information.",
            basis: "None: it means the catalogue needs a spelling, or the letter cites an unusual source.",
            example: "Decision based on Non-MTUS Citation Some Unlisted Handbook, 2nd ed.",
            references: "docs/RULES.md (catalogue); imr-audit rules lint.",
        },
        Check::Hierarchy => Explanation {
            summary: "a non-MTUS guideline relied on where the MTUS addresses the item",
            what: "The reviewer relies only on non-MTUS guidelines (ODG, ACOEM 3rd ed.) for an item a rule of the MTUS governs, and the rationale does not say the MTUS is silent or its presumption rebutted.",
            basis: "8 CCR 9792.21.1, the medical evidence search sequence: the MTUS first; other evidence only when the MTUS is silent or its presumption is rebutted.",
            example: "MAXIMUS guideline: ... outside of the MTUS Guidelines. Decision based on Non-MTUS Citation ODG Low Back, MRIs — for a lumbar MRI (ACOEM chapter 12 addresses it).",
            references: "8 CCR 9792.21.1; 9792.25.1.",
        },
        Check::Misquote => Explanation {
            summary: "a sentence presented as guideline text differs from the guideline",
            what: "A sentence introduced as guideline text ('The MTUS states', 'guidelines recommend', quotation marks) that closely resembles a canonical sentence of the rule but differs in a word that carries meaning — a number, a negation, a time span; or that speaks of the rule's topic and gives a number of visits or a duration none of the rule's canonical sentences gives. Paraphrase is not a misquote, and clauses about the patient are never compared.",
            basis: "The rule's `quotes` (canonical sentences of the guideline), when the reviewer cites only guidelines the rule cites.",
            example: "'...even if the pain has persisted for at least six months' where the guideline says six weeks.",
            references: "The rule file's quotes.",
        },
        Check::UnaddressedFact => Explanation {
            summary: "a fact the criteria turn on is documented but the rationale ignores it",
            what: "A fact the rule's criteria use is affirmed in the case summary, yet the rationale never mentions it — neither the fact, nor in the reviewer's own words a related fact or a category that holds it ('no significant neurological deficits' weighs reported radiating pain, not sensory loss found on examination).",
            basis: "8 CCR 9792.10.6: the reviewer's determination must address the medical records.",
            example: "The summary reports 'gait difficulties'; the rationale says nothing about gait.",
            references: "docs/ARCHITECTURE.md (facts in context).",
        },
        Check::DateInconsistency => Explanation {
            summary: "impossible or malformed dates, events out of order",
            what: "A malformed date ('10/204'); an injury after the UR denial; a decision before the application; an age that contradicts a birth date.",
            basis: "None: internal consistency of the letter.",
            example: "Date of Injury: 12/01/2016 — UR Denial Date: 11/03/2016",
            references: "docs/JSON.md (dates).",
        },
        Check::Edition => Explanation {
            summary: "a cited guideline edition not in force on the decision date",
            what: "A citation whose catalogue document was not in force on the letter's decision date (the 2009 Chronic Pain guideline cited in 2017, or a 2016 document before it took effect).",
            basis: "8 CCR 9792.24.2 (CPMTG 2009 replaced July 2016); 9792.23 (ACOEM update of 1 December 2017).",
            example: "Decided 01/10/2017 — Decision based on MTUS Chronic Pain Medical Treatment 2009.",
            references: "rules/citations.yaml (in_force).",
        },
        Check::RecordContradiction => Explanation {
            summary: "the rationale states absent what the record documents",
            what: "A fact the rule's criteria turn on is affirmed in the case summary, while the rationale states it absent ('no neurological deficits', 'no red flags') and no more recent report supports the rationale. The decision rests on a reading the record contradicts.",
            basis: "8 CCR 9792.10.6: the reviewer's determination must rest on the medical records.",
            example: "The summary reports 'decreased sensation in the L5 dermatome'; the rationale says 'there are no neurological deficits'.",
            references: "docs/CONTEXT.md (how mentions are read); docs/RULES.md (concepts).",
        },
    }
}

/// The full text printed by `imr-audit explain ID`.
pub fn render(check: Check) -> String {
    let e = text(check);
    format!(
        "{id}: {summary}\n\nWhat it checks\n  {what}\n\nGuideline basis\n  {basis}\n\nExample letter language\n  {example}\n\nReferences\n  {references}\n",
        id = check.id(),
        summary = e.summary,
        what = e.what,
        basis = e.basis,
        example = e.example,
        references = e.references,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_is_explained_in_all_four_parts() {
        for &check in Check::ALL {
            let e = text(check);
            for part in [e.summary, e.what, e.basis, e.example, e.references] {
                assert!(!part.trim().is_empty(), "{check}");
            }
        }
    }
}
