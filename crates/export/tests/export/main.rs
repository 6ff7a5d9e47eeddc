//! Integration tests of the export engine through its public API: structure of the generated
//! files, text identity between formats, LibreOffice rendering, golden text snapshots, bad input.

mod aggregate_table;
mod bad_input;
mod docx;
mod fixture;
mod golden;
mod nd30;
mod pdf;
mod report_form;
mod support;
mod xlsx;
mod xlsx_print;
mod xlsx_read;
