"""Studies cited by the five seed documents in ../shared/seeds/, and the seeds' unsourced claims.

One dict per study or claim, in the order the seeds cite them (000 Keyora MoodFlow review, 001 L-threonate
article, 002 glycinate lysinate piece, 003 MagTech blog post, 004 NeuroMag monograph). ``evidence.seed``
loads them with ``studies_load()``.

Conventions
-----------
- ``seed_claim`` keeps what the seed says of the study (quoted or closely paraphrased). The other fields
  describe the study itself, as far as it could be established.
- Bibliographic details that the seed does not print (full author lists, DOIs, PMIDs, n, doses, results)
  were filled in only where they could be confirmed from the paper's abstract or index record, found with
  a search of stored public pages, or are well-established general knowledge. ``curator_notes`` says
  which ("found by search", "general knowledge, not in the seed"). Anything else is left empty.
- Dose fields hold the study's own daily dose. Where the seed attributes a dose that contradicts the
  paper (Abbasi 2012) the paper's dose is used and the seed's figure stays in ``seed_claim``; where the
  cited work has no dose of its own (reviews, observational studies) the dose fields are left empty and
  the seed's attributed figure is flagged in the notes.
- ``verification``: "as-cited" for everything taken from the seeds; "disputed" for an entry that does not hold
  itself: an unsourced claim that the works the seeds cite contradict. Disputed entries are left out of grades and of
  studied doses.
- ``seed_misquotes``: True where the seed's account contradicts the work as recorded here (absent: False). The
  entry records the work's own findings, so it still counts: Abbasi 2012 is evidence for magnesium oxide in insomnia
  whatever seed 000 says of it.
- Unsourced claims are entries of design "marketing-claim" (weight 0), keyed ``unsourced-...``.
- Comparative bioavailability studies list every tested form in ``compounds``; because outcomes are not
  per form, their absorption outcome is "mixed" and the effect text gives the ranking.
- Doses are ints or decimal strings, never floats.
"""

from __future__ import annotations

from typing import Any

S000 = "000_97fe550b28f54b88.txt"
S001 = "001_f765ae8c0fe6964a.txt"
S002 = "002_609534e461fc1ec7.txt"
S003 = "003_e3c7d1e430a705ab.txt"
S004 = "004_d2f6e6b64eb9727a.txt"

NO_SOURCE = "No source is given in the seed: no authors, journal, date, sample or method to check."

STUDIES: list[dict[str, Any]] = [
    # ------------------------------------------------------------------ seed 000: Keyora MoodFlow review
    {
        "key": "boyle-2017",
        "authors": "Boyle NB, Lawton C, Dye L",
        "year": 2017,
        "title": "The effects of magnesium supplementation on subjective anxiety and stress - a systematic review",
        "journal": "Nutrients",
        "doi": "10.3390/nu9050429",
        "pmid": "28445426",
        "design": "systematic-review",
        "population": "18 intervention studies in anxiety-vulnerable samples: mildly anxious, premenstrual syndrome, "
                      "postpartum, hypertension",
        "n": None,
        "compounds": [],
        "form_studied": "Various magnesium preparations, alone or with up to 5 other ingredients; the abstract reports "
                        "no comparison between forms",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "anxiety", "direction": "mixed",
             "effect": "Positive effects on subjective anxiety in 4/8 mildly anxious, 4/7 PMS and 1/2 hypertensive "
                       "samples; none postpartum. 'Suggestive of a beneficial effect' but 'the quality of the existing "
                       "evidence is poor'."},
            {"outcome": "stress", "direction": "not-reported",
             "effect": "No included study administered a validated measure of subjective stress."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S000,
        "seed_claim": "Cited eight times: 'magnesium supplementation - particularly in glycinate form - helps stabilize "
                      "the nervous system'; table 'Boyle NB, 2017 - 225-300 mg Mg - Reduced anxiety in mild-to-moderate "
                      "cases; magnesium glycinate outperformed magnesium oxide'; 'shows significant stress-buffering "
                      "effects in university students, particularly improving anxiety scores, sleep duration, and "
                      "attention metrics'; 'clear efficacy in stress-related anxiety and mild-to-moderate depression'.",
        "curator_notes": "Contradicts the review (abstract, PMID and DOI confirmed by search): it found poor-quality, "
                         "mixed evidence for anxiety, no validated stress outcome, and reports no glycinate-vs-oxide "
                         "comparison, no student population, no sleep, attention or depression analysis. A review has no "
                         "single dose, so the seed's '225-300 mg Mg' is not the review's (dose fields left empty). The "
                         "seed also cites it under two titles ('...subjective anxiety and stress' and '...stress and "
                         "anxiety').",
    },
    {
        "key": "serefko-2013",
        "authors": "Serefko A, Szopa A, Wlaź P, Nowak G, Radziwoń-Zaleska M, Skalski M, Poleszak E",
        "year": 2013,
        "title": "Magnesium in depression",
        "journal": "Pharmacological Reports",
        "doi": "",
        "pmid": "",
        "design": "narrative-review",
        "population": "",
        "n": None,
        "compounds": [],
        "form_studied": "Magnesium in general (review of mechanistic, animal and clinical reports)",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "depression", "direction": "benefit",
             "effect": "Narrative review: magnesium may have antidepressant potential via several systems (NMDA, GABA, "
                       "HPA); serum magnesium is not a reliable marker of depression. No pooled estimate."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S000,
        "seed_claim": "'Magnesium glycinate is recommended as a preferred form'; table 'Serefko A, 2013 - 200-300 mg Mg - "
                      "Modulated mood-related behaviors via GABA/NMDA/HPA pathways'; 'Magnesium glycinate can alleviate "
                      "anxiety, depression, and sleep disorders simultaneously'.",
        "curator_notes": "A narrative review, largely mechanistic and preclinical ('mood-related behaviors' are mostly "
                         "animal models). It has no dose of its own, so the seed's '200-300 mg Mg' is not from it (dose "
                         "fields left empty). We know of no recommendation of glycinate in it; verify before repeating "
                         "that. The seed gives two titles ('Magnesium and depression', 'Magnesium in depression') and two "
                         "author lists; the verified title and authors (found by search) are used here.",
    },
    {
        "key": "yamadera-2007",
        "authors": "Yamadera W, Inagawa K, Chiba S, Bannai M, Takahashi M, Nakayama K",
        "year": 2007,
        "title": "Glycine ingestion improves subjective sleep quality in human volunteers, correlating with "
                 "polysomnographic changes",
        "journal": "Sleep and Biological Rhythms",
        "doi": "10.1111/j.1479-8425.2007.00262.x",
        "pmid": "",
        "design": "rct",
        "population": "Volunteers with persistently unsatisfactory sleep",
        "n": 11,
        "compounds": ["glycine"],
        "form_studied": "Glycine 3 g before bedtime (free glycine, not magnesium glycinate)",
        "dose_compound_mg_min": 3000,
        "dose_compound_mg_max": 3000,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "sleep-quality", "direction": "benefit",
             "effect": "Improved subjective sleep quality and sleep efficiency; shortened PSG latency to sleep onset and "
                       "to slow-wave sleep, 'without changes in the sleep architecture'."},
            {"outcome": "fatigue", "direction": "benefit", "effect": "Less daytime sleepiness."},
            {"outcome": "memory", "direction": "benefit", "effect": "Better performance on memory recognition tasks."},
        ],
        "funding": "Corresponding author and two co-authors from Ajinomoto Co., a glycine producer (found by search)",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S000,
        "seed_claim": "'Glycine, by acting on brainstem GlyR pathways, can improve sleep onset, depth, and reduce nighttime "
                      "awakenings'; 'shortens sleep latency, and extends deep sleep duration'; 'marked efficacy in "
                      "individuals with light sleep + early awakening patterns'. Used as support for magnesium glycinate.",
        "curator_notes": "A glycine study, not magnesium glycinate. Dose (3 g), n=11 and design (randomised, single-blind "
                         "crossover, per a later review by the same group) found by search, not in the seed. The abstract "
                         "says sleep architecture did not change, so 'extends deep sleep duration' is not supported. By "
                         "formula, 240 mg elemental Mg as bisglycinate carries about 1.5 g glycine, half the 3 g studied.",
    },
    {
        "key": "abbasi-2012",
        "authors": "Abbasi B, Kimiagar M, Sadeghniiat K, Shirazi MM, Hedayati M, Rashidkhani B",
        "year": 2012,
        "title": "The effect of magnesium supplementation on primary insomnia in elderly: A double-blind "
                 "placebo-controlled clinical trial",
        "journal": "Journal of Research in Medical Sciences",
        "doi": "",
        "pmid": "",
        "design": "rct",
        "population": "46 elderly adults (60-75 years) with primary insomnia, Iran",
        "n": 46,
        "compounds": ["magnesium-oxide"],
        "form_studied": "Magnesium oxide, 414 mg twice daily (500 mg elemental magnesium a day); no vitamin B6",
        "dose_compound_mg_min": 828,
        "dose_compound_mg_max": 828,
        "dose_elemental_mg_min": 500,
        "dose_elemental_mg_max": 500,
        "duration": "8 weeks",
        "outcomes": [
            {"outcome": "insomnia", "direction": "benefit",
             "effect": "Insomnia Severity Index fell vs placebo (p=0.006); sleep onset latency shorter (p=0.02)."},
            {"outcome": "sleep-quality", "direction": "benefit",
             "effect": "Sleep time (p=0.002) and sleep efficiency (p=0.03) rose vs placebo, by sleep log and "
                       "questionnaires; no polysomnography or sleep staging."},
            {"outcome": "other", "direction": "benefit",
             "effect": "Serum melatonin and renin rose, serum cortisol fell vs placebo."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S000,
        "seed_claim": "Table 'Abbasi B, 2012 - 250 mg Mg + B6 - Better sleep quality, longer deep sleep, shorter sleep "
                      "latency'; 'In older women, magnesium supplementation improved sleep quality'; 'increases total "
                      "sleep time, sleep efficiency, and deep sleep proportion'; 'magnesium glycinate shows superior "
                      "tolerability and applicability'.",
        "curator_notes": "The seed misstates the trial (abstract found by search): 500 mg elemental magnesium a day, as "
                         "magnesium oxide (414 mg MgO twice daily, per a 2021 review's table), no vitamin B6, elderly men "
                         "and women, and no sleep-stage ('deep sleep') measurement. Dose fields hold the paper's dose, not "
                         "the seed's 250 mg: MoodFlow's 240 mg/day of glycinate is about half the studied dose of a "
                         "different form.",
    },
    {
        "key": "schuette-1994",
        "authors": "Schuette SA, Lashner BA, Janghorbani M",
        "year": 1994,
        "title": "Bioavailability of magnesium diglycinate vs magnesium oxide in patients with ileal resection",
        "journal": "JPEN Journal of Parenteral and Enteral Nutrition",
        "doi": "10.1177/0148607194018005430",
        "pmid": "7815675",
        "design": "rct",
        "population": "12 patients with ileal resection",
        "n": 12,
        "compounds": ["magnesium-bisglycinate", "magnesium-oxide"],
        "form_studied": "26Mg-labelled magnesium diglycinate (chelate) vs magnesium oxide, single 100 mg test doses, "
                        "double-blind randomised crossover",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "Single test doses (crossover)",
        "outcomes": [
            {"outcome": "absorption", "direction": "mixed",
             "effect": "26Mg absorption not different overall (23.5% chelate vs 22.8% MgO); higher from the chelate only "
                       "in the 4 patients absorbing MgO worst (23.5% vs 11.8%, p<0.05); earlier peak and larger AUC."},
            {"outcome": "gi-tolerance", "direction": "benefit",
             "effect": "The chelate was better tolerated than MgO by all patients."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S000,
        "seed_claim": "Cited as 'Bioavailability of magnesium glycinate vs. other magnesium salts. J Am Coll Nutr. "
                      "1994;13(5):429-435' and '...diglycinate vs other magnesium salts in human subjects'; 'significantly "
                      "higher absorption rates than magnesium oxide and magnesium citrate'; 'higher absorption compared to "
                      "magnesium oxide and magnesium sulfate, with fewer gastrointestinal side effects'.",
        "curator_notes": "Journal, volume and title in the seed are wrong: the paper is JPEN 1994;18(5):430-435 (found by "
                         "search). It compared diglycinate with oxide only (no citrate or sulfate), in 12 ileal-resection "
                         "patients, and found no overall difference in absorption. Single test doses, so no daily dose is "
                         "recorded. Small special population; not evidence of superiority in healthy adults.",
    },
    {
        "key": "walker-2000",
        "authors": "Walker AF, et al.",
        "year": 2000,
        "title": "Magnesium supplementation in stress and mood disorders: a review",
        "journal": "Magnesium Research",
        "doi": "",
        "pmid": "",
        "design": "narrative-review",
        "population": "",
        "n": None,
        "compounds": [],
        "form_studied": "",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "mood", "direction": "not-reported",
             "effect": "Seed: glycinate 'can significantly improve mood scores'; not verifiable."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S000,
        "seed_claim": "'Review evidence shows that magnesium glycinate can significantly improve mood scores and reduce "
                      "central nervous system hyperexcitability in individuals experiencing anxiety or stress.' Cited as "
                      "Magnes Res. 2000;13(4):263-269.",
        "curator_notes": "Could not be located in a search of stored public material; it may be mis-cited or not exist. "
                         "A review cannot itself show that glycinate 'significantly' improves mood. Not the same paper as "
                         "Walker 2003 (a bioavailability trial). Do not rely on it until the citation is verified.",
    },
    {
        "key": "walker-2003",
        "authors": "Walker AF, Marakis G, Christie S, Byng M",
        "year": 2003,
        "title": "Mg citrate found more bioavailable than other Mg preparations in a randomised, double-blind study",
        "journal": "Magnesium Research",
        "doi": "",
        "pmid": "",
        "design": "rct",
        "population": "46 healthy adults",
        "n": 46,
        "compounds": ["trimagnesium-dicitrate", "magnesium-oxide"],
        "form_studied": "Magnesium amino-acid chelate (amino acid not stated in the abstract), magnesium citrate and "
                        "magnesium oxide, vs placebo",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": 300,
        "dose_elemental_mg_max": 300,
        "duration": "60 days",
        "outcomes": [
            {"outcome": "absorption", "direction": "mixed",
             "effect": "Organic forms (citrate, amino-acid chelate) absorbed better than oxide; citrate was the most "
                       "bioavailable overall, per the title."},
            {"outcome": "serum-magnesium", "direction": "mixed",
             "effect": "After 60 days citrate gave the highest mean serum magnesium (general knowledge of the paper; "
                       "abstract only partly seen)."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S000,
        "seed_claim": "Cited as 'Mg bioavailability from Mg citrate, Mg oxide and Mg chelate. Magnes Res. "
                      "2003;16(3):183-191': 'In healthy volunteers, magnesium glycinate and magnesium citrate showed "
                      "superior bioavailability, while magnesium oxide performed poorest.'",
        "curator_notes": "The seed's title is not the paper's (found by search). The chelate is an unspecified amino-acid "
                         "chelate, not stated to be glycinate, so the study is not linked to magnesium-bisglycinate. The "
                         "paper's headline, that citrate was most bioavailable, undercuts seed 000's claim that glycinate "
                         "beats citrate.",
    },
    {
        "key": "de-baaij-2015",
        "authors": "de Baaij JHF, Hoenderop JGJ, Bindels RJM",
        "year": 2015,
        "title": "Magnesium in man: implications for health and disease",
        "journal": "Physiological Reviews",
        "doi": "",
        "pmid": "",
        "design": "narrative-review",
        "population": "",
        "n": None,
        "compounds": [],
        "form_studied": "Magnesium physiology in general",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "absorption", "direction": "not-reported",
             "effect": "Physiology review: intestinal and renal magnesium handling, magnesium in disease."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S000,
        "seed_claim": "'specifically recommends magnesium glycinate for nervous system and mood regulation'; 'magnesium "
                      "glycinate is absorbed via peptide transporters, offering a clear advantage over inorganic salts'; "
                      "'magnesium glycinate, with its stable absorption, is better suited for relieving muscle tension'.",
        "curator_notes": "A physiology review. From general knowledge (not checked against the full text) it recommends no "
                         "supplement form and describes absorption through TRPM6/TRPM7 channels and the paracellular route, "
                         "not PEPT1 uptake of chelates. Treat the seed's glycinate statements as unsupported until checked.",
    },
    {
        "key": "firoz-2001",
        "authors": "Firoz M, Graber M",
        "year": 2001,
        "title": "Bioavailability of US commercial magnesium preparations",
        "journal": "Magnesium Research",
        "doi": "",
        "pmid": "11794633",
        "design": "non-randomised-trial",
        "population": "Normal volunteers",
        "n": None,
        "compounds": ["magnesium-oxide", "magnesium-chloride-hexahydrate", "magnesium-lactate-dihydrate",
                      "magnesium-l-aspartate"],
        "form_studied": "Four US commercial preparations: magnesium oxide, chloride, lactate and aspartate (hydrate forms "
                        "not stated); no glycinate",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": 255,
        "dose_elemental_mg_max": 255,
        "duration": "",
        "outcomes": [
            {"outcome": "absorption", "direction": "mixed",
             "effect": "Oxide: fractional absorption 4%. Chloride, lactate and aspartate significantly higher and "
                       "equivalent to each other (increment in urinary magnesium)."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S000,
        "seed_claim": "'magnesium oxide ranked lowest, while organic chelates such as magnesium glycinate and magnesium "
                      "lactate achieved significantly higher absorption rates'; 'organic chelated magnesium (e.g., "
                      "magnesium glycinate) having the highest uptake'.",
        "curator_notes": "Glycinate was not tested (abstract and PMID found by search). The paper concludes that inorganic "
                         "salts 'may have bioavailability equivalent to organic magnesium salts' (chloride = lactate = "
                         "aspartate), against the seed's 'structure determines absorption'. Elemental dose converted from "
                         "'approximately 21 mEq/day'. Randomisation not stated. Mapping chloride and lactate to the "
                         "library's hydrate entries is an assumption. Seed 004's 'Mg Oxide Poor (4%)' matches this paper.",
    },
    {
        "key": "rosanoff-2016",
        "authors": "Rosanoff A, Dai Q, Shapses SA",
        "year": 2016,
        "title": "Essential nutrient interactions: does low or suboptimal magnesium status interact with vitamin D and/or "
                 "calcium status?",
        "journal": "Advances in Nutrition",
        "doi": "10.3945/an.115.008631",
        "pmid": "26773013",
        "design": "narrative-review",
        "population": "",
        "n": None,
        "compounds": [],
        "form_studied": "",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "other", "direction": "not-reported",
             "effect": "Review of calcium:magnesium intake ratios, magnesium-vitamin D interactions and chronic disease."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S000,
        "seed_claim": "'magnesium absorption depends on its salt form; organic chelates are better suited for intestinal "
                      "transport'; 'Magnesium's stress-buffering effect involves HPA axis negative feedback regulation; "
                      "deficiency heightens cortisol reactivity'.",
        "curator_notes": "The abstract (found by search) is about Ca:Mg ratios and vitamin D; it says nothing of salt forms, "
                         "chelates, the HPA axis or cortisol, so the seed's summaries are unsupported by it. The seed also "
                         "gives a shortened title ('magnesium, vitamin D and calcium').",
    },
    {
        "key": "wienecke-2015",
        "authors": "Wienecke T, Gazerani P, Ashina M",
        "year": 2015,
        "title": "Magnesium deficiency and increased risk of migraine and sleep disorders",
        "journal": "The Journal of Headache and Pain",
        "doi": "",
        "pmid": "",
        "design": "narrative-review",
        "population": "",
        "n": None,
        "compounds": [],
        "form_studied": "",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "sleep-quality", "direction": "not-reported",
             "effect": "Seed: 'supplementation with magnesium glycinate can improve sleep architecture and depth'; "
                       "not verifiable."},
            {"outcome": "migraine", "direction": "not-reported", "effect": "Per title only."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S000,
        "seed_claim": "'magnesium suppresses excessive neuromuscular excitability'; 'magnesium glycinate helps relieve "
                      "muscle tension'; 'Sleep quality is closely linked to brain magnesium concentration; supplementation "
                      "with magnesium glycinate can improve sleep architecture and depth'.",
        "curator_notes": "Could not be located in a search of stored public material. The seed cites it under three "
                         "titles ('...increased risk of migraine and sleep disorders', '...and sleep disorders', '...: "
                         "Mechanistic perspectives'), and 'J Headache Pain 2015;16:1-6' does not fit that journal's "
                         "article-number style. Possibly mis-cited or fabricated; glycinate claims unverifiable.",
    },
    {
        "key": "chandrasekhar-2012",
        "authors": "Chandrasekhar K, Kapoor J, Anishetty S",
        "year": 2012,
        "title": "A prospective, randomized double-blind, placebo-controlled study of safety and efficacy of a "
                 "high-concentration full-spectrum extract of Ashwagandha root in reducing stress and anxiety in adults",
        "journal": "Indian Journal of Psychological Medicine",
        "doi": "10.4103/0253-7176.106022",
        "pmid": "23439798",
        "design": "rct",
        "population": "64 adults with a history of chronic stress",
        "n": 64,
        "compounds": ["ashwagandha-root-extract"],
        "form_studied": "High-concentration full-spectrum ashwagandha root extract, one 300 mg capsule twice daily",
        "dose_compound_mg_min": 600,
        "dose_compound_mg_max": 600,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "60 days",
        "outcomes": [
            {"outcome": "stress", "direction": "benefit",
             "effect": "Scores on all stress-assessment scales fell vs placebo at day 60 (p<0.0001)."},
            {"outcome": "other", "direction": "benefit", "effect": "Serum cortisol fell vs placebo (p=0.0006)."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S000,
        "seed_claim": "'Although an Ashwagandha study, it shows synergistic action with magnesium in modulating the HPA "
                      "axis'; 'Ashwagandha effectively lowers cortisol levels, alleviates chronic stress responses, and "
                      "improves sleep quality'.",
        "curator_notes": "No magnesium was given, so 'synergistic action with magnesium' has no basis in this trial. Sleep "
                         "quality is not among the abstract's outcomes. n, dose, duration, DOI and PMID found by search.",
    },
    {
        "key": "chakrabarti-2013",
        "authors": "Chakrabarti B, et al.",
        "year": 2013,
        "title": "Role of magnesium in menopausal symptoms: A review",
        "journal": "Journal of Mid-life Health",
        "doi": "",
        "pmid": "",
        "design": "narrative-review",
        "population": "",
        "n": None,
        "compounds": [],
        "form_studied": "",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "other", "direction": "not-reported",
             "effect": "Seed: relieves menopausal anxiety, insomnia and hot flashes; lowers ACTH and cortisol."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S000,
        "seed_claim": "'Magnesium can reduce ACTH and cortisol levels in menopausal and stress states'; 'magnesium can "
                      "significantly alleviate menopausal symptoms such as anxiety, insomnia, and hot flashes'.",
        "curator_notes": "Could not be located in a search of stored public material; unverified. A review cannot establish "
                         "'significant' relief by itself.",
    },
    {
        "key": "barbagallo-2010",
        "authors": "Barbagallo M, Dominguez LJ",
        "year": 2010,
        "title": "Magnesium and aging",
        "journal": "Current Pharmaceutical Design",
        "doi": "",
        "pmid": "",
        "design": "narrative-review",
        "population": "",
        "n": None,
        "compounds": [],
        "form_studied": "",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "cognition", "direction": "not-reported",
             "effect": "Seed: Mg-ATP role 'helping reduce neuro-fatigue and cognitive decline'."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S000,
        "seed_claim": "'Magnesium participates in Mg-ATP synthesis, a core component of mitochondrial oxidative "
                      "phosphorylation, helping reduce neuro-fatigue and cognitive decline.'",
        "curator_notes": "A narrative review of magnesium in ageing (general knowledge); mechanistic support at most, "
                         "nothing specific to glycinate.",
    },
    {
        "key": "volpe-2013",
        "authors": "Volpe SL",
        "year": 2013,
        "title": "Magnesium and the brain: a focus on neuroinflammation and depression",
        "journal": "Nutrients",
        "doi": "",
        "pmid": "",
        "design": "narrative-review",
        "population": "",
        "n": None,
        "compounds": [],
        "form_studied": "",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "depression", "direction": "not-reported",
             "effect": "Seed: deficiency exacerbates inflammation and oxidative stress."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S000,
        "seed_claim": "'Magnesium supports brain metabolism and neuroplasticity; deficiency exacerbates inflammation and "
                      "oxidative stress, impairing neural recovery.' Cited as Nutrients 2013;5(6):6206-6225.",
        "curator_notes": "Could not be located. Volpe's known 2013 magnesium review is 'Magnesium in disease prevention and "
                         "overall health' (Adv Nutr; general knowledge), and a near-identical title, 'Magnesium and the "
                         "Brain: A Focus on Neuroinflammation and Neurodegeneration', is Maier et al., Int J Mol Sci 2023 "
                         "(found by search). Possibly a conflated or fabricated citation.",
    },
    {
        "key": "tarleton-2015",
        "authors": "Tarleton EK, Littenberg B",
        "year": 2015,
        "title": "Magnesium intake and depression in adults",
        "journal": "Journal of the American Board of Family Medicine",
        "doi": "10.3122/jabfm.2015.02.140176",
        "pmid": "",
        "design": "observational",
        "population": "8,894 US adults aged 20 and over, NHANES 2007-2010, cross-sectional",
        "n": 8894,
        "compounds": [],
        "form_studied": "Dietary plus supplemental magnesium intake by 24-hour recall; no intervention",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "depression", "direction": "mixed",
             "effect": "Very low intake (<184 mg/day) associated with depression (adjusted RR 1.16, 95% CI 1.06-1.30); "
                       "in adults 65 and over low intake appeared protective (RR 0.75)."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S000,
        "seed_claim": "Table 'Tarleton EK, 2015 - 248 mg Mg - Significant reduction in depression scores; improved fatigue "
                      "and low mood'; 'Higher magnesium intake in adolescents correlates with lower depression scores and "
                      "improved anxiety regulation'; 'individuals with higher magnesium intake show a significantly "
                      "reduced risk of developing depressive symptoms'.",
        "curator_notes": "A cross-sectional association in adults (abstract and DOI found by search): not a trial, no dose, "
                         "no adolescents, no anxiety or fatigue outcome, and no incidence ('developing') data. '248 mg' "
                         "matches Tarleton et al. 2017 (PLoS One), an open-label trial of 248 mg/day elemental magnesium "
                         "as magnesium chloride for 6 weeks (general knowledge; not cited by the seed): the seed seems to "
                         "have merged the two papers. Neither used glycinate.",
    },
    {
        "key": "lakhan-2008",
        "authors": "Lakhan SE, Vieira KF",
        "year": 2008,
        "title": "Nutritional therapies for mental disorders",
        "journal": "Nutrition Journal",
        "doi": "10.1186/1475-2891-7-2",
        "pmid": "",
        "design": "narrative-review",
        "population": "",
        "n": None,
        "compounds": [],
        "form_studied": "",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "anxiety", "direction": "not-reported",
             "effect": "Seed: magnesium suitable for hyperexcitatory states such as anxiety and panic."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S000,
        "seed_claim": "'Magnesium is a key nutrient for GABA signaling modulation and is suitable as a non-pharmacological "
                      "intervention for hyperexcitatory states such as anxiety and panic disorders.'",
        "curator_notes": "Broad narrative review of nutrients in mental disorders (general knowledge; the seed gives "
                         "'Lakhan SE, et al.', second author from general knowledge). Nothing glycinate-specific.",
    },
    {
        "key": "hidese-2019",
        "authors": "Hidese S, Ogawa S, Ota M, Ishida I, Yasukawa Z, Ozeki M, Kunugi H",
        "year": 2019,
        "title": "Effects of L-theanine administration on stress-related symptoms and cognitive functions in healthy "
                 "adults: a randomized controlled trial",
        "journal": "Nutrients",
        "doi": "10.3390/nu11102362",
        "pmid": "31623400",
        "design": "rct",
        "population": "30 healthy adults (9 men, 21 women; mean age 48) without major psychiatric illness",
        "n": 30,
        "compounds": ["l-theanine"],
        "form_studied": "L-theanine tablets 200 mg/day (double-blind placebo-controlled crossover)",
        "dose_compound_mg_min": 200,
        "dose_compound_mg_max": 200,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "4 weeks per period (crossover)",
        "outcomes": [
            {"outcome": "depression", "direction": "benefit",
             "effect": "Self-rating Depression Scale fell after L-theanine (p=0.019)."},
            {"outcome": "anxiety", "direction": "benefit", "effect": "STAI-trait fell after L-theanine (p=0.006)."},
            {"outcome": "sleep-quality", "direction": "benefit",
             "effect": "PSQI fell (p=0.013); latency, disturbance and sleep-medication subscales improved vs placebo."},
            {"outcome": "cognition", "direction": "benefit",
             "effect": "Verbal fluency (p=0.001) and executive function (p=0.031) improved."},
        ],
        "funding": "Two co-authors from Taiyo Kagaku Co., an L-theanine (Suntheanine) manufacturer (found by search)",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S000,
        "seed_claim": "Table 'Hidese S, 2019 - L-Theanine (synergistic with magnesium glycinate) enhances cognitive "
                      "performance under stress, stabilizes mood, and improves sleep quality'; 'L-Theanine, in synergy with "
                      "magnesium, can reduce hyperexcitability of the nervous system'.",
        "curator_notes": "No magnesium in this trial: 'synergistic with magnesium glycinate' is the seed's own addition. "
                         "Small crossover trial. Details, DOI and PMID found by search.",
    },
    {
        "key": "di-carlo-2014",
        "authors": "Di Carlo C, et al.",
        "year": 2014,
        "title": "Role of magnesium in menopause",
        "journal": "Gynecological Endocrinology",
        "doi": "",
        "pmid": "",
        "design": "narrative-review",
        "population": "",
        "n": None,
        "compounds": [],
        "form_studied": "",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "other", "direction": "not-reported",
             "effect": "Seed: glycinate 'gaining clinical attention' for menopausal syndrome."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S000,
        "seed_claim": "'Magnesium glycinate, as a non-hormonal adjunctive intervention, is gaining clinical attention for "
                      "the management of menopausal syndrome.'",
        "curator_notes": "Could not be located in a search of stored public material; unverified.",
    },
    {
        "key": "birdsall-1998",
        "authors": "Birdsall TC",
        "year": 1998,
        "title": "5-Hydroxytryptophan: a clinically-effective serotonin precursor",
        "journal": "Alternative Medicine Review",
        "doi": "",
        "pmid": "",
        "design": "narrative-review",
        "population": "",
        "n": None,
        "compounds": ["5-htp"],
        "form_studied": "5-HTP (review)",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "depression", "direction": "not-reported", "effect": "Narrative review of 5-HTP."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S000,
        "seed_claim": "'5-HTP is a direct precursor to serotonin, requiring magnesium and coenzymes to complete its "
                      "metabolic conversion into an active neurotransmitter.'",
        "curator_notes": "Narrative review of 5-HTP; nothing on magnesium glycinate. The seed says magnesium is a cofactor "
                         "of AADC; from general knowledge AADC depends on pyridoxal phosphate (vitamin B6), not magnesium.",
    },
    {
        "key": "kennedy-2016",
        "authors": "Kennedy DO",
        "year": 2016,
        "title": "B vitamins and the brain: mechanisms, dose and efficacy - a review",
        "journal": "Nutrients",
        "doi": "10.3390/nu8020068",
        "pmid": "",
        "design": "narrative-review",
        "population": "",
        "n": None,
        "compounds": [],
        "form_studied": "B vitamins (review)",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "cognition", "direction": "not-reported", "effect": "Narrative review of B vitamins and brain."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S000,
        "seed_claim": "'Vitamins B1, B6, and B12 play synergistic roles in neurotransmitter synthesis, myelin repair, and "
                      "brain energy metabolism, participating in key enzyme reactions alongside magnesium.'",
        "curator_notes": "Real review (general knowledge; DOI follows the journal's fixed pattern for 8(2):68). Not about "
                         "magnesium; supports nothing about magnesium glycinate.",
    },
    {
        "key": "unsourced-glycinate-absorption",
        "authors": "",
        "year": None,
        "title": "[Unsourced claim: magnesium glycinate absorption of 50-80% (vs <10% for inorganic salts), over four "
                 "times magnesium oxide, with no laxative effect]",
        "journal": "",
        "doi": "",
        "pmid": "",
        "design": "marketing-claim",
        "population": "",
        "n": None,
        "compounds": ["magnesium-bisglycinate"],
        "form_studied": "Magnesium glycinate",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "absorption", "direction": "benefit",
             "effect": "Claimed: absorption 50-80% vs <10% for inorganic salts; 'over four times the absorption "
                       "efficiency of magnesium oxide and significantly higher than magnesium citrate'."},
            {"outcome": "gi-tolerance", "direction": "benefit",
             "effect": "Claimed: 'zero laxative side effects'; 'the gentlest oral form, suitable even for individuals "
                       "with IBS'."},
        ],
        "funding": "",
        "verification": "disputed",
        "seed_file": S000,
        "seed_claim": "'Multiple studies have shown magnesium glycinate can reach an absorption rate of 50-80%'; 'Clinical "
                      "and pharmacokinetic studies show magnesium glycinate achieves over four times the absorption "
                      "efficiency of magnesium oxide'; 'Clinical data confirm it is the gentlest oral form'.",
        "curator_notes": NO_SOURCE + " The bioavailability papers the seed does cite do not support it: Schuette 1994 found "
                         "no overall difference from oxide in 12 patients, Firoz 2001 did not test glycinate, Walker 2003 "
                         "found citrate most bioavailable.",
    },
    {
        "key": "unsourced-glycinate-deep-sleep",
        "authors": "",
        "year": None,
        "title": "[Unsourced claim: evening magnesium glycinate increases deep (N3) sleep and shortens sleep latency]",
        "journal": "",
        "doi": "",
        "pmid": "",
        "design": "marketing-claim",
        "population": "",
        "n": None,
        "compounds": ["magnesium-bisglycinate"],
        "form_studied": "Magnesium glycinate, evening dosing",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "sleep-quality", "direction": "benefit",
             "effect": "Claimed: 'improved deep sleep proportion, reduced sleep latency'; supplementation 'extends N3 "
                       "(deep sleep) duration'."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S000,
        "seed_claim": "'Studies of evening magnesium glycinate intake show improved deep sleep proportion, reduced sleep "
                      "latency, and benefit for insomnia and fragmented sleep patterns'; 'Research shows magnesium "
                      "supplementation extends N3 (deep sleep) duration and shortens sleep latency.'",
        "curator_notes": NO_SOURCE + " None of the studies the seed cites measured sleep stages with glycinate: Abbasi 2012 "
                         "used magnesium oxide with questionnaires and sleep logs; Yamadera 2007 used glycine and found no "
                         "change in sleep architecture.",
    },
    # ------------------------------------------------------------------ seed 001: magnesium L-threonate article
    {
        "key": "unsourced-mgt-csf-50pct",
        "authors": "",
        "year": None,
        "title": "[Unsourced claim: oral magnesium L-threonate raises brain-fluid magnesium by over 50% from baseline]",
        "journal": "",
        "doi": "",
        "pmid": "",
        "design": "marketing-claim",
        "population": "",
        "n": None,
        "compounds": ["magnesium-l-threonate"],
        "form_studied": "Magnesium L-threonate (Magtein)",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "brain-magnesium", "direction": "benefit",
             "effect": "Claimed: cerebrospinal-fluid magnesium up by more than 50% from baseline."},
        ],
        "funding": "",
        "verification": "disputed",
        "seed_file": S001,
        "seed_claim": "'Studies show that oral intake of this compound can raise brain fluid magnesium levels by over 50% "
                      "compared to baseline.'",
        "curator_notes": NO_SOURCE + " Contradicts seed 004, which attributes about 15% (in rodents) to Slutsky 2010; from "
                         "general knowledge that rat study reported CSF magnesium rises of roughly 7-15%. No seed cites any "
                         "human CSF or brain magnesium measurement.",
    },
    # ------------------------------------------------------------------ seed 002: glycinate lysinate piece
    {
        "key": "unsourced-integrative-centers-serum",
        "authors": "",
        "year": None,
        "title": "[Unsourced claim: 'internal clinical data from leading integrative centers' - 40-60% rise in serum "
                 "magnesium within two hours of magnesium glycinate lysinate]",
        "journal": "",
        "doi": "",
        "pmid": "",
        "design": "marketing-claim",
        "population": "",
        "n": None,
        "compounds": [],
        "form_studied": "Magnesium glycinate lysinate (not a compound in the library)",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "serum-magnesium", "direction": "benefit",
             "effect": "Claimed: serum magnesium up 40-60% within two hours of ingestion."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S002,
        "seed_claim": "'A 40-60% increase in serum magnesium levels within two hours post-ingestion, according to internal "
                      "clinical data from leading integrative centers.'",
        "curator_notes": NO_SOURCE + " Implausible on its face: single oral doses typically raise serum magnesium by a few "
                         "per cent (e.g. maximal rises of about 5-6% in Blancquaert et al., Nutrients 2019, found by "
                         "search), and a 50% rise would approach hypermagnesaemia. The seed's chemistry is also "
                         "inconsistent ('lysinate forms a stable... complex stabilized by two glycinate molecules').",
    },
    {
        "key": "unsourced-boston-case-series-2023",
        "authors": "",
        "year": 2023,
        "title": "[Unsourced claim: 2023 case series from a Boston integrative clinic, 180 patients with refractory "
                 "magnesium deficiency treated with lysinate formulations]",
        "journal": "",
        "doi": "",
        "pmid": "",
        "design": "marketing-claim",
        "population": "180 patients with refractory magnesium deficiency at a Boston integrative clinic (as claimed)",
        "n": 180,
        "compounds": [],
        "form_studied": "Magnesium glycinate lysinate formulations (not a compound in the library)",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "serum-magnesium", "direction": "benefit",
             "effect": "Claimed: serum levels normalised within 72 hours vs 5-7 days with standard glycinate."},
            {"outcome": "gi-tolerance", "direction": "benefit",
             "effect": "Claimed: 1.2% mild GI discomfort vs 8-12% 'with oxytartrate or chloride salts'."},
            {"outcome": "other", "direction": "benefit", "effect": "Claimed: compliance rose to 89%."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S002,
        "seed_claim": "'In a 2023 case series from a Boston integrative clinic treating 180 patients with refractory "
                      "magnesium deficiency, lysinate formulations achieved rapid normalization of serum levels - within 72 "
                      "hours - compared to 5-7 days with standard glycinate. ... only 1.2% reported mild gastrointestinal "
                      "discomfort, far below the 8-12% observed with oxytartrate or chloride salts. ... compliance rate "
                      "rose to 89%.'",
        "curator_notes": NO_SOURCE + " No clinic, authors or publication named; not traceable. A case series has no "
                         "concurrent control, so the comparisons with glycinate and other salts cannot come from it. "
                         "'Oxytartrate' is not a usual magnesium salt name.",
    },
    {
        "key": "unsourced-in-vitro-trpv6-glut1",
        "authors": "",
        "year": None,
        "title": "[Unsourced claim: 'recent in vitro studies' in human intestinal models show lysinate magnesium enters "
                 "enterocytes via TRPV6 channels and GLUT1]",
        "journal": "",
        "doi": "",
        "pmid": "",
        "design": "marketing-claim",
        "population": "",
        "n": None,
        "compounds": [],
        "form_studied": "Magnesium glycinate lysinate (not a compound in the library)",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "absorption", "direction": "benefit",
             "effect": "Claimed: TRPV6 activation and GLUT1-mediated uptake into enterocytes; avoids lysosomal "
                       "sequestration."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S002,
        "seed_claim": "'Recent in vitro studies using human intestinal epithelial models reveal ... lysinate magnesium "
                      "preferentially activates TRPV6 calcium channels at the brush border, then leverages GLUT1-mediated "
                      "glucose transport symporters to ferry magnesium into enterocytes.'",
        "curator_notes": NO_SOURCE + " TRPV6 is a calcium channel and GLUT1 a glucose transporter; neither is an "
                         "established magnesium uptake route (TRPM6/TRPM7 and paracellular; general knowledge). The same "
                         "seed earlier credits a paracellular mechanism. Even if real, in vitro data would not show "
                         "absorption in people.",
    },
    {
        "key": "unsourced-jnb-meta-analysis-2024",
        "authors": "",
        "year": 2024,
        "title": "[Unattributed 2024 meta-analysis: magnesium absorption efficiency dropped by up to 25% with dysbiosis "
                 "or elevated stomach acid]",
        "journal": "Journal of Nutritional Biochemistry",
        "doi": "",
        "pmid": "",
        "design": "marketing-claim",
        "population": "",
        "n": None,
        "compounds": [],
        "form_studied": "Not stated",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "absorption", "direction": "not-reported",
             "effect": "Claimed: absorption efficiency fell by up to 25% under dysbiosis or elevated stomach acid."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S002,
        "seed_claim": "'A 2024 meta-analysis in Journal of Nutritional Biochemistry noted that under conditions of "
                      "dysbiosis or elevated stomach acid, absorption efficiency dropped by up to 25%.'",
        "curator_notes": NO_SOURCE + " Only a journal and year are given, so the paper cannot be identified. The seed uses "
                         "it beside the assertion that 'lysinate's superior absorption is validated', for which no source "
                         "is given at all.",
    },
    {
        "key": "unsourced-preclinical-70pct-uptake",
        "authors": "",
        "year": None,
        "title": "[Unsourced claim: early preclinical trials of pH-responsive lysinate carriers show tissue-specific uptake "
                 "up by 70%]",
        "journal": "",
        "doi": "",
        "pmid": "",
        "design": "marketing-claim",
        "population": "",
        "n": None,
        "compounds": [],
        "form_studied": "pH-responsive magnesium lysinate carriers in development (not a compound in the library)",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "absorption", "direction": "benefit",
             "effect": "Claimed: tissue-specific uptake increased by 70% in targeted zones (preclinical)."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S002,
        "seed_claim": "'Companies are now developing pH-responsive lysinate carriers ... Early preclinical trials show "
                      "promise, with tissue-specific uptake increasing by 70% in targeted zones.'",
        "curator_notes": NO_SOURCE + " No species, model or comparator. Preclinical data about products still in "
                         "development say nothing about the marketed ingredient in people.",
    },
    # ------------------------------------------------------------------ seed 003: MagTech blog post
    {
        "key": "derom-2013",
        "authors": "Derom ML, Sayón-Orea C, Martínez-Ortega JM, Martínez-González MA",
        "year": 2013,
        "title": "Magnesium and depression: a systematic review",
        "journal": "Nutritional Neuroscience",
        "doi": "10.1179/1476830512Y.0000000044",
        "pmid": "",
        "design": "systematic-review",
        "population": "27 human studies: 21 cross-sectional, 3 intervention trials, 1 prospective, 1 case-only, "
                      "1 case series",
        "n": None,
        "compounds": [],
        "form_studied": "Dietary magnesium intake, blood and CSF magnesium, and supplementation",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "depression", "direction": "mixed",
             "effect": "Higher dietary magnesium 'seems to be associated' with fewer depressive symptoms (reverse causality "
                       "not excluded); blood and CSF findings inconclusive; treatment data 'scarce and incongruous'."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S003,
        "seed_claim": "'A paper, Magnesium and depression: a systematic review, in Nutritional Neuroscience analyzed 29 "
                      "different studies ... It concluded that there is a statistical significant correlation between low "
                      "dietary intake of magnesium and depression.'",
        "curator_notes": "Seed gives title and journal only; authors, year and DOI found by search (the seed's quoted "
                         "sentences match the abstract). The abstract lists 27 studies, not 29, and is cautious ('seems to "
                         "be associated', 'reverse causality cannot be excluded'): 'statistical significant correlation' "
                         "overstates it.",
    },
    {
        "key": "huang-2012",
        "authors": "Huang JH, Lu YF, Cheng FC, Lee JN, Tsai LC",
        "year": 2012,
        "title": "Correlation of magnesium intake with metabolic parameters, depression and physical activity in elderly "
                 "type 2 diabetes patients: a cross-sectional study",
        "journal": "Nutrition Journal",
        "doi": "10.1186/1475-2891-11-41",
        "pmid": "22695027",
        "design": "observational",
        "population": "210 patients with type 2 diabetes aged 65 and over, Taiwan",
        "n": 210,
        "compounds": [],
        "form_studied": "Dietary magnesium intake (24-hour recall); no intervention",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "depression", "direction": "benefit",
             "effect": "Depression (DSM-IV) associated with lower magnesium intake (p<0.05); cross-sectional."},
            {"outcome": "other", "direction": "not-reported",
             "effect": "88.6% had intake below the DRI; 37.1% hypomagnesaemia; metabolic syndrome associated with lower "
                       "intake."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S003,
        "seed_claim": "'A 2012 Taiwanese study, also showed correlations between depression in Type-2 diabetics and "
                      "magnesium.'",
        "curator_notes": "Identified by search (the seed quotes its abstract's first sentence); authors, journal, DOI and "
                         "PMID not in the seed. A correlation in a small cross-sectional sample; says nothing about "
                         "supplements or forms.",
    },
    {
        "key": "tarighat-esfanjani-2012",
        "authors": "Tarighat Esfanjani A, et al.",
        "year": 2012,
        "title": "The effects of magnesium, L-carnitine, and concurrent magnesium-L-carnitine supplementation in migraine "
                 "prophylaxis",
        "journal": "Biological Trace Element Research",
        "doi": "10.1007/s12011-012-9487-5",
        "pmid": "22895810",
        "design": "rct",
        "population": "133 migraine patients on routine treatment, Iran",
        "n": 133,
        "compounds": ["magnesium-oxide"],
        "form_studied": "Three arms: magnesium oxide 500 mg/day, L-carnitine 500 mg/day, or both; plus a control group "
                        "without supplement",
        "dose_compound_mg_min": 500,
        "dose_compound_mg_max": 500,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "12 weeks",
        "outcomes": [
            {"outcome": "migraine", "direction": "benefit",
             "effect": "Attacks/month, migraine days/month and severity fell in all groups; a nested model attributed a "
                       "significant effect on all indicators to magnesium. Authors call the findings preliminary."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S003,
        "seed_claim": "'A 2012 Iran study ... of 133 people suffering from migraines demonstrated that concurrent "
                      "supplementation of Magnesium and L-Carnitine had a significant positive effect on migraines.'",
        "curator_notes": "Identified by search (the seed quotes the abstract); first author, journal, DOI, PMID, dose and "
                         "duration not in the seed. Linked to magnesium-oxide because one arm took magnesium oxide alone; "
                         "the combination arm is not a library compound. '500 mg/day' is read as magnesium oxide mass (the "
                         "abstract also writes '500 mg/day magnesium' for the combination arm: ambiguous). The control "
                         "group got no placebo, so blinding was absent.",
    },
    {
        "key": "sebo-2019",
        "authors": "Sebo P, Haller DM, Cerutti B, Maisonneuve H",
        "year": 2019,
        "title": "A prospective observational study of the main features of nocturnal leg cramps in primary care",
        "journal": "Swiss Medical Weekly",
        "doi": "10.4414/smw.2019.20048",
        "pmid": "",
        "design": "observational",
        "population": "129 primary-care patients over 50 with nocturnal leg cramps, western Switzerland",
        "n": 129,
        "compounds": [],
        "form_studied": "Not stated (observational; magnesium use, if any, self-selected)",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "2-week daily cramp log",
        "outcomes": [
            {"outcome": "muscle-cramps", "direction": "not-reported",
             "effect": "Seed: magnesium 'was associated with fewer cramps per day'. The magnesium result could not be "
                       "confirmed from the abstract; any such link is an observational association."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S003,
        "seed_claim": "'A 2019 Swiss study of 129 patients found that it was associated with fewer cramps per day.'",
        "curator_notes": "Identified by search (Swiss, 2019, 129 patients, leg cramps); authors, journal and DOI not in the "
                         "seed. It describes cramp characteristics; it is not a trial of magnesium and cannot show that "
                         "magnesium prevents cramps. Randomised trials (e.g. Roguin Maor 2017, cited in the same paragraph) "
                         "found no benefit over placebo.",
    },
    {
        "key": "roguin-maor-2017",
        "authors": "Roguin Maor N, Alperin M, Shturman E, Khairaldeen H, Friedman M, Karkabi K, Milman U",
        "year": 2017,
        "title": "Effect of magnesium oxide supplementation on nocturnal leg cramps: a randomized clinical trial",
        "journal": "JAMA Internal Medicine",
        "doi": "10.1001/jamainternmed.2016.9261",
        "pmid": "28241153",
        "design": "rct",
        "population": "94 community-dwelling adults aged 21 or over (mean 65) with at least 4 nocturnal leg cramps in "
                      "2 weeks, northern Israel",
        "n": 94,
        "compounds": ["magnesium-oxide"],
        "form_studied": "Magnesium oxide capsules once daily at bedtime vs placebo",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "4 weeks",
        "outcomes": [
            {"outcome": "muscle-cramps", "direction": "no-effect",
             "effect": "Cramps/week fell by 3.41 on MgO and 3.03 on placebo; difference 0.38/week (p=0.67, ITT). No "
                       "differences in severity or duration."},
            {"outcome": "sleep-quality", "direction": "no-effect", "effect": "No between-group difference in sleep quality."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S003,
        "seed_claim": "'a 2017 Israeli clinical trial concluded that oral supplementation while helpful to those suffering "
                      "from leg cramps doesn't outperform a placebo, perhaps Magnesium Oil Spray that you apply directly to "
                      "your skin is a better option.'",
        "curator_notes": "Identified by search; authors, journal, DOI, PMID and results not in the seed. Both arms improved "
                         "similarly, which is placebo and regression to the mean, not 'helpful' magnesium. The seed's "
                         "turn to topical magnesium oil has no evidence behind it. Daily MgO dose not recorded (not in the "
                         "seed or the abstract seen).",
    },
    {
        "key": "bullarbo-2013",
        "authors": "Bullarbo M, Ödman N, Nestler A, Nielsen T, Kolisek M, Vormann J, Rylander R",
        "year": 2013,
        "title": "Magnesium supplementation to prevent high blood pressure in pregnancy: a randomised placebo control "
                 "trial",
        "journal": "Archives of Gynecology and Obstetrics",
        "doi": "10.1007/s00404-013-2900-2",
        "pmid": "",
        "design": "rct",
        "population": "Primigravid women from a local antenatal care unit, Sweden",
        "n": None,
        "compounds": ["trimagnesium-dicitrate"],
        "form_studied": "300 mg magnesium as citrate daily vs placebo, from pregnancy week 25",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": 300,
        "dose_elemental_mg_max": 300,
        "duration": "From pregnancy week 25 to delivery",
        "outcomes": [
            {"outcome": "blood-pressure", "direction": "benefit",
             "effect": "Diastolic BP at week 37 lower than placebo (72 vs 77 mmHg, p=0.031); fewer women with a diastolic "
                       "rise of 15 mmHg or more (p=0.011)."},
        ],
        "funding": "Partly funded by Protina GmbH (magnesium supplement maker); co-author Vormann a scientific consultant "
                   "(found by search)",
        "verification": "as-cited",
        "seed_file": S003,
        "seed_claim": "'A Swedish study demonstrated that Magnesium can regulate high blood pressure that is common towards "
                      "the ends of pregnancies ... Magnesium supplementation prevented an increase in diastolic blood "
                      "pressure during the last weeks of pregnancy.'",
        "curator_notes": "Identified by search (the seed quotes its abstract); authors, journal, DOI, dose and funding not in "
                         "the seed. n not recorded (not in the abstract seen). A later multicentre RCT by the same group "
                         "(Bullarbo et al., J Pregnancy 2018, 200 nulliparous women; found by search) found no difference "
                         "in blood-pressure increase and advised against supplementation for this purpose. 'Citrate' mapped "
                         "to trimagnesium dicitrate by convention.",
    },
    {
        "key": "scheer-2013",
        "authors": "Scheer BV, Valero Burgos E",
        "year": 2013,
        "title": "Improving performance? Dietary supplementation practice in ultramarathon runners",
        "journal": "British Journal of Sports Medicine",
        "doi": "",
        "pmid": "",
        "design": "observational",
        "population": "32 ultramarathon runners, Al Andalus Ultimate Trail 2012 (survey)",
        "n": 32,
        "compounds": [],
        "form_studied": "Self-reported supplement use; no intervention",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "other", "direction": "not-reported",
             "effect": "Prevalence survey: over two-thirds used sports drinks and electrolytes; magnesium among the less "
                       "used items (about 28%). No performance or energy outcome measured."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S003,
        "seed_claim": "'Athletes use it to boost energy and promote endurance as quantified in the study, Improving "
                      "performance? Dietary supplementation practice in ultramarathon runners.'",
        "curator_notes": "Identified by search: a conference abstract (BJSM 2013;47(10):e3.72) whose sentence the seed "
                         "quotes; authors as listed there (Bernd Volker Scheer, Encarna Valero Burgos), written surname first as the other entries are. It counts what runners take; it does not quantify that "
                         "magnesium boosts energy or endurance. It also reports that runners' blood tests showed no "
                         "deficiencies.",
    },
    {
        "key": "unsourced-mgt-only-bbb-form",
        "authors": "",
        "year": None,
        "title": "[Unsourced claim: magnesium L-threonate is the only form of magnesium proven to cross the blood-brain "
                 "barrier, increasing synapse density and supporting memory and sleep]",
        "journal": "",
        "doi": "",
        "pmid": "",
        "design": "marketing-claim",
        "population": "",
        "n": None,
        "compounds": ["magnesium-l-threonate"],
        "form_studied": "Magnesium L-threonate in the MagTech Magnesium Complex (with taurate and glycinate)",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "brain-magnesium", "direction": "benefit",
             "effect": "Claimed: the only form proven to cross the blood-brain barrier."},
            {"outcome": "cognition", "direction": "benefit",
             "effect": "Claimed: increases synapse density, supports cognitive ageing, learning and memory, relaxation and "
                       "sleep (marked with the DSHEA dagger)."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S003,
        "seed_claim": "'Research suggests that the magnesium-l-threonate in MagTech is the only form of magnesium proven to "
                      "cross the blood-brain barrier and: Increase synapse density; Support healthy cognitive aging; "
                      "Support healthy learning and memory; Promote relaxation and support quality sleep'; 'MagTech is the "
                      "highest quality magnesium complex on the planet'.",
        "curator_notes": NO_SOURCE + " Product copy with affiliate links. Brain and CSF magnesium is regulated whatever the "
                         "oral form; 'only form' is not established, and the form comparison behind it is in rats "
                         "(Slutsky 2010). Seed 004 repeats it ('The only magnesium that actually reaches your brain').",
    },
    # ------------------------------------------------------------------ seed 004: NeuroMag monograph
    {
        "key": "hausenblas-2024",
        "authors": "Hausenblas HA, Lynch T, Hooper S, Shrestha A, Rosendale D, Gu J",
        "year": 2024,
        "title": "Magnesium-L-threonate improves sleep quality and daytime functioning in adults with self-reported sleep "
                 "problems: A randomized controlled trial",
        "journal": "Sleep Medicine: X",
        "doi": "10.1016/j.sleepx.2024.100121",
        "pmid": "39252819",
        "design": "rct",
        "population": "80 adults aged 35-55 with self-reported sleep problems",
        "n": 80,
        "compounds": ["magnesium-l-threonate"],
        "form_studied": "Magtein (magnesium L-threonate) 1 g/day vs placebo",
        "dose_compound_mg_min": 1000,
        "dose_compound_mg_max": 1000,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "21 days",
        "outcomes": [
            {"outcome": "sleep-quality", "direction": "benefit",
             "effect": "MgT group 'maintained good sleep quality ... while placebo declined'; Oura deep sleep score, REM "
                       "sleep score and light sleep time improved vs placebo (p<0.05)."},
            {"outcome": "insomnia", "direction": "not-reported",
             "effect": "Insomnia Severity Index measured; the abstract reports no result for it (the seed: fell "
                       "significantly, no change on placebo)."},
            {"outcome": "mood", "direction": "benefit",
             "effect": "Questionnaires: behaviour on awakening, mood, grouchiness and mental alertness improved vs placebo."},
            {"outcome": "fatigue", "direction": "benefit", "effect": "Daytime energy and productivity improved vs placebo."},
            {"outcome": "other", "direction": "not-reported",
             "effect": "Seed: HRV during sleep up, resting heart rate down; not among the results reported in the abstract."},
        ],
        "funding": "Co-author Jennifer Gu is VP of R&D at ThreoTech, which markets Magtein (found by search)",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S004,
        "seed_claim": "'Landmark 2024 RCT: Oura Ring Validation' - randomised, double-blind, placebo-controlled; 80 adults "
                      "35-55; 1 g Mg L-threonate (Magtein) vs placebo x 21 days; ISI, Leeds Sleep Evaluation and "
                      "Restorative Sleep Questionnaire improved (p<0.05); Oura: deep sleep, REM, HRV up, resting HR down. "
                      "Also 'In 2024 RCTs with Oura Ring validation' and dose table 'Sleep optimization 2,000 mg / 144 mg - "
                      "2024 RCT (Hausenblas)'.",
        "curator_notes": "Full author list, journal, DOI and PMID found by search (the seed gives 'Hausenblas et al., 2024'). "
                         "One trial, not 'RCTs'. The abstract lists the Insomnia Severity Index among its measures "
                         "but not among its results, so the seed's 'ISI improved' is not recorded as a finding. The "
                         "benefit is largely the placebo group declining. HRV and resting heart rate are not in the "
                         "abstract's results (they match the later Magtein trial, see "
                         "unsourced-magtein-rct-2025). Seed 004's dose table credits this trial with 2,000 mg / 144 mg "
                         "although it used 1,000 mg (about 72 mg elemental at the 7.2% specification): NTRPX Recover's "
                         "2,000 mg is double the studied sleep dose. Oura staging is a wearable estimate, not "
                         "polysomnography. Industry-linked; an erratum was published (Sleep Med X 2025;9:100141).",
    },
    {
        "key": "slutsky-2010",
        "authors": "Slutsky I, Abumaria N, Wu LJ, Huang C, Zhang L, Li B, Zhao X, Govindarajan A, Zhao MG, Zhuo M, "
                   "Tonegawa S, Liu G",
        "year": 2010,
        "title": "Enhancement of learning and memory by elevating brain magnesium",
        "journal": "Neuron",
        "doi": "10.1016/j.neuron.2009.12.026",
        "pmid": "20152124",
        "design": "animal",
        "population": "Young and aged rats",
        "n": None,
        "compounds": ["magnesium-l-threonate"],
        "form_studied": "Magnesium L-threonate (MgT), oral",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "memory", "direction": "benefit",
             "effect": "Rats: improved working memory and short- and long-term memory; better pattern completion in aged "
                       "rats."},
            {"outcome": "cognition", "direction": "benefit",
             "effect": "Rats: enhanced learning; higher hippocampal synaptic density and NR2B-NMDA receptor expression."},
            {"outcome": "brain-magnesium", "direction": "benefit",
             "effect": "Rats: cerebrospinal-fluid magnesium up; by how much is not checked against the paper (the "
                       "seed says 'brain magnesium by ~15%')."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S004,
        "seed_claim": "'Key Finding (Slutsky et al., 2010, Neuron): Magnesium L-threonate increases brain magnesium by ~15% "
                      "in rodents; enhanced synaptic plasticity in hippocampus; improved short-term and long-term memory; "
                      "increased synapse density in prefrontal cortex and hippocampus.' Framed as 'MIT neuroscientists "
                      "developed Magnesium L-Threonate'.",
        "curator_notes": "A rat study (full authors, DOI and PMID found by search; the seed gives 'Slutsky et al., 2010'). "
                         "Seed 004 builds human claims on it ('clinically proven to increase brain magnesium levels'); no "
                         "seed cites a human brain or CSF magnesium measurement. From general knowledge the CSF rise was "
                         "roughly 7-15%, far from seed 001's 'over 50%'. The corresponding author Guosong Liu later led "
                         "Neurocentria, developer of the MgT product MMFS-01 (found by search).",
    },
    {
        "key": "liu-2016",
        "authors": "Liu G, Weinger JG, Lu ZL, Xue F, Sadeghpour S",
        "year": 2016,
        "title": "Efficacy and safety of MMFS-01, a synapse density enhancer, for treating cognitive impairment in older "
                 "adults: a randomized, double-blind, placebo-controlled trial",
        "journal": "Journal of Alzheimer's Disease",
        "doi": "10.3233/JAD-150538",
        "pmid": "26519439",
        "design": "rct",
        "population": "44 adults aged 50-70 with cognitive impairment (MMFS-01 n=23, placebo n=21)",
        "n": 44,
        "compounds": ["magnesium-l-threonate"],
        "form_studied": "MMFS-01, a magnesium L-threonate product (the seed calls it Magtein)",
        "dose_compound_mg_min": 1500,
        "dose_compound_mg_max": 2000,
        "dose_elemental_mg_min": 108,
        "dose_elemental_mg_max": 144,
        "duration": "12 weeks",
        "outcomes": [
            {"outcome": "cognition", "direction": "benefit",
             "effect": "Overall cognitive ability (composite of executive function, working memory, attention, episodic "
                       "memory) improved vs placebo (p=0.003, Cohen's d 0.91); executive-function deficit nearly restored."},
            {"outcome": "sleep-quality", "direction": "undetermined",
             "effect": "Effect on sleep 'could not be determined' because of strong placebo effects."},
            {"outcome": "anxiety", "direction": "undetermined",
             "effect": "Effect on anxiety 'could not be determined' because of strong placebo effects."},
        ],
        "funding": "Liu, Weinger and Sadeghpour affiliated with Neurocentria Inc., developer of MMFS-01 (found by search)",
        "verification": "as-cited",
        "seed_misquotes": True,
        "seed_file": S004,
        "seed_claim": "'Study 1: Liu et al., 2016 - Adults 50-70 years with cognitive complaints; Magtein 1.5-2g/day x 12 "
                      "weeks; executive function (TMT-B) up, working memory up; brain age reversal ~9 years younger'; dose "
                      "table 'Cognitive enhancement 1,500-2,000 mg (108-144 mg Mg) - Liu 2016, MIT research'.",
        "curator_notes": "Authors, journal, n, DOI and PMID found by search. Small, company-run trial. The seed omits that "
                         "sleep and anxiety effects could not be separated from placebo, yet lists MgT for 'anxiety "
                         "support' and 'Sleep quality RCTs: multiple positive'. 'Brain age' is a derived score, not a "
                         "clinical outcome. Doses are the seed's (1.5-2 g; 108-144 mg elemental assumes 7.2% Mg). Seed 001 "
                         "says research doses of 1,500-2,000 mg give '144 mg to 250 mg' elemental for 2,000 mg: 250 mg is "
                         "impossible (even 8.25% by formula gives 165 mg). Seed 004 says all trials used Magtein; this one "
                         "names its material MMFS-01.",
    },
    {
        "key": "unsourced-magtein-rct-2025",
        "authors": "",
        "year": 2025,
        "title": "[Unsourced claim: 2025 Magtein RCT in adults aged 25-45, 6 weeks, cognition and sleep]",
        "journal": "",
        "doi": "",
        "pmid": "",
        "design": "marketing-claim",
        "population": "Adults 25-45 years",
        "n": None,
        "compounds": ["magnesium-l-threonate"],
        "form_studied": "Magtein (dose not stated)",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "6 weeks",
        "outcomes": [
            {"outcome": "cognition", "direction": "benefit",
             "effect": "Claimed: cognitive performance, hand-eye coordination and reaction time significantly improved."},
            {"outcome": "sleep-quality", "direction": "benefit", "effect": "Claimed: PROMIS sleep measure significantly improved."},
            {"outcome": "other", "direction": "benefit", "effect": "Claimed: resting heart rate down, sleep HRV up."},
        ],
        "funding": "",
        "verification": "as-cited",
        "seed_file": S004,
        "seed_claim": "'2025 RCT: Extended Cognitive + Sleep Study - Magtein clinical trial, 2025; RCT, 6 weeks; adults "
                      "25-45; cognitive performance, hand-eye coordination, reaction time, PROMIS sleep measure up; resting "
                      "heart rate down; sleep HRV up.'",
        "curator_notes": NO_SOURCE + " A search found a partly matching paper: Lopresti AL, Smith SJ, Frontiers in Nutrition "
                         "(DOI 10.3389/fnut.2025.1729164, published January 2026): 100 adults aged 18-45 (not 25-45) with "
                         "dissatisfied sleep, 2 g/day Magtein for 6 weeks; NIH Toolbox composite (p=0.043) and reaction "
                         "time improved; self-reported sleep-related impairment improved but sleep disturbance, restorative "
                         "sleep and Oura sleep measures did not differ from placebo; HR fell and HRV rose. If it is this "
                         "trial, the seed overstates its sleep results. Not confirmed as the same study, so kept as a claim.",
    },
    {
        "key": "unsourced-mgt-brain-mg-15-25pct",
        "authors": "",
        "year": None,
        "title": "[Unsourced claim: magnesium L-threonate raises brain magnesium by 15-25% ('demonstrated'), other forms "
                 "by under 5%]",
        "journal": "",
        "doi": "",
        "pmid": "",
        "design": "marketing-claim",
        "population": "",
        "n": None,
        "compounds": ["magnesium-l-threonate"],
        "form_studied": "Magnesium L-threonate vs citrate, glycinate, oxide and other forms",
        "dose_compound_mg_min": None,
        "dose_compound_mg_max": None,
        "dose_elemental_mg_min": None,
        "dose_elemental_mg_max": None,
        "duration": "",
        "outcomes": [
            {"outcome": "brain-magnesium", "direction": "benefit",
             "effect": "Claimed: brain magnesium +15-25% with L-threonate vs 0-5% with citrate (500 mg) and 'minimal' with "
                       "other forms."},
        ],
        "funding": "",
        "verification": "disputed",
        "seed_file": S004,
        "seed_claim": "Tables: 'Brain Mg increase +15-25% (demonstrated)' vs 'Minimal (<5%)'; 'Brain Mg increase ~0-5%' "
                      "(citrate 500 mg) vs '~15-25%' (L-threonate 2,000 mg); 'Direct brain Mg elevation (proven in "
                      "animal/human studies)'; 'the only magnesium form clinically proven to increase brain magnesium'.",
        "curator_notes": NO_SOURCE + " Disputed: the seed's own citation does not bear it out. Presented as 'proven in "
                         "animal/human studies' and as up to 25%, but the only measurement the seed cites is one rat "
                         "study (Slutsky 2010, about 15% per the seed). No seed cites human brain or CSF magnesium data "
                         "for any form, so both the 15-25% and the 0-5% figures are unsupported.",
    },
]
