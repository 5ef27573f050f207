//! Which rules apply to a request, found without running every rule's
//! `applies_to` patterns: the literal prefilter ([`crate::facts::prefilter`])
//! over all of them picks the few that can match, and only those run.

use super::Rule;
use crate::facts::prefilter::Prefilter;
use crate::text::pattern::has_non_ascii_folds;

/// The `applies_to` patterns of a pack's rules, in the pack's rule order.
#[derive(Debug)]
pub struct RequestFilter {
    prefilter: Prefilter,
    /// (rule index, pattern index within the rule) of each pattern.
    owners: Vec<(usize, usize)>,
}

impl RequestFilter {
    /// Built over `rules` in their final order.
    pub fn new(rules: &[Rule]) -> RequestFilter {
        let owners: Vec<(usize, usize)> = rules
            .iter()
            .enumerate()
            .flat_map(|(i, r)| (0..r.applies_to.len()).map(move |j| (i, j)))
            .collect();
        let prefilter =
            Prefilter::of_patterns(owners.iter().map(|&(i, j)| &rules[i].applies_to[j]));
        RequestFilter { prefilter, owners }
    }

    /// The rules that apply to `request` ([`Rule::applies`]), in order.
    pub fn applying<'r>(&self, rules: &'r [Rule], request: &str) -> Vec<&'r Rule> {
        let unusual = has_non_ascii_folds(request);
        // Candidates come in pattern order, which is rule order.
        let mut matched: Vec<usize> = Vec::new();
        for index in self.prefilter.candidates(request, unusual) {
            let (rule, pattern) = self.owners[index];
            if matched.last() != Some(&rule) && rules[rule].applies_to[pattern].is_match(request) {
                matched.push(rule);
            }
        }
        matched
            .into_iter()
            .map(|i| &rules[i])
            .filter(|r| !r.excludes.iter().any(|re| re.is_match(request)))
            .collect()
    }
}
