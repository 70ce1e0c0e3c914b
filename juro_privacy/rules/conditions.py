"""Which UK conditions for special-category and criminal offence data need an
appropriate policy document (DPA 2018 Schedule 1).

Special-category data (UK GDPR Art. 9) and criminal offence data (Art. 10) processed
under the UK GDPR on a condition of DPA 2018 Schedule 1 (ss. 10(2), 10(3), 10(5)) need,
for some of those conditions, an *appropriate policy document* in place when the
processing is carried out: a document explaining how the Art. 5 principles are
complied with and the retention and erasure policy for that data (Sch. 1 para. 39).
Part 4 (para. 38) applies to "a condition in Part 1, 2 or 3 of this Schedule which
requires the controller to have an appropriate policy document in place". The
conditions that require one (checked on legislation.gov.uk, 2026-12-02):

- Part 1 para. 1, employment, social security and social protection: para. 1(1)(b);
- Part 2, the substantial public interest conditions (paras. 6 to 28): para. 5(1),
  "Except as otherwise provided, a condition in this Part of this Schedule is met only
  if, when the processing is carried out, the controller has an appropriate policy
  document in place". A few Part 2 paragraphs provide otherwise; the finding therefore
  says a document is *likely* required and names the paragraph, for the DPO to confirm;
- Part 3 paras. 36 and 37, which extend the Part 2 conditions (and the insurance
  condition of para. 20) to criminal offence data and carry their requirement with them.

Parts 1 paras. 2 to 4 (health or social care, public health, research) and Part 3
paras. 29 to 35 (consent, vital interests, not-for-profit bodies, made public, legal
claims, judicial acts, indecency offences against children) need none.

The EU GDPR has no such document: Art. 10 data under it needs Union or Member State law
authorising the processing (for Latvia, the Personal Data Processing Law), which the
activity's ``art10_condition`` names.
"""

from __future__ import annotations

import re

#: The DPA 2018 Sch. 1 paragraphs whose condition requires an appropriate policy document.
POLICY_DOCUMENT_PARAGRAPHS: frozenset[int] = frozenset({1, *range(6, 29), 36, 37})

_PARAGRAPH = re.compile(r"\bsch(?:edule)?\.?\s*1\b[^0-9]*?\bpara(?:graph)?s?\.?\s*(\d+)", re.I)


def schedule_1_paragraph(condition: str | None) -> int | None:
    """The DPA 2018 Sch. 1 paragraph a recorded condition cites (``"Sch. 1 para 10"``,
    ``"DPA 2018 Schedule 1, paragraph 1"``), or ``None`` when it cites none."""
    if not condition:
        return None
    match = _PARAGRAPH.search(condition)
    return int(match.group(1)) if match else None


def needs_policy_document(condition: str | None) -> bool:
    """Whether the recorded condition is a DPA 2018 Sch. 1 condition that requires an
    appropriate policy document (:data:`POLICY_DOCUMENT_PARAGRAPHS`)."""
    paragraph = schedule_1_paragraph(condition)
    return paragraph is not None and paragraph in POLICY_DOCUMENT_PARAGRAPHS
