//! Which rule takes a request: a table of requests as letters word them and
//! the rule each must go to. A new rule whose `applies_to` is too wide, or an
//! old one that loses its request, fails here by name.

use std::path::Path;

use imr_audit::rules::Pack;

use crate::util::letter_head;

/// (request as a letter words it, rule id without the `mtus.` prefix).
const ROUTES: &[(&str, &str)] = &[
    ("Ondansetron 8mg #30", "medications.antiemetics"),
    ("Zofran ODT 4mg #20", "medications.antiemetics"),
    ("Promethazine 25mg #30", "medications.antiemetics"),
    ("Theramine #120", "medications.medical-foods"),
    ("Sentra PM #60", "medications.medical-foods"),
    ("Tizanidine 4mg #60", "medications.muscle-relaxants"),
    ("Zanaflex 4mg #90", "medications.muscle-relaxants"),
    ("Orphenadrine ER 100mg #60", "medications.muscle-relaxants"),
    ("Topiramate 50mg #60", "medications.gabapentin"),
    ("Zolpidem 10mg #30", "medications.sleep-aids"),
    ("Ambien CR 12.5mg #30", "medications.sleep-aids"),
    ("Omeprazole 20mg #60", "medications.ppi"),
    ("Butrans patch 10mcg #4", "medications.opioids-ongoing-2009"),
    ("Flector patch 1.3% #30", "medications.topical-nsaids"),
    ("Voltaren gel 1% 100g", "medications.topical-nsaids"),
    ("Terocin patch #30", "medications.topical-compounds"),
    ("Lyrica 75mg #60", "medications.pregabalin"),
    ("Cymbalta 60mg #30", "medications.antidepressants"),
    ("Trazodone 50mg #30", "medications.sleep-aids"),
    ("Fioricet #60", "medications.barbiturate-analgesics"),
    ("Xanax 0.5mg #30", "medications.benzodiazepines"),
    ("Colace 100mg #60", "medications.opioid-constipation"),
    ("Senna #60", "medications.opioid-constipation"),
    ("Testosterone cream", "medications.testosterone"),
    ("Viagra 100mg #10", "medications.erectile-dysfunction"),
    (
        "Genetic testing for opioid metabolism",
        "diagnostics.genetic-testing",
    ),
    (
        "Cardio-respiratory diagnostic testing",
        "diagnostics.autonomic-testing",
    ),
    ("Polysomnography sleep study", "diagnostics.polysomnography"),
    ("CBC and CMP labs", "diagnostics.lab-tests"),
    ("DEXA scan", "diagnostics.bone-density"),
    ("CT myelogram of the lumbar spine", "diagnostics.ct-imaging"),
    (
        "Ultrasound of the right shoulder",
        "diagnostics.diagnostic-ultrasound",
    ),
    (
        "Diagnostic ultrasound of the left knee",
        "diagnostics.diagnostic-ultrasound",
    ),
    (
        "Neuropsychological testing",
        "diagnostics.neuropsych-testing",
    ),
    ("Videonystagmography", "diagnostics.vestibular-testing"),
    (
        "Sacroiliac joint injection right",
        "procedures.sacroiliac-joint-injection",
    ),
    ("SI joint fusion", "procedures.sacroiliac-joint-fusion"),
    (
        "Right shoulder subacromial corticosteroid injection",
        "procedures.shoulder-injection",
    ),
    (
        "Right hip intra-articular injection",
        "procedures.hip-injection",
    ),
    (
        "Extracorporeal shockwave therapy for the right shoulder",
        "procedures.shockwave-therapy",
    ),
    ("Botox injections 200 units", "procedures.botulinum-toxin"),
    (
        "Occipital nerve block bilateral",
        "procedures.occipital-nerve-block",
    ),
    ("Stellate ganglion block", "procedures.sympathetic-block"),
    ("Lumbar sympathetic block", "procedures.sympathetic-block"),
    (
        "Lumbar discogram L3-4, L4-5, L5-S1",
        "diagnostics.discography",
    ),
    (
        "Anterior cervical discectomy and fusion C5-6",
        "procedures.cervical-spine-surgery",
    ),
    (
        "Cervical epidural steroid injection C6-7",
        "procedures.epidural-steroid-injection",
    ),
    (
        "Total knee arthroplasty right knee",
        "procedures.knee-arthroplasty",
    ),
    (
        "Right knee arthroscopy with partial medial meniscectomy",
        "procedures.knee-surgery",
    ),
    (
        "Right ulnar nerve transposition",
        "procedures.cubital-tunnel-release",
    ),
    (
        "Trigger finger release left ring finger",
        "procedures.trigger-finger-release",
    ),
    (
        "Right De Quervain's release",
        "procedures.de-quervain-release",
    ),
    (
        "Continuous passive motion machine rental 21 days",
        "programs.continuous-passive-motion",
    ),
    ("Cold therapy unit purchase", "programs.dme-hot-cold"),
    ("Lumbar back brace", "programs.dme-general"),
    ("Right knee brace", "programs.dme-general"),
    ("Front wheeled walker", "programs.dme-general"),
    ("Cane", "programs.dme-general"),
    ("Hospital bed", "programs.dme-general"),
    ("Shower chair", "programs.dme-general"),
    ("Custom orthotics", "programs.dme-general"),
    ("Kinesio tape", "programs.kinesio-tape"),
    ("Home exercise kit", "programs.home-exercise-kit"),
    (
        "Pneumatic compression device",
        "programs.dvt-compression-device",
    ),
    ("Cervical traction unit", "programs.cervical-traction"),
    (
        "Transportation to and from medical appointments",
        "programs.home-health",
    ),
    ("Interpreter services", "services.interpreter-services"),
    (
        "Psychiatric consultation",
        "services.psychiatric-consultation",
    ),
    (
        "Pain management consultation",
        "services.office-visits-consults",
    ),
    (
        "Orthopedic surgeon consultation",
        "services.office-visits-consults",
    ),
    (
        "Massage therapy 6 sessions",
        "physical-medicine.passive-modalities",
    ),
    ("Aquatic therapy 8 sessions", "programs.aquatic-therapy"),
    (
        "Occupational therapy 6 visits",
        "physical-medicine.physical-therapy",
    ),
    (
        "Functional restoration program 80 hours",
        "programs.functional-restoration-program",
    ),
    (
        "Cognitive behavioral therapy 6 sessions",
        "programs.psych-eval-cbt",
    ),
    ("Weight loss program", "programs.weight-loss-program"),
    ("Home health aide 4 hours per day", "programs.home-health"),
    ("TENS unit purchase", "physical-medicine.tens"),
    (
        "Interferential stimulator",
        "physical-medicine.interferential",
    ),
    ("Hot and cold pack", "programs.dme-hot-cold"),
    ("Lumbar MRI", "low-back.lumbar-mri"),
    (
        "Nerve conduction study of the bilateral upper extremities",
        "diagnostics.emg-ncv-upper",
    ),
    ("Urine drug screen", "diagnostics.urine-drug-testing"),
    ("Norco 10/325mg #90", "medications.opioids-ongoing-2009"),
    ("Tramadol ER 150mg #30", "medications.opioids-ongoing-2009"),
    ("Naproxen 550mg #60", "medications.nsaids"),
    ("Cyclobenzaprine 7.5mg #60", "medications.cyclobenzaprine"),
    ("Gabapentin 600mg #90", "medications.gabapentin"),
    ("Lidoderm 5% patch #30", "medications.lidoderm"),
    (
        "Physical therapy 12 sessions",
        "physical-medicine.physical-therapy",
    ),
    // Requests that name opioids only as the cause go to the other drug.
    (
        "Testosterone replacement for opioid-induced hypogonadism",
        "medications.testosterone",
    ),
    (
        "Colace 100mg for opioid-induced constipation",
        "medications.opioid-constipation",
    ),
    (
        "Zofran 4mg for nausea from opioids",
        "medications.antiemetics",
    ),
    // Neighbours that share a word.
    ("Hot/cold therapy kit", "programs.dme-hot-cold"),
    ("CT discogram L4-5 and L5-S1", "diagnostics.discography"),
    (
        "Interpreter services for physical therapy visits",
        "services.interpreter-services",
    ),
];

#[test]
fn every_request_goes_to_its_rule() {
    let pack = Pack::load(&[] as &[&Path]).unwrap_or_else(|p| panic!("{}", p[0]));
    let head = letter_head("lumbar-xray-upheld.txt");
    let mut text = format!(
        "{head}IMR ISSUES, DECISIONS AND RATIONALES\n\
         The Final Determination was based on decisions for the disputed items/services set forth below:\n"
    );
    for (request, _) in ROUTES {
        text.push_str(&format!(
            "{request}: Upheld\n\
             Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines.\n\
             MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2009.\n\
             Decision rationale: The request is not medically necessary.\n"
        ));
    }
    let audit =
        imr_audit::audit::audit(&pack, imr_audit::source::Source::from_text("routes", text));
    assert_eq!(
        audit.letter.items.len(),
        ROUTES.len(),
        "every request is read as an item"
    );
    let wrong: Vec<String> = ROUTES
        .iter()
        .zip(&audit.evaluations)
        .filter_map(|((request, expected), evaluation)| {
            let got = evaluation
                .rule
                .as_ref()
                .map(|r| r.id.trim_start_matches("mtus.").to_owned());
            (got.as_deref() != Some(*expected))
                .then(|| format!("{request:?}: expected {expected}, got {got:?}"))
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "requests routed to the wrong rule:\n{}",
        wrong.join("\n")
    );
}
