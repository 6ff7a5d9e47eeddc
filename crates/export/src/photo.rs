//! Photos of the public portal: an upload is checked by its content and its size in pixels before it is
//! decoded, turned upright by its EXIF orientation, resized into a few variants and encoded afresh, so
//! that nothing of the original file survives: no EXIF (camera, GPS position), no XMP, no comment, no
//! trailing bytes, nothing a browser could take for a script.
//!
//! Decoding uses the libraries the export already has (png, zune-jpeg, image-webp). Photos are written as
//! baseline JPEG with jpeg-encoder (a small pure-Rust encoder without dependencies; a lossless format
//! would make a phone download five to ten times more for a news photo); images with transparency
//! (logos, the trust badge) as PNG. Resizing is an area average written here: downscaling only.

use std::io::Cursor;

/// Why an image is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// More bytes than accepted.
    #[error("the file has {bytes} bytes; at most {max} are accepted")]
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// More pixels than accepted (a decompression bomb, or a scan far larger than a news photo).
    #[error("the image is {width}×{height} pixels; at most {max_pixels} pixels are accepted")]
    TooManyPixels {
        /// Width.
        width: u64,
        /// Height.
        height: u64,
        /// The limit.
        max_pixels: u64,
    },
    /// Not a PNG, JPEG or WebP image by its content.
    #[error("not a PNG, JPEG or WebP image")]
    Unsupported,
    /// The content is damaged.
    #[error("the image cannot be decoded: {0}")]
    Decode(String),
    /// Encoding failed (a bug).
    #[error("the image cannot be encoded: {0}")]
    Encode(String),
}

/// The largest upload accepted.
pub const MAX_BYTES: usize = 15 * 1024 * 1024;
/// The most pixels accepted (a 40-megapixel camera).
pub const MAX_PIXELS: u64 = 40_000_000;
/// The JPEG quality of the variants.
pub const JPEG_QUALITY: u8 = 82;

/// The variants made of every image: (name, the longest side at most).
pub const VARIANTS: [(&str, u32); 3] = [("large", 1600), ("medium", 800), ("small", 400)];

/// One encoded variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// `large`, `medium` or `small`.
    pub name: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The encoded bytes.
    pub bytes: Vec<u8>,
}

/// The output format of the variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Photos.
    Jpeg,
    /// Images with transparency.
    Png,
}

impl OutputFormat {
    /// The content type.
    pub fn content_type(self) -> &'static str {
        match self {
            OutputFormat::Jpeg => "image/jpeg",
            OutputFormat::Png => "image/png",
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Jpeg => "jpg",
            OutputFormat::Png => "png",
        }
    }
}

/// A processed image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    /// The upright size of the original.
    pub width: u32,
    /// The upright height of the original.
    pub height: u32,
    /// The format of every variant.
    pub format: OutputFormat,
    /// The variants, largest first (fewer when the original is small: no variant is ever enlarged).
    pub variants: Vec<Variant>,
}

/// Decoded pixels, RGBA, 8 bits per channel.
struct Pixels {
    width: u32,
    height: u32,
    rgba: Vec<u8>,
}

fn check_pixels(width: u64, height: u64, max_pixels: u64) -> Result<(), PhotoError> {
    if width == 0 || height == 0 {
        return Err(PhotoError::Decode("empty image".into()));
    }
    if width.saturating_mul(height) > max_pixels {
        return Err(PhotoError::TooManyPixels { width, height, max_pixels });
    }
    Ok(())
}

/// A zeroed buffer of `len` bytes with room for `pixels` RGBA pixels, so that widening it to RGBA in place
/// does not move it.
fn rgba_capacity(pixels: u64, len: usize) -> Vec<u8> {
    let mut buf = Vec::with_capacity(usize::try_from(pixels.saturating_mul(4)).unwrap_or(len).max(len));
    buf.resize(len, 0);
    buf
}

/// Widens pixels of 1 (grey), 2 (grey, alpha), 3 (RGB) or 4 (RGBA) bytes to RGBA in the same buffer,
/// from the end backwards, so that a large photo is never held twice.
fn expand_to_rgba(mut buf: Vec<u8>, channels: usize) -> Vec<u8> {
    if channels == 4 {
        return buf;
    }
    let pixels = buf.len() / channels;
    buf.resize(pixels * 4, 0);
    for i in (0..pixels).rev() {
        let s = i * channels;
        let px = match channels {
            1 => [buf[s], buf[s], buf[s], 255],
            2 => [buf[s], buf[s], buf[s], buf[s + 1]],
            _ => [buf[s], buf[s + 1], buf[s + 2], 255],
        };
        buf[i * 4..i * 4 + 4].copy_from_slice(&px);
    }
    buf
}

fn decode_png(bytes: &[u8], max_pixels: u64) -> Result<Pixels, PhotoError> {
    let fail = |e: png::DecodingError| PhotoError::Decode(e.to_string());
    let mut decoder = png::Decoder::new_with_limits(Cursor::new(bytes), png::Limits { bytes: 200 * 1024 * 1024 });
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let header = png::Decoder::new(Cursor::new(bytes)).read_info().map_err(fail)?;
    check_pixels(u64::from(header.info().width), u64::from(header.info().height), max_pixels)?;
    let mut reader = decoder.read_info().map_err(fail)?;
    let size = reader.output_buffer_size().ok_or_else(|| PhotoError::Decode("image too large".into()))?;
    let mut buf = rgba_capacity(u64::from(reader.info().width) * u64::from(reader.info().height), size);
    let info = reader.next_frame(&mut buf).map_err(fail)?;
    buf.truncate(info.buffer_size());
    let (w, h) = (info.width, info.height);
    let channels = match info.color_type {
        png::ColorType::Rgba => 4,
        png::ColorType::Rgb => 3,
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Indexed => return Err(PhotoError::Decode("palette not expanded".into())),
    };
    Ok(Pixels { width: w, height: h, rgba: expand_to_rgba(buf, channels) })
}

fn decode_jpeg(bytes: &[u8], max_pixels: u64) -> Result<(Pixels, u16), PhotoError> {
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let fail = |e: zune_jpeg::errors::DecodeErrors| PhotoError::Decode(e.to_string());
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::RGBA)
        .set_max_width(60_000)
        .set_max_height(60_000);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), options);
    decoder.decode_headers().map_err(fail)?;
    let (w, h) = decoder.dimensions().ok_or_else(|| PhotoError::Decode("no frame header".into()))?;
    check_pixels(w as u64, h as u64, max_pixels)?;
    let orientation = decoder.exif().and_then(|exif| exif_orientation(exif)).unwrap_or(1);
    let rgba = decoder.decode().map_err(fail)?;
    if rgba.len() != w * h * 4 {
        return Err(PhotoError::Decode("unexpected pixel layout".into()));
    }
    Ok((Pixels { width: w as u32, height: h as u32, rgba }, orientation))
}

fn decode_webp(bytes: &[u8], max_pixels: u64) -> Result<Pixels, PhotoError> {
    let fail = |e: image_webp::DecodingError| PhotoError::Decode(e.to_string());
    let mut decoder = image_webp::WebPDecoder::new(Cursor::new(bytes)).map_err(fail)?;
    let (w, h) = decoder.dimensions();
    check_pixels(u64::from(w), u64::from(h), max_pixels)?;
    let size = decoder.output_buffer_size().ok_or_else(|| PhotoError::Decode("image too large".into()))?;
    let mut buf = rgba_capacity(u64::from(w) * u64::from(h), size);
    decoder.read_image(&mut buf).map_err(fail)?;
    let rgba = expand_to_rgba(buf, if decoder.has_alpha() { 4 } else { 3 });
    Ok(Pixels { width: w, height: h, rgba })
}

/// The orientation tag (0x0112) of EXIF data that starts at its TIFF header; `None` when absent or
/// unreadable.
pub fn exif_orientation(exif: &[u8]) -> Option<u16> {
    let exif = exif.strip_prefix(b"Exif\0\0").unwrap_or(exif);
    let little = match exif.get(..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b = exif.get(at..at + 2)?;
        Some(if little { u16::from_le_bytes([b[0], b[1]]) } else { u16::from_be_bytes([b[0], b[1]]) })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b = exif.get(at..at + 4)?;
        let arr = [b[0], b[1], b[2], b[3]];
        Some(if little { u32::from_le_bytes(arr) } else { u32::from_be_bytes(arr) })
    };
    let ifd = u32_at(4)? as usize;
    let entries = u16_at(ifd)? as usize;
    for i in 0..entries.min(256) {
        let entry = ifd + 2 + i * 12;
        if u16_at(entry)? == 0x0112 {
            let value = u16_at(entry + 8)?;
            return (1..=8).contains(&value).then_some(value);
        }
    }
    None
}

/// Turns pixels upright according to an EXIF orientation (1 to 8).
fn orient(p: Pixels, orientation: u16) -> Pixels {
    if orientation <= 1 || orientation > 8 {
        return p;
    }
    let (w, h) = (p.width as usize, p.height as usize);
    let swap = orientation >= 5;
    let (nw, nh) = if swap { (h, w) } else { (w, h) };
    let mut out = vec![0u8; p.rgba.len()];
    for y in 0..h {
        for x in 0..w {
            // Where the source pixel (x, y) lands.
            let (dx, dy) = match orientation {
                2 => (w - 1 - x, y),
                3 => (w - 1 - x, h - 1 - y),
                4 => (x, h - 1 - y),
                5 => (y, x),
                6 => (h - 1 - y, x),
                7 => (h - 1 - y, w - 1 - x),
                _ => (y, w - 1 - x),
            };
            let s = (y * w + x) * 4;
            let d = (dy * nw + dx) * 4;
            out[d..d + 4].copy_from_slice(&p.rgba[s..s + 4]);
        }
    }
    Pixels { width: nw as u32, height: nh as u32, rgba: out }
}

/// The source pixels under each of `n` target pixels along one axis, with their weights (the share of
/// the target pixel each covers).
fn spans(scale: f64, n: usize, limit: usize) -> Vec<Vec<(usize, f32)>> {
    (0..n)
        .map(|i| {
            let start = i as f64 * scale;
            let end = ((i + 1) as f64 * scale).min(limit as f64);
            let mut weights = Vec::new();
            let mut s = start.floor() as usize;
            while (s as f64) < end && s < limit {
                let lo = (s as f64).max(start);
                let hi = ((s + 1) as f64).min(end);
                if hi > lo {
                    weights.push((s, ((hi - lo) / scale) as f32));
                }
                s += 1;
            }
            weights
        })
        .collect()
}

/// Resizes by averaging the source area under each target pixel (downscaling only). Works one target
/// row at a time (the source rows under it summed into one row of floats, then averaged across), so the
/// only buffer besides the result is one source row: a 40-megapixel photo needs no second copy.
fn resize(p: &Pixels, nw: u32, nh: u32) -> Pixels {
    if nw == p.width && nh == p.height {
        return Pixels { width: nw, height: nh, rgba: p.rgba.clone() };
    }
    let (sw, sh) = (p.width as usize, p.height as usize);
    let (nw_u, nh_u) = (nw as usize, nh as usize);
    let xs = spans(sw as f64 / nw_u as f64, nw_u, sw);
    let ys = spans(sh as f64 / nh_u as f64, nh_u, sh);
    let mut row = vec![0f32; sw * 4];
    let mut out = vec![0u8; nw_u * nh_u * 4];
    for (y, weights) in ys.iter().enumerate() {
        row.fill(0.0);
        for &(s, w) in weights {
            let source = &p.rgba[s * sw * 4..(s + 1) * sw * 4];
            for (acc, &v) in row.iter_mut().zip(source) {
                *acc += f32::from(v) * w;
            }
        }
        for (x, weights) in xs.iter().enumerate() {
            let mut acc = [0f32; 4];
            for &(s, w) in weights {
                for c in 0..4 {
                    acc[c] += row[s * 4 + c] * w;
                }
            }
            for c in 0..4 {
                out[(y * nw_u + x) * 4 + c] = acc[c].round().clamp(0.0, 255.0) as u8;
            }
        }
    }
    Pixels { width: nw, height: nh, rgba: out }
}

/// The size that fits within `max` on its longest side, keeping the proportions.
pub fn fit(width: u32, height: u32, max: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= max {
        return (width, height);
    }
    let scale = f64::from(max) / f64::from(longest);
    let w = ((f64::from(width) * scale).round() as u32).max(1);
    let h = ((f64::from(height) * scale).round() as u32).max(1);
    (w, h)
}

fn encode(p: &Pixels, format: OutputFormat) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::new();
    match format {
        OutputFormat::Jpeg => {
            let w = u16::try_from(p.width).map_err(|_| PhotoError::Encode("too wide".into()))?;
            let h = u16::try_from(p.height).map_err(|_| PhotoError::Encode("too tall".into()))?;
            let encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
            encoder
                .encode(&p.rgba, w, h, jpeg_encoder::ColorType::Rgba)
                .map_err(|e| PhotoError::Encode(e.to_string()))?;
        }
        OutputFormat::Png => {
            let mut encoder = png::Encoder::new(&mut out, p.width, p.height);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().map_err(|e| PhotoError::Encode(e.to_string()))?;
            writer.write_image_data(&p.rgba).map_err(|e| PhotoError::Encode(e.to_string()))?;
            writer.finish().map_err(|e| PhotoError::Encode(e.to_string()))?;
        }
    }
    Ok(out)
}

/// How many images are decoded at once in the whole process: one per core. A decoded photo takes four
/// bytes per pixel (160 MB at 40 megapixels), so uploads beyond that wait for their turn instead of
/// multiplying the memory (six parallel uploads of a hostile 40-megapixel PNG took 2.2 GB before).
fn image_slots() -> &'static Slots {
    static SLOTS: std::sync::OnceLock<Slots> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| Slots::new(std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)))
}

/// A counting semaphore for blocking threads (image work runs on the blocking pool).
struct Slots {
    free: std::sync::Mutex<usize>,
    freed: std::sync::Condvar,
}

impl Slots {
    fn new(n: usize) -> Slots {
        Slots { free: std::sync::Mutex::new(n.max(1)), freed: std::sync::Condvar::new() }
    }

    fn take(&self) -> SlotGuard<'_> {
        let mut free = self.free.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        *free -= 1;
        SlotGuard(self)
    }
}

struct SlotGuard<'a>(&'a Slots);

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        let mut free = self.0.free.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *free += 1;
        self.0.freed.notify_one();
    }
}

/// Checks, decodes, orients, resizes and re-encodes an uploaded image, with the default pixel limit
/// ([`MAX_PIXELS`]).
pub fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
    process_with(bytes, MAX_PIXELS)
}

/// [`process`] with a pixel limit of the operator's choice (`photo_max_megapixels`), checked from the
/// image's header before anything is decoded. Blocks while every image slot is busy.
pub fn process_with(bytes: &[u8], max_pixels: u64) -> Result<Processed, PhotoError> {
    if bytes.len() > MAX_BYTES {
        return Err(PhotoError::TooLarge { bytes: bytes.len(), max: MAX_BYTES });
    }
    let limit = max_pixels.min(MAX_PIXELS_CEILING);
    let _slot = image_slots().take();
    let pixels = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        decode_png(bytes, limit)?
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let (p, orientation) = decode_jpeg(bytes, limit)?;
        orient(p, orientation)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        decode_webp(bytes, limit)?
    } else {
        return Err(PhotoError::Unsupported);
    };
    let format = if pixels.rgba.chunks_exact(4).any(|p| p[3] < 255) { OutputFormat::Png } else { OutputFormat::Jpeg };
    let (width, height) = (pixels.width, pixels.height);
    let mut variants: Vec<Variant> = Vec::new();
    // Each variant is made from the one before (an area average of an area average is as good), and the
    // original is dropped as soon as the largest variant exists.
    let mut source = pixels;
    for (name, max) in VARIANTS {
        let (w, h) = fit(width, height, max);
        if variants.last().is_some_and(|v| v.width == w && v.height == h) {
            continue;
        }
        let resized = resize(&source, w, h);
        variants.push(Variant { name, width: w, height: h, bytes: encode(&resized, format)? });
        source = resized;
    }
    Ok(Processed { width, height, format, variants })
}

/// The most pixels any configuration may allow (about 100 megapixels): past that a single image would
/// take more than 400 MB decoded.
pub const MAX_PIXELS_CEILING: u64 = 100_000_000;

/// A placeholder photo drawn in code (sky, hills, sea, a sun and a band of colour `accent`), as a PNG,
/// for the demo and the tests. No image file is shipped in the repository.
pub fn placeholder_png(width: u32, height: u32, accent: [u8; 3]) -> Vec<u8> {
    let mut rgba = Vec::with_capacity((width * height * 4) as usize);
    let (wf, hf) = (f64::from(width), f64::from(height));
    for y in 0..height {
        for x in 0..width {
            let (xf, yf) = (f64::from(x), f64::from(y));
            let hill = hf * 0.55 - (xf / wf * std::f64::consts::PI * 2.0).sin() * hf * 0.08;
            let sea = hf * 0.72;
            let (dx, dy) = (xf - wf * 0.78, yf - hf * 0.22);
            let px: [u8; 3] = if dx * dx + dy * dy < (hf * 0.09).powi(2) {
                [246, 196, 68]
            } else if yf > hf * 0.9 {
                accent
            } else if yf > sea {
                let t = ((yf - sea) / (hf * 0.18)).min(1.0);
                [(28.0 + 20.0 * t) as u8, (96.0 - 30.0 * t) as u8, (150.0 - 40.0 * t) as u8]
            } else if yf > hill {
                [56, 122, 70]
            } else {
                let t = yf / hill;
                [(120.0 + 60.0 * t) as u8, (180.0 + 40.0 * t) as u8, 235]
            };
            rgba.extend_from_slice(&[px[0], px[1], px[2], 255]);
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("in-memory PNG header");
        writer.write_image_data(&rgba).expect("in-memory PNG data");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_any(bytes: &[u8]) -> (u32, u32) {
        let image = crate::image::Image::decode("variant", bytes.to_vec()).expect("a variant decodes");
        (image.width_px(), image.height_px())
    }

    #[test]
    fn a_photo_becomes_three_jpeg_variants_without_metadata() {
        let png = placeholder_png(2000, 1000, [200, 30, 40]);
        let processed = process(&png).unwrap();
        assert_eq!((processed.width, processed.height, processed.format), (2000, 1000, OutputFormat::Jpeg));
        let sizes: Vec<_> = processed.variants.iter().map(|v| (v.name, v.width, v.height)).collect();
        assert_eq!(sizes, vec![("large", 1600, 800), ("medium", 800, 400), ("small", 400, 200)]);
        for v in &processed.variants {
            assert_eq!(decode_any(&v.bytes), (v.width, v.height));
            assert!(!v.bytes.windows(4).any(|w| w == b"Exif"), "no EXIF in {}", v.name);
        }
    }

    #[test]
    fn exif_is_dropped_and_its_orientation_applied() {
        // A JPEG carrying an EXIF block with orientation 6 (rotate 90° clockwise) and a GPS-like tag.
        let base = process(&placeholder_png(60, 30, [0, 0, 0])).unwrap().variants.remove(0).bytes;
        let tiff: Vec<u8> = [
            b"II*\0".as_slice(),
            &8u32.to_le_bytes(),
            &2u16.to_le_bytes(),
            &0x0112u16.to_le_bytes(),
            &3u16.to_le_bytes(),
            &1u32.to_le_bytes(),
            &6u16.to_le_bytes(),
            &[0, 0],
            &0x8825u16.to_le_bytes(),
            &4u16.to_le_bytes(),
            &1u32.to_le_bytes(),
            &0u32.to_le_bytes(),
            &0u32.to_le_bytes(),
        ]
        .concat();
        assert_eq!(exif_orientation(&tiff), Some(6));
        let mut app1 = vec![0xFF, 0xE1];
        let len = (2 + 6 + tiff.len()) as u16;
        app1.extend_from_slice(&len.to_be_bytes());
        app1.extend_from_slice(b"Exif\0\0");
        app1.extend_from_slice(&tiff);
        let mut with_exif = base[..2].to_vec();
        with_exif.extend_from_slice(&app1);
        with_exif.extend_from_slice(&base[2..]);
        let processed = process(&with_exif).unwrap();
        assert_eq!((processed.width, processed.height), (30, 60), "turned upright");
        for v in &processed.variants {
            assert!(!v.bytes.windows(4).any(|w| w == b"Exif" || w == b"II*\0"));
        }
    }

    #[test]
    fn fake_damaged_and_huge_images_are_refused() {
        assert_eq!(process(b"<svg onload=alert(1)>"), Err(PhotoError::Unsupported));
        assert_eq!(process(b"GIF89a...."), Err(PhotoError::Unsupported));
        let mut png = placeholder_png(40, 20, [1, 2, 3]);
        png.truncate(60);
        assert!(matches!(process(&png), Err(PhotoError::Decode(_))));
        assert!(matches!(process(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Err(PhotoError::Decode(_))));
        // A PNG header claiming 100,000 × 100,000 pixels is refused before any pixel is decoded.
        let mut bomb = placeholder_png(1, 1, [0, 0, 0]);
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(matches!(process(&bomb), Err(PhotoError::TooManyPixels { .. }) | Err(PhotoError::Decode(_))));
        let big = vec![0u8; MAX_BYTES + 1];
        assert!(matches!(process(&big), Err(PhotoError::TooLarge { .. })));
    }

    #[test]
    fn transparent_images_stay_png_and_small_ones_are_not_enlarged() {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, 120, 40);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            let mut w = encoder.write_header().unwrap();
            w.write_image_data(&vec![128u8; 120 * 40 * 4]).unwrap();
        }
        let processed = process(&out).unwrap();
        assert_eq!(processed.format, OutputFormat::Png);
        assert_eq!(processed.variants.len(), 1, "one variant when the original is smaller than all");
        assert_eq!((processed.variants[0].width, processed.variants[0].height), (120, 40));
        assert_eq!(fit(3000, 4000, 800), (600, 800));
    }
}
