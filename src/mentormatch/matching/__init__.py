"""Matching: from validated applicants to the best pairing and its reasons.

Integer encoding of applicants, the hard rules, the 0-100 score, the pair space evaluated in
blocks, the solver (the only module that sees costs and imports scipy), the pipeline that runs a
round, and the sentences that explain pairs and the unmatched. May import `validation`, `inputs`,
`vocab` and the root modules.
"""
