"""The one documented place for matching weights. Each signal is a number from 0 to 1; the score is the
weighted sum, so it is between 0 and 1 too. Administrators may tune the weights (they are renormalised to
sum to 1); the defaults below are what every benchmark and test uses.

| signal | what it measures |
| --- | --- |
| occupation | the closest ISCO-08 fit between what the person wants or did and the job: same unit group 1.0,
  same minor group 0.6, same sub-major 0.3, same major 0.1 (desired occupations count fully, past jobs 80 %) |
| skills | share of the job's skills the person has, essential skills weighing twice optional ones and rare
  skills more than common ones (inverse document frequency over open vacancies) |
| location | same district 1.0, same province 0.8, a province the person prefers 0.7, a neighbouring province
  0.5, elsewhere but willing to move 0.3, otherwise 0 |
| education | meets the minimum ISCED level 1.0, one level below 0.5, unknown 0.5 |
| experience | months of experience against months required (capped at 1) |
| languages | share of required languages spoken at the required level |
| employment | kind of work wanted (half) and wage expectation met by the job's wage (half) |
| accommodation | share of the person's accommodation needs the employer offers (1 when none are needed);
  used to rank jobs for a person, never to rank people for a job |
| licences | share of required driving licence categories held |
| freshness | newer vacancies first: exp(−days since publication / 30) |

Never inputs: sex, age, ethnicity, religion, WG-SS answers or disability status.
"""

from __future__ import annotations

SIGNALS = (
    "occupation",
    "skills",
    "location",
    "education",
    "experience",
    "languages",
    "employment",
    "accommodation",
    "licences",
    "freshness",
)

DEFAULT_WEIGHTS: dict[str, float] = {
    "occupation": 0.28,
    "skills": 0.28,
    "location": 0.15,
    "education": 0.07,
    "experience": 0.06,
    "languages": 0.04,
    "employment": 0.04,
    "accommodation": 0.03,
    "licences": 0.03,
    "freshness": 0.02,
}

# ISCO-08 hierarchy similarity by the number of leading digits two unit groups share.
ISCO_SIMILARITY = {4: 1.0, 3: 0.6, 2: 0.3, 1: 0.1, 0: 0.0}
PAST_JOB_FACTOR = 0.8
ESSENTIAL_FACTOR = 2.0
FRESHNESS_DAYS = 30.0

LOCATION_SCORES = {
    "district": 1.0,
    "province": 0.8,
    "preferred": 0.7,
    "neighbour": 0.5,
    "relocate": 0.3,
    "none": 0.0,
}


def normalised(weights: dict[str, float] | None = None) -> dict[str, float]:
    """Weights for every signal, non-negative, summing to 1."""
    merged = {**DEFAULT_WEIGHTS, **(weights or {})}
    clean = {signal: max(float(merged.get(signal, 0.0)), 0.0) for signal in SIGNALS}
    total = sum(clean.values()) or 1.0
    return {signal: value / total for signal, value in clean.items()}
