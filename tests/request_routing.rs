//! Which rule takes a request: a table of requests as letters word them and
//! the rule each must go to. A new rule whose `applies_to` is too wide, or an
//! old one that loses its request, fails here by name.

use std::path::Path;

use imr_audit::rules::Pack;

use crate::util::letter_head;

/// (request as a letter words it, rule id).
const ROUTES: &[(&str, &str)] = &[
    (
        "Ondansetron 8mg #30",
        "medications.gastrointestinal.antiemetics",
    ),
    (
        "Zofran ODT 4mg #20",
        "medications.gastrointestinal.antiemetics",
    ),
    (
        "Promethazine 25mg #30",
        "medications.gastrointestinal.antiemetics",
    ),
    ("Theramine #120", "medications.supplements.medical-foods"),
    ("Sentra PM #60", "medications.supplements.medical-foods"),
    ("Tizanidine 4mg #60", "medications.muscle-relaxants.others"),
    ("Zanaflex 4mg #90", "medications.muscle-relaxants.others"),
    (
        "Orphenadrine ER 100mg #60",
        "medications.muscle-relaxants.others",
    ),
    (
        "Topiramate 50mg #60",
        "medications.anticonvulsants.gabapentin",
    ),
    (
        "Zolpidem 10mg #30",
        "medications.sedative-hypnotics.sleep-aids",
    ),
    (
        "Ambien CR 12.5mg #30",
        "medications.sedative-hypnotics.sleep-aids",
    ),
    (
        "Omeprazole 20mg #60",
        "medications.gastrointestinal.acid-suppressants",
    ),
    ("Butrans patch 10mcg #4", "medications.opioids.ongoing-2009"),
    ("Flector patch 1.3% #30", "medications.nsaids.topical"),
    ("Voltaren gel 1% 100g", "medications.nsaids.topical"),
    (
        "Terocin patch #30",
        "medications.topical-analgesics.compounded-creams",
    ),
    ("Lyrica 75mg #60", "medications.anticonvulsants.pregabalin"),
    (
        "Cymbalta 60mg #30",
        "medications.antidepressants.chronic-pain",
    ),
    (
        "Trazodone 50mg #30",
        "medications.sedative-hypnotics.sleep-aids",
    ),
    (
        "Fioricet #60",
        "medications.sedative-hypnotics.barbiturate-analgesics",
    ),
    (
        "Xanax 0.5mg #30",
        "medications.sedative-hypnotics.benzodiazepines",
    ),
    (
        "Colace 100mg #60",
        "medications.gastrointestinal.opioid-constipation",
    ),
    (
        "Senna #60",
        "medications.gastrointestinal.opioid-constipation",
    ),
    ("Testosterone cream", "medications.hormones.testosterone"),
    (
        "Viagra 100mg #10",
        "medications.pde5-inhibitors.erectile-dysfunction",
    ),
    (
        "Genetic testing for opioid metabolism",
        "diagnostics.laboratory.genetic-testing",
    ),
    (
        "Cardio-respiratory diagnostic testing",
        "diagnostics.autonomic-testing",
    ),
    ("Polysomnography sleep study", "diagnostics.polysomnography"),
    ("CBC and CMP labs", "diagnostics.laboratory.blood-tests"),
    ("DEXA scan", "imaging.bone.density"),
    ("CT myelogram of the lumbar spine", "imaging.spine.ct"),
    (
        "Ultrasound of the right shoulder",
        "imaging.joints.ultrasound",
    ),
    (
        "Diagnostic ultrasound of the left knee",
        "imaging.joints.ultrasound",
    ),
    (
        "Neuropsychological testing",
        "diagnostics.neuropsychological-testing",
    ),
    ("Videonystagmography", "diagnostics.vestibular-testing"),
    (
        "Sacroiliac joint injection right",
        "injections.spine.sacroiliac-joint",
    ),
    ("SI joint fusion", "surgery.spine.sacroiliac-joint-fusion"),
    (
        "Right shoulder subacromial corticosteroid injection",
        "injections.joints.shoulder",
    ),
    (
        "Right hip intra-articular injection",
        "injections.joints.hip",
    ),
    (
        "Extracorporeal shockwave therapy for the right shoulder",
        "therapy.shockwave",
    ),
    (
        "Botox injections 200 units",
        "injections.muscle.botulinum-toxin",
    ),
    (
        "Occipital nerve block bilateral",
        "injections.nerve-blocks.occipital",
    ),
    (
        "Stellate ganglion block",
        "injections.nerve-blocks.sympathetic",
    ),
    (
        "Lumbar sympathetic block",
        "injections.nerve-blocks.sympathetic",
    ),
    (
        "Lumbar discogram L3-4, L4-5, L5-S1",
        "imaging.spine.discography",
    ),
    (
        "Anterior cervical discectomy and fusion C5-6",
        "surgery.spine.cervical",
    ),
    (
        "Cervical epidural steroid injection C6-7",
        "injections.spine.epidural-steroid",
    ),
    (
        "Total knee arthroplasty right knee",
        "surgery.knee.arthroplasty",
    ),
    (
        "Right knee arthroscopy with partial medial meniscectomy",
        "surgery.knee.arthroscopy",
    ),
    (
        "Right ulnar nerve transposition",
        "surgery.elbow.cubital-tunnel-release",
    ),
    (
        "Trigger finger release left ring finger",
        "surgery.hand.trigger-finger-release",
    ),
    (
        "Right De Quervain's release",
        "surgery.hand.de-quervain-release",
    ),
    (
        "Continuous passive motion machine rental 21 days",
        "equipment.continuous-passive-motion",
    ),
    ("Cold therapy unit purchase", "equipment.hot-cold-therapy"),
    ("Lumbar back brace", "equipment.durable-medical-equipment"),
    ("Right knee brace", "equipment.durable-medical-equipment"),
    (
        "Front wheeled walker",
        "equipment.durable-medical-equipment",
    ),
    ("Cane", "equipment.durable-medical-equipment"),
    ("Hospital bed", "equipment.durable-medical-equipment"),
    ("Shower chair", "equipment.durable-medical-equipment"),
    ("Custom orthotics", "equipment.durable-medical-equipment"),
    ("Kinesio tape", "equipment.kinesio-tape"),
    ("Home exercise kit", "equipment.home-exercise-kit"),
    ("Pneumatic compression device", "equipment.dvt-compression"),
    ("Cervical traction unit", "equipment.cervical-traction"),
    (
        "Transportation to and from medical appointments",
        "services.home-health",
    ),
    ("Interpreter services", "services.interpreter"),
    (
        "Psychiatric consultation",
        "services.psychiatric-consultation",
    ),
    (
        "Pain management consultation",
        "services.specialist-consultation",
    ),
    (
        "Orthopedic surgeon consultation",
        "services.specialist-consultation",
    ),
    ("Massage therapy 6 sessions", "therapy.passive-modalities"),
    ("Aquatic therapy 8 sessions", "therapy.aquatic-therapy"),
    ("Occupational therapy 6 visits", "therapy.physical-therapy"),
    (
        "Functional restoration program 80 hours",
        "therapy.functional-restoration-program",
    ),
    (
        "Cognitive behavioral therapy 6 sessions",
        "therapy.psychological-treatment",
    ),
    ("Weight loss program", "services.weight-loss-program"),
    ("Home health aide 4 hours per day", "services.home-health"),
    (
        "TENS unit purchase",
        "equipment.electrical-stimulation.tens",
    ),
    (
        "Interferential stimulator",
        "equipment.electrical-stimulation.interferential",
    ),
    ("Hot and cold pack", "equipment.hot-cold-therapy"),
    ("Lumbar MRI", "imaging.lumbar.mri"),
    (
        "Nerve conduction study of the bilateral upper extremities",
        "diagnostics.electrodiagnostic.emg-ncv-upper",
    ),
    (
        "Urine drug screen",
        "diagnostics.laboratory.urine-drug-testing",
    ),
    ("Norco 10/325mg #90", "medications.opioids.ongoing-2009"),
    ("Tramadol ER 150mg #30", "medications.opioids.ongoing-2009"),
    ("Naproxen 550mg #60", "medications.nsaids.oral"),
    (
        "Cyclobenzaprine 7.5mg #60",
        "medications.muscle-relaxants.cyclobenzaprine",
    ),
    (
        "Gabapentin 600mg #90",
        "medications.anticonvulsants.gabapentin",
    ),
    (
        "Lidoderm 5% patch #30",
        "medications.topical-analgesics.lidocaine-patch",
    ),
    ("Physical therapy 12 sessions", "therapy.physical-therapy"),
    // Requests that name opioids only as the cause go to the other drug.
    (
        "Testosterone replacement for opioid-induced hypogonadism",
        "medications.hormones.testosterone",
    ),
    (
        "Colace 100mg for opioid-induced constipation",
        "medications.gastrointestinal.opioid-constipation",
    ),
    (
        "Zofran 4mg for nausea from opioids",
        "medications.gastrointestinal.antiemetics",
    ),
    // Neighbours that share a word.
    ("Hot/cold therapy kit", "equipment.hot-cold-therapy"),
    ("CT discogram L4-5 and L5-S1", "imaging.spine.discography"),
    (
        "Interpreter services for physical therapy visits",
        "services.interpreter",
    ),
    // Rules that apply equally, with no section to choose between them: the
    // first in the pack's order wins, which a rename does not change.
    ("CT myelogram of the cervical spine", "imaging.spine.ct"),
    (
        "Physical therapy evaluation, lumbar spine",
        "therapy.physical-therapy",
    ),
    (
        "Re-exam with chiropractor for the low back",
        "therapy.chiropractic",
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
            let got = evaluation.rule.as_ref().map(|r| r.id.clone());
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
