//! `/api/v1/calls` and `/api/v1/proposals` (issue 16): the JSON API of S&T tasks.
