"""Cookies and marketing consent (PECR regs. 6 and 22; ePrivacy Art. 5(3)).

``analysis.py`` judges every send and cookie; :func:`judge_sends` is its entry point.
"""

from juro_privacy.topics.consent.analysis import judge_sends

__all__ = ["judge_sends"]
