//! What a file is, by its content (never by its name or the browser's word): the kinds users may upload as
//! evidence and attachments.

use serde::{Deserialize, Serialize};

/// A kind of file recognised by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// PDF.
    Pdf,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// WebP image.
    Webp,
    /// Word document (OOXML).
    Docx,
    /// Excel workbook (OOXML).
    Xlsx,
    /// PowerPoint presentation (OOXML).
    Pptx,
    /// OpenDocument (text, spreadsheet, presentation).
    OpenDocument,
    /// Legacy Word/Excel (OLE compound file).
    LegacyOffice,
    /// Plain UTF-8 text or CSV.
    Text,
}

impl FileKind {
    /// The content type served for the file.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Webp => "image/webp",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            FileKind::OpenDocument => "application/vnd.oasis.opendocument",
            FileKind::LegacyOffice => "application/octet-stream",
            FileKind::Text => "text/plain; charset=utf-8",
        }
    }

    /// Whether browsers may show the file inline (images and PDF); everything else is downloaded.
    pub fn is_inline(self) -> bool {
        matches!(self, FileKind::Pdf | FileKind::Png | FileKind::Jpeg | FileKind::Webp)
    }

    /// Whether the file is a raster image.
    pub fn is_image(self) -> bool {
        matches!(self, FileKind::Png | FileKind::Jpeg | FileKind::Webp)
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Recognises a file by its first bytes; `None` for anything not allowed (executables, HTML, SVG, archives
/// other than office documents, unknown binaries).
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"%PDF-") {
        return Some(FileKind::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(FileKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileKind::Jpeg);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(FileKind::Webp);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // Office documents are zip packages; the names of their parts are stored uncompressed.
        let head = &bytes[..bytes.len().min(64 * 1024)];
        if contains(head, b"mimetypeapplication/vnd.oasis.opendocument") {
            return Some(FileKind::OpenDocument);
        }
        if contains(bytes, b"word/document.xml") {
            return Some(FileKind::Docx);
        }
        if contains(bytes, b"xl/workbook.xml") {
            return Some(FileKind::Xlsx);
        }
        if contains(bytes, b"ppt/presentation.xml") {
            return Some(FileKind::Pptx);
        }
        return None;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some(FileKind::LegacyOffice);
    }
    // Text: valid UTF-8 without control characters (an executable's header is often valid UTF-8), and not
    // markup a browser would run.
    let text = std::str::from_utf8(bytes).ok()?;
    if text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')) {
        return None;
    }
    // The first 256 bytes or so, cut on a letter's boundary (a Vietnamese letter takes two or three bytes).
    let start: String = text.trim_start().char_indices().take_while(|&(i, _)| i < 256).map(|(_, c)| c).collect();
    let start = start.to_ascii_lowercase();
    if start.starts_with('<') || start.contains("<script") || start.contains("<svg") || start.contains("<html") {
        return None;
    }
    Some(FileKind::Text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any plain text is text, wherever a multi-byte letter falls against the bytes looked at first.
        #[test]
        fn vietnamese_text_of_any_length_is_text(prefix in "[a-z ]{0,300}", body in "[a-zA-Zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ;,.\n ]{0,600}") {
            let text = format!("{prefix}Báo cáo tiến độ{body}");
            prop_assert_eq!(sniff(text.as_bytes()), Some(FileKind::Text));
        }
    }

    #[test]
    fn a_letter_across_the_sampled_prefix_is_still_text() {
        // 255 ASCII bytes, then "ế" (3 bytes): byte 256 falls inside the letter.
        let text = format!("{}ế và các xã, phường", "a".repeat(255));
        assert_eq!(sniff(text.as_bytes()), Some(FileKind::Text));
    }

    #[test]
    fn files_are_recognised_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(FileKind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileKind::Jpeg));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(FileKind::Webp));
        assert_eq!(sniff(b"PK\x03\x04....[Content_Types].xml....word/document.xml"), Some(FileKind::Docx));
        assert_eq!(sniff(b"PK\x03\x04....xl/workbook.xml"), Some(FileKind::Xlsx));
        assert_eq!(sniff("Báo cáo;Số liệu\n1;2".as_bytes()), Some(FileKind::Text));
    }

    #[test]
    fn dangerous_or_unknown_files_are_refused() {
        assert_eq!(sniff(b"MZ\x90\0\x03"), None, "a Windows executable");
        assert_eq!(sniff(b"\x7fELF\x02\x01"), None, "a Linux executable");
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"  <svg onload=alert(1)>"), None);
        assert_eq!(sniff(b"PK\x03\x04 just a zip"), None);
        assert_eq!(sniff(&[0, 1, 2, 3, 0xFF]), None);
    }
}
