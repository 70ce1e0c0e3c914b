"""Complaints to the controller (DPA 2018 s. 164A, in force 19 June 2026; UK only).

``analysis.py`` judges every complaint by the regime of the processing it is about;
:func:`assess_complaints` is its entry point, ``api.py`` the topic on a workbook.
"""

from juro_privacy.topics.complaints.analysis import assess_complaints

__all__ = ["assess_complaints"]
