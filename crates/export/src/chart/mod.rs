//! Charts: bar, stacked bar, line and donut.
//!
//! A [`Chart`] is data plus a kind. [`Chart::scene`] lays it out once as a list of simple shapes
//! (rectangles, lines, paths, text) in points; the SVG writer, the PDF writer and the tests all
//! draw that same scene, so the chart looks the same on the web page and in the PDF. DOCX gets a
//! native Word chart built from the same data and colours (`docx::chart`), which Word and
//! LibreOffice both render and which officials can restyle.

pub mod scale;
mod scene;
mod svg;

pub use scene::{Anchor, Color, PathCmd, Scene, Shape};

use crate::error::ExportError;

/// The kinds of chart the engine draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Vertical bars, one group per category, one bar per series.
    Bar,
    /// Vertical bars stacked per category.
    StackedBar,
    /// One line per series over the categories.
    Line,
    /// A ring of the first series' values.
    Donut,
}

impl ChartKind {
    /// Vietnamese name, used in the generated description.
    pub fn name_vi(self) -> &'static str {
        match self {
            ChartKind::Bar => "Biểu đồ cột",
            ChartKind::StackedBar => "Biểu đồ cột chồng",
            ChartKind::Line => "Biểu đồ đường",
            ChartKind::Donut => "Biểu đồ vành khuyên",
        }
    }
}

/// One named series of values, one per category.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text, e.g. `Quảng Yên`.
    pub name: String,
    /// Values in category order.
    pub values: Vec<f64>,
}

/// A chart's data and presentation.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Kind.
    pub kind: ChartKind,
    /// Title, drawn above the plot and used as the SVG `<title>`.
    pub title: String,
    /// Longer description for screen readers (SVG `<desc>`); generated when empty.
    pub description: String,
    /// Category labels (x axis, or donut slices).
    pub categories: Vec<String>,
    /// Series.
    pub series: Vec<Series>,
    /// Unit of the values, shown in the data table header (e.g. `nhiệm vụ`).
    pub unit: Option<String>,
    /// Drawing width in points.
    pub width: f64,
    /// Drawing height in points.
    pub height: f64,
    /// Colours of the series (or donut slices), in order; empty for the default palette. Dashboards use it
    /// to draw each status in its configured colour.
    pub colors: Vec<Color>,
    /// Whether the categories are data (names of records, such as a plan's targets) rather than interface
    /// text (statuses, periods): the SVG and the data table mark them `lang="vi"`.
    pub categories_are_data: bool,
}

impl Chart {
    /// A chart of `kind` with the default size (16 × 10 cm).
    pub fn new(kind: ChartKind, title: impl Into<String>, categories: Vec<String>, series: Vec<Series>) -> Chart {
        Chart {
            kind,
            title: title.into(),
            description: String::new(),
            categories,
            series,
            unit: None,
            width: 453.5,
            height: 283.5,
            colors: Vec::new(),
            categories_are_data: false,
        }
    }

    /// The colour of series (or donut slice) `index`: the chart's own colours, else the palette.
    pub fn color(&self, index: usize) -> Color {
        self.colors.get(index).copied().unwrap_or_else(|| palette(index))
    }

    /// Checks that the data can be drawn: at least one category and series, every series as long
    /// as the categories, finite values, and non-negative values with a positive total in a donut.
    pub fn validate(&self) -> Result<(), ExportError> {
        let fail = |reason: &str| Err(ExportError::ChartData { title: self.title.clone(), reason: reason.to_owned() });
        if self.categories.is_empty() {
            return fail("no category");
        }
        if self.series.is_empty() {
            return fail("no series");
        }
        for s in &self.series {
            if s.values.len() != self.categories.len() {
                return Err(ExportError::ChartData {
                    title: self.title.clone(),
                    reason: format!(
                        "series `{}` has {} values for {} categories",
                        s.name,
                        s.values.len(),
                        self.categories.len()
                    ),
                });
            }
            if s.values.iter().any(|v| !v.is_finite()) {
                return fail("a value is not a finite number");
            }
        }
        if self.kind == ChartKind::Donut {
            let values = &self.series[0].values;
            if values.iter().any(|v| *v < 0.0) {
                return fail("a donut cannot show negative values");
            }
            if values.iter().sum::<f64>() <= 0.0 {
                return fail("a donut needs a positive total");
            }
        }
        if !(self.width > 50.0 && self.height > 50.0) {
            return fail("the drawing is smaller than 50 points");
        }
        Ok(())
    }

    /// The description: the one given, or one generated from the data.
    pub fn description_text(&self) -> String {
        if !self.description.is_empty() {
            return self.description.clone();
        }
        let series: Vec<&str> = self.series.iter().map(|s| s.name.as_str()).collect();
        format!(
            "{} \u{201C}{}\u{201D}: {} nhóm ({}); chuỗi số liệu: {}. Bảng số liệu đi kèm.",
            self.kind.name_vi(),
            self.title,
            self.categories.len(),
            self.categories.join(", "),
            series.join(", ")
        )
    }

    /// Lays the chart out as shapes in points (origin top left, y down).
    pub fn scene(&self) -> Result<Scene, ExportError> {
        self.validate()?;
        Ok(scene::layout(self))
    }

    /// A standalone SVG document with `<title>` and `<desc>`, labelled for screen readers.
    pub fn to_svg(&self) -> Result<String, ExportError> {
        Ok(svg::render(self, &self.scene()?))
    }

    /// The data as an HTML `<table>`, the accessible fallback shown next to (or instead of) the
    /// SVG. Values use Vietnamese separators (`1.234,5`).
    pub fn data_table_html(&self) -> String {
        svg::data_table(self)
    }
}

/// The colour of series (or donut slice) `index`: a palette that stays distinct for the
/// common kinds of colour blindness and in greyscale print.
pub fn palette(index: usize) -> Color {
    const COLORS: [Color; 8] = [
        Color(0x00, 0x72, 0xB2),
        Color(0xE6, 0x9F, 0x00),
        Color(0x00, 0x9E, 0x73),
        Color(0xCC, 0x79, 0xA7),
        Color(0x56, 0xB4, 0xE9),
        Color(0xD5, 0x5E, 0x00),
        Color(0xF0, 0xE4, 0x42),
        Color(0x55, 0x55, 0x55),
    ];
    COLORS[index % COLORS.len()]
}

/// Formats a chart value the Vietnamese way, with at most one decimal.
pub fn format_value(v: f64) -> String {
    tiendo_core::fmt::decimal(v, 1, tiendo_core::lang::Lang::Vi)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample(kind: ChartKind) -> Chart {
        Chart::new(
            kind,
            "Nhiệm vụ KH&CN theo năm",
            vec!["2023".into(), "2024".into(), "2025".into()],
            vec![
                Series { name: "Quảng Yên".into(), values: vec![3.0, 5.0, 4.0] },
                Series { name: "Hạ Long".into(), values: vec![6.0, 7.5, 9.0] },
            ],
        )
    }

    #[test]
    fn series_of_the_wrong_length_is_refused_with_its_name() {
        let mut c = sample(ChartKind::Bar);
        c.series[1].values.pop();
        let err = c.validate().unwrap_err().to_string();
        assert!(err.contains("Hạ Long") && err.contains("2 values for 3 categories"), "{err}");
    }

    #[test]
    fn donut_refuses_negative_values() {
        let mut c = sample(ChartKind::Donut);
        c.series[0].values[0] = -1.0;
        assert!(c.validate().is_err());
    }

    #[test]
    fn svg_is_labelled_for_screen_readers_and_escapes_text() {
        for kind in [ChartKind::Bar, ChartKind::StackedBar, ChartKind::Line, ChartKind::Donut] {
            let svg = sample(kind).to_svg().unwrap();
            assert!(svg.starts_with("<svg "), "{kind:?}");
            assert!(svg.contains("role=\"img\""), "{kind:?}");
            assert!(svg.contains("<title id="), "{kind:?}");
            assert!(svg.contains("<desc id="), "{kind:?}");
            assert!(svg.contains("Nhiệm vụ KH&amp;CN theo năm"), "{kind:?}");
            assert!(!svg.contains("KH&CN"), "unescaped ampersand in {kind:?}");
            assert!(svg.trim_end().ends_with("</svg>"), "{kind:?}");
        }
    }

    #[test]
    fn bar_heights_are_proportional_to_values() {
        let scene = sample(ChartKind::Bar).scene().unwrap();
        let bars: Vec<f64> = scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Rect { h, fill, .. } if *fill == palette(1) && *h > 9.0 => Some(*h),
                _ => None,
            })
            .collect();
        // Hạ Long: 6, 7.5, 9 → heights in the same ratio.
        assert_eq!(bars.len(), 3, "{bars:?}");
        assert!((bars[1] / bars[0] - 7.5 / 6.0).abs() < 1e-6, "{bars:?}");
        assert!((bars[2] / bars[0] - 9.0 / 6.0).abs() < 1e-6, "{bars:?}");
    }

    #[test]
    fn stacked_bars_of_a_category_touch_each_other() {
        let scene = sample(ChartKind::StackedBar).scene().unwrap();
        let rects: Vec<(f64, f64, f64)> = scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Rect { x, y, h, fill, .. } if *fill == palette(0) || *fill == palette(1) => Some((*x, *y, *h)),
                _ => None,
            })
            .filter(|r| r.2 > 9.0)
            .collect();
        // First category: the second series' bar sits right on top of the first's.
        let first: Vec<_> = rects.iter().filter(|r| (r.0 - rects[0].0).abs() < 1e-9).collect();
        assert_eq!(first.len(), 2, "{rects:?}");
        assert!((first[1].1 + first[1].2 - first[0].1).abs() < 1e-6, "{first:?}");
    }

    #[test]
    fn data_table_lists_every_value_with_vietnamese_separators() {
        let mut c = sample(ChartKind::Line);
        c.series[0].values[0] = 1234.5;
        let html = c.data_table_html();
        assert!(html.contains("<caption>Nhiệm vụ KH&amp;CN theo năm</caption>"), "{html}");
        assert!(html.contains("<th scope=\"col\">Quảng Yên</th>"), "{html}");
        assert!(html.contains("<td>1.234,5</td>"), "{html}");
        let body = &html[html.find("<tbody>").unwrap()..];
        assert_eq!(body.matches("<td>").count(), 6);
    }
}
