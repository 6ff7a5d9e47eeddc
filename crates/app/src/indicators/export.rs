//! The scorecard's exports: a workbook and an official report (DOCX, or PDF from it) for the upper level.
