//! Placeholder images drawn in code, for the demo and the tests, that say what they are: an
//! illustration ("ẢNH MINH HỌA" under a picture pictogram, with a line of the caller's, on a plain
//! background with a band of the caller's colour) and a badge (a shield with a tick beside its name, on
//! a white rounded label). No image file is shipped in the repository; the text is drawn with the
//! Libertinus Serif shipped in the binary by `typst-assets`.

mod raster;

use raster::{Canvas, Font, Path};

/// The words an illustration carries.
pub const ILLUSTRATION_LABEL: &str = "ẢNH MINH HỌA";

fn bold() -> Option<Font> {
    Font::find("Libertinus Serif", "Bold")
}

fn regular() -> Option<Font> {
    Font::find("Libertinus Serif", "Regular")
}

/// `color` mixed with white (`t` = 0 is `color`, 1 is white).
fn tint(color: [u8; 3], t: f64) -> [u8; 3] {
    color.map(|c| (f64::from(c) + (255.0 - f64::from(c)) * t).round() as u8)
}

/// `color` mixed with black (`t` = 0 is `color`, 1 is black).
fn shade(color: [u8; 3], t: f64) -> [u8; 3] {
    color.map(|c| (f64::from(c) * (1.0 - t)).round() as u8)
}

/// Draws `text` centred on `cx` with its baseline at `baseline`, shrunk to fit `max_width`.
fn centred(
    canvas: &mut Canvas,
    font: &Font,
    text: &str,
    size: f64,
    (cx, baseline): (f64, f64),
    max_width: f64,
    color: [u8; 3],
) {
    let width = font.width(text, size);
    let size = if width > max_width { size * max_width / width } else { size };
    let width = font.width(text, size);
    canvas.fill(&font.outline(text, size, cx - width / 2.0, baseline), color);
}

/// An illustration of `width` × `height` pixels as a PNG: a picture pictogram, "ẢNH MINH HỌA" and
/// `note` (a line such as "Dữ liệu mẫu · Đoàn công tác 27/02/2020") on a light background tinted with
/// `accent`, with a band of `accent` at the bottom so that two illustrations tell apart.
pub fn illustration_png(width: u32, height: u32, accent: [u8; 3], note: &str) -> Vec<u8> {
    let mut canvas = Canvas::new(width, height, [255, 255, 255, 255]);
    let (w, h) = (f64::from(width), f64::from(height));
    let (top, bottom) = (tint(accent, 0.9), tint(accent, 0.78));
    canvas.paint(|_, y| {
        let t = y / h;
        [0, 1, 2].map(|k| (f64::from(top[k]) * (1.0 - t) + f64::from(bottom[k]) * t).round() as u8)
    });
    canvas.fill(&Path::polygon(&[(0.0, h * 0.93), (w, h * 0.93), (w, h), (0.0, h)]), accent);
    // The pictogram: a frame with a sun and two hills, in a darker tint of the accent.
    let ink = tint(accent, 0.35);
    let (fw, fh) = (w * 0.22, h * 0.26);
    let (fx, fy) = (w / 2.0 - fw / 2.0, h * 0.17);
    let stroke = (h * 0.018).max(2.0);
    let mut frame = Path::rounded_rect(fx, fy, fw, fh, stroke * 2.0);
    // The inner outline runs the other way round (a hole by the winding rule), so that the frame is a ring.
    let (ix, iy, iw, ih) = (fx + stroke, fy + stroke, fw - 2.0 * stroke, fh - 2.0 * stroke);
    frame.extend(Path::polygon(&[(ix, iy), (ix, iy + ih), (ix + iw, iy + ih), (ix + iw, iy)]));
    canvas.fill(&frame, ink);
    canvas.fill(&Path::circle(fx + fw * 0.7, fy + fh * 0.33, fh * 0.11), ink);
    let base = fy + fh - stroke * 1.5;
    canvas
        .fill(&Path::polygon(&[(fx + fw * 0.12, base), (fx + fw * 0.38, fy + fh * 0.38), (fx + fw * 0.6, base)]), ink);
    canvas
        .fill(&Path::polygon(&[(fx + fw * 0.45, base), (fx + fw * 0.66, fy + fh * 0.55), (fx + fw * 0.88, base)]), ink);
    if let Some(font) = bold() {
        centred(&mut canvas, &font, ILLUSTRATION_LABEL, h * 0.12, (w / 2.0, h * 0.64), w * 0.86, shade(accent, 0.25));
    }
    if let Some(font) = regular()
        && !note.trim().is_empty()
    {
        centred(&mut canvas, &font, note.trim(), h * 0.055, (w / 2.0, h * 0.77), w * 0.9, shade(accent, 0.1));
    }
    canvas.png()
}

/// A badge of `width` × `height` pixels as a PNG with a transparent background: a white rounded label
/// with a border of `color`, a shield with a tick, `title` in bold capitals and `note` below it.
pub fn badge_png(width: u32, height: u32, color: [u8; 3], title: &str, note: &str) -> Vec<u8> {
    let mut canvas = Canvas::new(width, height, [255, 255, 255, 0]);
    let (w, h) = (f64::from(width), f64::from(height));
    let border = (h * 0.05).max(2.0);
    canvas.fill(&Path::rounded_rect(0.5, 0.5, w - 1.0, h - 1.0, h * 0.18), color);
    canvas.fill(&Path::rounded_rect(border, border, w - 2.0 * border, h - 2.0 * border, h * 0.14), [255, 255, 255]);
    // The shield, then the tick in white on it.
    let (sx, sy, sw, sh) = (h * 0.16, h * 0.16, h * 0.56, h * 0.68);
    let shield = Path::polygon(&[
        (sx + sw / 2.0, sy),
        (sx + sw, sy + sh * 0.16),
        (sx + sw, sy + sh * 0.5),
        (sx + sw * 0.82, sy + sh * 0.78),
        (sx + sw / 2.0, sy + sh),
        (sx + sw * 0.18, sy + sh * 0.78),
        (sx, sy + sh * 0.5),
        (sx, sy + sh * 0.16),
    ]);
    canvas.fill(&shield, color);
    let t = sw * 0.09;
    let tick = Path::polygon(&[
        (sx + sw * 0.22, sy + sh * 0.5),
        (sx + sw * 0.22 + t, sy + sh * 0.5 - t),
        (sx + sw * 0.44, sy + sh * 0.64),
        (sx + sw * 0.78 - t, sy + sh * 0.28),
        (sx + sw * 0.78, sy + sh * 0.28 + t),
        (sx + sw * 0.44, sy + sh * 0.64 + 1.6 * t),
    ]);
    canvas.fill(&tick, [255, 255, 255]);
    let text_left = sx + sw + h * 0.14;
    let text_width = w - text_left - h * 0.16;
    let cx = text_left + text_width / 2.0;
    if let Some(font) = bold() {
        centred(&mut canvas, &font, &title.to_uppercase(), h * 0.3, (cx, h * 0.52), text_width, color);
    }
    if let Some(font) = regular()
        && !note.trim().is_empty()
    {
        centred(&mut canvas, &font, note.trim(), h * 0.19, (cx, h * 0.78), text_width, tint(color, 0.25));
    }
    canvas.png()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    }

    #[test]
    fn the_font_of_the_binary_has_every_letter_the_placeholders_write() {
        for font in [bold().expect("Libertinus Serif Bold"), regular().expect("Libertinus Serif Regular")] {
            assert!(font.covers(ILLUSTRATION_LABEL));
            assert!(font.covers("TÍN NHIỆM MẠNG Biểu tượng mẫu Dữ liệu mẫu · Đoàn công tác ngày 27/02/2020"));
        }
    }

    #[test]
    fn an_illustration_carries_its_label_in_dark_ink_over_a_light_background() {
        let png = illustration_png(800, 500, [178, 34, 34], "Dữ liệu mẫu");
        let (w, h, rgba) = decode(&png);
        assert_eq!((w, h), (800, 500));
        // The band of the label (around 64 % of the height) holds dark ink; a corner is light.
        let dark = |y0: u32, y1: u32| {
            (y0..y1)
                .flat_map(|y| (0..w).map(move |x| ((y * w + x) * 4) as usize))
                .filter(|i| u32::from(rgba[*i]) + u32::from(rgba[i + 1]) + u32::from(rgba[i + 2]) < 300)
                .count()
        };
        assert!(dark(270, 330) > 2_000, "the words are drawn: {}", dark(270, 330));
        assert_eq!(dark(0, 60), 0, "the top is plain");
        let corner = &rgba[0..3];
        assert!(corner.iter().all(|c| *c > 200), "a light background: {corner:?}");
    }

    #[test]
    fn a_badge_is_a_label_with_transparent_corners() {
        let png = badge_png(360, 120, [20, 120, 60], "Tín nhiệm mạng", "Biểu tượng mẫu");
        let (w, h, rgba) = decode(&png);
        assert_eq!((w, h), (360, 120));
        assert_eq!(rgba[3], 0, "the corner is transparent");
        let centre = (((h / 2) * w + w / 2) * 4) as usize;
        assert_eq!(rgba[centre + 3], 255, "the label is opaque");
        // The title's green ink lies right of the shield.
        let green = (0..h)
            .flat_map(|y| (130..w - 20).map(move |x| ((y * w + x) * 4) as usize))
            .filter(|i| u16::from(rgba[*i + 1]) > u16::from(rgba[*i]) + 40 && rgba[*i + 3] == 255)
            .count();
        assert!(green > 500, "the title is written: {green}");
    }
}
