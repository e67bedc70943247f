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


_SOURCES = (
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

SOURCES: dict[str, Source] = {source.key: source for source in _SOURCES}


def cite(key: str) -> str:
    """Short citation for a source key; raises KeyError for an unknown key."""
    return SOURCES[key].short
