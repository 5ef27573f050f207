//! How far the rules' expectations agree with reviewers' decisions, measured
//! so that the base rate cannot flatter them.
//!
//! Reviewers uphold about nine denials in ten, so a rule pack that always
//! expected "upheld" would agree about 90% of the time while judging nothing.
//! Beside plain agreement this reports Cohen's kappa (agreement beyond what
//! the two sides' own rates would give by chance), balanced accuracy, the
//! recall of each decision, the score of the constant "upheld" answer on the
//! same items, and the share of agreements whose criteria rest only on
//! silence — nothing documented either way.

use serde::Serialize;

use super::{Expected, ItemEvaluation, Verdict};
use crate::letter::Decision;

/// Counts over judged items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Agreement {
    /// Items the rules expected upheld, by the reviewer's decision.
    pub upheld_expected_upheld: usize,
    pub overturned_expected_upheld: usize,
    /// Items the rules expected overturned, by the reviewer's decision.
    pub upheld_expected_overturned: usize,
    pub overturned_expected_overturned: usize,
    /// Covered items the rules could not decide.
    pub undetermined: usize,
    /// Items no rule covers.
    pub uncovered: usize,
    /// Agreements in which no criterion was decided by anything documented.
    pub agreements_on_silence: usize,
}

/// The measures derived from [`Agreement`]; `None` where a denominator is zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Measures {
    /// Items with a decision that the rules decided too.
    pub decided: usize,
    pub agreement: Option<f64>,
    pub cohen_kappa: Option<f64>,
    pub balanced_accuracy: Option<f64>,
    pub overturned_recall: Option<f64>,
    pub upheld_recall: Option<f64>,
    /// Agreement of a constant "upheld" answer on the same decided items.
    pub constant_upheld_agreement: Option<f64>,
    /// Share of agreements that rest only on silence.
    pub agreements_on_silence: Option<f64>,
}

fn ratio(n: usize, d: usize) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

impl Agreement {
    /// Counts one item: the reviewer's decision and the rules' evaluation.
    pub fn add(&mut self, decision: Option<Decision>, evaluation: &ItemEvaluation) {
        match (evaluation.verdict, evaluation.expected, decision) {
            (Verdict::Uncovered, ..) => self.uncovered += 1,
            (_, Some(Expected::Undetermined), _) | (_, None, _) | (_, _, None) => {
                self.undetermined += 1
            }
            (_, Some(expected), Some(decision)) => {
                let agree = matches!(
                    (decision, expected),
                    (Decision::Upheld, Expected::Upheld)
                        | (Decision::Overturned, Expected::Overturned)
                );
                match (decision, expected) {
                    (Decision::Upheld, Expected::Upheld) => self.upheld_expected_upheld += 1,
                    (Decision::Overturned, Expected::Upheld) => {
                        self.overturned_expected_upheld += 1
                    }
                    (Decision::Upheld, _) => self.upheld_expected_overturned += 1,
                    (Decision::Overturned, _) => self.overturned_expected_overturned += 1,
                }
                if agree && evaluation.rests_on_silence() {
                    self.agreements_on_silence += 1;
                }
            }
        }
    }

    /// Adds another set of counts.
    pub fn merge(&mut self, other: &Agreement) {
        self.upheld_expected_upheld += other.upheld_expected_upheld;
        self.overturned_expected_upheld += other.overturned_expected_upheld;
        self.upheld_expected_overturned += other.upheld_expected_overturned;
        self.overturned_expected_overturned += other.overturned_expected_overturned;
        self.undetermined += other.undetermined;
        self.uncovered += other.uncovered;
        self.agreements_on_silence += other.agreements_on_silence;
    }

    pub fn measures(&self) -> Measures {
        let (uu, ou) = (self.upheld_expected_upheld, self.overturned_expected_upheld);
        let (uo, oo) = (
            self.upheld_expected_overturned,
            self.overturned_expected_overturned,
        );
        let n = uu + ou + uo + oo;
        let agreements = uu + oo;
        let upheld = uu + uo;
        let overturned = ou + oo;
        let kappa = (n > 0).then(|| {
            let n = n as f64;
            let observed = agreements as f64 / n;
            let expected_upheld = (upheld as f64 / n) * ((uu + ou) as f64 / n);
            let expected_overturned = (overturned as f64 / n) * ((uo + oo) as f64 / n);
            let chance = expected_upheld + expected_overturned;
            if (1.0 - chance).abs() < f64::EPSILON {
                0.0
            } else {
                (observed - chance) / (1.0 - chance)
            }
        });
        let overturned_recall = ratio(oo, overturned);
        let upheld_recall = ratio(uu, upheld);
        Measures {
            decided: n,
            agreement: ratio(agreements, n),
            cohen_kappa: kappa,
            balanced_accuracy: match (overturned_recall, upheld_recall) {
                (Some(a), Some(b)) => Some((a + b) / 2.0),
                _ => None,
            },
            overturned_recall,
            upheld_recall,
            constant_upheld_agreement: ratio(upheld, n),
            agreements_on_silence: ratio(self.agreements_on_silence, agreements),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kappa_of_a_constant_answer_is_zero_and_of_perfect_agreement_one() {
        let constant = Agreement {
            upheld_expected_upheld: 90,
            overturned_expected_upheld: 10,
            ..Agreement::default()
        };
        let m = constant.measures();
        assert_eq!(m.agreement, Some(0.9));
        assert_eq!(m.cohen_kappa, Some(0.0));
        assert_eq!(m.overturned_recall, Some(0.0));
        assert_eq!(m.balanced_accuracy, Some(0.5));
        assert_eq!(m.constant_upheld_agreement, Some(0.9));
        let perfect = Agreement {
            upheld_expected_upheld: 90,
            overturned_expected_overturned: 10,
            ..Agreement::default()
        };
        assert_eq!(perfect.measures().cohen_kappa, Some(1.0));
    }

    #[test]
    fn kappa_matches_a_worked_example() {
        // 20 agree-yes, 15 agree-no, 5 and 10 disagreements: po = 0.7,
        // pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = 0.4.
        let a = Agreement {
            upheld_expected_upheld: 20,
            upheld_expected_overturned: 5,
            overturned_expected_upheld: 10,
            overturned_expected_overturned: 15,
            ..Agreement::default()
        };
        let kappa = a.measures().cohen_kappa.unwrap();
        assert!((kappa - 0.4).abs() < 1e-9, "{kappa}");
    }
}
