"""The weekly report as HTML: the page (`page`), its charts (`charts`) and its style sheet
(`report.css`)."""

from afterrun.rendering.report.charts import nice_step
from afterrun.rendering.report.page import render_html, report_body, style_sheet

__all__ = ["nice_step", "render_html", "report_body", "style_sheet"]
