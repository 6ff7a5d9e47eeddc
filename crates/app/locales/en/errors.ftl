# Errors: each stable error code has a title and a .detail attribute. Field errors: field-<code>.

error-back-home = Back to the home page
error-request-id = Request id (quote it when reporting a problem):

error-not_found = Page not found
    .detail = There is no page or record at { $path }. The link may be outdated or mistyped.
error-unauthorized = Sign-in required
    .detail = You need to sign in to see this.
error-forbidden = Access denied
    .detail = Your account may not do this. Contact an administrator if you need access.
error-malformed_json = Invalid JSON
    .detail = The request body is not valid JSON: { $reason }
error-invalid_body = Request body has the wrong shape
    .detail = The JSON body does not match the expected structure: { $reason }
error-unreadable_body = Unreadable request body
    .detail = The request body could not be read: { $reason }
error-invalid_query = Invalid query parameters
    .detail = The query parameters are invalid: { $reason }
error-validation_failed = Invalid data
    .detail = Some fields are invalid. Correct the fields listed and try again.
error-method_not_allowed = Method not allowed
    .detail = { $path } does not support this method.
error-payload_too_large = Request too large
    .detail = The request body is larger than allowed.
error-unsupported_media_type = Unsupported content type
    .detail = Send the body in the content type the operation declares: application/json, or multipart/form-data for a file upload.
error-too_many_requests = Too many requests
    .detail = You have tried too many times. Try again in a few minutes.
error-service_unavailable = Temporarily unavailable
    .detail = The database is not answering at the moment. Try again in a few minutes.
error-stale_version = Changed in the meantime
    .detail = While you were working, this record was updated by someone else (or in another window). Reload to see the new version, then try again.
error-invalid_form = The form could not be read
    .detail = The submitted form is not in the expected format: { $reason }
error-internal_error = Something went wrong
    .detail = The system hit an unexpected error while handling the request. It has been logged; try again later or tell an administrator, quoting the request id.

field-invalid = Invalid value.
field-required = This field is required.
field-too_long = At most { $max } characters.
field-invalid_format = Wrong format.
error-files_unavailable = The file could not be stored
    .detail = The file store does not accept files at the moment (its disk may be full or read-only). Nothing was saved: try again later, and tell an administrator.
