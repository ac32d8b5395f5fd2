"""Campaign detection: near-identical comments from many authors within a short window.

`signature` is pure (no ORM): the text key, MinHash and its LSH bands, the match test.
`detection` is the scoring rule that stores signatures and assigns clusters; `services`
holds the desk's decisions on a cluster; `selectors` its reads.
"""
