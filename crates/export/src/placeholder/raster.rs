//! A small anti-aliased rasterizer for the placeholders: filled polygons (nonzero winding, four
//! sub-scanlines per pixel row and exact horizontal coverage) on an RGBA canvas, and lines of text laid
//! out with the glyph outlines of a font shipped in the binary (`typst-assets`).

/// An RGBA image being drawn.
pub(super) struct Canvas {
    pub(super) width: u32,
    pub(super) height: u32,
    rgba: Vec<u8>,
}

/// A closed outline as straight edges `(x0, y0, x1, y1)` in pixels, y downwards.
#[derive(Debug, Default, Clone)]
pub(super) struct Path {
    edges: Vec<(f64, f64, f64, f64)>,
    start: (f64, f64),
    at: (f64, f64),
}

/// Sub-scanlines per pixel row.
const SUBROWS: u32 = 4;

impl Path {
    pub(super) fn move_to(&mut self, x: f64, y: f64) {
        self.close();
        self.start = (x, y);
        self.at = (x, y);
    }

    pub(super) fn line_to(&mut self, x: f64, y: f64) {
        self.edges.push((self.at.0, self.at.1, x, y));
        self.at = (x, y);
    }

    fn quad_to(&mut self, cx: f64, cy: f64, x: f64, y: f64) {
        let (x0, y0) = self.at;
        for i in 1..=8 {
            let t = f64::from(i) / 8.0;
            let u = 1.0 - t;
            self.line_to(u * u * x0 + 2.0 * u * t * cx + t * t * x, u * u * y0 + 2.0 * u * t * cy + t * t * y);
        }
    }

    fn curve_to(&mut self, c1x: f64, c1y: f64, c2x: f64, c2y: f64, x: f64, y: f64) {
        let (x0, y0) = self.at;
        for i in 1..=12 {
            let t = f64::from(i) / 12.0;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            self.line_to(a * x0 + b * c1x + c * c2x + d * x, a * y0 + b * c1y + c * c2y + d * y);
        }
    }

    pub(super) fn close(&mut self) {
        if self.at != self.start {
            self.line_to(self.start.0, self.start.1);
        }
    }

    /// A rectangle with rounded corners of radius `r`.
    pub(super) fn rounded_rect(x: f64, y: f64, w: f64, h: f64, r: f64) -> Path {
        let r = r.min(w / 2.0).min(h / 2.0);
        let mut p = Path::default();
        let corners =
            [(x + w - r, y + r, -90.0), (x + w - r, y + h - r, 0.0), (x + r, y + h - r, 90.0), (x + r, y + r, 180.0)];
        for (i, (cx, cy, from)) in corners.into_iter().enumerate() {
            for step in 0..=8 {
                let a = (from + f64::from(step) * 90.0 / 8.0_f64).to_radians();
                let (px, py) = (cx + r * a.cos(), cy + r * a.sin());
                if i == 0 && step == 0 {
                    p.move_to(px, py);
                } else {
                    p.line_to(px, py);
                }
            }
        }
        p.close();
        p
    }

    /// A circle.
    pub(super) fn circle(cx: f64, cy: f64, r: f64) -> Path {
        let mut p = Path::default();
        p.move_to(cx + r, cy);
        for step in 1..48 {
            let a = f64::from(step) * std::f64::consts::TAU / 48.0;
            p.line_to(cx + r * a.cos(), cy + r * a.sin());
        }
        p.close();
        p
    }

    /// A closed polygon through `points`.
    pub(super) fn polygon(points: &[(f64, f64)]) -> Path {
        let mut p = Path::default();
        for (i, (x, y)) in points.iter().enumerate() {
            if i == 0 {
                p.move_to(*x, *y);
            } else {
                p.line_to(*x, *y);
            }
        }
        p.close();
        p
    }

    /// Another path's outlines added to this one (filled together, holes by winding).
    pub(super) fn extend(&mut self, other: Path) {
        self.close();
        self.edges.extend(other.edges);
    }
}

impl Canvas {
    /// A canvas filled with `color` (alpha included).
    pub(super) fn new(width: u32, height: u32, color: [u8; 4]) -> Canvas {
        let rgba = color.repeat((width * height) as usize);
        Canvas { width, height, rgba }
    }

    /// Sets every pixel from a function of its position (a background).
    pub(super) fn paint(&mut self, f: impl Fn(f64, f64) -> [u8; 3]) {
        for y in 0..self.height {
            for x in 0..self.width {
                let i = ((y * self.width + x) * 4) as usize;
                let c = f(f64::from(x), f64::from(y));
                self.rgba[i..i + 3].copy_from_slice(&c);
                self.rgba[i + 3] = 255;
            }
        }
    }

    /// Fills a path with `color` (opaque), blending its anti-aliased edges.
    pub(super) fn fill(&mut self, path: &Path, color: [u8; 3]) {
        let mut path = path.clone();
        path.close();
        let width = self.width as usize;
        let mut coverage = vec![0.0_f64; width];
        let mut crossings: Vec<(f64, i32)> = Vec::new();
        let (top, bottom) =
            path.edges.iter().fold((f64::MAX, f64::MIN), |(lo, hi), e| (lo.min(e.1).min(e.3), hi.max(e.1).max(e.3)));
        if top > bottom {
            return;
        }
        let first = top.floor().max(0.0) as u32;
        let last = (bottom.ceil().max(0.0) as u32).min(self.height);
        for y in first..last {
            coverage.iter_mut().for_each(|c| *c = 0.0);
            for sub in 0..SUBROWS {
                let sy = f64::from(y) + (f64::from(sub) + 0.5) / f64::from(SUBROWS);
                crossings.clear();
                for &(x0, y0, x1, y1) in &path.edges {
                    let (dir, lo, hi) = if y0 < y1 { (1, y0, y1) } else { (-1, y1, y0) };
                    if sy < lo || sy >= hi || y0 == y1 {
                        continue;
                    }
                    crossings.push((x0 + (sy - y0) / (y1 - y0) * (x1 - x0), dir));
                }
                crossings.sort_by(|a, b| a.0.total_cmp(&b.0));
                let mut winding = 0;
                for pair in crossings.windows(2) {
                    winding += pair[0].1;
                    if winding != 0 {
                        span(&mut coverage, pair[0].0, pair[1].0, 1.0 / f64::from(SUBROWS));
                    }
                }
            }
            for (x, c) in coverage.iter().enumerate() {
                if *c > 0.0 {
                    self.blend(x, y as usize, color, c.min(1.0));
                }
            }
        }
    }

    fn blend(&mut self, x: usize, y: usize, color: [u8; 3], alpha: f64) {
        let i = (y * self.width as usize + x) * 4;
        let old_alpha = f64::from(self.rgba[i + 3]) / 255.0;
        let out_alpha = alpha + old_alpha * (1.0 - alpha);
        for (k, channel) in color.iter().enumerate() {
            let old = f64::from(self.rgba[i + k]) * old_alpha * (1.0 - alpha);
            let mixed = (f64::from(*channel) * alpha + old) / out_alpha.max(f64::EPSILON);
            self.rgba[i + k] = mixed.round().clamp(0.0, 255.0) as u8;
        }
        self.rgba[i + 3] = (out_alpha * 255.0).round() as u8;
    }

    /// The image as a PNG file.
    pub(super) fn png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, self.width, self.height);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().expect("in-memory PNG header");
            writer.write_image_data(&self.rgba).expect("in-memory PNG data");
        }
        out
    }
}

/// Adds `weight` times the part of each pixel covered by the span from `x0` to `x1`.
fn span(coverage: &mut [f64], x0: f64, x1: f64, weight: f64) {
    let x0 = x0.max(0.0);
    let x1 = x1.min(coverage.len() as f64);
    if x1 <= x0 {
        return;
    }
    let first = x0.floor() as usize;
    let last = (x1.ceil() as usize).min(coverage.len());
    for (px, c) in coverage.iter_mut().enumerate().take(last).skip(first) {
        let left = (px as f64).max(x0);
        let right = (px as f64 + 1.0).min(x1);
        if right > left {
            *c += (right - left) * weight;
        }
    }
}

/// A font face of the binary, by family and style name.
pub(super) struct Font {
    face: ttf_parser::Face<'static>,
}

impl Font {
    /// The first face of `typst-assets` with this family and style (`"Libertinus Serif"`, `"Bold"`).
    pub(super) fn find(family: &str, style: &str) -> Option<Font> {
        typst_assets::fonts().find_map(|data| {
            let face = ttf_parser::Face::parse(data, 0).ok()?;
            let name = |id: u16| {
                face.names().into_iter().filter(|n| n.name_id == id && n.is_unicode()).find_map(|n| n.to_string())
            };
            (name(ttf_parser::name_id::FAMILY)? == family && name(ttf_parser::name_id::SUBFAMILY)? == style)
                .then_some(Font { face })
        })
    }

    /// Whether every character of `text` has a glyph.
    #[cfg(test)]
    pub(super) fn covers(&self, text: &str) -> bool {
        text.chars().all(|c| c.is_whitespace() || self.face.glyph_index(c).is_some())
    }

    /// The width of `text` at `size` pixels to the em.
    pub(super) fn width(&self, text: &str, size: f64) -> f64 {
        let scale = size / f64::from(self.face.units_per_em());
        text.chars()
            .filter_map(|c| self.face.glyph_index(c))
            .map(|g| f64::from(self.face.glyph_hor_advance(g).unwrap_or(0)) * scale)
            .sum()
    }

    /// The outlines of `text` at `size` pixels to the em, its baseline starting at (`x`, `baseline`).
    pub(super) fn outline(&self, text: &str, size: f64, x: f64, baseline: f64) -> Path {
        let scale = size / f64::from(self.face.units_per_em());
        let mut out = Path::default();
        let mut pen = x;
        for c in text.chars() {
            let Some(glyph) = self.face.glyph_index(c) else { continue };
            let mut builder = Builder { path: Path::default(), x: pen, y: baseline, scale };
            self.face.outline_glyph(glyph, &mut builder);
            out.extend(builder.path);
            pen += f64::from(self.face.glyph_hor_advance(glyph).unwrap_or(0)) * scale;
        }
        out
    }
}

/// Turns a glyph's outline (font units, y upwards) into a [`Path`] in pixels.
struct Builder {
    path: Path,
    x: f64,
    y: f64,
    scale: f64,
}

impl Builder {
    fn at(&self, x: f32, y: f32) -> (f64, f64) {
        (self.x + f64::from(x) * self.scale, self.y - f64::from(y) * self.scale)
    }
}

impl ttf_parser::OutlineBuilder for Builder {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.move_to(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.line_to(x, y);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (cx, cy) = self.at(x1, y1);
        let (x, y) = self.at(x, y);
        self.path.quad_to(cx, cy, x, y);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (c1x, c1y) = self.at(x1, y1);
        let (c2x, c2y) = self.at(x2, y2);
        let (x, y) = self.at(x, y);
        self.path.curve_to(c1x, c1y, c2x, c2y, x, y);
    }

    fn close(&mut self) {
        self.path.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filled_square_covers_its_pixels_and_blends_its_edges() {
        let mut c = Canvas::new(10, 10, [255, 255, 255, 255]);
        c.fill(&Path::polygon(&[(2.0, 2.0), (6.5, 2.0), (6.5, 6.0), (2.0, 6.0)]), [0, 0, 0]);
        let px = |x: u32, y: u32| c.rgba[((y * 10 + x) * 4) as usize];
        assert_eq!(px(3, 3), 0, "inside");
        assert_eq!(px(8, 8), 255, "outside");
        assert!((120..=135).contains(&px(6, 3)), "half covered: {}", px(6, 3));
    }
}
