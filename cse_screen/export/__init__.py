"""Excel workbooks for team leads, managers, safeguarding boards and Ofsted (no Qt here)."""

from cse_screen.export.options import ExportOptions, ExportSummary
from cse_screen.export.service import export_workbook

__all__ = ["ExportOptions", "ExportSummary", "export_workbook"]
