//! Schemas of the parameters and fields whose value is one of a fixed set of codes, built from the domain
//! type's own list so that the document and the parser cannot drift apart. (A `schema_with` schema
//! replaces the field's doc comment, so each carries its description.)

use utoipa::openapi::Object;
use utoipa::openapi::schema::{ObjectBuilder, Type};

/// A string that is one of `codes`.
pub fn one_of<'a>(description: &str, codes: impl IntoIterator<Item = &'a str>) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(codes.into_iter().map(str::to_owned)))
        .build()
}

/// A string that is one of `codes`, or `null` (a field that may be absent of meaning: no status, no
/// reason).
pub fn nullable_one_of<'a>(description: &str, codes: impl IntoIterator<Item = &'a str>) -> Object {
    use utoipa::openapi::schema::SchemaType;
    let values = codes.into_iter().map(|c| serde_json::Value::String(c.to_owned())).chain([serde_json::Value::Null]);
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .description(Some(description))
        .enum_values(Some(values))
        .build()
}

/// A filter: one of `codes`, or empty for no filter (as an HTML form sends it).
pub fn filter<'a>(description: &str, codes: impl IntoIterator<Item = &'a str>) -> Object {
    one_of(description, std::iter::once("").chain(codes))
}

/// The `format` of an official document download: `docx` (the default) or `pdf`.
pub fn document_format() -> Object {
    use crate::documents::Format;
    one_of("`docx` (default) or `pdf`.", [Format::Docx, Format::Pdf].map(Format::extension))
}
