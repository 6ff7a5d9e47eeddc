//! The index schema: every text folded, exact and in bigrams, the title and the symbol again on their own; the
//! original texts stored for display; fast fields for filters and facets; the access list; the links to
//! the records a document is built from.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::tokenizer;

/// The version of the schema and the analyzer. Bump it when either changes in a way that needs a
/// rebuild: an index of another version is reported as [`crate::SearchError::Outdated`].
pub const SCHEMA_VERSION: u32 = 3;

/// Every field of the schema.
///
/// Matching and most of the scoring use the `all_*` fields, which hold every text (title, symbol, places,
/// body): one posting list per word, so that a query's required words intersect quickly and each optional
/// form adds one scorer. The title and the symbol are indexed again on their own so that a word in the title
/// and a whole symbol in the symbol field count more.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    pub schema: Schema,
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub title: Field,
    pub symbol: Field,
    pub body: Field,
    pub title_fold: Field,
    pub symbol_fold: Field,
    pub symbol_exact: Field,
    pub all_fold: Field,
    pub all_exact: Field,
    pub all_bi: Field,
    pub organization: Field,
    pub unit: Field,
    pub year: Field,
    pub status: Field,
    pub acl: Field,
    pub links: Field,
    pub path: Field,
}

/// A text field of one of the analyzer's forms, indexed with frequencies but no positions: no query reads
/// positions (words that must stand together are matched by their bigrams, `query.rs`).
fn text(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(IndexRecordOption::WithFreqs),
    )
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
        let title_fold = b.add_text_field("title_fold", text(tokenizer::FOLD));
        let symbol_fold = b.add_text_field("symbol_fold", text(tokenizer::FOLD));
        let symbol_exact = b.add_text_field("symbol_exact", text(tokenizer::EXACT));
        let all_fold = b.add_text_field("all_fold", text(tokenizer::FOLD));
        let all_exact = b.add_text_field("all_exact", text(tokenizer::EXACT));
        let all_bi = b.add_text_field("all_bi", text(tokenizer::BIGRAM));
        let organization = b.add_i64_field("organization", INDEXED | FAST | STORED);
        let unit = b.add_text_field("unit", STRING | FAST | STORED);
        let year = b.add_i64_field("year", INDEXED | FAST | STORED);
        let status = b.add_text_field("status", STRING | FAST | STORED);
        let acl = b.add_text_field("acl", STRING);
        let links = b.add_text_field("links", STRING);
        let path = b.add_text_field("path", STORED);
        let schema = b.build();
        Fields {
            schema,
            key,
            kind,
            id,
            title,
            symbol,
            body,
            title_fold,
            symbol_fold,
            symbol_exact,
            all_fold,
            all_exact,
            all_bi,
            organization,
            unit,
            year,
            status,
            acl,
            links,
            path,
        }
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
