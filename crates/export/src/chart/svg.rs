//! SVG and HTML table output of a chart.

use std::fmt::Write;

use super::scene::{Anchor, PathCmd, Scene, Shape};
use super::{Chart, format_value};
use crate::xml::escape;

fn num(v: f64) -> String {
    // Two decimals are plenty at 1/100 pt; trailing zeros dropped to keep snapshots short.
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

pub(super) fn render(chart: &Chart, scene: &Scene) -> String {
    let id = format!("chart-{}", tiendo_core::text::slugify(&chart.title, 40));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}pt\" height=\"{h}pt\" viewBox=\"0 0 {w} {h}\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         font-family=\"'Times New Roman', 'Liberation Serif', Tinos, serif\">",
        w = num(scene.width),
        h = num(scene.height),
    );
    let _ = writeln!(out, "<title id=\"{id}-title\">{}</title>", escape(&chart.title));
    let _ = writeln!(out, "<desc id=\"{id}-desc\">{}</desc>", escape(&chart.description_text()));
    for shape in &scene.shapes {
        match shape {
            Shape::Rect { x, y, w, h, fill } => {
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
                    num(*x),
                    num(*y),
                    num(*w),
                    num(*h),
                    fill.hex()
                );
            }
            Shape::Polyline { points, stroke, width } => {
                let pts: Vec<String> = points.iter().map(|(x, y)| format!("{},{}", num(*x), num(*y))).collect();
                let _ = writeln!(
                    out,
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"/>",
                    pts.join(" "),
                    stroke.hex(),
                    num(*width)
                );
            }
            Shape::Path { commands, fill } => {
                let mut d = String::new();
                for c in commands {
                    match c {
                        PathCmd::Move(x, y) => {
                            let _ = write!(d, "M{} {}", num(*x), num(*y));
                        }
                        PathCmd::Line(x, y) => {
                            let _ = write!(d, "L{} {}", num(*x), num(*y));
                        }
                        PathCmd::Cubic(a, b, c2, d2, e, f) => {
                            let _ =
                                write!(d, "C{} {} {} {} {} {}", num(*a), num(*b), num(*c2), num(*d2), num(*e), num(*f));
                        }
                        PathCmd::Close => d.push('Z'),
                    }
                }
                let _ = writeln!(out, "<path d=\"{d}\" fill=\"{}\"/>", fill.hex());
            }
            Shape::Text { x, y, text, size, anchor, bold, fill, data } => {
                let anchor = match anchor {
                    Anchor::Start => "start",
                    Anchor::Middle => "middle",
                    Anchor::End => "end",
                };
                let weight = if *bold { " font-weight=\"bold\"" } else { "" };
                let lang = if *data { " lang=\"vi\"" } else { "" };
                let _ = writeln!(
                    out,
                    "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\"{weight}{lang} fill=\"{}\">{}</text>",
                    num(*x),
                    num(*y),
                    num(*size),
                    fill.hex(),
                    escape(text)
                );
            }
        }
    }
    out.push_str("</svg>\n");
    out
}

pub(super) fn data_table(chart: &Chart) -> String {
    let mut out = String::from("<table>\n");
    let _ = writeln!(out, "<caption>{}</caption>", escape(&chart.title));
    // The unit as the data writes it (a template's `người`, `triệu đồng`).
    let unit = chart.unit.as_deref().map(|u| format!(" (<span lang=\"vi\">{}</span>)", escape(u))).unwrap_or_default();
    out.push_str("<thead><tr><td></td>");
    for s in &chart.series {
        let _ = write!(out, "<th scope=\"col\">{}{unit}</th>", escape(&s.name));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (c, cat) in chart.categories.iter().enumerate() {
        let lang = if chart.categories_are_data { " lang=\"vi\"" } else { "" };
        let _ = write!(out, "<tr><th scope=\"row\"{lang}>{}</th>", escape(cat));
        for s in &chart.series {
            let _ = write!(out, "<td>{}</td>", format_value(s.values[c]));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}
