//! The serif family embedded in PDFs: Liberation Serif (SIL Open Font License 1.1, Debian
//! `fonts-liberation2`) or Tinos (Apache License 2.0, Debian `fonts-croscore`), both metric-
//! compatible with Times New Roman and covering Vietnamese, read at run time from `TIENDO_FONT_DIR`
//! or the Debian font folders.
//!
//! Times-metric faces are preferred because official documents (NĐ 30/2020) are set in Times New
//! Roman: a PDF then breaks its lines where the DOCX of the same document does in Word. Where none is
//! installed (a fresh machine with only Rust), [`FontSet::load_system`] falls back to Libertinus Serif
//! (SIL Open Font License 1.1), which covers Vietnamese and comes with the `typst-assets` crate from
//! crates.io, so that a newcomer's first PDF works; it is a little wider than Times, so lines break
//! elsewhere than in Word. No font file is kept in this repository.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::ExportError;

/// Where the embedded fallback family comes from, as shown in messages.
const EMBEDDED: &str = "(embedded: typst-assets)";

/// Folders searched after `TIENDO_FONT_DIR`, in order.
pub const SYSTEM_FONT_DIRS: &[&str] = &[
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/croscore",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/liberation-serif",
    "/usr/share/fonts/TTF",
];

/// The families accepted, with their file names (regular, bold, italic, bold italic).
const FAMILIES: &[(&str, [&str; 4])] = &[
    (
        "Liberation Serif",
        [
            "LiberationSerif-Regular.ttf",
            "LiberationSerif-Bold.ttf",
            "LiberationSerif-Italic.ttf",
            "LiberationSerif-BoldItalic.ttf",
        ],
    ),
    ("Tinos", ["Tinos-Regular.ttf", "Tinos-Bold.ttf", "Tinos-Italic.ttf", "Tinos-BoldItalic.ttf"]),
];

/// Letters a face must have to print Vietnamese (a sample of the precomposed range U+1EA0–U+1EF9
/// and the Latin Extended letters Vietnamese uses).
const VIETNAMESE_PROBE: &str =
    "ĂÂĐÊÔƠƯăâđêôơưẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ";

/// Characters below this code point have their advance in a table; the rest are looked up.
const TABLE_LIMIT: usize = 0x2200;

/// One face: its bytes for embedding and its metrics for line breaking.
#[derive(Debug, Clone)]
pub struct Face {
    pub(crate) font: krilla::text::Font,
    data: Arc<Vec<u8>>,
    /// Advance in em and glyph id per character below [`TABLE_LIMIT`]; glyph 0 = missing.
    table: Arc<Vec<(f32, u16)>>,
    /// Ascender in em.
    pub ascent: f32,
    /// Line height in em (ascender − descender + line gap), Word's "single" spacing.
    pub line_height: f32,
    units_per_em: f32,
}

impl Face {
    fn load(path: &Path) -> Result<Face, ExportError> {
        Face::parse(Arc::new(std::fs::read(path)?), path)
    }

    fn parse(data: Arc<Vec<u8>>, path: &Path) -> Result<Face, ExportError> {
        let bad = |reason: String| ExportError::BadFont { path: path.to_owned(), reason };
        let face = ttf_parser::Face::parse(&data, 0).map_err(|e| bad(e.to_string()))?;
        for c in VIETNAMESE_PROBE.chars() {
            if face.glyph_index(c).is_none() {
                return Err(bad(format!("no glyph for `{c}` (U+{:04X}): it does not cover Vietnamese", c as u32)));
            }
        }
        let upem = f32::from(face.units_per_em());
        let mut table = vec![(0.5, 0u16); TABLE_LIMIT];
        for (i, slot) in table.iter_mut().enumerate() {
            if let Some(c) = char::from_u32(i as u32)
                && let Some(g) = face.glyph_index(c)
            {
                *slot = (f32::from(face.glyph_hor_advance(g).unwrap_or(0)) / upem, g.0);
            }
        }
        let ascent = f32::from(face.ascender()) / upem;
        let line_height = f32::from(face.ascender() - face.descender() + face.line_gap()) / upem;
        let font = krilla::text::Font::new(krilla::Data::from(data.clone()), 0)
            .ok_or_else(|| bad("the PDF library cannot read it".into()))?;
        Ok(Face { font, data, table: Arc::new(table), ascent, line_height, units_per_em: upem })
    }

    /// Glyph id and advance in em of `c`.
    pub fn glyph(&self, c: char) -> (u16, f32) {
        let i = c as usize;
        if i < TABLE_LIMIT {
            let (adv, g) = self.table[i];
            return (g, adv);
        }
        match ttf_parser::Face::parse(&self.data, 0) {
            Ok(face) => match face.glyph_index(c) {
                Some(g) => (g.0, f32::from(face.glyph_hor_advance(g).unwrap_or(0)) / self.units_per_em),
                None => (0, 0.5),
            },
            Err(_) => (0, 0.5),
        }
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.glyph(c).1).sum::<f32>() * size
    }
}

/// The four faces of the serif family.
#[derive(Debug, Clone)]
pub struct FontSet {
    family: String,
    dir: PathBuf,
    faces: [Face; 4],
    /// The folders searched in vain before falling back to the embedded family.
    searched: Vec<PathBuf>,
}

impl FontSet {
    /// The folders [`FontSet::load_system`] searches: `TIENDO_FONT_DIR` if set, then
    /// [`SYSTEM_FONT_DIRS`].
    pub fn system_dirs() -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = Vec::new();
        if let Some(dir) = std::env::var_os("TIENDO_FONT_DIR") {
            dirs.push(PathBuf::from(dir));
        }
        dirs.extend(SYSTEM_FONT_DIRS.iter().map(PathBuf::from));
        dirs
    }

    /// Loads the family from `TIENDO_FONT_DIR` if set, else from the Debian font folders, else the
    /// embedded Libertinus Serif ([`FontSet::embedded`]).
    pub fn load_system() -> Result<FontSet, ExportError> {
        Self::search(&Self::system_dirs())
    }

    /// The first Times-metric family found in `dirs` ([`FontSet::load_from`]), else the embedded
    /// Libertinus Serif, which then remembers where it looked ([`FontSet::diagnostic`]). A family
    /// found but unreadable is an error, not a reason to fall back.
    pub fn search(dirs: &[PathBuf]) -> Result<FontSet, ExportError> {
        match Self::load_from(dirs) {
            Err(ExportError::MissingFont { .. }) => Ok(FontSet { searched: dirs.to_vec(), ..Self::embedded()? }),
            other => other,
        }
    }

    /// One sentence for the log and the administrator: which family PDFs are set in, where it comes
    /// from, and, for the fallback, why and what to install.
    pub fn diagnostic(&self) -> String {
        if self.is_fallback() {
            let searched = if self.searched.is_empty() {
                String::new()
            } else {
                let dirs: Vec<String> = self.searched.iter().map(|d| d.display().to_string()).collect();
                format!(" in {}", dirs.join(", "))
            };
            format!(
                "PDF font: {} embedded from the typst-assets crate (SIL Open Font License 1.1), because no \
                 Times-metric family (Liberation Serif or Tinos) was found{searched}; install the Debian package \
                 fonts-liberation2 so that PDFs are set in the metrics of Times New Roman, the font of NĐ 30/2020, \
                 and break their lines where Word breaks the DOCX",
                self.family
            )
        } else {
            format!(
                "PDF font: {} from {} (metric-compatible with Times New Roman, the font of NĐ 30/2020)",
                self.family,
                self.dir.display()
            )
        }
    }

    /// Libertinus Serif, shipped in the binary by the `typst-assets` crate: the fallback where no
    /// Times-metric family is installed.
    pub fn embedded() -> Result<FontSet, ExportError> {
        let origin = Path::new(EMBEDDED);
        let mut faces: [Option<Face>; 4] = [None, None, None, None];
        // Regular, bold, italic; the bold italic of this release lacks Ơ and Ư, so its semibold italic
        // (a family of its own in the name table) stands in for it.
        let wanted = [
            ("Libertinus Serif", "Regular"),
            ("Libertinus Serif", "Bold"),
            ("Libertinus Serif", "Italic"),
            ("Libertinus Serif Semibold Italic", "Regular"),
        ];
        for data in typst_assets::fonts() {
            let Ok(face) = ttf_parser::Face::parse(data, 0) else { continue };
            let name = |id: u16| {
                face.names().into_iter().filter(|n| n.name_id == id && n.is_unicode()).find_map(|n| n.to_string())
            };
            let (Some(family), Some(style)) = (name(ttf_parser::name_id::FAMILY), name(ttf_parser::name_id::SUBFAMILY))
            else {
                continue;
            };
            let Some(slot) = wanted.iter().position(|(f, s)| *f == family && *s == style) else { continue };
            if faces[slot].is_none() {
                faces[slot] = Some(Face::parse(Arc::new(data.to_vec()), origin)?);
            }
        }
        match faces {
            [Some(regular), Some(bold), Some(italic), Some(bold_italic)] => Ok(FontSet {
                family: "Libertinus Serif".to_owned(),
                dir: origin.to_owned(),
                faces: [regular, bold, italic, bold_italic],
                searched: Vec::new(),
            }),
            _ => Err(ExportError::BadFont {
                path: origin.to_owned(),
                reason: "the embedded Libertinus Serif lacks a style".to_owned(),
            }),
        }
    }

    /// Whether the family is the embedded fallback rather than a Times-metric one.
    pub fn is_fallback(&self) -> bool {
        self.dir == Path::new(EMBEDDED)
    }

    /// Loads the first family found in `dirs` (Liberation Serif first, then Tinos).
    pub fn load_from(dirs: &[PathBuf]) -> Result<FontSet, ExportError> {
        for dir in dirs {
            for (family, files) in FAMILIES {
                if files.iter().all(|f| dir.join(f).is_file()) {
                    let load = |i: usize| Face::load(&dir.join(files[i]));
                    return Ok(FontSet {
                        family: (*family).to_owned(),
                        dir: dir.clone(),
                        faces: [load(0)?, load(1)?, load(2)?, load(3)?],
                        searched: Vec::new(),
                    });
                }
            }
        }
        Err(ExportError::MissingFont {
            family: "Liberation Serif (or Tinos)".into(),
            file: FAMILIES[0].1[0].into(),
            searched: dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", "),
            package: "fonts-liberation2".into(),
        })
    }

    /// The family name, e.g. `Liberation Serif`.
    pub fn family(&self) -> &str {
        &self.family
    }

    /// The folder the faces were read from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The face for a style.
    pub fn face(&self, bold: bool, italic: bool) -> &Face {
        &self.faces[usize::from(bold) + 2 * usize::from(italic)]
    }
}
