//! PDF output through krilla (subset TrueType embedding with ToUnicode maps, so the text is
//! extractable and searchable) and our own layout (`layout`).

mod fonts;
mod layout;

pub use fonts::{Face, FontSet, SYSTEM_FONT_DIRS};

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{GlyphId, KrillaGlyph};

use crate::chart::{Anchor, Color, PathCmd, Shape};
use crate::error::ExportError;
use crate::flow::{Flow, PT_PER_MM};
use layout::Op;

fn fill(c: Color) -> Fill {
    Fill { paint: rgb::Color::new(c.0, c.1, c.2).into(), opacity: NormalizedF32::ONE, rule: Default::default() }
}

const BLACK: Color = Color(0, 0, 0);

/// Draws `text` with its left end at (x, baseline), widening spaces by `space_extra`.
fn draw_text(
    surface: &mut Surface,
    face: &Face,
    (x, y): (f32, f32),
    size: f32,
    text: &str,
    space_extra: f32,
    color: Color,
) {
    if text.is_empty() {
        return;
    }
    let glyphs: Vec<KrillaGlyph> = text
        .char_indices()
        .map(|(i, c)| {
            let (gid, adv) = face.glyph(c);
            let extra = if c == ' ' { space_extra / size } else { 0.0 };
            KrillaGlyph {
                glyph_id: GlyphId::new(u32::from(gid)),
                text_range: i..i + c.len_utf8(),
                x_advance: adv + extra,
                x_offset: 0.0,
                y_offset: 0.0,
                y_advance: 0.0,
                location: None,
            }
        })
        .collect();
    surface.set_fill(Some(fill(color)));
    surface.set_stroke(None);
    surface.draw_glyphs(Point::from_xy(x, y), &glyphs, face.font.clone(), text, size, false);
}

fn stroke_line(surface: &mut Surface, points: &[(f32, f32)], width: f32, color: Color) {
    let mut pb = PathBuilder::new();
    for (i, (x, y)) in points.iter().enumerate() {
        if i == 0 {
            pb.move_to(*x, *y);
        } else {
            pb.line_to(*x, *y);
        }
    }
    if let Some(path) = pb.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            paint: rgb::Color::new(color.0, color.1, color.2).into(),
            width,
            ..Default::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
}

fn draw_chart(
    surface: &mut Surface,
    fonts: &FontSet,
    chart: &crate::chart::Chart,
    rect: (f32, f32, f32, f32),
) -> Result<(), ExportError> {
    let scene = chart.scene()?;
    let scale = rect.2 / scene.width as f32;
    surface.push_transform(&Transform::from_row(scale, 0.0, 0.0, scale, rect.0, rect.1));
    for shape in &scene.shapes {
        match shape {
            Shape::Rect { x, y, w, h, fill: c } => {
                if let Some(r) = krilla::geom::Rect::from_xywh(*x as f32, *y as f32, *w as f32, (*h as f32).max(0.01)) {
                    let mut pb = PathBuilder::new();
                    pb.push_rect(r);
                    if let Some(path) = pb.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(*c)));
                        surface.draw_path(&path);
                    }
                }
            }
            Shape::Polyline { points, stroke, width } => {
                let pts: Vec<(f32, f32)> = points.iter().map(|(x, y)| (*x as f32, *y as f32)).collect();
                stroke_line(surface, &pts, *width as f32, *stroke);
            }
            Shape::Path { commands, fill: c } => {
                let mut pb = PathBuilder::new();
                for cmd in commands {
                    match *cmd {
                        PathCmd::Move(x, y) => pb.move_to(x as f32, y as f32),
                        PathCmd::Line(x, y) => pb.line_to(x as f32, y as f32),
                        PathCmd::Cubic(a, b, c2, d, e, f) => {
                            pb.cubic_to(a as f32, b as f32, c2 as f32, d as f32, e as f32, f as f32)
                        }
                        PathCmd::Close => pb.close(),
                    }
                }
                if let Some(path) = pb.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*c)));
                    surface.draw_path(&path);
                }
            }
            Shape::Text { x, y, text, size, anchor, bold, fill: c, .. } => {
                let face = fonts.face(*bold, false);
                let size = *size as f32;
                let w = face.width(text, size);
                let x = match anchor {
                    Anchor::Start => *x as f32,
                    Anchor::Middle => *x as f32 - w / 2.0,
                    Anchor::End => *x as f32 - w,
                };
                draw_text(surface, face, (x, *y as f32), size, text, 0.0, *c);
            }
        }
    }
    surface.pop();
    Ok(())
}

/// Writes the flow as PDF.
pub fn write(flow: &Flow, fonts: &FontSet) -> Result<Vec<u8>, ExportError> {
    let pages = layout::layout(flow, fonts)?;
    let mut document = krilla::Document::new();
    document.set_metadata(
        krilla::metadata::Metadata::new().title(flow.title.clone()).language("vi-VN".into()).creator("Tiến Độ".into()),
    );
    let (w, h) = pages.size;
    let settings =
        krilla::page::PageSettings::from_wh(w, h).ok_or_else(|| ExportError::Pdf("invalid page size".into()))?;
    let body = flow.page.body_pt;
    let mut images = Vec::new();
    for (index, ops) in pages.pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        // Nghị định 30: page numbers from page 2, centred in the top margin.
        if index > 0 {
            let label = (index + 1).to_string();
            let face = fonts.face(false, false);
            let x = (w - face.width(&label, body)) / 2.0;
            let baseline = flow.page.top_mm * PT_PER_MM / 2.0 + body * 0.35;
            draw_text(&mut surface, face, (x, baseline), body, &label, 0.0, BLACK);
        }
        for op in ops {
            match op {
                Op::Text { x, y, bold, italic, size, text, space_extra } => {
                    draw_text(&mut surface, fonts.face(*bold, *italic), (*x, *y), *size, text, *space_extra, BLACK);
                }
                Op::Line { from, to, width } => stroke_line(&mut surface, &[*from, *to], *width, BLACK),
                Op::Image { image, rect } => {
                    let data = krilla::Data::from(image.bytes().to_vec());
                    let decoded = match image.format() {
                        crate::image::ImageFormat::Png => krilla::image::Image::from_png(data, true),
                        crate::image::ImageFormat::Jpeg => krilla::image::Image::from_jpeg(data, true),
                    }
                    .map_err(|reason| ExportError::ImageDecode { name: image.name().to_owned(), reason })?;
                    let size =
                        Size::from_wh(rect.2, rect.3).ok_or_else(|| ExportError::Pdf("empty image box".into()))?;
                    surface.push_transform(&Transform::from_translate(rect.0, rect.1));
                    surface.draw_image(decoded, size);
                    surface.pop();
                    images.push(image.name().to_owned());
                }
                Op::Chart { chart, rect } => draw_chart(&mut surface, fonts, chart, *rect)?,
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| match e {
        krilla::error::KrillaError::Image(_, _, reason) => ExportError::ImageDecode { name: images.join(", "), reason },
        other => ExportError::Pdf(format!("{other:?}")),
    })
}

/// The number of pages the document takes in PDF (for previews and tests).
pub fn page_count(doc: &crate::Document, fonts: &FontSet) -> Result<usize, ExportError> {
    Ok(layout::layout(&crate::flow::lower(doc)?, fonts)?.pages.len())
}
