"""Signed POSTs to a site's own endpoints when comments and corrections change."""
