//! Time in the case, from the letter's own dates: how long after the injury
//! the treatment was requested, and so the phase of the condition — acute,
//! subacute or chronic — that the guidelines key many recommendations to
//! (imaging after four to six weeks of conservative care; the chronic pain
//! guidelines for pain of three months or more).
//!
//! The request date is the utilization review denial date (the request was
//! decided then), else the date the IMR application was received, else the
//! date the case was assigned. A malformed or missing date gives no timeline
//! rather than a guess.

use jiff::civil::Date;
use serde::Serialize;

use super::{DateField, Letter};

/// The phase of the condition when the treatment was requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Under four weeks from the injury.
    Acute,
    /// Four weeks to three months.
    Subacute,
    /// Three months or more: the chronic pain guidelines' definition.
    Chronic,
}

/// Weeks before which a condition is acute.
const ACUTE_WEEKS: f64 = 4.0;
/// Weeks from which a condition is chronic (three months).
const CHRONIC_WEEKS: f64 = 13.0;

/// The case's time line as far as the letter's dates give it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Timeline {
    pub injury: Option<Date>,
    /// When the treatment was requested (see the module documentation).
    pub request: Option<Date>,
    /// Whole weeks from the injury to the request.
    pub weeks_since_injury: Option<f64>,
    pub phase: Option<Phase>,
}

impl Letter {
    /// The time line of the case.
    pub fn timeline(&self) -> Timeline {
        let date = |f: &Option<DateField>| f.as_ref().and_then(|f| f.date);
        let injury = date(&self.dates.injury);
        let request = date(&self.dates.ur_denial)
            .or_else(|| date(&self.dates.application_received))
            .or_else(|| date(&self.dates.assigned));
        let weeks_since_injury = match (injury, request) {
            (Some(from), Some(to)) if to >= from => {
                let days = (to - from).get_days() as f64;
                Some((days / 7.0).floor())
            }
            _ => None,
        };
        let phase = weeks_since_injury.map(|weeks| {
            if weeks < ACUTE_WEEKS {
                Phase::Acute
            } else if weeks < CHRONIC_WEEKS {
                Phase::Subacute
            } else {
                Phase::Chronic
            }
        });
        Timeline {
            injury,
            request,
            weeks_since_injury,
            phase,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::source::Source;

    fn timeline(injury: &str, denial: &str) -> super::Timeline {
        let text = format!(
            "Case Number: CM16-0000001\nDate of Injury: {injury}\nUR Denial Date: {denial}\n\nIMR ISSUES, DECISIONS AND RATIONALES\nMRI of the knee: Upheld\n"
        );
        crate::letter::parse(&Source::from_text("t.txt", text)).timeline()
    }

    #[test]
    fn phase_follows_the_weeks_from_injury_to_request() {
        let t = timeline("10/10/2016", "11/09/2016");
        assert_eq!(t.weeks_since_injury, Some(4.0));
        assert_eq!(t.phase, Some(super::Phase::Subacute));
        assert_eq!(
            timeline("10/10/2016", "10/20/2016").phase,
            Some(super::Phase::Acute)
        );
        assert_eq!(
            timeline("10/10/2015", "11/09/2016").phase,
            Some(super::Phase::Chronic)
        );
        // A request dated before the injury is a typo, not a negative time.
        assert_eq!(timeline("10/10/2017", "11/09/2016").phase, None);
    }
}
