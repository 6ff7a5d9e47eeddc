//! A chart as a native DrawingML chart part (`word/charts/chartN.xml`).
//!
//! Values are written as references with cached values (`numRef`/`numCache`), the form Word
//! itself writes, without an embedded workbook: Word and LibreOffice draw the chart from the
//! cache; editing the data in Word reports that the linked workbook is absent.

use std::fmt::Write as _;

use crate::chart::{Chart, ChartKind};
use crate::xml::escape;

/// Spreadsheet column letter for series `i` (B, C, ...), used in the reference formulas.
fn column(i: usize) -> String {
    let mut n = i + 2;
    let mut s = String::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.insert(0, char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    s
}

fn series_xml(out: &mut String, chart: &Chart, i: usize) {
    let s = &chart.series[i];
    let col = column(i);
    let n = chart.categories.len();
    let _ = write!(
        out,
        "<c:ser><c:idx val=\"{i}\"/><c:order val=\"{i}\"/><c:tx><c:strRef><c:f>Sheet1!${col}$1</c:f>\
         <c:strCache><c:ptCount val=\"1\"/><c:pt idx=\"0\"><c:v>{}</c:v></c:pt></c:strCache></c:strRef></c:tx>",
        escape(&s.name)
    );
    let color = chart.color(i).hex_bare();
    match chart.kind {
        ChartKind::Line => {
            let _ = write!(
                out,
                "<c:spPr><a:ln w=\"25400\"><a:solidFill><a:srgbClr val=\"{color}\"/></a:solidFill></a:ln></c:spPr>\
                 <c:marker><c:symbol val=\"circle\"/><c:size val=\"5\"/><c:spPr><a:solidFill><a:srgbClr val=\"{color}\"/></a:solidFill></c:spPr></c:marker>"
            );
        }
        ChartKind::Donut => {
            for p in 0..n {
                let _ = write!(
                    out,
                    "<c:dPt><c:idx val=\"{p}\"/><c:bubble3D val=\"0\"/><c:spPr><a:solidFill><a:srgbClr val=\"{}\"/></a:solidFill></c:spPr></c:dPt>",
                    chart.color(p).hex_bare()
                );
            }
        }
        _ => {
            let _ = write!(
                out,
                "<c:spPr><a:solidFill><a:srgbClr val=\"{color}\"/></a:solidFill></c:spPr><c:invertIfNegative val=\"0\"/>"
            );
        }
    }
    let _ = write!(out, "<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${}</c:f><c:strCache><c:ptCount val=\"{n}\"/>", n + 1);
    for (p, cat) in chart.categories.iter().enumerate() {
        let _ = write!(out, "<c:pt idx=\"{p}\"><c:v>{}</c:v></c:pt>", escape(cat));
    }
    let _ = write!(
        out,
        "</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:f>Sheet1!${col}$2:${col}${}</c:f><c:numCache>\
         <c:formatCode>General</c:formatCode><c:ptCount val=\"{n}\"/>",
        n + 1
    );
    for (p, v) in s.values.iter().enumerate() {
        let _ = write!(out, "<c:pt idx=\"{p}\"><c:v>{v}</c:v></c:pt>");
    }
    out.push_str("</c:numCache></c:numRef></c:val>");
    if chart.kind == ChartKind::Line {
        out.push_str("<c:smooth val=\"0\"/>");
    }
    out.push_str("</c:ser>");
}

const AXES: &str = "<c:catAx><c:axId val=\"500001\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/>\
<c:axPos val=\"b\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/>\
<c:tickLblPos val=\"nextTo\"/><c:crossAx val=\"500002\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/>\
<c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>\
<c:valAx><c:axId val=\"500002\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"l\"/>\
<c:majorGridlines><c:spPr><a:ln w=\"6350\"><a:solidFill><a:srgbClr val=\"D0D0D0\"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>\
<c:numFmt formatCode=\"#,##0\" sourceLinked=\"0\"/><c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>\
<c:crossAx val=\"500001\"/><c:crosses val=\"autoZero\"/><c:crossBetween val=\"between\"/></c:valAx>";

/// The chart part's XML.
pub fn chart_xml(chart: &Chart) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <c:roundedCorners val=\"0\"/><c:chart>",
    );
    let _ = write!(
        out,
        "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"1200\" b=\"1\"/></a:pPr>\
         <a:r><a:rPr lang=\"vi-VN\" sz=\"1200\" b=\"1\"/><a:t>{}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title>\
         <c:autoTitleDeleted val=\"0\"/><c:plotArea><c:layout/>",
        escape(&chart.title)
    );
    match chart.kind {
        ChartKind::Bar | ChartKind::StackedBar => {
            let grouping = if chart.kind == ChartKind::Bar { "clustered" } else { "stacked" };
            let _ = write!(
                out,
                "<c:barChart><c:barDir val=\"col\"/><c:grouping val=\"{grouping}\"/><c:varyColors val=\"0\"/>"
            );
            for i in 0..chart.series.len() {
                series_xml(&mut out, chart, i);
            }
            out.push_str("<c:gapWidth val=\"60\"/>");
            if chart.kind == ChartKind::StackedBar {
                out.push_str("<c:overlap val=\"100\"/>");
            }
            out.push_str("<c:axId val=\"500001\"/><c:axId val=\"500002\"/></c:barChart>");
            out.push_str(AXES);
        }
        ChartKind::Line => {
            out.push_str("<c:lineChart><c:grouping val=\"standard\"/><c:varyColors val=\"0\"/>");
            for i in 0..chart.series.len() {
                series_xml(&mut out, chart, i);
            }
            out.push_str("<c:marker val=\"1\"/><c:axId val=\"500001\"/><c:axId val=\"500002\"/></c:lineChart>");
            out.push_str(AXES);
        }
        ChartKind::Donut => {
            out.push_str("<c:doughnutChart><c:varyColors val=\"1\"/>");
            series_xml(&mut out, chart, 0);
            out.push_str("<c:firstSliceAng val=\"0\"/><c:holeSize val=\"55\"/></c:doughnutChart>");
        }
    }
    out.push_str(
        "</c:plotArea><c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/></c:legend><c:plotVisOnly val=\"1\"/>\
         <c:dispBlanksAs val=\"gap\"/></c:chart>\
         <c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"900\"><a:latin typeface=\"Times New Roman\"/>\
         <a:cs typeface=\"Times New Roman\"/></a:defRPr></a:pPr><a:endParaRPr lang=\"vi-VN\"/></a:p></c:txPr></c:chartSpace>",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_columns_follow_spreadsheet_letters() {
        assert_eq!(column(0), "B");
        assert_eq!(column(24), "Z");
        assert_eq!(column(25), "AA");
    }
}
