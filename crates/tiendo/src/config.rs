//! Configuration: one typed struct, loaded once, from four layers in increasing precedence:
//! built-in defaults, the `tiendo.toml` file, `TIENDO_*` environment variables, command-line flags.
//! `tiendo config` shows each value and the layer it came from, with secrets masked.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::value::{Dict, Map};
use figment::{Figment, Metadata, Profile, Provider};
use serde::{Deserialize, Serialize};

/// The log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines (the default).
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The effective configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address and port to listen on.
    pub listen: String,
    /// Directory for the SQLite database, uploaded files and the search index.
    pub data_dir: PathBuf,
    /// `sqlite://<file>` or `postgres://…`; by default the SQLite file `<data_dir>/tiendo.db`.
    pub database_url: Option<String>,
    /// A read replica of the PostgreSQL database (`postgres://…`), for dashboards and lists; unset: the
    /// primary serves every read.
    pub database_replica_url: Option<String>,
    /// How many seconds the replica may lag behind the primary: a client that wrote reads the primary for
    /// that long.
    pub database_replica_max_lag_seconds: u64,
    /// `text` or `json`.
    pub log_format: LogFormat,
    /// A tracing filter (`info`, `tiendo=debug,info`).
    pub log_level: String,
    /// The operating organisation, in Vietnamese.
    pub organization_vi: String,
    /// The operating organisation, in English.
    pub organization_en: String,
    /// The public URL of the site, if any (`https://…` turns on secure cookies and HSTS).
    pub public_url: Option<String>,
    /// Bearer token required by `/metrics`; unset leaves it open.
    pub metrics_token: Option<String>,
    /// Number of background job workers.
    pub job_workers: usize,
    /// Minutes without a request after which a session ends.
    pub session_idle_minutes: u64,
    /// Hours after sign-in after which a session ends whatever the activity.
    pub session_absolute_hours: u64,
    /// Behind a reverse proxy: take the client address from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// The SMTP server for outgoing e-mail (`smtps://user:pass@host:465`,
    /// `smtp://user:pass@host:587?tls=required`); unset means no e-mail.
    pub smtp_url: Option<String>,
    /// The sender of outgoing e-mail.
    pub mail_from: String,
    /// Days before a deadline on which the responsible unit is first reminded (0: on the day only; at
    /// most 365).
    pub reminder_days_before: u32,
    /// Days past its deadline after which an open directive of a working visit is flagged to the leaders
    /// of the assigning side (0: the day after the deadline; at most 365).
    pub directive_escalation_days: u32,
    /// The province (two-digit code, "22" for Quảng Ninh) assumed when an address names none; empty for
    /// none. The environment's `TIENDO_DEFAULT_PROVINCE=01` reaches here as the number 1, so numbers are
    /// read back as two-digit codes.
    #[serde(deserialize_with = "province_code_text")]
    pub default_province: String,
    /// The file holding the secret that keys the audit chain (64 hex digits); by default
    /// `<data_dir>/audit.key`, created on the first start. Servers sharing a PostgreSQL database share it.
    pub audit_key_file: Option<PathBuf>,
    /// The file the head of the audit chain is appended to, periodically and on shutdown; by default
    /// `<data_dir>/audit-anchors.log`. Keep it (or the syslog copy) where the database's writers cannot.
    pub audit_anchor_file: Option<PathBuf>,
    /// A syslog server (`host:514`, UDP) that receives a copy of every anchor; unset sends none.
    pub audit_anchor_syslog: Option<String>,
    /// The S3-compatible bucket the uploaded files are kept in; unset keeps them under
    /// `<data_dir>/files`. `tiendo files migrate` copies the local files into the bucket.
    pub files_bucket: Option<String>,
    /// The folder in the bucket the files go under; empty for the bucket's root.
    pub files_prefix: String,
    /// The object store's address (`https://s3.example.vn`); unset for Amazon S3.
    pub files_endpoint: Option<String>,
    /// The bucket's region.
    pub files_region: String,
    /// The access key's id; unset to read `AWS_ACCESS_KEY_ID`.
    pub files_access_key_id: Option<String>,
    /// The secret access key (masked by `tiendo config`); unset to read `AWS_SECRET_ACCESS_KEY`.
    pub files_secret_access_key: Option<String>,
    /// Allow a plain `http://` endpoint (an object store on the same private network only).
    pub files_allow_http: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".to_owned(),
            data_dir: PathBuf::from("./tiendo-data"),
            database_url: None,
            database_replica_url: None,
            database_replica_max_lag_seconds: 10,
            log_format: LogFormat::Text,
            log_level: "info".to_owned(),
            organization_vi: "Sở Khoa học và Công nghệ tỉnh Quảng Ninh".to_owned(),
            organization_en: "Quang Ninh Department of Science and Technology".to_owned(),
            public_url: None,
            metrics_token: None,
            job_workers: 2,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            trust_proxy: false,
            smtp_url: None,
            mail_from: "Tiến Độ <noreply@localhost>".to_owned(),
            reminder_days_before: 7,
            directive_escalation_days: 7,
            default_province: "22".to_owned(),
            audit_key_file: None,
            audit_anchor_file: None,
            audit_anchor_syslog: None,
            files_bucket: None,
            files_prefix: "tiendo".to_owned(),
            files_endpoint: None,
            files_region: "us-east-1".to_owned(),
            files_access_key_id: None,
            files_secret_access_key: None,
            files_allow_http: false,
        }
    }
}

/// A province code given as text or as a number (the environment's values are parsed, "01" becomes 1).
fn province_code_text<'de, D: serde::Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum TextOrNumber {
        Text(String),
        Number(u64),
    }
    Ok(match TextOrNumber::deserialize(de)? {
        TextOrNumber::Text(t) => t,
        TextOrNumber::Number(n) => format!("{n:02}"),
    })
}

/// Values given on the command line; `None` means "not given", so lower layers show through.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Overrides {
    /// `--listen`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    /// `--data-dir`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    /// `--database-url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    /// `--log-format`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_format: Option<LogFormat>,
}

/// A provider with a readable name for `tiendo config`.
struct Named<P> {
    name: &'static str,
    file: Option<PathBuf>,
    inner: P,
}

impl<P> Named<P> {
    fn new(name: &'static str, inner: P) -> Named<P> {
        Named { name, file: None, inner }
    }
}

impl<P: Provider> Provider for Named<P> {
    fn metadata(&self) -> Metadata {
        match &self.file {
            Some(path) => Metadata::from(self.name, path.as_path()),
            None => Metadata::named(self.name),
        }
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        self.inner.data()
    }
}

/// The environment variables read, each `TIENDO_` + the key in capitals.
pub const KEYS: &[&str] = &[
    "listen",
    "data_dir",
    "database_url",
    "database_replica_url",
    "database_replica_max_lag_seconds",
    "log_format",
    "log_level",
    "organization_vi",
    "organization_en",
    "public_url",
    "metrics_token",
    "job_workers",
    "session_idle_minutes",
    "session_absolute_hours",
    "trust_proxy",
    "smtp_url",
    "mail_from",
    "reminder_days_before",
    "directive_escalation_days",
    "default_province",
    "audit_key_file",
    "audit_anchor_file",
    "audit_anchor_syslog",
    "files_bucket",
    "files_prefix",
    "files_endpoint",
    "files_region",
    "files_access_key_id",
    "files_secret_access_key",
    "files_allow_http",
];

/// Keys whose values are secrets, masked when printed.
const SECRET_KEYS: &[&str] = &["metrics_token", "files_secret_access_key"];

/// Configuration loading failed; the message names the file or variable and the way out.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file named by `--config` or `TIENDO_CONFIG` does not exist.
    #[error("the configuration file {0} does not exist; create it or drop --config / TIENDO_CONFIG")]
    MissingFile(PathBuf),
    /// A layer has a bad value or syntax.
    #[error("invalid configuration: {0}; fix the value or remove it to use the default")]
    Invalid(String),
    /// The reminder notice is longer than a year.
    #[error("invalid reminder_days_before {0}: use a number of days from 0 to 365")]
    ReminderDays(u32),
    /// The escalation delay is longer than a year.
    #[error("invalid directive_escalation_days {0}: use a number of days from 0 to 365")]
    EscalationDays(u32),
    /// The default province is not a province code.
    #[error(
        "invalid default_province {0:?}: use a province's two-digit code, for example \"22\" for Quảng Ninh, or \"\" for none"
    )]
    DefaultProvince(String),
    /// The listen address does not parse.
    #[error("invalid listen address {0:?}: use host:port, for example 127.0.0.1:8080 or 0.0.0.0:8080")]
    Listen(String),
}

/// The loaded configuration and the layered sources it came from.
pub struct Loaded {
    /// The effective values.
    pub config: Config,
    figment: Figment,
    /// The configuration file that was read, if any.
    pub file: Option<PathBuf>,
}

/// Loads the configuration. `explicit_file` comes from `--config` or `TIENDO_CONFIG`; otherwise
/// `./tiendo.toml` is read when it exists.
pub fn load(explicit_file: Option<&Path>, overrides: &Overrides, defaults: Config) -> Result<Loaded, ConfigError> {
    let file = match explicit_file {
        Some(path) if !path.exists() => return Err(ConfigError::MissingFile(path.to_owned())),
        Some(path) => Some(path.to_owned()),
        None => Some(PathBuf::from("tiendo.toml")).filter(|p| p.exists()),
    };
    let mut figment = Figment::new().merge(Named::new("default", Serialized::defaults(defaults)));
    if let Some(path) = &file {
        // Check the syntax first, so that the message names the file and the line.
        Figment::from(Toml::file_exact(path)).extract::<Dict>().map_err(|e| {
            let first_line = e.to_string().lines().next().unwrap_or_default().to_owned();
            ConfigError::Invalid(format!("{} is not valid TOML ({first_line})", path.display()))
        })?;
        figment = figment.merge(Named {
            name: "configuration file",
            file: Some(path.clone()),
            inner: Toml::file_exact(path),
        });
    }
    figment = figment
        .merge(Named::new("environment", Env::prefixed("TIENDO_").only(KEYS)))
        .merge(Named::new("command line", Serialized::defaults(overrides.clone())));
    let config: Config = figment.extract().map_err(|e| ConfigError::Invalid(describe(&e)))?;
    config.listen.parse::<SocketAddr>().map_err(|_| ConfigError::Listen(config.listen.clone()))?;
    if config.reminder_days_before > 365 {
        return Err(ConfigError::ReminderDays(config.reminder_days_before));
    }
    if config.directive_escalation_days > 365 {
        return Err(ConfigError::EscalationDays(config.directive_escalation_days));
    }
    if !config.default_province.is_empty() && config.province_code().is_none() {
        return Err(ConfigError::DefaultProvince(config.default_province.clone()));
    }
    Ok(Loaded { config, figment, file })
}

fn describe(error: &figment::Error) -> String {
    let mut text = error.to_string();
    if let Some(md) = &error.metadata {
        let source = md.source.as_ref().map(|s| format!(" ({s})")).unwrap_or_default();
        text = format!("{text} in {}{source}", md.name);
    }
    text
}

impl Config {
    /// The database URL: the configured one, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| tiendo_db::DbUrl::sqlite_file(&self.data_dir.join("tiendo.db")))
    }

    /// The file of the audit key.
    pub fn audit_key_path(&self) -> PathBuf {
        self.audit_key_file.clone().unwrap_or_else(|| self.data_dir.join("audit.key"))
    }

    /// The file of the audit chain's anchors.
    pub fn audit_anchor_path(&self) -> PathBuf {
        self.audit_anchor_file.clone().unwrap_or_else(|| self.data_dir.join("audit-anchors.log"))
    }

    /// The listen address (validated at load time).
    pub fn listen_addr(&self) -> SocketAddr {
        self.listen.parse().expect("validated when the configuration was loaded")
    }

    /// The default province as a code (validated at load time); `None` when unset.
    pub fn province_code(&self) -> Option<tiendo_core::geo::AdminUnitCode> {
        tiendo_core::geo::AdminUnitCode::parse(&self.default_province)
            .ok()
            .filter(|c| c.level() == tiendo_core::geo::UnitLevel::Province)
    }

    /// The local directory of the uploaded files (where they are unless a bucket is configured, and what
    /// `tiendo files migrate` copies from).
    pub fn local_files(&self) -> tiendo_db::files::FileStore {
        tiendo_db::files::FileStore::new(self.data_dir.join("files"))
    }

    /// The bucket of the configuration, if one is named.
    pub fn bucket(&self) -> Option<tiendo_db::files::BucketConfig> {
        let bucket = self.files_bucket.as_deref().map(str::trim).filter(|b| !b.is_empty())?;
        Some(tiendo_db::files::BucketConfig {
            bucket: bucket.to_owned(),
            prefix: self.files_prefix.clone(),
            endpoint: self.files_endpoint.clone().unwrap_or_default(),
            region: self.files_region.clone(),
            access_key_id: self.files_access_key_id.clone().unwrap_or_default(),
            secret_access_key: self.files_secret_access_key.clone().unwrap_or_default(),
            allow_http: self.files_allow_http,
        })
    }

    /// Where the uploaded files are kept: the configured bucket, else `<data_dir>/files`.
    pub fn file_store(&self) -> anyhow::Result<tiendo_db::files::FileStore> {
        match self.bucket() {
            Some(bucket) => tiendo_db::files::FileStore::bucket(&bucket)
                .map_err(|e| anyhow::anyhow!("{e}; check the files_* settings (`tiendo config`)")),
            None => Ok(self.local_files()),
        }
    }

    /// The settings of the application (and of its web edge).
    pub fn site_settings(&self) -> tiendo_app::Settings {
        tiendo_app::Settings {
            organization_vi: self.organization_vi.clone(),
            organization_en: self.organization_en.clone(),
            public_url: self.public_url.clone(),
            metrics_token: self.metrics_token.clone(),
            session_idle: std::time::Duration::from_secs(self.session_idle_minutes.max(1) * 60),
            session_absolute: std::time::Duration::from_secs(self.session_absolute_hours.max(1) * 3600),
            trust_proxy: self.trust_proxy,
            mail_enabled: self.smtp_url.is_some(),
            default_province: self.province_code(),
            // TIENDO_FONT_DIR is read by the export engine itself (it also serves `tiendo export`).
            pdf_fonts: tiendo_app::PdfFonts::System,
            audit_anchor_file: Some(self.audit_anchor_path()),
            ..tiendo_app::Settings::default()
        }
    }
}

/// Replaces the password of a URL with `****`.
pub fn mask_url_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match authority.rfind('@') {
        Some(at) => match authority[..at].split_once(':') {
            Some((user, _)) => {
                format!("{}://{user}:****@{}{}", &url[..scheme_end], &authority[at + 1..], &rest[authority_end..])
            }
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

impl Loaded {
    /// One line per key: `key = value  (source)`, with secrets masked.
    pub fn describe(&self) -> Vec<(String, String, String)> {
        let value = serde_json::to_value(&self.config).unwrap_or_default();
        KEYS.iter()
            .map(|key| {
                let raw = &value[*key];
                let shown = match raw {
                    serde_json::Value::Null => "(unset)".to_owned(),
                    serde_json::Value::String(s) if SECRET_KEYS.contains(key) && !s.is_empty() => "****".to_owned(),
                    serde_json::Value::String(s)
                        if *key == "database_url" || *key == "database_replica_url" || *key == "smtp_url" =>
                    {
                        mask_url_password(s)
                    }
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let source = if raw.is_null() && *key == "database_url" {
                    "derived from data_dir".to_owned()
                } else {
                    self.figment
                        .find_metadata(key)
                        .map(|md| match (&md.source, md.name.as_ref()) {
                            (Some(src), _) => format!("{} ({src})", md.name),
                            (None, "environment") => {
                                format!("environment (TIENDO_{})", key.to_uppercase())
                            }
                            (None, name) => name.to_owned(),
                        })
                        .unwrap_or_else(|| "default".to_owned())
                };
                (key.to_string(), shown, source)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked_in_urls() {
        assert_eq!(mask_url_password("postgres://u:secret@h:5432/db"), "postgres://u:****@h:5432/db");
        assert_eq!(mask_url_password("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(mask_url_password("sqlite://./x.db"), "sqlite://./x.db");
    }

    #[test]
    #[expect(clippy::result_large_err, reason = "figment's Jail closure returns figment::Error")]
    fn precedence_is_flags_then_environment_then_file_then_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("t.toml", "listen = \"127.0.0.1:1111\"\ndata_dir = \"file-dir\"\nlog_level = \"debug\"")?;
            jail.set_env("TIENDO_DATA_DIR", "env-dir");
            jail.set_env("TIENDO_LOG_FORMAT", "json");
            let overrides = Overrides { log_format: Some(LogFormat::Text), ..Default::default() };
            let loaded = load(Some(Path::new("t.toml")), &overrides, Config::default()).expect("loads");
            assert_eq!(loaded.config.listen, "127.0.0.1:1111");
            assert_eq!(loaded.config.data_dir, PathBuf::from("env-dir"));
            assert_eq!(loaded.config.log_format, LogFormat::Text);
            assert_eq!(loaded.config.log_level, "debug");
            assert_eq!(loaded.config.job_workers, 2);
            let lines = loaded.describe();
            let source = |k: &str| lines.iter().find(|(key, _, _)| key == k).unwrap().2.clone();
            assert!(source("listen").contains("t.toml"), "{}", source("listen"));
            assert_eq!(source("data_dir"), "environment (TIENDO_DATA_DIR)");
            assert_eq!(source("log_format"), "command line");
            assert_eq!(source("job_workers"), "default");
            assert_eq!(source("database_url"), "derived from data_dir");
            Ok(())
        });
    }

    #[test]
    #[expect(clippy::result_large_err, reason = "figment's Jail closure returns figment::Error")]
    fn a_malformed_file_is_reported_with_its_name() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("bad.toml", "listen = [unclosed")?;
            let err = load(Some(Path::new("bad.toml")), &Overrides::default(), Config::default()).err().unwrap();
            assert!(err.to_string().contains("bad.toml"), "{err}");
            jail.create_file("typo.toml", "databse_url = \"x\"")?;
            let err = load(Some(Path::new("typo.toml")), &Overrides::default(), Config::default()).err().unwrap();
            assert!(err.to_string().contains("databse_url"), "{err}");
            Ok(())
        });
    }

    #[test]
    #[expect(clippy::result_large_err, reason = "figment's Jail closure returns figment::Error")]
    fn the_default_province_is_a_province_code() {
        figment::Jail::expect_with(|jail| {
            let loaded = load(None, &Overrides::default(), Config::default()).unwrap();
            assert_eq!(loaded.config.site_settings().default_province.map(String::from).as_deref(), Some("22"));
            jail.set_env("TIENDO_DEFAULT_PROVINCE", "");
            let loaded = load(None, &Overrides::default(), Config::default()).unwrap();
            assert_eq!(loaded.config.site_settings().default_province, None);
            jail.set_env("TIENDO_DEFAULT_PROVINCE", "01");
            let loaded = load(None, &Overrides::default(), Config::default()).unwrap();
            assert_eq!(loaded.config.site_settings().default_province.map(String::from).as_deref(), Some("01"));
            for bad in ["07030", "quang ninh", "223"] {
                jail.set_env("TIENDO_DEFAULT_PROVINCE", bad);
                let err = load(None, &Overrides::default(), Config::default()).err().unwrap();
                assert!(err.to_string().contains("invalid default_province"), "{bad}: {err}");
            }
            Ok(())
        });
    }

    #[test]
    fn a_bad_listen_address_is_named() {
        let overrides = Overrides { listen: Some("localhost".into()), ..Default::default() };
        let err = load(None, &overrides, Config::default()).err().unwrap();
        assert!(matches!(err, ConfigError::Listen(_)), "{err}");
    }

    #[test]
    #[expect(clippy::result_large_err, reason = "figment's Jail closure returns figment::Error")]
    fn the_reminder_notice_comes_from_the_environment_and_is_bounded() {
        figment::Jail::expect_with(|jail| {
            assert_eq!(load(None, &Overrides::default(), Config::default()).unwrap().config.reminder_days_before, 7);
            jail.set_env("TIENDO_REMINDER_DAYS_BEFORE", "3");
            assert_eq!(load(None, &Overrides::default(), Config::default()).unwrap().config.reminder_days_before, 3);
            jail.set_env("TIENDO_REMINDER_DAYS_BEFORE", "400");
            let err = load(None, &Overrides::default(), Config::default()).err().unwrap();
            assert!(matches!(err, ConfigError::ReminderDays(400)), "{err}");
            Ok(())
        });
    }

    #[test]
    #[expect(clippy::result_large_err, reason = "figment's Jail closure returns figment::Error")]
    fn the_escalation_delay_defaults_to_a_week_and_is_bounded() {
        figment::Jail::expect_with(|jail| {
            let loaded = load(None, &Overrides::default(), Config::default()).unwrap();
            assert_eq!(loaded.config.directive_escalation_days, 7);
            jail.create_file("tiendo.toml", "directive_escalation_days = 14")?;
            let loaded = load(Some(Path::new("tiendo.toml")), &Overrides::default(), Config::default()).unwrap();
            assert_eq!(loaded.config.directive_escalation_days, 14);
            jail.set_env("TIENDO_DIRECTIVE_ESCALATION_DAYS", "366");
            let err = load(None, &Overrides::default(), Config::default()).err().unwrap();
            assert!(matches!(err, ConfigError::EscalationDays(366)), "{err}");
            Ok(())
        });
    }

    #[test]
    #[expect(clippy::result_large_err, reason = "figment's Jail closure returns figment::Error")]
    fn secrets_are_masked() {
        // In a jail: the other tests set TIENDO_ variables in theirs, which `load` would read here too.
        figment::Jail::expect_with(|_jail| {
            let overrides = Overrides::default();
            let defaults = Config {
                metrics_token: Some("hunter2".into()),
                files_secret_access_key: Some("s3cr3t-key".into()),
                database_url: Some("postgres://u:pw@h/db".into()),
                database_replica_url: Some("postgres://r:replicapw@h2/db".into()),
                ..Config::default()
            };
            let loaded = load(None, &overrides, defaults).unwrap();
            let text = format!("{:?}", loaded.describe());
            assert!(!text.contains("hunter2") && !text.contains(":pw@") && !text.contains("s3cr3t"), "{text}");
            assert!(!text.contains("replicapw"), "{text}");
            assert!(text.contains("files_secret_access_key") && text.contains("database_replica_url"), "{text}");
            Ok(())
        });
    }
}
