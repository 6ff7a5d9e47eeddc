//! Schemas of the parameters and fields whose value is one of a fixed set of codes, built from the domain
//! type's own list so that the document and the parser cannot drift apart.

use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Object;

/// A string that is one of `codes`.
pub fn one_of<'a>(codes: impl IntoIterator<Item = &'a str>) -> Object {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(codes.into_iter().map(str::to_owned))).build()
}

/// A filter: one of `codes`, or empty for no filter (as an HTML form sends it).
pub fn filter<'a>(codes: impl IntoIterator<Item = &'a str>) -> Object {
    one_of(std::iter::once("").chain(codes))
}

