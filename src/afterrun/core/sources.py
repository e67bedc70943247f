"""The sources behind every piece of advice, cited by short key.

Each source carries its authors, year, title and where it was published, so a reader can
find it. The short form (authors, year) is shown beside advice; the full form is for
`afterrun why` and reports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    key: str
    #: "Van Hooren & Peake 2018": what is shown beside a line of advice.
    short: str
    authors: str
    year: int
    title: str
    #: The journal with volume and pages, or the publisher.
    published_in: str

    @property
    def full(self) -> str:
        joint = " " if self.published_in.endswith("accessed") else ", "
        return f"{self.authors.rstrip('.')}. {self.title}. {self.published_in}{joint}{self.year}."


_STRETCHING: tuple[Source, ...] = (
    Source(
        "van-hooren-2018",
        "Van Hooren & Peake 2018",
        "Van Hooren B, Peake JM",
        2018,
        "Do we need a cool-down after exercise? A narrative review of the psychophysiological "
        "effects and the effects on performance, injuries and the long-term adaptive response",
        "Sports Med 48:1575-95",
    ),
    Source(
        "acsm-2021",
        "ACSM 2021",
        "American College of Sports Medicine; Liguori G (ed.)",
        2021,
        "ACSM's Guidelines for Exercise Testing and Prescription, 11th edition: flexibility",
        "Wolters Kluwer",
    ),
    Source(
        "garber-2011",
        "Garber et al. 2011",
        "Garber CE, Blissmer B, Deschenes MR, et al.",
        2011,
        "Quantity and quality of exercise for developing and maintaining cardiorespiratory, "
        "musculoskeletal, and neuromotor fitness in apparently healthy adults (ACSM position "
        "stand)",
        "Med Sci Sports Exerc 43:1334-59",
    ),
    Source(
        "herbert-2011",
        "Herbert et al. 2011",
        "Herbert RD, de Noronha M, Kamper SJ",
        2011,
        "Stretching to prevent or reduce muscle soreness after exercise",
        "Cochrane Database Syst Rev, CD004577",
    ),
    Source(
        "zhang-2025",
        "Zhang et al. 2025",
        "Zhang P, Chen J, Xing T",
        2025,
        "Effects of post-exercise stretching versus no stretching on lower limb muscle "
        "recovery and performance: a meta-analysis",
        "Front Physiol 16:1674871",
    ),
    Source(
        "lauersen-2014",
        "Lauersen et al. 2014",
        "Lauersen JB, Bertelsen DM, Andersen LB",
        2014,
        "The effectiveness of exercise interventions to prevent sports injuries: a systematic "
        "review and meta-analysis of randomised controlled trials",
        "Br J Sports Med 48:871-7",
    ),
    Source(
        "jamtvedt-2010",
        "Jamtvedt et al. 2010",
        "Jamtvedt G, Herbert RD, Flottorp S, et al.",
        2010,
        "A pragmatic randomised trial of stretching before and after physical activity to "
        "prevent injury and soreness",
        "Br J Sports Med 44:1002-9",
    ),
    Source(
        "behm-2016",
        "Behm et al. 2016",
        "Behm DG, Blazevich AJ, Kay AD, McHugh M",
        2016,
        "Acute effects of muscle stretching on physical performance, range of motion, and "
        "injury incidence in healthy active individuals: a systematic review",
        "Appl Physiol Nutr Metab 41:1-11",
    ),
    Source(
        "wiewelhove-2019",
        "Wiewelhove et al. 2019",
        "Wiewelhove T, Döweling A, Schneider C, et al.",
        2019,
        "A meta-analysis of the effects of foam rolling on performance and recovery",
        "Front Physiol 10:376",
    ),
)

_SORENESS_AND_SAFETY: tuple[Source, ...] = (
    Source(
        "henschke-2011",
        "Henschke & Lin 2011",
        "Henschke N, Lin CC",
        2011,
        "Stretching before or after exercise does not reduce delayed-onset muscle soreness",
        "Br J Sports Med 45:1249-50",
    ),
    Source(
        "lau-2013",
        "Lau et al. 2013",
        "Lau WY, Muthalib M, Nosaka K",
        2013,
        "Visual analog scale and pressure pain threshold for delayed onset muscle soreness "
        "assessment",
        "J Musculoskelet Pain 21:320-6",
    ),
    Source(
        "vickers-2001",
        "Vickers 2001",
        "Vickers AJ",
        2001,
        "Time course of muscle soreness following different types of exercise",
        "BMC Musculoskelet Disord 2:5",
    ),
    Source(
        "cdc-niosh",
        "CDC/NIOSH",
        "Centers for Disease Control and Prevention, National Institute for Occupational "
        "Safety and Health (NIOSH)",
        2026,
        "Heat stress: heat-related illness (heat stroke, rhabdomyolysis)",
        "CDC web page, cdc.gov/niosh, accessed",
    ),
    Source(
        "nhs-sprains",
        "NHS",
        "National Health Service (NHS)",
        2026,
        "Sprains and strains",
        "NHS web page, nhs.uk, accessed",
    ),
    Source(
        "thompson-2007",
        "Thompson et al. 2007",
        "Thompson PD, Franklin BA, Balady GJ, et al.",
        2007,
        "Exercise and acute cardiovascular events: placing the risks into perspective (a "
        "scientific statement from the American Heart Association and the American College "
        "of Sports Medicine)",
        "Circulation 115:2358-68",
    ),
    Source(
        "asplund-2011",
        "Asplund et al. 2011",
        "Asplund CA, O'Connor FG, Noakes TD",
        2011,
        "Exercise-associated collapse: an evidence-based review and primer for clinicians",
        "Br J Sports Med 45:1157-62",
    ),
    Source(
        "hew-butler-2015",
        "Hew-Butler et al. 2015",
        "Hew-Butler T, Rosner MH, Fowkes-Godek S, et al.",
        2015,
        "Statement of the Third International Exercise-Associated Hyponatremia Consensus "
        "Development Conference, Carlsbad, California, 2015",
        "Clin J Sport Med 25:303-20",
    ),
    Source(
        "roberts-2021",
        "Roberts et al. 2021",
        "Roberts WO, Armstrong LE, Sawka MN, Yeargin SW, Heled Y, O'Connor FG",
        2021,
        "ACSM expert consensus statement on exertional heat illness: recognition, "
        "management, and return to activity",
        "Curr Sports Med Rep 20:470-84",
    ),
    Source(
        "nice-2020",
        "NICE 2020",
        "National Institute for Health and Care Excellence (NICE)",
        2020,
        "Venous thromboembolic diseases: diagnosis, management and thrombophilia testing "
        "(guideline NG158)",
        "NICE, London",
    ),
    Source(
        "stiell-1992",
        "Stiell et al. 1992",
        "Stiell IG, Greenberg GH, McKnight RD, Nair RC, McDowell I, Worthington JR",
        1992,
        "A study to develop clinical decision rules for the use of radiography in acute ankle "
        "injuries (the Ottawa ankle rules)",
        "Ann Emerg Med 21:384-90",
    ),
)

_FLUIDS_AND_FOOD: tuple[Source, ...] = (
    Source(
        "sawka-2007",
        "Sawka et al. 2007",
        "Sawka MN, Burke LM, Eichner ER, Maughan RJ, Montain SJ, Stachenfeld NS",
        2007,
        "American College of Sports Medicine position stand: exercise and fluid replacement",
        "Med Sci Sports Exerc 39:377-90",
    ),
    Source(
        "dge-2020",
        "DGE 2020",
        "Mosler S, Braun H, Carlsohn A, et al. (German Nutrition Society, DGE)",
        2020,
        "Position of the working group sports nutrition of the German Nutrition Society "
        "(DGE): fluid replacement in sports",
        "Dtsch Z Sportmed 71(7)",
    ),
    Source(
        "cheuvront-2005",
        "Cheuvront & Sawka 2005",
        "Cheuvront SN, Sawka MN",
        2005,
        "Hydration assessment of athletes",
        "Gatorade Sports Science Exchange 18(2)",
    ),
    Source(
        "kerksick-2017",
        "Kerksick et al. 2017",
        "Kerksick CM, Arent S, Schoenfeld BJ, et al.",
        2017,
        "International Society of Sports Nutrition position stand: nutrient timing",
        "J Int Soc Sports Nutr 14:33",
    ),
    Source(
        "wallis-2022",
        "Wallis & Podlogar 2022",
        "Wallis GA, Podlogar T",
        2022,
        "Dietary carbohydrate and the endurance athlete: contemporary perspectives",
        "Gatorade Sports Science Exchange",
    ),
    Source(
        "burke-2011",
        "Burke et al. 2011",
        "Burke LM, Hawley JA, Wong SH, Jeukendrup AE",
        2011,
        "Carbohydrates for training and competition",
        "J Sports Sci 29(Suppl 1):S17-27",
    ),
    Source(
        "sherman-1992",
        "Sherman 1992",
        "Sherman WM",
        1992,
        "Recovery from endurance exercise",
        "Med Sci Sports Exerc 24(9 Suppl):S336-9",
    ),
    Source(
        "jager-2017",
        "Jäger et al. 2017",
        "Jäger R, Kerksick CM, Campbell BI, et al.",
        2017,
        "International Society of Sports Nutrition position stand: protein and exercise",
        "J Int Soc Sports Nutr 14:20",
    ),
)

_LOAD: tuple[Source, ...] = (
    Source(
        "foster-2001",
        "Foster et al. 2001",
        "Foster C, Florhaug JA, Franklin J, et al.",
        2001,
        "A new approach to monitoring exercise training",
        "J Strength Cond Res 15:109-15",
    ),
    Source(
        "foster-2021",
        "Foster et al. 2021",
        "Foster C, Boullosa D, McGuigan M, et al.",
        2021,
        "25 years of session rating of perceived exertion: historical perspective and development",
        "Int J Sports Physiol Perform 16:612-21",
    ),
    Source(
        "banister-1975",
        "Banister et al. 1975",
        "Banister EW, Calvert TW, Savage MV, Bach T",
        1975,
        "A systems model of training for athletic performance",
        "Aust J Sports Med 7:57-61",
    ),
    Source(
        "morton-1990",
        "Morton et al. 1990",
        "Morton RH, Fitz-Clarke JR, Banister EW",
        1990,
        "Modeling human performance in running",
        "J Appl Physiol 69:1171-7",
    ),
    Source(
        "banister-1991",
        "Banister 1991",
        "Banister EW",
        1991,
        "Modeling elite athletic performance. In: MacDougall JD, Wenger HA, Green HJ (eds), "
        "Physiological Testing of the High-Performance Athlete",
        "Human Kinetics, Champaign IL",
    ),
    Source(
        "allen-coggan-2010",
        "Allen & Coggan 2010",
        "Allen H, Coggan AR",
        2010,
        "Training and Racing with a Power Meter, 2nd edition (the Performance Manager: 7- "
        "and 42-day constants)",
        "VeloPress, Boulder CO",
    ),
    Source(
        "tanaka-2001",
        "Tanaka et al. 2001",
        "Tanaka H, Monahan KD, Seals DR",
        2001,
        "Age-predicted maximal heart rate revisited",
        "J Am Coll Cardiol 37:153-6",
    ),
    Source(
        "robergs-2002",
        "Robergs & Landwehr 2002",
        "Robergs RA, Landwehr R",
        2002,
        "The surprising history of the 'HRmax=220-age' equation",
        "J Exerc Physiol Online 5(2):1-10",
    ),
    Source(
        "impellizzeri-2021",
        "Impellizzeri et al. 2021",
        "Impellizzeri FM, Woodcock S, Coutts AJ, Fanchini M, McCall A, Vigotsky AD",
        2021,
        "What role do chronic workloads play in the acute to chronic workload ratio? Time to "
        "dismiss ACWR and its underlying theory",
        "Sports Med 51:581-92",
    ),
)

_SOURCES: tuple[Source, ...] = (*_STRETCHING, *_SORENESS_AND_SAFETY, *_FLUIDS_AND_FOOD, *_LOAD)

SOURCES: dict[str, Source] = {source.key: source for source in _SOURCES}


def cite(key: str) -> str:
    """Short citation for a source key; raises KeyError for an unknown key."""
    return SOURCES[key].short


def cite_all(keys: tuple[str, ...] | list[str]) -> str:
    """'Van Hooren & Peake 2018; Herbert et al. 2011': the short citations of several keys."""
    return "; ".join(cite(key) for key in keys)
