"""juro_privacy: privacy analytics and DPIA workbook for a Data Protection Officer."""

__version__ = "0.1.0"
