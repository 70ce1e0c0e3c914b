"""Cookies and marketing consent (PECR regs. 6, 22 and 23, Sch. A1; ePrivacy Art. 5(3)).

``analysis.py`` judges every send (:func:`judge_sends` is its entry point);
``cookies.py`` judges every cookie per regime (:func:`judge_cookies`).
"""

from juro_privacy.topics.consent.analysis import judge_sends
from juro_privacy.topics.consent.cookies import judge_cookies

__all__ = ["judge_cookies", "judge_sends"]
