"""The comments API, one module per audience: readers, moderators, editors."""
