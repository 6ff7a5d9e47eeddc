//! Chart layout into shapes.

use super::scale::LinearScale;
use super::{Chart, ChartKind, format_value};
use crate::metrics::approx_text_width;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    /// `#RRGGBB`.
    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    /// `RRGGBB` (DrawingML).
    pub fn hex_bare(self) -> String {
        format!("{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }
}

/// Text anchoring relative to its x coordinate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// x is the left edge.
    Start,
    /// x is the centre.
    Middle,
    /// x is the right edge.
    End,
}

/// A path command in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PathCmd {
    /// Move to.
    Move(f64, f64),
    /// Line to.
    Line(f64, f64),
    /// Cubic Bézier to (c1, c2, end).
    Cubic(f64, f64, f64, f64, f64, f64),
    /// Close the subpath.
    Close,
}

/// One drawing primitive.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A filled rectangle.
    Rect {
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
        /// Fill.
        fill: Color,
    },
    /// A stroked polyline (two points for a simple line).
    Polyline {
        /// Points.
        points: Vec<(f64, f64)>,
        /// Stroke colour.
        stroke: Color,
        /// Stroke width.
        width: f64,
    },
    /// A filled path.
    Path {
        /// Commands.
        commands: Vec<PathCmd>,
        /// Fill.
        fill: Color,
    },
    /// Text on a baseline.
    Text {
        /// Anchor x.
        x: f64,
        /// Baseline y.
        y: f64,
        /// The text.
        text: String,
        /// Size in points.
        size: f64,
        /// Anchoring.
        anchor: Anchor,
        /// Bold.
        bold: bool,
        /// Colour.
        fill: Color,
        /// Whether the text is data (a category that names a record), marked as Vietnamese in SVG.
        data: bool,
    },
}

/// A laid-out chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// Width in points.
    pub width: f64,
    /// Height in points.
    pub height: f64,
    /// Shapes in painting order.
    pub shapes: Vec<Shape>,
}

impl Scene {
    /// The texts of the scene in painting order (what a PDF text extractor reads).
    pub fn texts(&self) -> Vec<&str> {
        self.shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

const INK: Color = Color(0x22, 0x22, 0x22);
const GRID: Color = Color(0xD0, 0xD0, 0xD0);
const TITLE_PT: f64 = 12.0;
const LABEL_PT: f64 = 9.0;

/// A category label shortened with "…" to the width of its band (an average glyph is about half the font
/// size wide); the full label stays in the data table and the description.
fn fit_label(label: &str, width: f64, size: f64) -> String {
    let max_chars = ((width * 0.85 - 4.0) / (size * 0.55)).floor().max(1.0) as usize;
    if label.chars().count() <= max_chars {
        return label.to_owned();
    }
    let kept: String = label.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

fn text(x: f64, y: f64, s: &str, size: f64, anchor: Anchor, bold: bool) -> Shape {
    Shape::Text { x, y, text: s.to_owned(), size, anchor, bold, fill: INK, data: false }
}

/// A category's text: data when the chart's categories are (see [`Chart::categories_are_data`]).
fn category_text(chart: &Chart, x: f64, y: f64, s: &str, anchor: Anchor) -> Shape {
    Shape::Text {
        x,
        y,
        text: s.to_owned(),
        size: LABEL_PT,
        anchor,
        bold: false,
        fill: INK,
        data: chart.categories_are_data,
    }
}

pub(super) fn layout(chart: &Chart) -> Scene {
    let mut shapes = vec![text(chart.width / 2.0, 18.0, &chart.title, TITLE_PT, Anchor::Middle, true)];
    match chart.kind {
        ChartKind::Donut => donut(chart, &mut shapes),
        _ => cartesian(chart, &mut shapes),
    }
    Scene { width: chart.width, height: chart.height, shapes }
}

/// Legend items in one centred row at `y`: a swatch and the name.
fn legend(chart: &Chart, names: &[String], width: f64, y: f64, shapes: &mut Vec<Shape>) {
    let item_width = |n: &str| 12.0 + f64::from(approx_text_width(n, LABEL_PT as f32, false)) + 14.0;
    let total: f64 = names.iter().map(|n| item_width(n)).sum();
    let mut x = ((width - total) / 2.0).max(4.0);
    for (i, name) in names.iter().enumerate() {
        shapes.push(Shape::Rect { x, y: y - 8.0, w: 8.0, h: 8.0, fill: chart.color(i) });
        shapes.push(text(x + 12.0, y, name, LABEL_PT, Anchor::Start, false));
        x += item_width(name);
    }
}

fn cartesian(chart: &Chart, shapes: &mut Vec<Shape>) {
    let (right, top, bottom) = (chart.width - 12.0, 34.0, chart.height - 46.0);
    let n_cat = chart.categories.len();
    // The value extent: per value for bars and lines, per stacked sum for stacked bars.
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for c in 0..n_cat {
        if chart.kind == ChartKind::StackedBar {
            let pos: f64 = chart.series.iter().map(|s| s.values[c].max(0.0)).sum();
            let neg: f64 = chart.series.iter().map(|s| s.values[c].min(0.0)).sum();
            hi = hi.max(pos);
            lo = lo.min(neg);
        } else {
            for s in &chart.series {
                hi = hi.max(s.values[c]);
                lo = lo.min(s.values[c]);
            }
        }
    }
    let y = LinearScale::new((lo, hi), (bottom, top)).nice(5);
    // The plot starts right of the widest tick label ("20.000.000.000" needs more than "100").
    let widest = y
        .ticks(5)
        .iter()
        .map(|t| f64::from(approx_text_width(&format_value(*t), LABEL_PT as f32, false)))
        .fold(0.0, f64::max);
    // The estimate is for Times-like metrics; a browser's sans-serif digits run up to a quarter wider.
    let left = (widest * 1.25 + 10.0).max(48.0).min(chart.width / 3.0);
    for tick in y.ticks(5) {
        let ty = y.map(tick);
        shapes.push(Shape::Polyline { points: vec![(left, ty), (right, ty)], stroke: GRID, width: 0.5 });
        shapes.push(text(left - 5.0, ty + 3.0, &format_value(tick), LABEL_PT, Anchor::End, false));
    }
    let band = (right - left) / n_cat as f64;
    let zero = y.map(0.0);
    match chart.kind {
        ChartKind::Bar => {
            let group = band * 0.7;
            let bar = group / chart.series.len() as f64;
            for c in 0..n_cat {
                let x0 = left + band * c as f64 + (band - group) / 2.0;
                for (i, s) in chart.series.iter().enumerate() {
                    let vy = y.map(s.values[c]);
                    shapes.push(Shape::Rect {
                        x: x0 + bar * i as f64,
                        y: vy.min(zero),
                        w: bar * 0.92,
                        h: (vy - zero).abs(),
                        fill: chart.color(i),
                    });
                }
            }
        }
        ChartKind::StackedBar => {
            let w = band * 0.55;
            for c in 0..n_cat {
                let x = left + band * c as f64 + (band - w) / 2.0;
                let (mut pos, mut neg) = (0.0, 0.0);
                for (i, s) in chart.series.iter().enumerate() {
                    let v = s.values[c];
                    let (from, to) = if v >= 0.0 {
                        pos += v;
                        (pos - v, pos)
                    } else {
                        neg += v;
                        (neg - v, neg)
                    };
                    let (y0, y1) = (y.map(from), y.map(to));
                    shapes.push(Shape::Rect { x, y: y0.min(y1), w, h: (y0 - y1).abs(), fill: chart.color(i) });
                }
            }
        }
        _ => {
            for (i, s) in chart.series.iter().enumerate() {
                let points: Vec<(f64, f64)> =
                    (0..n_cat).map(|c| (left + band * (c as f64 + 0.5), y.map(s.values[c]))).collect();
                shapes.push(Shape::Polyline { points: points.clone(), stroke: chart.color(i), width: 2.0 });
                for (px, py) in points {
                    shapes.push(Shape::Path { commands: circle(px, py, 3.0), fill: chart.color(i) });
                }
            }
        }
    }
    shapes.push(Shape::Polyline { points: vec![(left, zero), (right, zero)], stroke: INK, width: 0.8 });
    for (c, label) in chart.categories.iter().enumerate() {
        let label = fit_label(label, band, LABEL_PT);
        shapes.push(category_text(chart, left + band * (c as f64 + 0.5), bottom + 13.0, &label, Anchor::Middle));
    }
    let names: Vec<String> = chart.series.iter().map(|s| s.name.clone()).collect();
    legend(chart, &names, chart.width, chart.height - 10.0, shapes);
}

fn donut(chart: &Chart, shapes: &mut Vec<Shape>) {
    let values = &chart.series[0].values;
    let total: f64 = values.iter().sum();
    let legend_w = chart.width * 0.42;
    let plot_w = chart.width - legend_w;
    let (cx, cy) = (plot_w / 2.0, (chart.height + 28.0) / 2.0);
    let r_out = ((plot_w - 20.0).min(chart.height - 48.0) / 2.0).max(10.0);
    let r_in = r_out * 0.55;
    let mut angle = -std::f64::consts::FRAC_PI_2;
    for (i, v) in values.iter().enumerate() {
        let sweep = v / total * std::f64::consts::TAU;
        if sweep > 0.0 {
            shapes.push(Shape::Path {
                commands: ring_slice(cx, cy, r_in, r_out, angle, angle + sweep),
                fill: chart.color(i),
            });
        }
        angle += sweep;
    }
    shapes.push(text(cx, cy + 5.0, &format_value(total), 14.0, Anchor::Middle, true));
    // Legend on the right: swatch, category, value and share.
    let x = plot_w + 4.0;
    let mut ly = cy - (values.len() as f64 * 16.0) / 2.0 + 8.0;
    for (i, (cat, v)) in chart.categories.iter().zip(values).enumerate() {
        shapes.push(Shape::Rect { x, y: ly - 8.0, w: 8.0, h: 8.0, fill: chart.color(i) });
        let share = format_value(v / total * 100.0);
        let label = format!("{cat}: {} ({share}%)", format_value(*v));
        shapes.push(category_text(chart, x + 12.0, ly, &label, Anchor::Start));
        ly += 16.0;
    }
}

/// A full circle as four cubic arcs.
fn circle(cx: f64, cy: f64, r: f64) -> Vec<PathCmd> {
    let mut cmds = vec![PathCmd::Move(cx + r, cy)];
    arc(&mut cmds, cx, cy, r, 0.0, std::f64::consts::TAU);
    cmds.push(PathCmd::Close);
    cmds
}

/// Appends cubic Bézier arcs from angle `a0` to `a1` (radians, clockwise on a y-down page),
/// in pieces of at most a quarter turn.
fn arc(cmds: &mut Vec<PathCmd>, cx: f64, cy: f64, r: f64, a0: f64, a1: f64) {
    let pieces = ((a1 - a0).abs() / std::f64::consts::FRAC_PI_2).ceil().max(1.0) as usize;
    let step = (a1 - a0) / pieces as f64;
    let k = 4.0 / 3.0 * (step / 4.0).tan();
    for p in 0..pieces {
        let (s, e) = (a0 + step * p as f64, a0 + step * (p + 1) as f64);
        let (x0, y0) = (cx + r * s.cos(), cy + r * s.sin());
        let (x3, y3) = (cx + r * e.cos(), cy + r * e.sin());
        cmds.push(PathCmd::Cubic(
            x0 - k * r * s.sin(),
            y0 + k * r * s.cos(),
            x3 + k * r * e.sin(),
            y3 - k * r * e.cos(),
            x3,
            y3,
        ));
    }
}

fn ring_slice(cx: f64, cy: f64, r_in: f64, r_out: f64, a0: f64, a1: f64) -> Vec<PathCmd> {
    let mut cmds = vec![PathCmd::Move(cx + r_out * a0.cos(), cy + r_out * a0.sin())];
    arc(&mut cmds, cx, cy, r_out, a0, a1);
    cmds.push(PathCmd::Line(cx + r_in * a1.cos(), cy + r_in * a1.sin()));
    arc(&mut cmds, cx, cy, r_in, a1, a0);
    cmds.push(PathCmd::Close);
    cmds
}

#[cfg(test)]
mod label_tests {
    use super::fit_label;

    #[test]
    fn long_category_labels_are_shortened_to_their_band() {
        assert_eq!(fit_label("2020", 60.0, 9.0), "2020");
        let short = fit_label("Tỷ lệ đóng góp của TFP vào tăng trưởng GRDP", 60.0, 9.0);
        assert!(short.ends_with('…') && short.chars().count() <= 12, "{short}");
    }
}

#[cfg(test)]
mod axis_tests {
    use super::*;
    use crate::chart::{Chart, ChartKind, Series};

    #[test]
    fn large_tick_labels_stay_inside_the_chart() {
        let chart = Chart::new(
            ChartKind::Bar,
            "Kinh phí".to_owned(),
            vec!["2017".into(), "2025".into()],
            vec![Series { name: "Kinh phí".into(), values: vec![22_500_000_000.0, 41_000_000_000.0] }],
        );
        let scene = layout(&chart);
        let mut checked = 0;
        for shape in &scene.shapes {
            if let Shape::Text { x, text, size, anchor: Anchor::End, .. } = shape {
                let width = f64::from(approx_text_width(text, *size as f32, false));
                assert!(x - width >= 0.0, "{text:?} starts at {}", x - width);
                checked += 1;
            }
        }
        assert!(checked >= 3, "tick labels checked: {checked}");
    }
}
