//! Where on the body a mention is, and whether it was observed or reported.
//!
//! A finding supports a request only for its own region: numbness in the
//! hands says nothing for a lumbar MRI, a left knee effusion nothing for the
//! right knee. Each mention carries the body parts (and sides) named in its
//! clause — or, failing that, its sentence — and each request the parts it
//! names. A regional fact counts only where the two are compatible: the same
//! part, or a part within the request's territory (radicular symptoms in the
//! legs or feet belong to the low back, in the arms and hands to the neck),
//! and not on the opposite side. A mention or request naming no part is
//! compatible with any.
//!
//! The words a sentence uses also tell a symptom the patient reports ("he
//! complains of numbness") from a sign found on examination or by a test
//! ("examination revealed decreased sensation", "EMG showed"); guidelines
//! often require the sign.

use std::ops::Range;
use std::sync::LazyLock;

use crate::text::dual_regex::{DualRegex, Lowered};
use serde::Serialize;

/// A region of the body, as the pack's `body_parts` name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BodyPart {
    LowBack,
    LowerLimb,
    Neck,
    UpperLimb,
    Thoracic,
    Shoulder,
    Elbow,
    Hand,
    Hip,
    Knee,
    AnkleFoot,
    Head,
}

impl BodyPart {
    pub const ALL: [BodyPart; 12] = [
        BodyPart::LowBack,
        BodyPart::LowerLimb,
        BodyPart::Neck,
        BodyPart::UpperLimb,
        BodyPart::Thoracic,
        BodyPart::Shoulder,
        BodyPart::Elbow,
        BodyPart::Hand,
        BodyPart::Hip,
        BodyPart::Knee,
        BodyPart::AnkleFoot,
        BodyPart::Head,
    ];

    /// The pack's name for the part.
    pub fn name(self) -> &'static str {
        match self {
            BodyPart::LowBack => "low-back",
            BodyPart::LowerLimb => "lower-limb",
            BodyPart::Neck => "neck",
            BodyPart::UpperLimb => "upper-limb",
            BodyPart::Thoracic => "thoracic",
            BodyPart::Shoulder => "shoulder",
            BodyPart::Elbow => "elbow",
            BodyPart::Hand => "hand",
            BodyPart::Hip => "hip",
            BodyPart::Knee => "knee",
            BodyPart::AnkleFoot => "ankle-foot",
            BodyPart::Head => "head",
        }
    }

    pub fn from_name(name: &str) -> Option<BodyPart> {
        BodyPart::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The parts whose findings bear on a request for this part.
    pub fn territory(self) -> &'static [BodyPart] {
        use BodyPart::*;
        match self {
            LowBack => &[LowBack, LowerLimb, AnkleFoot, Hip],
            LowerLimb => &[LowerLimb, LowBack, AnkleFoot],
            Neck => &[Neck, UpperLimb, Hand, Shoulder],
            UpperLimb => &[UpperLimb, Neck, Hand, Elbow],
            Thoracic => &[Thoracic, LowerLimb],
            // "Weakness lifting the arm" is a shoulder finding.
            Shoulder => &[Shoulder, UpperLimb],
            Elbow => &[Elbow, UpperLimb, Hand],
            Hand => &[Hand, UpperLimb],
            Hip => &[Hip, LowerLimb],
            Knee => &[Knee, LowerLimb],
            AnkleFoot => &[AnkleFoot, LowerLimb],
            // A focal deficit in any limb bears on imaging of the head.
            Head => &[Head, Neck, UpperLimb, LowerLimb],
        }
    }

    fn pattern(self) -> &'static str {
        match self {
            BodyPart::LowBack => {
                r"lumbar|lumbosacral|low(?:er)?[\s-]+back|LBP|L[1-5]\s*[-/]\s*(?:L?[1-5]|S1)|L[1-5]|sciatica|sciatic|lumbago|sacroiliac|SI\s+joints?|L-?spine|straight\s+leg\s+rais\w*|SLR|slump\s+test|femoral\s+(?:nerve\s+)?stretch"
            }
            BodyPart::LowerLimb => {
                r"lower\s+extremit(?:y|ies)|legs?|thighs?|calf|calves|buttocks?|gluteal|LEs?|BLE"
            }
            BodyPart::Neck => {
                r"cervical|neck|cervicalgia|C[2-7]\s*[-/]\s*(?:C?[3-7]|T1)|C[2-8]|C-?spine|spurling\w*"
            }
            BodyPart::UpperLimb => {
                r"upper\s+extremit(?:y|ies)|arms?|forearms?|UEs?|BUE|biceps|triceps"
            }
            BodyPart::Thoracic => r"thoracic|T[1-9]|T1[0-2]|mid[\s-]+back|upper\s+back|T-?spine",
            BodyPart::Shoulder => {
                r"shoulders?|rotator\s+cuff|glenohumeral|acromio\w*|AC\s+joint|subacromial|labr(?:um|al)|supraspinatus|infraspinatus|subscapularis"
            }
            BodyPart::Elbow => r"elbows?|epicondyl\w*|cubital|olecranon",
            BodyPart::Hand => {
                r"hands?|wrists?|fingers?|thumbs?|digits?|carpal|palmar|palms?|metacarp\w*|de\s+quervain\w*"
            }
            BodyPart::Hip => r"hips?|groin|trochanter\w*|acetabul\w*",
            BodyPart::Knee => r"knees?|patell\w*|menisc\w*|ACL|MCL|PCL|LCL|tibial\s+plateau",
            BodyPart::AnkleFoot => {
                r"ankles?|foot|feet|heels?|toes?|plantar|achilles|metatars\w*|tarsal"
            }
            BodyPart::Head => r"head|skull|concussion|TBI|cranial|brain|intracranial",
        }
    }
}

/// A side of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Left,
    Right,
    Bilateral,
}

/// A part of the body named in the text, with its side when stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Site {
    pub part: BodyPart,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
}

static PARTS: LazyLock<Vec<(BodyPart, DualRegex)>> = LazyLock::new(|| {
    BodyPart::ALL
        .into_iter()
        .map(|part| {
            // Abbreviations and spinal levels are matched as written (upper
            // case); words in any case.
            let pattern = format!(r"\b(?:{})\b", part.pattern());
            let regex = DualRegex::new(&format!("(?i:{pattern})")).expect("built-in body pattern");
            (part, regex)
        })
        .collect()
});
/// Any of [`PARTS`]: where one of them matches, this does too.
static ANY_PART: LazyLock<DualRegex> = LazyLock::new(|| {
    let parts: Vec<&str> = BodyPart::ALL.into_iter().map(BodyPart::pattern).collect();
    DualRegex::new(&format!(r"(?i:\b(?:{})\b)", parts.join("|"))).expect("built-in body pattern")
});
/// Abbreviations that are ordinary words in lower case ("legs" is fine, "le" is not).
const CASE_SENSITIVE: &[&str] = &[
    "LBP", "LE", "LEs", "BLE", "UE", "UEs", "BUE", "ACL", "MCL", "PCL", "LCL", "TBI",
];
static SIDE: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)\b(left|right|bilateral(?:ly)?|both|L|R|B/L)\b")
        .expect("built-in side pattern")
});

/// The sites named in `text`, each with the side written just before it
/// ("left knee", "right lower extremity", "bilateral hands").
pub fn sites(text: &str) -> Vec<Site> {
    // Most clauses name no part: one search for any of them says so.
    if !ANY_PART.is_match(text) {
        return Vec::new();
    }
    let mut out: Vec<Site> = Vec::new();
    for (part, regex) in PARTS.iter() {
        for m in regex.find_iter(text) {
            let word = m.as_str();
            if let Some(abbr) = CASE_SENSITIVE.iter().find(|a| a.eq_ignore_ascii_case(word))
                && word != *abbr
            {
                continue;
            }
            // "Femoral head", "head of the fibula": a part of a bone, not the head.
            if *part == BodyPart::Head && is_bone_head(text, m.start(), m.end()) {
                continue;
            }
            // Spinal levels ("L5", "C6") are upper case in letters; "l5" is noise.
            if word.len() <= 3
                && word.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && word.chars().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            let site = Site {
                part: *part,
                side: side_before(&text[..m.start()]),
            };
            if !out.contains(&site) {
                out.push(site);
            }
        }
    }
    out.sort();
    out
}

/// Whether "head" at `start..end` names part of a bone ("femoral head",
/// "head of the radius") rather than the head.
fn is_bone_head(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].trim_end().to_ascii_lowercase();
    let after = text[end..].trim_start().to_ascii_lowercase();
    [
        "femoral",
        "humeral",
        "radial",
        "fibular",
        "metatarsal",
        "radius",
        "humerus",
        "femur",
    ]
    .iter()
    .any(|bone| before.ends_with(bone))
        || after.starts_with("of the")
        || after.starts_with("of ")
}

/// The side written in the few words before a body part.
fn side_before(before: &str) -> Option<Side> {
    let tail_start = before
        .char_indices()
        .rev()
        .filter(|(_, c)| c.is_whitespace())
        .nth(3)
        .map_or(0, |(i, _)| i);
    let tail = &before[tail_start..];
    let m = SIDE.captures_iter(tail).last()?;
    let word = m.get(1)?.as_str();
    match word.to_ascii_lowercase().as_str() {
        "left" => Some(Side::Left),
        "right" => Some(Side::Right),
        "l" if word == "L" => Some(Side::Left),
        "r" if word == "R" => Some(Side::Right),
        "bilateral" | "bilaterally" | "both" | "b/l" => Some(Side::Bilateral),
        _ => None,
    }
}

/// Whether a mention at `mention` sites bears on a request at `request`
/// sites: any pair in the same territory and not on opposite sides. Either
/// side naming no site is compatible with anything.
pub fn compatible(request: &[Site], mention: &[Site]) -> bool {
    if request.is_empty() || mention.is_empty() {
        return true;
    }
    request.iter().any(|r| {
        mention.iter().any(|m| {
            r.part.territory().contains(&m.part)
                && !matches!(
                    (r.side, m.side),
                    (Some(Side::Left), Some(Side::Right)) | (Some(Side::Right), Some(Side::Left))
                )
        })
    })
}

/// How a finding came to be known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Observation {
    /// Found on examination, imaging or testing: a sign.
    Examined,
    /// Told by the patient: a symptom.
    Reported,
    /// The sentence does not say.
    Unstated,
}

static EXAMINED: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)\b(?:exam(?:ination)?s?|examined|objective(?:ly)?|on\s+exam|revealed|demonstrated|showed|shows|positive|tenderness|palpation|range\s+of\s+motion|ROM|strength|reflex(?:es)?|\d\s*/\s*5|MRI|EMG|NCV|NCS|electrodiagnostic|x-?rays?|radiograph\w*|imaging|CT\s+scan|ultrasound|studies|study|testing|dermatom\w*|myotom\w*|atrophy|Spurling\w*|Tinel\w*|Phalen\w*|straight\s+leg\s+rais\w*|SLR|Hoffman\w*|clonus|Babinski)\b")
        .expect("built-in observation pattern")
});
static REPORTED: LazyLock<DualRegex> = LazyLock::new(|| {
    DualRegex::new(r"(?i)\b(?:report(?:s|ed|ing)?|complain(?:s|ed|ing)?|complaints?|c/o|describ(?:es|ed|ing)|endors(?:es|ed)|stat(?:es|ed)|says|said|subjective(?:ly)?|feels?|felt|experienc(?:es|ed|ing)|presented\s+with|presents\s+with|symptoms?|notes\s+(?:that\s+)?(?:he|she)|admits?|perceived)\b")
        .expect("built-in observation pattern")
});

/// Where a clause's words record a sign and where they report a symptom:
/// found once for every mention in the clause ([`ObservationWords::at`]).
#[derive(Debug, Clone, Default)]
pub struct ObservationWords {
    examined: Vec<Range<usize>>,
    reported: Vec<Range<usize>>,
}

impl ObservationWords {
    /// The words of `clause`, whose lower-case copy is made already.
    pub fn of(clause: &Lowered<'_>) -> ObservationWords {
        let ranges = |regex: &DualRegex| {
            regex
                .find_iter_lowered(clause)
                .iter()
                .map(|m| m.range())
                .collect()
        };
        ObservationWords {
            examined: ranges(&EXAMINED),
            reported: ranges(&REPORTED),
        }
    }

    /// Whether the clause's words report a symptom or record a sign of the
    /// mention at `near`. When both kinds of words appear, the one nearer
    /// the mention wins.
    pub fn at(&self, near: usize) -> Observation {
        let nearest = |ranges: &[Range<usize>]| {
            ranges
                .iter()
                .map(|range| distance(range.clone(), near))
                .min()
        };
        match (nearest(&self.examined), nearest(&self.reported)) {
            (Some(e), Some(r)) if r < e => Observation::Reported,
            (Some(_), _) => Observation::Examined,
            (None, Some(_)) => Observation::Reported,
            (None, None) => Observation::Unstated,
        }
    }
}

fn distance(range: Range<usize>, at: usize) -> usize {
    if at < range.start {
        range.start - at
    } else {
        at.saturating_sub(range.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The observation of the mention at `near` in `clause`.
    fn observation(clause: &str, near: usize) -> Observation {
        let lower = crate::text::dual_regex::LowerCase::of(clause);
        ObservationWords::of(&lower.with(clause)).at(near)
    }

    /// The search for any part matches exactly where one of the parts
    /// does, on every sentence of the samples.
    #[test]
    fn any_part_matches_where_some_part_matches() {
        let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut sentences_read = 0;
        for entry in std::fs::read_dir(samples).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let raw = std::fs::read_to_string(&path).unwrap();
            let flat = crate::text::Flat::new(&raw, 0..raw.len());
            for range in crate::text::sentences(&flat.text) {
                let sentence = &flat.text[range];
                let some = PARTS.iter().any(|(_, regex)| regex.is_match(sentence));
                assert_eq!(ANY_PART.is_match(sentence), some, "{sentence}");
                sentences_read += 1;
            }
        }
        assert!(sentences_read > 500);
    }

    fn parts(text: &str) -> Vec<(&'static str, Option<Side>)> {
        sites(text)
            .into_iter()
            .map(|s| (s.part.name(), s.side))
            .collect()
    }

    #[test]
    fn sites_and_sides_are_read_from_the_words() {
        assert_eq!(
            parts("MRI of the right knee"),
            [("knee", Some(Side::Right))]
        );
        assert_eq!(
            parts("numbness radiating to the bilateral lower extremities at L5-S1"),
            [("low-back", None), ("lower-limb", Some(Side::Bilateral))]
        );
        assert_eq!(parts("Cervical MRI; C5-6 disc"), [("neck", None)]);
        // Lower-case "le" and "l5" are not abbreviations.
        assert!(parts("he said le mot juste").is_empty());
        // A bone's head is not the head.
        assert!(parts("necrosis of the femoral head").is_empty());
        assert_eq!(parts("struck his head"), [("head", None)]);
    }

    #[test]
    fn compatibility_follows_territories_and_sides() {
        let lumbar = sites("MRI of the lumbar spine");
        assert!(compatible(
            &lumbar,
            &sites("decreased sensation in the left leg")
        ));
        assert!(!compatible(&lumbar, &sites("numbness in both hands")));
        // A nerve-root tension sign belongs to the spine it tests.
        assert!(compatible(
            &lumbar,
            &sites("Straight leg raise was negative.")
        ));
        assert!(!compatible(
            &sites("MRI of the cervical spine"),
            &sites("Straight leg raise was negative.")
        ));
        assert!(!compatible(
            &lumbar,
            &sites("Spurling's test was positive.")
        ));
        let right_knee = sites("right knee arthroscopy");
        assert!(!compatible(&right_knee, &sites("left knee effusion")));
        assert!(compatible(&right_knee, &sites("knee effusion")));
        assert!(compatible(&right_knee, &sites("an effusion")));
        let neck = sites("cervical epidural steroid injection");
        assert!(compatible(&neck, &sites("numbness in the right hand")));
    }

    #[test]
    fn signs_are_told_from_symptoms() {
        let clause = "Examination revealed decreased sensation in the L5 dermatome";
        assert_eq!(
            observation(clause, clause.find("decreased").unwrap()),
            Observation::Examined
        );
        let clause = "He complains of numbness and tingling in the feet";
        assert_eq!(
            observation(clause, clause.find("numbness").unwrap()),
            Observation::Reported
        );
        let clause = "Numbness in the feet";
        assert_eq!(observation(clause, 0), Observation::Unstated);
    }
}
