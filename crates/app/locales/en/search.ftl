# Search (issue 15): the search page, the search box in the header, the portal's public search, the API.

nav-search = Search
search-title = Search
search-label = Search the system
search-header-label = Search
search-placeholder = For example: quang yen, KH&CN, 07-NQ/TU
search-submit = Search
search-hint = Type with or without Vietnamese diacritics; abbreviations (UBND, KH&CN, TX, TP), document symbols and one typo in a long word are understood. Put a phrase in double quotes to find it exactly.
search-public-note = Searches news and public content. Sign in to search the documents, plans, tasks, reports and visits you may see.
search-empty = Type at least one word to search for.
search-no-hits = Nothing found.
search-hits = { $count ->
    [one] { $count } result
   *[other] { $count } results
}
search-page-past-end = This page has no results: the list is shorter. Go back to the first page.
search-did-you-mean = Did you mean
search-facets = Narrow the results
search-facet-kind = Type
search-facet-organization = Organisation
search-facet-unit = Locality
search-facet-year = Year
search-facet-status = Status
search-pages = Pages of results
search-previous = Previous page
search-next = Next page
search-page-of = Page { $page } of { $pages }

search-kind-legal_document = Document
search-kind-plan = Plan
search-kind-task = Task
search-kind-assignment = Assignment
search-kind-progress_update = Progress update
search-kind-report = Periodic report
search-kind-visit = Working visit
search-kind-conclusion = Conclusion
search-kind-directive = Directive
search-kind-article = News article
search-kind-organization = Organisation
search-kind-person = Person
search-kind-sci_tech_task = Science and technology task
search-kind-enterprise = Science and technology enterprise
search-kind-admin_unit = Administrative unit

search-status-draft = Draft
search-status-submitted = Submitted
search-status-accepted = Accepted
search-status-returned = Returned
search-status-approved = Approved
search-status-cancelled = Cancelled
search-status-completed = Completed
search-status-in_progress = In progress
search-status-not_started = Not reported yet
search-status-in_review = In review
search-status-scheduled = Scheduled
search-status-published = Published
search-status-unpublished = Unpublished
search-status-active = Active
search-status-ended = Dissolved or merged

field-search_empty = Type at least one word to search for, or choose a filter.
error-search_rebuilding = The search index is being rebuilt
    .detail = The search index is being rebuilt from the database; search will work again in a few minutes. Everything else works as usual.
error-search_unavailable = Search is not available
    .detail = This server has no search index. Everything else works as usual; please tell the administrator.
error-search_index_locked = The search index is in use
    .detail = Another process (a running server) writes this search index. The server keeps the index up to date and rebuilds it itself when it is missing; stop the server before rebuilding it from the command line.
