"""Lawful bases that depend on the regime and the day: the UK's recognised legitimate
interests, and the legitimate interests assessment.

- **Recognised legitimate interest**, UK GDPR Art. 6(1)(ea), inserted by DUAA 2025
  s. 70 and in force from 5 February 2026 (SI 2026/82 reg. 2(c)): "processing is
  necessary for the purposes of a recognised legitimate interest", which Art. 6(5)
  limits to the conditions of the closed list in Annex 1 (DUAA Sch. 4). No balancing
  test is needed, but the processing must be necessary for the condition. The five
  conditions (Annex 1 paras 1 to 5, as the ICO's guidance "What are the recognised
  legitimate interest conditions?" quotes them, checked 2026-12-02):

  1. disclosure for the purposes of processing described in Art. 6(1)(e), in response
     to a request from a body that states it needs the data for a public task;
  2. national security, public security and defence;
  3. emergencies (as the Civil Contingencies Act 2004 Part 2 defines them);
  4. crime: detecting, investigating or preventing crime, or apprehending or
     prosecuting offenders;
  5. safeguarding vulnerable individuals.

  The EU GDPR has no point (ea): an activity run from the Riga office cannot rely on
  it. The Art. 6(11) examples of the UK GDPR (direct marketing, intra-group
  transmission for administration, network and information security) are *ordinary*
  legitimate interests under Art. 6(1)(f), still subject to the balancing test.
- **Legitimate interests** (Art. 6(1)(f), both regimes): the interest must not be
  overridden by the person's interests or rights, a three-part test the ICO asks
  controllers to record as a legitimate interests assessment (LIA). The law requires
  no document, but the controller must be able to show the test was done (Art. 5(2),
  accountability): a missing LIA is a good-practice finding, not a breach of a rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

#: UK GDPR Art. 6(1)(ea) and Annex 1 in force (DUAA 2025 s. 70; SI 2026/82 reg. 2(c)).
RECOGNISED_LEGITIMATE_INTEREST_FROM: Final = dt.date(2026, 2, 5)

#: UK GDPR Annex 1: condition key to (paragraph, label), the closed list.
ANNEX_1: Final[dict[str, tuple[int, str]]] = {
    "public_task_disclosure": (1, "disclosure for a public task (Art. 6(1)(e)), on request"),
    "national_security": (2, "national security, public security and defence"),
    "emergencies": (3, "emergencies"),
    "crime": (4, "crime: detecting, investigating or preventing it, prosecuting offenders"),
    "safeguarding": (5, "safeguarding vulnerable individuals"),
}


def recognised_interest_faults(
    condition: str | None, regimes: set[str], period_end: dt.date
) -> list[str]:
    """Why an activity recorded on a recognised legitimate interest may not rely on it,
    as finding codes (empty when it may):

    - ``rli_outside_uk``: it is also run under the EU GDPR (``"EU"`` in ``regimes``),
      which has no Art. 6(1)(ea);
    - ``rli_before_in_force``: the period ends before 5 February 2026;
    - ``rli_without_condition``: no Annex 1 condition is recorded (``condition`` not a
      key of :data:`ANNEX_1`).
    """
    faults = []
    if "EU" in regimes:
        faults.append("rli_outside_uk")
    if period_end < RECOGNISED_LEGITIMATE_INTEREST_FROM:
        faults.append("rli_before_in_force")
    if condition not in ANNEX_1:
        faults.append("rli_without_condition")
    return faults
