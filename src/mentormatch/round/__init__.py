"""The round around a match: the tools a coordinator uses before and after pairing.

One person's drill-down and suggestions, the blind EOI panel and the shortlist, rematch after
withdrawals, scenario comparison, recruitment gaps and introduction drafts. Computes results;
writes no files. May import `matching` and every layer below it.
"""
