"""Naive-Bayes log-count-ratio scaling of features before the linear model.

Wang & Manning, "Baselines and Bigrams" (ACL 2012): scaling each column by how much
more often it occurs in one class than the other lets a regularised linear model
trust informative n-grams and ignore the rest. Measured here it helped the spoiler
task; see docs/benchmarks.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin


class LogCountRatio(TransformerMixin, BaseEstimator):
    """Multiply each column by log((p_j / |p|) / (q_j / |q|)), where p and q count the
    rows of each class in which the column is non-zero (plus ``alpha``). The last
    ``n_unscaled`` columns (dense signals) are left as they are.
    """

    def __init__(self, *, alpha: float = 1.0, n_unscaled: int = 0) -> None:
        self.alpha = alpha
        self.n_unscaled = n_unscaled

    def fit(self, X: sp.csr_matrix, y: Any) -> LogCountRatio:
        labels = np.asarray(y)
        present = sp.csr_matrix(X, copy=True)
        present.data = (present.data != 0).astype(np.float64)
        positive = self.alpha + np.asarray(present[labels == 1].sum(axis=0)).ravel()
        negative = self.alpha + np.asarray(present[labels == 0].sum(axis=0)).ravel()
        ratio = np.log((positive / positive.sum()) / (negative / negative.sum()))
        if self.n_unscaled:
            ratio[-self.n_unscaled :] = 1.0
        self.ratio_ = ratio
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X: sp.csr_matrix) -> sp.csr_matrix:
        scaled = sp.csr_matrix(X, dtype=np.float64, copy=True)
        scaled.data *= self.ratio_[scaled.indices]
        return scaled
