"""Small charts drawn as inline SVG on the server: no JavaScript library, nothing fetched.

Every label goes through format_html, so nothing here can inject markup.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: Sequence[int]


def _n(value: float, places: int = 1) -> str:
    return f"{value:.{places}f}"


def _join(parts: list[SafeString]) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 - each part is built by format_html


def stacked_bars(
    labels: Sequence[str], series: Sequence[Series], *, title: str, width: int = 720
) -> SafeString:
    """Columns per label with one stacked segment per series, a y scale and a legend."""
    height, left, bottom, top = 200, 36, 36, 12
    plot_w, plot_h = width - left - 8, height - bottom - top
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    peak = max([*totals, 1])
    step = plot_w / max(len(labels), 1)
    bar_w = max(step * 0.7, 1.0)
    parts: list[SafeString] = []
    for tick in sorted({0, peak // 2, peak}):
        y = top + plot_h - plot_h * tick / peak
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"/>'
                '<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>',
                left,
                width - 8,
                _n(y),
                _n(y),
                left - 4,
                _n(y + 4),
                tick,
            )
        )
    for i, label in enumerate(labels):
        x = left + i * step + (step - bar_w) / 2
        base = float(top + plot_h)
        for s in series:
            h = plot_h * s.values[i] / peak
            if h > 0:
                base -= h
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                        "<title>{}: {} {}</title></rect>",
                        _n(x),
                        _n(base),
                        _n(bar_w),
                        _n(h),
                        s.colour,
                        label,
                        s.values[i],
                        s.name,
                    )
                )
        if i % 5 == 0 or i == len(labels) - 1:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>',
                    _n(x + bar_w / 2),
                    height - bottom + 14,
                    label,
                )
            )
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>'
        '<text x="{}" y="{}" class="tick">{}</text>',
        (
            (left + i * 110, height - 12, s.colour, left + 14 + i * 110, height - 3, s.name)
            for i, s in enumerate(series)
        ),
    )
    return format_html(
        '<svg class="desk-chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="{}"><title>{}</title>{}{}</svg>',
        width,
        height,
        width,
        height,
        title,
        title,
        _join(parts),
        legend,
    )


def precision_recall_curve(
    points: Sequence[tuple[float, float, float]], *, size: int = 260
) -> SafeString:
    """Precision (y) against recall (x); points are (threshold, precision, recall)."""
    pad = 34
    plot = size - pad - 10
    ordered = sorted(points, key=lambda p: (p[2], -p[1]))

    def xy(precision: float, recall: float) -> tuple[float, float]:
        return pad + plot * recall, 10 + plot * (1 - precision)

    path = " ".join(
        f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}"
        for i, (x, y) in enumerate(xy(p, r) for _, p, r in ordered)
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>'
        '<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>',
        (
            (_n(pad + plot * v), size - 12, v, pad - 4, _n(10 + plot * (1 - v) + 4), v)
            for v in (0, 0.5, 1)
        ),
    )
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="2.5"><title>threshold {}: precision {}, '
        "recall {}</title></circle>",
        ((*map(_n, xy(p, r)), _n(t, 2), _n(p, 2), _n(r, 2)) for t, p, r in ordered),
    )
    return format_html(
        '<svg class="desk-chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="Precision-recall curve"><title>Precision-recall curve</title>'
        '<rect x="{}" y="10" width="{}" height="{}" class="frame"/>{}'
        '<path d="{}" class="curve"/>{}'
        '<text x="{}" y="{}" class="axis" text-anchor="middle">recall</text>'
        '<text x="10" y="{}" class="axis" text-anchor="middle" '
        'transform="rotate(-90 10 {})">precision</text></svg>',
        size,
        size,
        size,
        size,
        pad,
        plot,
        plot,
        ticks,
        path,
        dots,
        _n(pad + plot / 2),
        size,
        _n(10 + plot / 2),
        _n(10 + plot / 2),
    )


def confusion_matrix(*, tp: int, fp: int, tn: int, fn: int, positive: str) -> SafeString:
    """A 2x2 grid, rows the truth and columns the prediction, shaded by share of the total."""
    total = max(tp + fp + tn + fn, 1)
    cells = [
        (0, 0, tn, "true negatives"),
        (1, 0, fp, "false positives"),
        (0, 1, fn, "false negatives"),
        (1, 1, tp, "true positives"),
    ]
    left, top, cell = 92, 40, 80
    body = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="rgba(31,94,140,{})" '
        'class="cell"><title>{}: {}</title></rect>'
        '<text x="{}" y="{}" text-anchor="middle" class="count">{}</text>',
        (
            (
                left + col * cell,
                top + row * cell,
                cell,
                cell,
                _n(0.08 + 0.8 * n / total, 2),
                name,
                n,
                _n(left + col * cell + cell / 2),
                _n(top + row * cell + cell / 2 + 6),
                n,
            )
            for col, row, n, name in cells
        ),
    )
    return format_html(
        '<svg class="desk-chart" viewBox="0 0 260 220" width="260" height="220" role="img" '
        'aria-label="Confusion matrix"><title>Confusion matrix</title>'
        '<text x="{}" y="16" text-anchor="middle" class="axis">predicted</text>'
        '<text x="{}" y="32" text-anchor="middle" class="tick">not {}</text>'
        '<text x="{}" y="32" text-anchor="middle" class="tick">{}</text>'
        '<text x="86" y="{}" text-anchor="end" class="tick">not {}</text>'
        '<text x="86" y="{}" text-anchor="end" class="tick">{}</text>'
        '<text x="14" y="{}" text-anchor="middle" class="axis" transform="rotate(-90 14 {})">'
        "actual</text>{}</svg>",
        left + cell,
        _n(left + cell / 2),
        positive,
        _n(left + cell * 1.5),
        positive,
        _n(top + cell / 2 + 4),
        positive,
        _n(top + cell * 1.5 + 4),
        positive,
        top + cell,
        top + cell,
        body,
    )
