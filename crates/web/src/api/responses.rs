//! The problem responses an operation can give because of its shape and its policy, declared here once
//! for the whole document instead of by each handler: a body that is not JSON (415), too large (413) or
//! of the wrong shape (400); query parameters that do not parse (400); an id that names nothing (404); no
//! or bad credentials (401); a role the caller lacks (403); the database unavailable (503). A handler
//! declares what is particular to it (its 403 for a record, its 409 and 422 with their codes); a
//! response it declares keeps its description.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{Components, Content, OpenApi, Ref, RefOr, Response, ResponseBuilder};

use super::POLICIES;
use crate::auth::policy::Policy;

/// Operations that answer without the database (so never 503).
const WITHOUT_DATABASE: &[&str] = &["get_status"];

/// A shared response: its status, component name, and description.
struct Shared {
    status: &'static str,
    name: &'static str,
    description: &'static str,
    retry_after: bool,
}

const BAD_REQUEST: Shared = Shared {
    status: "400",
    name: "BadRequest",
    description: "The request does not parse: `malformed_json`, `invalid_body` (the field is named), `invalid_query` (the parameter is named), `unreadable_body`",
    retry_after: false,
};
const UNAUTHORIZED: Shared = Shared {
    status: "401",
    name: "Unauthorized",
    description: "`unauthorized`: no credentials, or a token that is unknown, revoked or expired",
    retry_after: false,
};
const FORBIDDEN: Shared = Shared {
    status: "403",
    name: "Forbidden",
    description: "`forbidden`: the caller holds none of the roles this operation needs",
    retry_after: false,
};
const NOT_FOUND: Shared = Shared {
    status: "404",
    name: "NotFound",
    description: "`not_found`: nothing at this address, or nothing the caller may see (an id that does not parse too)",
    retry_after: false,
};
const PAYLOAD_TOO_LARGE: Shared = Shared {
    status: "413",
    name: "PayloadTooLarge",
    description: "`payload_too_large`: the body is over the limit",
    retry_after: false,
};
const UNSUPPORTED_MEDIA_TYPE: Shared = Shared {
    status: "415",
    name: "UnsupportedMediaType",
    description: "`unsupported_media_type`: the body is not of the declared content type",
    retry_after: false,
};
const UNAVAILABLE: Shared = Shared {
    status: "503",
    name: "ServiceUnavailable",
    description: "`service_unavailable`: the database does not answer; retry after `Retry-After` seconds",
    retry_after: true,
};

const ALL: &[Shared] =
    &[BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, UNAVAILABLE];

fn problem_response(shared: &Shared) -> Response {
    let mut builder = ResponseBuilder::new()
        .description(shared.description)
        .content("application/problem+json", Content::new(Some(Ref::from_schema_name("Problem"))));
    if shared.retry_after {
        let seconds = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(0));
        builder = builder.header(
            "Retry-After",
            HeaderBuilder::new().schema(Some(seconds)).description(Some("Seconds to wait before retrying")).build(),
        );
    }
    builder.build()
}

/// Adds the shared responses to the components and to every operation that can give them; every
/// operation that is not public also declares the bearer token.
pub fn declare(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Components::new);
    for shared in ALL {
        components.responses.insert(shared.name.to_owned(), RefOr::T(problem_response(shared)));
    }
    for item in doc.paths.paths.values_mut() {
        for op in
            [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten()
        {
            declare_operation(op);
        }
    }
}

fn declare_operation(op: &mut Operation) {
    let id = op.operation_id.clone().unwrap_or_default();
    let policy = POLICIES.iter().find(|(name, _)| *name == id).map(|(_, policy)| *policy);
    let params_in = |location: ParameterIn| {
        op.parameters.iter().flatten().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == location))
    };
    let (has_query, has_path) = (params_in(ParameterIn::Query), params_in(ParameterIn::Path));
    let has_body = op.request_body.is_some();

    let mut add = Vec::new();
    if has_body || has_query {
        add.push(&BAD_REQUEST);
    }
    if !matches!(policy, Some(Policy::Public)) {
        add.push(&UNAUTHORIZED);
        if op.security.as_ref().is_none_or(Vec::is_empty) {
            op.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
        }
    }
    if matches!(policy, Some(Policy::AnyRole(_))) {
        add.push(&FORBIDDEN);
    }
    if has_path {
        add.push(&NOT_FOUND);
    }
    if has_body {
        add.push(&PAYLOAD_TOO_LARGE);
        add.push(&UNSUPPORTED_MEDIA_TYPE);
    }
    if !WITHOUT_DATABASE.contains(&id.as_str()) {
        add.push(&UNAVAILABLE);
    }
    for shared in add {
        op.responses
            .responses
            .entry(shared.status.to_owned())
            .or_insert_with(|| RefOr::Ref(Ref::from_response_name(shared.name)));
    }
}
