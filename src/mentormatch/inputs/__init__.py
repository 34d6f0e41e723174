"""Inputs: getting cells out of files safely.

Reading .xlsx and .csv exports behind the zip-bomb and used-range guards, finding the header row
and mapping columns to fields, and the small files of emails and pairs a round is given (locks,
do_not_match, history, shortlist selection, withdrawals). May import `vocab` and the root modules
(`errors`, `config`, `models`, `outcomes`); never validation, matching or anything above.
"""
