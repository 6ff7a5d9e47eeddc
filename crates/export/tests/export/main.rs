//! Integration tests of the export engine through its public API: structure of the generated
//! files, text identity between formats, LibreOffice rendering, golden text snapshots, bad input.

mod bad_input;
mod docx;
mod golden;
mod pdf;
mod support;
mod xlsx;
