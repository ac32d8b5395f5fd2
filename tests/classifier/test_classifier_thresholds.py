import pytest

from moderation.classifier.thresholds import GRID, fit_threshold

# 30 spam and 30 ham: every spam above every ham except one ham scored 0.95.
SPAM_SCORES = [0.6 + 0.01 * i for i in range(30)]  # 0.60 .. 0.89
HAM_SCORES = [0.1 + 0.01 * i for i in range(29)] + [0.95]
LABELS = [1] * 30 + [0] * 30
SCORES = SPAM_SCORES + HAM_SCORES


def test_it_takes_the_lowest_threshold_reaching_the_target():
    fit = fit_threshold(LABELS, SCORES, 0.95)
    # All 30 spam and the one high ham: 30/31 = 0.968 at 0.60; nothing lower reaches it.
    assert fit.threshold == pytest.approx(0.6)
    assert fit.precision == pytest.approx(30 / 31)
    assert fit.recall == 1.0
    assert (fit.n_decided, fit.n_positive) == (60, 30)


def test_a_stricter_target_raises_the_threshold_and_lowers_the_recall():
    fit = fit_threshold(LABELS, SCORES, 0.99)
    assert fit.threshold is None  # the ham at 0.95 tops the ranking: never 99 %
    lenient = fit_threshold(LABELS, SCORES, 0.9)
    assert lenient.threshold is not None and lenient.threshold < 0.6


def test_it_fits_nothing_on_too_few_positives():
    fit = fit_threshold([1] * 5 + [0] * 5, [0.9] * 5 + [0.1] * 5, 0.9)
    assert fit.threshold is None and fit.n_positive == 5
    assert len(fit.table) == len(GRID)


def test_the_table_gives_precision_and_recall_per_threshold():
    table = {row.threshold: row for row in fit_threshold(LABELS, SCORES, 0.95).table}
    assert table[0.5].flagged == 31 and table[0.5].precision == pytest.approx(30 / 31)
    assert table[0.9].flagged == 1 and table[0.9].precision == 0.0
    assert table[0.99].flagged == 0 and table[0.99].precision is None
    assert table[0.75].recall == pytest.approx(15 / 30)


def test_it_refuses_mismatched_inputs():
    with pytest.raises(ValueError):
        fit_threshold([1, 0], [0.5], 0.9)
