"""The monthly dispatch report as an xlsx workbook (summary and district ranking sheets).

(Not in the standard app anatomy: ``core.exports`` writes one sheet of list rows; the dispatch report is a
multi-sheet document.  The ``reports`` capability may take it over.)
"""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from industria.core.exports import XLSX, export_filename

from .selectors.dispatch import MEASURES, DispatchReport

YI = 1e8


def _yi(value: Any) -> float:
    return round(float(value or 0) / YI, 2)


def dispatch_workbook(report: DispatchReport) -> HttpResponse:
    """Summary (the month and the year to date, by measure) and districts (figures, completion, colour, rank)."""
    import xlsxwriter

    labels = {
        "signed": _("Signed"),
        "started": _("Started"),
        "completed": _("Completed"),
        "producing": _("Producing"),
    }
    colours = {"blue": _("Blue"), "yellow": _("Yellow"), "red": _("Red"), "grey": _("No plan")}
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    title = _("Dispatch report %(year)s-%(month)02d") % {"year": report.year, "month": report.month}

    summary = book.add_worksheet(_("Summary")[:31])
    summary.write(0, 0, title, bold)
    summary.write_row(
        2,
        0,
        [
            _("Measure"),
            _("Projects in the month"),
            _("Investment in the month (CNY 100M)"),
            _("Projects since January"),
            _("Investment since January (CNY 100M)"),
        ],
        bold,
    )
    for i, measure in enumerate(MEASURES, start=3):
        summary.write_row(
            i,
            0,
            [
                labels[measure],
                report.month_totals[f"{measure}_count"],
                _yi(report.month_totals[f"{measure}_investment_cny"]),
                report.ytd_totals[f"{measure}_count"],
                _yi(report.ytd_totals[f"{measure}_investment_cny"]),
            ],
        )
    row = 3 + len(MEASURES) + 1
    summary.write_row(row, 0, [_("Annual investment plan (CNY 100M)"), _yi(report.plan_planned_cny)])
    summary.write_row(row + 1, 0, [_("Completed since January (CNY 100M)"), _yi(report.plan_completed_cny)])
    summary.write_row(row + 2, 0, [_("Completion of the annual plan (%)"), report.plan_completion_pct or 0])
    summary.write(row + 4, 0, _("Synthetic demo data where the projects are marked synthetic."))

    districts = book.add_worksheet(_("Districts")[:31])
    headers = [
        _("Rank"),
        _("District"),
        _("Colour"),
        _("Completion (%)"),
        _("Time progress (%)"),
        _("Annual plan (CNY 100M)"),
        _("Completed (CNY 100M)"),
    ]
    for measure in MEASURES:
        headers += [
            _("%(measure)s: projects") % {"measure": labels[measure]},
            _("%(measure)s: investment (CNY 100M)") % {"measure": labels[measure]},
        ]
    districts.write_row(0, 0, headers, bold)
    en = (get_language() or "").startswith("en")
    for r, d in enumerate(report.districts, start=1):
        values = [
            d.get("rank") or "",
            d.get("district__name_en" if en else "district__name_zh") or d.get("group_code") or "",
            str(colours.get(d.get("colour") or "grey", "")),
            d.get("completion_pct") if d.get("completion_pct") is not None else "",
            d.get("time_progress_pct") if d.get("time_progress_pct") is not None else "",
            _yi(d.get("planned_cny")),
            _yi(d.get("completed_cny")),
        ]
        for measure in MEASURES:
            values += [d.get(f"{measure}_count") or 0, _yi(d.get(f"{measure}_investment_cny"))]
        districts.write_row(r, 0, values)
    book.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{export_filename(f"dispatch-{report.year}-{report.month:02d}")}.xlsx"'
    )
    return response
