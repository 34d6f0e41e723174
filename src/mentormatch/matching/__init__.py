"""Matching: from validated applicants to the best pairing and its reasons.

Integer encoding of applicants, the hard rules, the 0-100 score, the pair space evaluated in
blocks, the solver (the only module that sees costs), the pipeline that runs a round, the sentences
that explain pairs and the unmatched, and the count of extra pairs new seniors would make (a
maximum flow, for `gaps`). The solver and that count import scipy. May import `validation`,
`inputs`, `vocab` and the root modules.
"""
