//! The index schema: per searchable text a folded, an exact and (for longer texts) a bigram field; the
//! original texts stored for display; fast fields for filters and facets; the access list.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, SchemaBuilder, TextFieldIndexing, TextOptions,
};

use crate::tokenizer;

/// The version of the schema and the analyzer. Bump it when either changes in a way that needs a
/// rebuild: an index of another version is reported as [`crate::SearchError::Outdated`].
pub const SCHEMA_VERSION: u32 = 1;

/// A searchable text and its indexed forms.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextFields {
    pub fold: Field,
    pub exact: Field,
    pub bigram: Option<Field>,
    /// How much a match in this text counts against a match in the body.
    pub weight: f32,
}

/// Every field of the schema.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    pub schema: Schema,
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub title: Field,
    pub symbol: Field,
    pub body: Field,
    pub texts: [TextFields; 4],
    /// Every text folded into one field: the words a query requires are found in one posting list each,
    /// not in a union over four texts; the texts themselves only score.
    pub all_fold: Field,
    pub organization: Field,
    pub unit: Field,
    pub year: Field,
    pub status: Field,
    pub acl: Field,
}

/// Index positions (phrases) or only frequencies (bigrams).
fn text(tokenizer: &str, positions: bool) -> TextOptions {
    let option = if positions { IndexRecordOption::WithFreqsAndPositions } else { IndexRecordOption::WithFreqs };
    TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(option))
}

fn searchable(builder: &mut SchemaBuilder, name: &str, bigrams: bool, weight: f32) -> TextFields {
    TextFields {
        fold: builder.add_text_field(&format!("{name}_fold"), text(tokenizer::FOLD, true)),
        exact: builder.add_text_field(&format!("{name}_exact"), text(tokenizer::EXACT, true)),
        bigram: bigrams.then(|| builder.add_text_field(&format!("{name}_bi"), text(tokenizer::BIGRAM, false))),
        weight,
    }
}

impl Fields {
    /// The schema of this version.
    pub fn new() -> Fields {
        let mut b = Schema::builder();
        let key = b.add_text_field("key", STRING | STORED);
        let kind = b.add_text_field("kind", STRING | FAST | STORED);
        let id = b.add_i64_field("id", STORED);
        let title = b.add_text_field("title", STORED);
        let symbol = b.add_text_field("symbol", STORED);
        let body = b.add_text_field("body", STORED);
        let texts = [
            searchable(&mut b, "title", true, 3.0),
            searchable(&mut b, "symbol", false, 4.0),
            searchable(&mut b, "places", true, 1.0),
            searchable(&mut b, "body", true, 1.0),
        ];
        let all_fold = b.add_text_field("all_fold", text(tokenizer::FOLD, true));
        let organization = b.add_i64_field("organization", INDEXED | FAST | STORED);
        let unit = b.add_text_field("unit", STRING | FAST | STORED);
        let year = b.add_i64_field("year", INDEXED | FAST | STORED);
        let status = b.add_text_field("status", STRING | FAST | STORED);
        let acl = b.add_text_field("acl", STRING);
        let schema = b.build();
        Fields { schema, key, kind, id, title, symbol, body, texts, all_fold, organization, unit, year, status, acl }
    }

    /// Reads the fields from an index's schema, or says which is missing.
    pub fn matches(&self, other: &Schema) -> bool {
        self.schema.fields().count() == other.fields().count()
            && self.schema.fields().all(|(field, entry)| {
                other.get_field(entry.name()).ok() == Some(field)
                    && other.get_field_entry(field).field_type() == entry.field_type()
            })
    }

    /// The field whose folded vocabulary holds every word ("did you mean", one-edit matching).
    pub fn word_fields(&self) -> impl Iterator<Item = Field> + '_ {
        std::iter::once(self.all_fold)
    }
}
