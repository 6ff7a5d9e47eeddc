//! Writes the sample report as DOCX, PDF and XLSX, and the sample report form and aggregated
//! table as XLSX, into a folder, for reviewers:
//! `cargo run -p tiendo-export --example sample -- /tmp/out`.

use std::path::PathBuf;

fn main() -> Result<(), tiendo_export::ExportError> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    std::fs::create_dir_all(&dir)?;
    let doc = tiendo_export::sample::sample_report();
    std::fs::write(dir.join("bao-cao.docx"), tiendo_export::docx(&doc)?)?;
    let fonts = tiendo_export::pdf::FontSet::load_system()?;
    std::fs::write(dir.join("bao-cao.pdf"), tiendo_export::pdf(&doc, &fonts)?)?;
    let report = tiendo_export::sample::sample_tabular_report();
    std::fs::write(
        dir.join("bieu-01.xlsx"),
        tiendo_export::xlsx::write(&report, tiendo_export::sample::sample_rows(54))?,
    )?;
    let def = tiendo_export::sample_reporting::sample_template();
    let heading = tiendo_export::sample_reporting::sample_heading(tiendo_core::reporting::Period::Year(2025));
    let values = tiendo_export::sample_reporting::sample_values();
    for lang in tiendo_core::lang::Lang::ALL {
        let form = tiendo_export::write_report_form(&def, &heading, &values, lang)?;
        std::fs::write(dir.join(format!("bieu-mau-khcn-{}.xlsx", lang.tag())), form)?;
    }
    let table = tiendo_export::sample_reporting::sample_aggregate_table();
    std::fs::write(
        dir.join("tong-hop-khcn.xlsx"),
        tiendo_export::write_aggregate_table(&table, tiendo_core::lang::Lang::Vi)?,
    )?;
    for kind in tiendo_export::kinds::DocumentKind::ALL {
        let doc = tiendo_export::sample::sample_document(kind)?;
        std::fs::write(dir.join(format!("{}.pdf", kind.id())), tiendo_export::pdf(&doc, &fonts)?)?;
        std::fs::write(dir.join(format!("{}.docx", kind.id())), tiendo_export::docx(&doc)?)?;
    }
    println!("written to {}", dir.display());
    Ok(())
}
