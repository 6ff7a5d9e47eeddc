//! Workbooks written by hand, part by part, in the flavour of LibreOffice Calc 7.4's
//! "Calc Office Open XML" export (explicit `t="n"`, `xml:space="preserve"` strings, every number
//! format declared as a custom `numFmt` from 164, relationships numbered styles first), so the
//! reader is tested on input it did not write itself even where LibreOffice Calc is not installed.

use crate::support::zip_of;

/// A sheet: its tab name, whether hidden, and the XML of its rows (`<row>` elements).
pub struct Sheet<'a> {
    pub name: &'a str,
    pub hidden: bool,
    pub rows: String,
}

/// Number formats and cell formats: `num_fmts` are (id, code) pairs; `xfs[i]` is the number format
/// id of cell style `i` (style 0 should be General, 164 in LibreOffice's numbering).
pub struct Styles<'a> {
    pub num_fmts: &'a [(u32, &'a str)],
    pub xfs: &'a [u32],
}

/// LibreOffice's styles for a filled form: 0 General, 1 `#,##0`, 2 `dd/mm/yyyy`, 3 `@`, 4 built-in
/// percent `0.00%` (id 10), 5 `#,##0.00`.
pub const CALC_STYLES: Styles<'static> = Styles {
    num_fmts: &[(164, "General"), (165, "#,##0"), (166, "dd/mm/yyyy"), (167, "@"), (168, "#,##0.00")],
    xfs: &[164, 165, 166, 167, 10, 168],
};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A row of cells: `(reference, xml attributes and content)` pairs become
/// `<c r="A1" ...>...</c>`.
pub fn row(number: u32, cells: &[(&str, String)]) -> String {
    let mut out = format!(r#"<row r="{number}" customFormat="false" ht="15" hidden="false" customHeight="false">"#);
    for (reference, inner) in cells {
        out.push_str(&format!(r#"<c r="{reference}"{inner}</c>"#));
    }
    out.push_str("</row>");
    out
}

/// A shared-string cell's attributes and content (` s="0" t="s"><v>3</v>`).
pub fn shared(index: usize, style: u32) -> String {
    format!(r#" s="{style}" t="s"><v>{index}</v>"#)
}

/// A number cell.
pub fn number(value: &str, style: u32) -> String {
    format!(r#" s="{style}" t="n"><v>{value}</v>"#)
}

/// A workbook of these sheets, shared strings and styles.
pub fn workbook(sheets: &[Sheet], strings: &[&str], styles: &Styles) -> Vec<u8> {
    let mut content_types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#,
    );
    let mut sheet_list = String::new();
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    );
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, sheet) in sheets.iter().enumerate() {
        let n = i + 1;
        content_types.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
        let state = if sheet.hidden { "hidden" } else { "visible" };
        sheet_list.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}" state="{state}" r:id="rId{}"/>"#,
            escape(sheet.name),
            n + 1
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#,
            n + 1
        ));
        parts.push((
            format!("xl/worksheets/sheet{n}.xml"),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetPr filterMode="false"><pageSetUpPr fitToPage="false"/></sheetPr><sheetFormatPr defaultColWidth="8.5390625" defaultRowHeight="15"></sheetFormatPr><sheetData>{}</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.5" footer="0.5"/></worksheet>"#,
                sheet.rows
            )
            .into_bytes(),
        ));
    }
    content_types.push_str("</Types>");
    rels.push_str(&format!(
        r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        sheets.len() + 2
    ));
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><fileVersion appName="Calc"/><workbookPr backupFile="false" showObjects="all" dateCompatibility="false"/><workbookProtection/><bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheet_list}</sheets><calcPr iterateCount="100" refMode="A1" iterate="false" iterateDelta="0.0001"/></workbook>"#
    );
    let sst: String =
        strings.iter().map(|s| format!(r#"<si><t xml:space="preserve">{}</t></si>"#, escape(s))).collect();
    let shared_strings = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">{sst}</sst>"#,
        strings.len()
    );
    let num_fmts: String = styles
        .num_fmts
        .iter()
        .map(|(id, code)| format!(r#"<numFmt numFmtId="{id}" formatCode="{}"/>"#, escape(code)))
        .collect();
    let xfs: String = styles
        .xfs
        .iter()
        .map(|id| format!(r#"<xf numFmtId="{id}" fontId="0" fillId="0" borderId="0" xfId="0" applyProtection="false"><protection locked="true" hidden="false"/></xf>"#))
        .collect();
    let styles_xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="{}">{num_fmts}</numFmts><fonts count="1"><font><sz val="10"/><name val="Arial"/><family val="2"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border diagonalUp="false" diagonalDown="false"><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="164" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="{}">{xfs}</cellXfs></styleSheet>"#,
        styles.num_fmts.len(),
        styles.xfs.len()
    );
    let mut all: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), content_types.into_bytes()),
        (
            "_rels/.rels".into(),
            br#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
                .to_vec(),
        ),
        ("xl/workbook.xml".into(), workbook.into_bytes()),
        ("xl/_rels/workbook.xml.rels".into(), rels.into_bytes()),
        ("xl/styles.xml".into(), styles_xml.into_bytes()),
        ("xl/sharedStrings.xml".into(), shared_strings.into_bytes()),
    ];
    all.extend(parts);
    let borrowed: Vec<(&str, Vec<u8>)> = all.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
    zip_of(&borrowed)
}
