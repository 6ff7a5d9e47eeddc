//! Images placed in documents: checked once, when they enter the model.
//!
//! A PNG is fully decoded and a JPEG fully decoded too, so that an image that cannot be decoded is
//! refused with its name before any file is written (Word shows a red cross for a broken image
//! and a PDF library would fail half-way).

use std::io::Cursor;
use std::sync::Arc;

use crate::error::ExportError;

/// The encoded formats accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
}

impl ImageFormat {
    /// File extension used inside the DOCX package.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpeg",
        }
    }

    /// MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
        }
    }
}

/// A decodable PNG or JPEG with its pixel size. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Image {
    name: String,
    bytes: Arc<Vec<u8>>,
    format: ImageFormat,
    width_px: u32,
    height_px: u32,
}

impl Image {
    /// Checks that `bytes` are a PNG or JPEG that decodes, and records its size. `name` (a file
    /// name or a caption) is what an error will call the image.
    pub fn decode(name: &str, bytes: Vec<u8>) -> Result<Image, ExportError> {
        let fail = |reason: String| ExportError::ImageDecode { name: name.to_owned(), reason };
        let (format, width_px, height_px) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            let decoder = png::Decoder::new(Cursor::new(&bytes[..]));
            let mut reader = decoder.read_info().map_err(|e| fail(e.to_string()))?;
            let size = reader.output_buffer_size().ok_or_else(|| fail("image too large".into()))?;
            let mut buf = vec![0; size];
            let info = reader.next_frame(&mut buf).map_err(|e| fail(e.to_string()))?;
            (ImageFormat::Png, info.width, info.height)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            let mut decoder = zune_jpeg::JpegDecoder::new(Cursor::new(&bytes[..]));
            decoder.decode().map_err(|e| fail(e.to_string()))?;
            let (w, h) = decoder.dimensions().ok_or_else(|| fail("no frame header".into()))?;
            (ImageFormat::Jpeg, w as u32, h as u32)
        } else {
            return Err(fail("not a PNG or JPEG file".into()));
        };
        if width_px == 0 || height_px == 0 {
            return Err(fail("empty image".into()));
        }
        Ok(Image { name: name.to_owned(), bytes: Arc::new(bytes), format, width_px, height_px })
    }

    /// The name given at decoding.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The encoded bytes, as given.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// PNG or JPEG.
    pub fn format(&self) -> ImageFormat {
        self.format
    }

    /// Width in pixels.
    pub fn width_px(&self) -> u32 {
        self.width_px
    }

    /// Height in pixels.
    pub fn height_px(&self) -> u32 {
        self.height_px
    }

    /// Height for a given width, keeping the aspect ratio.
    pub fn height_for_width(&self, width: f32) -> f32 {
        width * self.height_px as f32 / self.width_px as f32
    }
}

/// A small PNG made in code (a two-colour test card), for the sample document, tests and
/// benchmarks. No image file is shipped in the repository.
pub fn test_card_png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("in-memory PNG header");
        let mut data = Vec::with_capacity((width * height * 3) as usize);
        for y in 0..height {
            for x in 0..width {
                // Sky above, sea below, a sun in the upper right: enough to see orientation.
                let (dx, dy) = (x as i64 - (width as i64 * 3 / 4), y as i64 - (height as i64 / 4));
                let sun = dx * dx + dy * dy < (height as i64 / 8).pow(2);
                let px: [u8; 3] = if sun {
                    [240, 180, 40]
                } else if y < height / 2 {
                    [150, 200, 235]
                } else {
                    [30, 90, 150]
                };
                data.extend_from_slice(&px);
            }
        }
        writer.write_image_data(&data).expect("in-memory PNG data");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_png_decodes_with_its_size() {
        let img = Image::decode("card.png", test_card_png(40, 20)).unwrap();
        assert_eq!((img.width_px(), img.height_px()), (40, 20));
        assert_eq!(img.format(), ImageFormat::Png);
        assert_eq!(img.height_for_width(100.0), 50.0);
    }

    #[test]
    fn truncated_png_is_refused_with_its_name() {
        let mut bytes = test_card_png(40, 20);
        bytes.truncate(bytes.len() / 2);
        let err = Image::decode("ảnh-hỏng.png", bytes).unwrap_err();
        assert!(matches!(&err, ExportError::ImageDecode { name, .. } if name == "ảnh-hỏng.png"), "{err}");
    }

    #[test]
    fn unknown_bytes_are_refused_as_not_png_or_jpeg() {
        let err = Image::decode("x.gif", b"GIF89a....".to_vec()).unwrap_err();
        assert!(err.to_string().contains("not a PNG or JPEG"), "{err}");
    }

    #[test]
    fn jpeg_header_without_image_data_is_refused() {
        let err = Image::decode("x.jpg", vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0]).unwrap_err();
        assert!(matches!(err, ExportError::ImageDecode { .. }));
    }
}
