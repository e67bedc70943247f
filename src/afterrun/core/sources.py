"""The sources behind every piece of advice, cited by short key.

The short form (authors, year) is shown beside advice; the full form is for
`afterrun why` and reports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    key: str
    short: str
    full: str


_BASE: tuple[Source, ...] = (
    Source(
        "van-hooren-2018",
        "Van Hooren & Peake 2018",
        "Van Hooren B, Peake JM. Do We Need a Cool-Down After Exercise? Sports Med 2018;48:1575-95",
    ),
    Source(
        "acsm-2021",
        "ACSM 2021",
        "ACSM's Guidelines for Exercise Testing and Prescription, 11th ed., 2021: flexibility",
    ),
    Source(
        "garber-2011",
        "Garber et al. 2011",
        "Garber CE et al. ACSM Position Stand. Med Sci Sports Exerc 2011;43:1334-59",
    ),
    Source(
        "herbert-2011",
        "Herbert et al. 2011",
        "Herbert RD, de Noronha M, Kamper SJ. Stretching to prevent or reduce muscle soreness "
        "after exercise. Cochrane Database Syst Rev 2011, CD004577",
    ),
    Source(
        "zhang-2025",
        "Zhang et al. 2025",
        "Zhang P, Chen J, Xing T. Front Physiol 2025;16:1674871",
    ),
    Source(
        "lauersen-2014",
        "Lauersen et al. 2014",
        "Lauersen JB, Bertelsen DM, Andersen LB. Br J Sports Med 2014;48:871-7",
    ),
    Source(
        "jamtvedt-2010",
        "Jamtvedt et al. 2010",
        "Jamtvedt G et al. Br J Sports Med 2010;44:1002-9",
    ),
    Source(
        "behm-2016",
        "Behm et al. 2016",
        "Behm DG, Blazevich AJ, Kay AD, McHugh M. Appl Physiol Nutr Metab 2016;41:1-11",
    ),
    Source(
        "wiewelhove-2019",
        "Wiewelhove et al. 2019",
        "Wiewelhove T et al. A meta-analysis of the effects of foam rolling. "
        "Front Physiol 2019;10:376",
    ),
)

_SOURCES: tuple[Source, ...] = (
    *_BASE,
    Source(
        "henschke-2011",
        "Henschke & Lin 2011",
        "Henschke N, Lin CC. Br J Sports Med 2011;45:1249-50",
    ),
    Source(
        "lau-2013",
        "Lau et al. 2013",
        "Lau WY, Muthalib M, Nosaka K. J Musculoskelet Pain 2013;21:320-6",
    ),
    Source("vickers-2001", "Vickers 2001", "Vickers AJ. BMC Musculoskelet Disord 2001;2:5"),
    Source("cdc-niosh", "CDC/NIOSH", "CDC/NIOSH. Rhabdomyolysis: symptoms"),
    Source("nhs-sprains", "NHS", "NHS. Sprains and strains"),
    Source(
        "sawka-2007",
        "Sawka et al. 2007",
        "Sawka MN et al. ACSM Position Stand: Exercise and Fluid Replacement. "
        "Med Sci Sports Exerc 2007;39:377-90",
    ),
    Source(
        "dge-2020",
        "DGE 2020",
        "German Nutrition Society (DGE). Fluid replacement in sports. Dtsch Z Sportmed 2020",
    ),
    Source(
        "cheuvront-2005",
        "Cheuvront & Sawka 2005",
        "Cheuvront SN, Sawka MN. WUT hydration assessment (weight, urine, thirst), 2005",
    ),
    Source(
        "kerksick-2017",
        "Kerksick et al. 2017",
        "Kerksick CM et al. ISSN position stand: nutrient timing. J Int Soc Sports Nutr 2017;14:33",
    ),
    Source(
        "wallis-2022",
        "Wallis & Podlogar 2022",
        "Wallis GA, Podlogar T. GSSI Sports Science Exchange 2022",
    ),
    Source(
        "sherman-1992",
        "Sherman 1992",
        "Sherman WM. Recovery from endurance exercise. "
        "Med Sci Sports Exerc 1992;24(9 Suppl):S336-9",
    ),
    Source(
        "jager-2017",
        "Jäger et al. 2017",
        "Jäger R et al. ISSN position stand: protein and "
        "exercise. J Int Soc Sports Nutr 2017;14:20",
    ),
    Source(
        "foster-2001",
        "Foster et al. 2001",
        "Foster C et al. A New Approach to Monitoring "
        "Exercise Training. J Strength Cond Res 2001;15:109-15",
    ),
    Source("banister-1975", "Banister et al. 1975", "Banister EW et al. 1975 (TRIMP)"),
    Source(
        "impellizzeri-2020",
        "Impellizzeri et al. 2020",
        "Impellizzeri FM et al. Time to "
        "Dismiss ACWR and Its Underlying Theory. Sports Med 2021;51:581-92",
    ),
    Source(
        "emergency",
        "general first aid",
        "Emergency care guidance for chest pain, fainting and severe breathlessness",
    ),
)

SOURCES: dict[str, Source] = {source.key: source for source in _SOURCES}


def cite(key: str) -> str:
    """Short citation for a source key; raises KeyError for an unknown key."""
    return SOURCES[key].short
