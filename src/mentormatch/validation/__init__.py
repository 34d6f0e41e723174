"""Validation: every row becomes an applicant or is left out with its problems listed.

Answer parsers (each distinct answer parsed once) and the row and cross-row checks (eligibility,
word limits, duplicates). May import `inputs`, `vocab` and the root modules.
"""
