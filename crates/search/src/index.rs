//! The index's life: open or create it in its directory, write to it, reload readers on commit, and say
//! when it is missing, outdated or damaged so that the server can rebuild it (answering 503 meanwhile).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

use crate::doc::{DocKind, SearchDoc, key};
use crate::error::SearchError;
use crate::facets::ColumnCache;
use crate::filter::FilterCache;
use crate::schema::{Fields, SCHEMA_VERSION};
use crate::tokenizer;

/// The file, next to tantivy's, that records the version of the schema and the analyzer.
pub const VERSION_FILE: &str = "tiendo-search-version";

/// The memory the writer may use before it flushes a segment, per the whole writer.
pub const DEFAULT_WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// The search index: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct SearchIndex {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub path: Option<PathBuf>,
    /// Fast-field columns per segment, for facets.
    pub columns: ColumnCache,
    /// The access filters per segment.
    pub filters: Arc<FilterCache>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("path", &self.inner.path).finish_non_exhaustive()
    }
}

/// How [`SearchIndex::open_or_create`] found the directory.
#[derive(Debug)]
pub enum Opened {
    /// An index of this version was there.
    Existing,
    /// A new, empty index was created: fill it (`tiendo search reindex`). `reason` says why (missing,
    /// outdated, damaged).
    Created {
        /// What was wrong with what was there.
        reason: SearchError,
    },
}

fn reader_of(index: &Index) -> Result<IndexReader, SearchError> {
    Ok(index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?)
}

impl SearchIndex {
    fn from_index(mut index: Index, path: Option<PathBuf>) -> Result<SearchIndex, SearchError> {
        tokenizer::register(&index);
        // Segments are searched in parallel, up to the cores available (at most four).
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        if threads > 1 {
            index.set_multithread_executor(threads)?;
        }
        let reader = reader_of(&index)?;
        Ok(SearchIndex {
            inner: Arc::new(Inner {
                index,
                reader,
                fields: Fields::new(),
                path,
                columns: ColumnCache::default(),
                filters: Arc::default(),
            }),
        })
    }

    /// Opens the index in `dir`. [`SearchError::Missing`], [`SearchError::Outdated`] and
    /// [`SearchError::Corrupt`] mean: rebuild it ([`SearchError::needs_rebuild`]).
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        if !dir.join("meta.json").exists() {
            return Err(SearchError::Missing(dir.to_owned()));
        }
        let found = std::fs::read_to_string(dir.join(VERSION_FILE)).ok().map(|s| s.trim().to_owned());
        if found.as_deref() != Some(SCHEMA_VERSION.to_string().as_str()) {
            return Err(SearchError::Outdated { path: dir.to_owned(), found, expected: SCHEMA_VERSION });
        }
        let index = Index::open_in_dir(dir).map_err(|e| match SearchError::from(e) {
            SearchError::Index(message) => SearchError::Corrupt(message),
            other => other,
        })?;
        if !Fields::new().matches(&index.schema()) {
            return Err(SearchError::Outdated {
                path: dir.to_owned(),
                found: Some(format!("{SCHEMA_VERSION} with another schema")),
                expected: SCHEMA_VERSION,
            });
        }
        SearchIndex::from_index(index, Some(dir.to_owned()))
    }

    /// Creates an empty index in `dir`, replacing the index there if any. `dir` must be empty, missing,
    /// or hold an index: nothing else is deleted.
    pub fn create(dir: &Path) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir).map_err(|e| SearchError::Index(format!("create {}: {e}", dir.display())))?;
        let entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| SearchError::Index(format!("read {}: {e}", dir.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        let holds_index = dir.join("meta.json").exists() || dir.join(VERSION_FILE).exists();
        if !entries.is_empty() && !holds_index {
            return Err(SearchError::Index(format!(
                "{} is not empty and holds no search index; refusing to delete its files",
                dir.display()
            )));
        }
        for entry in entries {
            let removed = if entry.is_dir() { std::fs::remove_dir_all(&entry) } else { std::fs::remove_file(&entry) };
            removed.map_err(|e| SearchError::Index(format!("remove {}: {e}", entry.display())))?;
        }
        let directory = MmapDirectory::open(dir).map_err(|e| SearchError::Index(e.to_string()))?;
        let index = Index::create(directory, Fields::new().schema, tantivy::IndexSettings::default())?;
        std::fs::write(dir.join(VERSION_FILE), format!("{SCHEMA_VERSION}\n"))
            .map_err(|e| SearchError::Index(format!("write the version file: {e}")))?;
        SearchIndex::from_index(index, Some(dir.to_owned()))
    }

    /// Opens the index in `dir`, or creates an empty one when it is missing, outdated or damaged (then
    /// the caller rebuilds it and says so on `/readyz`). Other errors (a lock, a disk problem) pass.
    pub fn open_or_create(dir: &Path) -> Result<(SearchIndex, Opened), SearchError> {
        match SearchIndex::open(dir) {
            Ok(index) => Ok((index, Opened::Existing)),
            Err(reason) if reason.needs_rebuild() => Ok((SearchIndex::create(dir)?, Opened::Created { reason })),
            Err(other) => Err(other),
        }
    }

    /// An index in memory (tests, benchmarks).
    pub fn in_memory() -> SearchIndex {
        let index = Index::create_in_ram(Fields::new().schema);
        SearchIndex::from_index(index, None).expect("a reader over an index in memory")
    }

    /// The directory, for an index on disk.
    pub fn path(&self) -> Option<&Path> {
        self.inner.path.as_deref()
    }

    /// The number of segments searched (each adds a little to every query; merges reduce them).
    pub fn segment_count(&self) -> usize {
        self.inner.reader.searcher().segment_readers().len()
    }

    /// The number of documents searchable now.
    pub fn num_docs(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// The note stored with the last commit ([`Writer::commit_with`]), if any.
    pub fn payload(&self) -> Result<Option<String>, SearchError> {
        Ok(self.inner.index.load_metas()?.payload)
    }

    /// The documents that name `link` among their [`SearchDoc::links`] (at most `limit`), as (kind, id).
    pub fn linked(&self, link: &str, limit: usize) -> Result<Vec<(DocKind, i64)>, SearchError> {
        self.matching(Term::from_field_text(self.inner.fields.links, link), limit)
    }

    /// The documents of an organisation (its `organizations` field), as (kind, id), at most `limit`.
    pub fn of_organization(&self, organization: i64, limit: usize) -> Result<Vec<(DocKind, i64)>, SearchError> {
        self.matching(Term::from_field_i64(self.inner.fields.organization, organization), limit)
    }

    /// The documents concerning a unit (its `units` field), as (kind, id), at most `limit`.
    pub fn of_unit(&self, unit: &str, limit: usize) -> Result<Vec<(DocKind, i64)>, SearchError> {
        self.matching(Term::from_field_text(self.inner.fields.unit, unit), limit)
    }

    fn matching(&self, term: Term, limit: usize) -> Result<Vec<(DocKind, i64)>, SearchError> {
        use tantivy::schema::Value;
        let searcher = self.inner.reader.searcher();
        let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
        // Every match, in a set as large as the matches (a top-n collector would reserve `limit`).
        let mut found: Vec<tantivy::DocAddress> = searcher
            .search(&query, &tantivy::collector::DocSetCollector)
            .map_err(crate::error::reading)?
            .into_iter()
            .collect();
        found.sort_unstable();
        found.truncate(limit);
        let fields = &self.inner.fields;
        let mut out = Vec::with_capacity(found.len());
        for address in found {
            let doc: TantivyDocument = searcher.doc(address).map_err(crate::error::reading)?;
            let kind = doc.get_first(fields.kind).and_then(|v| v.as_str()).and_then(DocKind::from_code);
            let id = doc.get_first(fields.id).and_then(|v| v.as_i64());
            if let (Some(kind), Some(id)) = (kind, id) {
                out.push((kind, id));
            }
        }
        Ok(out)
    }

    /// Makes the last commit searchable (done by [`Writer::commit`]; needed only when another process
    /// wrote).
    pub fn reload(&self) -> Result<(), SearchError> {
        Ok(self.inner.reader.reload()?)
    }

    /// Checks every file of the index against its checksum (reads the whole index): after a crash, or to
    /// diagnose a 503.
    pub fn verify(&self) -> Result<(), SearchError> {
        let damaged = self.inner.index.validate_checksum()?;
        if damaged.is_empty() {
            Ok(())
        } else {
            let mut names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
            names.sort();
            Err(SearchError::Corrupt(format!("damaged files: {}", names.join(", "))))
        }
    }

    /// The one writer of this index (tantivy locks the directory: a second one is [`SearchError::Locked`]).
    /// `threads` indexing threads share `memory` bytes.
    pub fn writer(&self, threads: usize, memory: usize) -> Result<Writer, SearchError> {
        let threads = threads.max(1);
        let memory = memory.max(threads * 16 * 1024 * 1024);
        let writer = self.inner.index.writer_with_num_threads(threads, memory)?;
        Ok(Writer { writer, index: self.clone() })
    }
}

/// Adds, replaces and deletes documents; nothing is searchable before [`Writer::commit`].
pub struct Writer {
    writer: tantivy::IndexWriter<TantivyDocument>,
    index: SearchIndex,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").field("index", &self.index).finish_non_exhaustive()
    }
}

impl Writer {
    /// Adds a document, replacing the one with the same kind and id.
    pub fn upsert(&self, doc: &SearchDoc) -> Result<(), SearchError> {
        let fields = &self.index.inner.fields;
        self.writer.delete_term(Term::from_field_text(fields.key, &doc.key()));
        self.writer.add_document(to_document(fields, doc))?;
        Ok(())
    }

    /// Adds a document known to be new (a rebuild into an empty index): no delete first.
    pub fn add(&self, doc: &SearchDoc) -> Result<(), SearchError> {
        self.writer.add_document(to_document(&self.index.inner.fields, doc))?;
        Ok(())
    }

    /// Deletes a record's document, if indexed.
    pub fn delete(&self, kind: DocKind, id: i64) {
        self.writer.delete_term(Term::from_field_text(self.index.inner.fields.key, &key(kind, id)));
    }

    /// Deletes every document (before a rebuild in place).
    pub fn delete_all(&self) -> Result<(), SearchError> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Makes the changes durable and searchable.
    pub fn commit(&mut self) -> Result<(), SearchError> {
        self.writer.commit()?;
        self.index.reload()
    }

    /// Makes the changes durable and searchable, with a note stored atomically with them (the position
    /// in the stream of changes the index follows): read it back with [`SearchIndex::payload`].
    pub fn commit_with(&mut self, payload: &str) -> Result<(), SearchError> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(payload);
        prepared.commit()?;
        self.index.reload()
    }

    /// Forgets the changes since the last commit.
    pub fn rollback(&mut self) -> Result<(), SearchError> {
        self.writer.rollback()?;
        Ok(())
    }

    /// Waits for background merges to finish (at the end of a rebuild, before exiting).
    pub fn finish(self) -> Result<(), SearchError> {
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}

fn to_document(fields: &Fields, doc: &SearchDoc) -> TantivyDocument {
    let mut d = TantivyDocument::new();
    d.add_text(fields.key, doc.key());
    d.add_text(fields.kind, doc.kind.code());
    d.add_i64(fields.id, doc.id);
    d.add_text(fields.title, &doc.title);
    if let Some(symbol) = &doc.symbol {
        d.add_text(fields.symbol, symbol);
    }
    if !doc.body.is_empty() {
        d.add_text(fields.body, &doc.body);
    }
    let mut add_all = |value: &str| {
        d.add_text(fields.all_fold, value);
        d.add_text(fields.all_exact, value);
        d.add_text(fields.all_bi, value);
    };
    add_all(&doc.title);
    if let Some(s) = &doc.symbol {
        add_all(s);
    }
    for place in &doc.places {
        add_all(place);
    }
    if !doc.body.is_empty() {
        add_all(&doc.body);
    }
    d.add_text(fields.title_fold, &doc.title);
    if let Some(s) = &doc.symbol {
        d.add_text(fields.symbol_fold, s);
        d.add_text(fields.symbol_exact, s);
    }
    for org in &doc.organizations {
        d.add_i64(fields.organization, *org);
    }
    for unit in &doc.units {
        d.add_text(fields.unit, unit.as_str());
    }
    if let Some(year) = doc.year {
        d.add_i64(fields.year, i64::from(year));
    }
    if let Some(status) = &doc.status {
        d.add_text(fields.status, status);
    }
    for term in doc.visibility.terms() {
        d.add_text(fields.acl, term);
    }
    for link in &doc.links {
        d.add_text(fields.links, link);
    }
    if !doc.path.is_empty() {
        d.add_text(fields.path, &doc.path);
    }
    d
}
