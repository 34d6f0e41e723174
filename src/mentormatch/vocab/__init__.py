"""Vocabulary: the words applicants use, read into canonical values.

Text helpers (cleaning, word counts), the vocabulary lookup, the grade ladder, departments and
professions. The floor of the package: it imports nothing else from mentormatch.
"""
