"""Per-newsroom calibration: policy thresholds re-fitted on the newsroom's own decided
comments at each retrain, for the precision editors choose on the model page.
"""
