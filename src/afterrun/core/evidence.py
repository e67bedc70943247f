"""What the research says, by topic, for `afterrun why TOPIC`."""

from __future__ import annotations

from dataclasses import dataclass

from afterrun.core.red_flags import RED_FLAGS, most_urgent


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
            "It clears blood lactate faster and may speed the return of heart rate and breathing. "
            "That is why afterrun starts the cool-down after a hard or very hard run with a few "
            "minutes of easy walking or jogging.",
            ("van-hooren-2018",),
        ),
        Finding(
            "No benefit was found for next-day performance, injuries, soreness, muscle-damage "
            "markers or range of motion, and it can slow the refilling of glycogen a little.",
            ("van-hooren-2018",),
        ),
        Finding(
            "No evidence was found for the original routine's '30-minute window' for "
            "stretching; the review describes a cool-down within about an hour, and the "
            "stretches can be done whenever they suit you.",
            ("van-hooren-2018",),
        ),
        Finding(
            "A longer cool-down, or longer holds, are for comfort and a gradual return, not a "
            "faster recovery: the hold times are a flexibility dose.",
            ("van-hooren-2018", "acsm-2021"),
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
            "stretching: too small to notice, and not clinically important. A 2025 review found "
            "no effect (SMD -0.06).",
            ("herbert-2011", "zhang-2025"),
        ),
        Finding(
            "In the largest trial (2,377 people), bothersome soreness was a little less common "
            "with stretching (odds ratio 0.69), a difference too small for most people to "
            "notice; all injuries together did not change (hazard ratio 0.97), and muscle and "
            "tendon injuries had a hazard ratio of 0.75.",
            ("jamtvedt-2010",),
        ),
        Finding(
            "Across trials of ways to prevent sports injuries, stretching made no difference "
            "(risk ratio 0.96), while strength training cut injuries to about a third.",
            ("lauersen-2014",),
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
            "Delayed soreness usually starts within a day and, in laboratory studies, peaks "
            "around 48 h.",
            ("henschke-2011", "lau-2013"),
        ),
        Finding(
            "Runners differ: of 400 race runners only 14% peaked at 36-48 h; most were sorest "
            "straight away and eased off.",
            ("vickers-2001",),
        ),
        Finding(
            "Dark or cola-coloured urine, pain far worse than expected, or weakness can mean "
            "muscle breakdown (rhabdomyolysis), even days later: get medical care today.",
            ("cdc-niosh",),
        ),
        Finding(
            "Tenderness or weakness in one spot, swelling, bruising, or not bearing weight point "
            "to a strain or sprain rather than soreness: see a GP or physiotherapist if it is "
            "slow to heal. afterrun cannot tell which you have.",
            ("nhs-sprains",),
        ),
        Finding(
            "afterrun's own rules of thumb suggest a clinician when an area is rated 7 or more, "
            "is still getting worse after 72 h, or hurt on two days within 14 days. They are "
            "cautious choices, not clinical cut-offs; what they point to (a strain rather than "
            "soreness) is from the NHS guidance.",
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
            "Weight, urine and thirst: more than 1% of your body mass lost, urine darker than "
            "5 on an 8-point colour chart, and thirst rated 5 or more; two or more of the three "
            "suggest dehydration. These markers were "
            "tested on first-morning measures, so right after a run they are a rough guide. "
            "Without a scale, urine colour and thirst are the two you have.",
            ("cheuvront-2005",),
        ),
        Finding(
            "Weighing more after a run than before means you drank more than you lost: drink "
            "only to thirst. Headache, nausea or vomiting, or confusion after drinking a lot, up "
            "to a day later, can be low blood sodium, an emergency.",
            ("sawka-2007", "hew-butler-2015"),
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
            "Eating soon after a run matters when the next hard session is less than about 8 h "
            "away; with a day or more, enough total carbohydrate (8-10 g/kg/day in heavy "
            "training) restores glycogen.",
            ("burke-2011", "sherman-1992"),
        ),
        Finding(
            "Protein: 0.25-0.3 g per kg of body weight per meal, 1.4-2.0 g/kg over the day.",
            ("jager-2017",),
        ),
    ),
    "load": (
        Finding(
            "Session RPE: your 0-10 rating about 30 min after the run times its minutes. "
            "Ratings stay stable from a minute to two weeks later.",
            ("foster-2001", "foster-2021"),
        ),
        Finding(
            "TRIMP weights minutes by the share of your heart-rate reserve used; the men's and "
            "women's constants differ.",
            ("banister-1975",),
        ),
        Finding(
            "Without a measured HRmax, afterrun estimates it as 208 - 0.7 x age. Age formulas "
            "are often 7-11 bpm off: enter a measured value if you have one.",
            ("tanaka-2001", "robergs-2002"),
        ),
        Finding(
            "Fatigue and fitness are exponentially weighted daily loads; form is fitness minus "
            "fatigue. The 7- and 42-day time constants are a convention of training software, "
            "not a law of physiology. These are models of training, not measurements of your "
            "body.",
            ("morton-1990", "banister-1991", "allen-coggan-2010"),
        ),
        Finding(
            "The 7:28-day load ratio describes how your recent load compares with your usual. "
            "Studies found it no better than chance at predicting injury, so afterrun never "
            "uses it as a warning of injury.",
            ("impellizzeri-2021",),
        ),
    ),
    "red-flags": tuple(
        Finding(flag.banner, flag.sources) for flag in most_urgent(flag.slug for flag in RED_FLAGS)
    ),
}
