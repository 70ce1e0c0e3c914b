"""Personal data breaches (GDPR and UK GDPR Arts. 33 and 34).

``analysis.py`` judges every breach (:func:`assess_breaches`); ``report.py`` holds the
report's tables; ``api.py`` is the only module that touches a workbook.
"""

from juro_privacy.topics.breaches.analysis import assess_breaches

__all__ = ["assess_breaches"]
