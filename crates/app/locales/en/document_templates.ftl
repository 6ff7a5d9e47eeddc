# Document templates: the administration pages, the preview, errors of templates and of document generation.

nav-admin-templates = Document templates

template-kind-report = Report
template-kind-conclusion_notice = Notice of conclusions
template-kind-minutes = Council minutes
template-kind-decision = Decision
template-kind-certificate = S&T enterprise certificate

templates-title = Document templates
templates-intro = Every kind of document has a template: fixed text plus fields filled from the record's data. Editing a template needs no reinstallation; every save makes a new version, and any version can be restored at any time.
templates-kind = Kind of document
templates-active-version = Version in use
templates-changed-by = Changed by
templates-changed-at = When
templates-version-n = Version { $version }
templates-broken = No longer valid, the default is in use
templates-default = Default template

templates-edit-title = Document template: { $kind }
templates-active = Version { $version } is in use, saved by { $by } on { $at }.
templates-active-default = The program's default template is in use.
templates-source = Template text
templates-source-hint = Write the text as in the document; put a field's name in double braces, for example {"{{"}org.name{"}}"}, to fill in the record's data. Above the "---" line are the summary and the recipients, below it the body of the document.
templates-save = Save as a new version
templates-preview-button = Preview
templates-syntax = How to write a template
templates-syntax-summary = The document's summary (one line, above the "---" line).
templates-syntax-recipient = One line of the recipients list ("Nơi nhận"); write as many as needed.
templates-syntax-separator = Separates the head (summary, recipients) from the body of the document.
templates-syntax-heading = A level 1 or level 2 heading (down to level 4); the numbers I., 1., 1.1., a) are added automatically.
templates-syntax-list = A bulleted item ("-" for the first level, "+" for the second).
templates-syntax-centered = A bold, centred line (such as "QUYẾT ĐỊNH:").
templates-syntax-bold = Bold text inside a line (such as "**Điều 1.**").
templates-syntax-field = The value of a field from the table alongside; dates are printed dd/mm/yyyy.
templates-syntax-each = Repeats the lines up to {"{{"}/each{"}}"} for each item of a list field; inside the loop use {"{{"}x.field_name{"}}"}.
templates-syntax-paragraph-label = Paragraphs
templates-syntax-paragraph = Consecutive lines join into one paragraph; a blank line ends it.
templates-fields = Fields you can use
templates-fields-hint = Only the fields below may be used in templates of this kind; a template with any other field cannot be saved.
templates-field-placeholder = How to write it
templates-field-label = Meaning
templates-field-loop-end = End of the loop
templates-field-max = ≤ { $max } characters
templates-field-kind-text = Text
templates-field-kind-date = Date
templates-field-kind-integer = Whole number
templates-field-kind-decimal = Decimal number
templates-field-kind-list = List

templates-preview = Document preview
templates-preview-hint = The document is built from the text being edited (not saved yet) with the sample data of the demo scenario; the number and signature are those of the sample document.
templates-download-docx = Download as DOCX
templates-download-pdf = Download as PDF
templates-pdf-unavailable = The server has no font to produce PDF files, so the PDF cannot be downloaded yet; the DOCX still can. The server's operator needs to install the package fonts-liberation2 (or set TIENDO_FONT_DIR). The document engine's message:
templates-preview-too-long = The sample value of the field "{ $field }" is { $len } characters long, more than the { $max } allowed.
templates-preview-failed = The preview could not be built: { $reason }

templates-versions = Versions
templates-versions-none = No version saved yet; documents use the program's default template.
templates-restore-default = Restore the default template
templates-default-confirm = Use the program's default template again for this kind of document? The saved versions are kept.
templates-version = Version
templates-version-what = Change
templates-version-actions = Actions
templates-version-active = In use
templates-version-open = Open
templates-restore = Restore
templates-restore-confirm = Use this version again? It is saved as a new version; the other versions are kept.
templates-version-default = The program's default template
templates-version-restored = Restored version { $version }
templates-version-saved = Saved new text

templates-saved = Version { $version } saved. Documents produced from now on use this template.
templates-restored = Restored; version { $version } is in use.
templates-default-restored = The default template was restored (version { $version }).
templates-unchanged = The text is identical to the template in use, so no new version was made.
templates-version-opened = The editor holds the text of version { $version }. Press "Save as a new version" to use this text again.
templates-stale = While you were editing, { $by } saved version { $version } on { $at }. Your text is kept as typed below; check it, then save again to overwrite.
templates-stale-default = While you were editing, the template was changed. Your text is kept as typed below; check it, then save again.
templates-restore-invalid = Version { $version } cannot be restored because its text is no longer valid for this version of the program: { $reason }
templates-fallback = The saved version is no longer valid for this version of the program, so documents use the default template: { $reason }

field-did-you-mean = Did you mean "{ $suggestion }"?
field-unknown_field = Line { $line } ("{ $text }"): there is no field "{ $name }" in this kind of document; use only the fields in the table "Fields you can use".
field-template_unclosed_placeholder = Line { $line } ("{ $text }"): a "{"{{"}" has no closing "{"}}"}".
field-template_misplaced_block = Line { $line } ("{ $text }"): "{"{{"}{ $name }{"}}"}" must stand alone on its line (or the braces are empty).
field-template_list_without_each = Line { $line } ("{ $text }"): "{ $name }" is a list; use "{"{{"}#each { $name } as x{"}}"}" … "{"{{"}/each{"}}"}".
field-template_each_syntax = Line { $line } ("{ $text }"): a loop is written "{"{{"}#each list_name as x{"}}"}".
field-template_not_a_list = Line { $line } ("{ $text }"): "{ $name }" is not a list and cannot be looped over.
field-template_unmatched_end_each = Line { $line }: "{"{{"}/each{"}}"}" has no matching "{"{{"}#each …{"}}"}".
field-template_unclosed_each = Line { $line } ("{ $text }"): the loop is never closed with "{"{{"}/each{"}}"}".
field-template_setting_syntax = Line { $line } ("{ $text }"): above the "---" line, write only "summary: …" (the summary) and "recipient: …" (a recipient) lines.
field-template_unknown_setting = Line { $line }: "{ $name }" is not a valid setting; above the "---" line only "summary" and "recipient" are used.
field-document_value_too_long = The field "{ $field }" is { $len } characters long; this kind of document allows at most { $max }.

error-unknown_document_kind = No such kind of document
    .detail = There is no kind of document "{ $value }". The kinds are: report, conclusion_notice, minutes, decision, certificate.
error-stale_template = The template has changed
    .detail = While you were editing, the template was saved as a new version. Fetch the current template and send again (base_version is the number of the version in use).
error-pdf_font_missing = No font installed for PDF
    .detail = The server has no Liberation Serif (or Tinos) font to produce PDF files; DOCX files can still be produced. The operator needs to install the Debian package fonts-liberation2 or set TIENDO_FONT_DIR. Details: { $reason }
error-pdf_font_unusable = The PDF font cannot be used
    .detail = The font file on the server cannot be used to produce PDF (it lacks Vietnamese letters or is damaged); DOCX files can still be produced. Details: { $reason }
error-document_content = The document could not be produced
    .detail = Part of the document's content could not be produced: { $reason }

# Audit trail summaries of document templates.
audit-template-saved = Template of { $kind } saved as version { $version }
audit-template-restored = Template of { $kind } version { $from } restored as version { $version }
audit-template-default-restored = Default template of { $kind } restored (version { $version })
