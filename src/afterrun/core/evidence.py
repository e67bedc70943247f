"""What the research says, by topic, for `afterrun why TOPIC`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    text: str
    sources: tuple[str, ...]


TOPICS: dict[str, tuple[Finding, ...]] = {
    "cool-down": (
        Finding(
            "A cool-down is low-to-moderate activity within about an hour of training; many "
            "athletes do 5-15 minutes.",
            ("van-hooren-2018",),
        ),
        Finding(
            "It clears blood lactate faster and may speed the return of heart rate and breathing.",
            ("van-hooren-2018",),
        ),
        Finding(
            "No benefit was found for next-day performance, injuries, soreness, muscle-damage "
            "markers or range of motion, and it can slow the refilling of glycogen a little.",
            ("van-hooren-2018",),
        ),
        Finding(
            "No study supports stretching within a '30-minute window'; do it when it suits you.",
            ("van-hooren-2018",),
        ),
    ),
    "stretching": (
        Finding(
            "For flexibility: at least 2-3 days a week, to mild tension, holds of 10-30 s, 2-4 "
            "times, about 60 s per stretch. The routine's 20-30 s x 2-3 fits this. It is a "
            "flexibility dose, not a recovery treatment.",
            ("acsm-2021", "garber-2011"),
        ),
        Finding(
            "Soreness the next day was about 1 point lower on a 100-point scale after "
            "stretching: too small to notice. A 2025 review found no effect (SMD -0.06).",
            ("herbert-2011", "zhang-2025"),
        ),
        Finding(
            "Injuries: stretching made no difference (risk ratio 0.96; hazard ratio 0.97), "
            "while strength training cut injuries to about a third.",
            ("lauersen-2014", "jamtvedt-2010"),
        ),
        Finding(
            "Range-of-motion gains from a stretch last less than 30 minutes.",
            ("behm-2016",),
        ),
        Finding(
            "Foam rolling after exercise lowered perceived muscle pain by about 6%: small.",
            ("wiewelhove-2019",),
        ),
        Finding(
            "Stretch to mild tension, never pain; stop or ease off if it hurts.",
            ("acsm-2021",),
        ),
    ),
    "soreness": (
        Finding(
            "Delayed soreness usually starts within a day and peaks around 48 h.",
            ("henschke-2011", "lau-2013"),
        ),
        Finding(
            "Runners differ: of 400 race runners only 14% peaked at 36-48 h; many were sorest "
            "straight away and eased off.",
            ("vickers-2001",),
        ),
        Finding(
            "Dark or cola-coloured urine, pain far worse than expected, or weakness can mean "
            "muscle breakdown (rhabdomyolysis), even days later: seek medical care now.",
            ("cdc-niosh",),
        ),
        Finding(
            "Tenderness or weakness in one spot, swelling, bruising, or not bearing weight point "
            "to a strain or sprain rather than soreness: see a GP or physiotherapist if it is "
            "slow to heal. afterrun cannot tell which you have.",
            ("nhs-sprains",),
        ),
    ),
    "fluids": (
        Finding(
            "Replace the fluid and salt you lost; how fast depends on when you next train and "
            "how much you lost. Weigh before and after to know. Never drink more than you lost: "
            "too much water lowers blood sodium (hyponatraemia).",
            ("sawka-2007",),
        ),
        Finding(
            "For quick, complete rehydration drink about 1.5 L per kg lost. With no session in "
            "the next 24 h and under 5% of body weight lost, normal meals and water suffice. "
            "Sports drinks with 400-1,100 mg sodium per litre help.",
            ("dge-2020",),
        ),
        Finding(
            "Without a scale: more than 1% weight loss, urine darker than 5 on an 8-point chart, "
            "and thirst; two or more suggest dehydration.",
            ("cheuvront-2005",),
        ),
    ),
    "food": (
        Finding(
            "When glycogen must be restored within about 4 h: 1.0-1.2 g carbohydrate per kg of "
            "body weight per hour for those 4 h (high glycaemic index works best). Adding "
            "0.2-0.4 g/kg/h of protein allows less carbohydrate: 0.8 g/kg/h.",
            ("kerksick-2017", "wallis-2022"),
        ),
        Finding(
            "The 'eat within the hour' window matters when the next hard session is less than "
            "about 8 h away; with a day or more, enough total carbohydrate (8-10 g/kg/day in "
            "heavy training) restores glycogen.",
            ("kerksick-2017", "sherman-1992"),
        ),
        Finding(
            "Protein: about 0.25 g/kg or 20-40 g per meal, 1.4-2.0 g/kg over the day.",
            ("jager-2017",),
        ),
    ),
    "load": (
        Finding(
            "Session RPE: your 0-10 rating about 30 min after the run times its minutes. "
            "Ratings stay stable from a minute to two weeks later.",
            ("foster-2001",),
        ),
        Finding(
            "TRIMP weights minutes by the share of your heart-rate reserve used; the men's and "
            "women's constants differ. Age formulas for HRmax are often 7-11 bpm off: enter a "
            "measured value if you have one.",
            ("banister-1975",),
        ),
        Finding(
            "Fatigue (7 days) and fitness (42 days) are exponentially weighted daily loads; "
            "form is fitness minus fatigue. These are models of training, not measurements of "
            "your body.",
            ("banister-1975",),
        ),
        Finding(
            "The 7:28-day load ratio describes how your recent load compares with your usual. "
            "Studies found it no better than chance at predicting injury, so afterrun never "
            "uses it as a warning of injury.",
            ("impellizzeri-2020",),
        ),
    ),
}
