//! The command line: `tiendo serve | migrate | demo | backup | restore | check | config | …`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::{self, Config, LogFormat, Overrides};

const AFTER_HELP: &str = "\
Every option can also be set in tiendo.toml or as an environment variable TIENDO_<OPTION>
(TIENDO_LISTEN, TIENDO_DATA_DIR, TIENDO_DATABASE_URL, ...). Precedence: flags, environment,
file, defaults. `tiendo config` shows the effective values and where each came from.

Examples:
  tiendo demo                                  # a fresh demo on http://127.0.0.1:8080
  tiendo serve --listen 0.0.0.0:8080 --data-dir /var/lib/tiendo
  tiendo serve --database-url postgres://tiendo@db.internal/tiendo --migrate
  tiendo config";

/// Tiến Độ: assign, follow up, report and publish science and technology tasks.
#[derive(Debug, Parser)]
#[command(name = "tiendo", version, about, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Options shared by every command.
#[derive(Debug, Args, Clone, Default)]
pub struct CommonOptions {
    /// Configuration file [default: ./tiendo.toml when it exists]
    #[arg(long, global = true, env = "TIENDO_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Directory for the SQLite database and uploaded files [default: ./tiendo-data; ./tiendo-demo for demo]
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// sqlite://<file> or postgres://<user>@<host>/<database> [default: <data-dir>/tiendo.db]
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
    /// Log format
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    log_format: Option<LogFormat>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web application and the API, and run background jobs.
    #[command(
        after_help = "Examples:\n  tiendo serve\n  tiendo serve --listen 0.0.0.0:8080 --data-dir /var/lib/tiendo\n  tiendo serve --database-url postgres://tiendo@localhost/tiendo --migrate\n\nOn SQLite the schema is migrated automatically. On PostgreSQL, serve refuses to start on an\nout-of-date schema unless --migrate is given (or `tiendo migrate` was run)."
    )]
    Serve {
        /// Address and port to listen on [default: 127.0.0.1:8080]
        #[arg(long, value_name = "HOST:PORT")]
        listen: Option<String>,
        /// Apply pending migrations before serving (PostgreSQL; SQLite always does)
        #[arg(long)]
        migrate: bool,
        #[command(flatten)]
        common: CommonOptions,
    },
    /// Apply pending database migrations and exit.
    #[command(
        after_help = "Examples:\n  tiendo migrate\n  tiendo migrate --database-url postgres://tiendo@localhost/tiendo"
    )]
    Migrate {
        #[command(flatten)]
        common: CommonOptions,
    },
    /// Create a fresh demo database with the Quảng Ninh scenario, print the demo accounts and serve it.
    #[command(
        after_help = "Examples:\n  tiendo demo\n  tiendo demo --listen 127.0.0.1:9000 --data-dir /tmp/tiendo-demo\n\nRunning it again starts from a clean demo: the demo directory is deleted and recreated (only a\ndirectory created by `tiendo demo` is ever deleted). The demo always uses SQLite."
    )]
    Demo {
        /// Address and port to listen on [default: 127.0.0.1:8080]
        #[arg(long, value_name = "HOST:PORT")]
        listen: Option<String>,
        /// Load the demo data and exit without serving
        #[arg(long)]
        no_serve: bool,
        #[command(flatten)]
        common: CommonOptions,
    },
    /// Export documents.
    #[command(subcommand, after_help = "Examples:\n  tiendo export sample --format docx --out bao-cao.docx")]
    Export(ExportCommand),
    /// Manage accounts.
    #[command(
        subcommand,
        after_help = "Examples:\n  tiendo user create --username quantri --name \"Quản trị viên\" --role administrator\n  tiendo user reset-password quantri\n  tiendo user list"
    )]
    User(UserCommand),
    /// Check the audit trail.
    #[command(subcommand, after_help = "Examples:\n  tiendo audit verify")]
    Audit(AuditCommand),
    /// Periodic reporting maintenance.
    #[command(subcommand, after_help = "Examples:\n  tiendo reporting rebuild-aggregates")]
    Reporting(ReportingCommand),
    /// The search index.
    #[command(subcommand, after_help = "Examples:\n  tiendo search reindex")]
    Search(SearchCommand),
    /// The uploaded files.
    #[command(subcommand, after_help = "Examples:\n  tiendo files migrate")]
    Files(FilesCommand),
    /// Back up the database, the uploaded files and the audit key and anchors into one archive, while the
    /// server keeps serving.
    #[command(
        after_help = "Examples:\n  tiendo backup /var/backups/tiendo-2026-12-06.zip\n  tiendo backup backup.zip --database-url postgres://tiendo@db/tiendo\n\nThe archive (zip) holds a manifest with the SHA-256 of every member, the format version, the\nbackend, the schema version and the time of the snapshot. It holds the audit key: keep it as\nsafe as the data directory. On PostgreSQL it runs pg_dump (install postgresql-client of the\nserver's version or newer). Check it with `tiendo restore` into a scratch directory."
    )]
    Backup {
        /// The archive to write (never overwritten)
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        common: CommonOptions,
    },
    /// Restore a backup into an empty data directory and an empty database; refuses a non-empty one.
    #[command(
        after_help = "Examples:\n  tiendo restore backup.zip --data-dir /var/lib/tiendo-restored\n  createdb tiendo2 && tiendo restore backup.zip --database-url postgres://tiendo@db/tiendo2\n\nEvery member is checked against the manifest before anything is written. The restore is recorded\nin the audit trail, whose chain still verifies. Run `tiendo check` afterwards."
    )]
    Restore {
        /// The archive written by `tiendo backup`
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        common: CommonOptions,
    },
    /// Check the database's integrity, every stored file against its checksum, and the audit trail.
    #[command(
        after_help = "Examples:\n  tiendo check\n  tiendo check --data-dir /var/lib/tiendo --database-url postgres://tiendo@db/tiendo\n\nIt only reads and may run while the server serves. It exits with a non-zero code when it finds\na problem, and lists each one."
    )]
    Check {
        #[command(flatten)]
        common: CommonOptions,
    },
    /// Print the effective configuration and where each value came from (secrets masked).
    #[command(after_help = "Examples:\n  tiendo config\n  TIENDO_LISTEN=0.0.0.0:80 tiendo config")]
    Config {
        #[command(flatten)]
        common: CommonOptions,
    },
}

#[derive(Debug, Subcommand)]
enum ExportCommand {
    /// Render a sample official document (a report of the Sở KH&CN Quảng Ninh) for reviewers.
    #[command(
        after_help = "Examples:\n  tiendo export sample --format docx --out bao-cao.docx\n  tiendo export sample --format pdf --out bao-cao.pdf\n  tiendo export sample --format xlsx --out bao-cao.xlsx\n\nPDF needs a Times-metric font with Vietnamese letters: the Debian package fonts-liberation2\n(or fonts-croscore), or a folder named by TIENDO_FONT_DIR."
    )]
    Sample {
        /// Output format
        #[arg(long, value_enum)]
        format: SampleFormatArg,
        /// Output file
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account; prints a one-time link for its owner to choose the password.
    #[command(
        after_help = "Examples:\n  tiendo user create --username quantri --name \"Quản trị viên\" --role administrator\n  tiendo user create --username cb.haan --name \"Trần Thị Hà\" --organization 12 --role locality_officer=org:12\n  echo 'Mật khẩu rất dài 1' | tiendo user create --username an --name \"Nguyễn Văn An\" --password-stdin\n\nROLE is one of administrator, department_leader, department_officer, locality_officer,\npartner_officer, expert, applicant, editor, moderator; SCOPE is province (default), org:ID or subtree:ID."
    )]
    Create {
        /// Login name (3–40 of a-z, 0-9, dot, hyphen, underscore)
        #[arg(long)]
        username: String,
        /// Full name
        #[arg(long)]
        name: String,
        /// E-mail address
        #[arg(long)]
        email: Option<String>,
        /// Organisation id
        #[arg(long, value_name = "ID")]
        organization: Option<i64>,
        /// A role, optionally with a scope: ROLE or ROLE=SCOPE (repeatable)
        #[arg(long = "role", value_name = "ROLE[=SCOPE]")]
        roles: Vec<String>,
        /// Read the initial password from standard input instead of printing a reset link
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        common: CommonOptions,
    },
    /// Print a one-time password reset link for an account.
    #[command(after_help = "Examples:\n  tiendo user reset-password quantri")]
    ResetPassword {
        /// The login name
        username: String,
        #[command(flatten)]
        common: CommonOptions,
    },
    /// List every account with its roles.
    #[command(after_help = "Examples:\n  tiendo user list")]
    List {
        #[command(flatten)]
        common: CommonOptions,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Verify the audit trail: every event's keyed hash and link, then the latest anchor of its head (the
    /// newest events deleted, or the chain recomputed); fails naming the breach.
    #[command(
        after_help = "Examples:\n  tiendo audit verify\n  tiendo audit verify --database-url postgres://tiendo@db/tiendo"
    )]
    Verify {
        #[command(flatten)]
        common: CommonOptions,
    },
}

#[derive(Debug, Subcommand)]
enum ReportingCommand {
    /// Recompute the aggregates of every approved report on today's administrative map (after a map change
    /// or a change of the attribution shares). Approvals keep them up to date otherwise.
    #[command(
        after_help = "Examples:\n  tiendo reporting rebuild-aggregates\n  tiendo reporting rebuild-aggregates --as-of 2025-07-01"
    )]
    RebuildAggregates {
        /// The day whose map the figures are attributed on [default: today in Vietnam]
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<chrono::NaiveDate>,
        #[command(flatten)]
        common: CommonOptions,
    },
}

#[derive(Debug, Subcommand)]
enum FilesCommand {
    /// Copy every uploaded file from <data_dir>/files into the configured bucket (files_bucket), each
    /// checked against its SHA-256; files already there are skipped, so it can be run again.
    #[command(
        after_help = "Examples:\n  TIENDO_FILES_BUCKET=tiendo TIENDO_FILES_ENDPOINT=https://s3.example.vn tiendo files migrate\n\nIt only reads the local folder and may run while the server serves. When it reports every file\ncopied, restart the servers with the files_* settings; the local folder can then be archived."
    )]
    Migrate {
        #[command(flatten)]
        common: CommonOptions,
    },
}

#[derive(Debug, Subcommand)]
enum SearchCommand {
    /// Rebuild the search index (<data_dir>/search) from the database, with a progress bar. A server
    /// rebuilds a missing or damaged index by itself when it starts; stop it before running this.
    #[command(
        after_help = "Examples:\n  tiendo search reindex\n  tiendo search reindex --data-dir /var/lib/tiendo --database-url postgres://tiendo@db/tiendo\n\nThe index is a cache of the database: deleting <data_dir>/search and running this (or starting the\nserver) rebuilds it."
    )]
    Reindex {
        #[command(flatten)]
        common: CommonOptions,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum SampleFormatArg {
    Docx,
    Pdf,
    Xlsx,
}

fn overrides(common: &CommonOptions, listen: Option<String>) -> Overrides {
    Overrides {
        listen,
        data_dir: common.data_dir.clone(),
        database_url: common.database_url.clone(),
        log_format: common.log_format,
    }
}

fn load(common: &CommonOptions, listen: Option<String>, defaults: Config) -> anyhow::Result<config::Loaded> {
    Ok(config::load(common.config.as_deref(), &overrides(common, listen), defaults)?)
}

/// Parses the command line, runs the command and turns any error into one line on stderr and a
/// non-zero exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { listen, migrate, common } => {
            let loaded = load(&common, listen, Config::default())?;
            crate::telemetry::init(loaded.config.log_format, &loaded.config.log_level);
            crate::serve::run(loaded.config, migrate).await
        }
        Command::Migrate { common } => {
            let loaded = load(&common, None, Config::default())?;
            crate::telemetry::init(loaded.config.log_format, &loaded.config.log_level);
            let applied = crate::serve::migrate_only(&loaded.config).await?;
            if applied.is_empty() {
                println!("The database schema is up to date.");
            } else {
                println!("Applied migrations {applied:?}.");
            }
            Ok(())
        }
        Command::Demo { listen, no_serve, common } => {
            let defaults = Config { data_dir: PathBuf::from("./tiendo-demo"), ..Config::default() };
            let loaded = load(&common, listen, defaults)?;
            crate::telemetry::init(loaded.config.log_format, &loaded.config.log_level);
            crate::demo::run(loaded.config, !no_serve).await
        }
        Command::Export(ExportCommand::Sample { format, out }) => {
            use tiendo_export::sample::{SampleFormat, sample_file};
            let format = match format {
                SampleFormatArg::Docx => SampleFormat::Docx,
                SampleFormatArg::Pdf => SampleFormat::Pdf,
                SampleFormatArg::Xlsx => SampleFormat::Xlsx,
            };
            let bytes = sample_file(format).map_err(|e| anyhow::anyhow!("{e}"))?;
            std::fs::write(&out, &bytes).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
            println!("Wrote {} ({} bytes).", out.display(), bytes.len());
            Ok(())
        }
        Command::User(cmd) => {
            let common = match &cmd {
                UserCommand::Create { common, .. }
                | UserCommand::ResetPassword { common, .. }
                | UserCommand::List { common } => common.clone(),
            };
            let loaded = load(&common, None, Config::default())?;
            crate::telemetry::init(loaded.config.log_format, "warn");
            let db = crate::serve::open_database(&loaded.config, crate::serve::MigrationPolicy::RequireCurrent).await?;
            let result = match cmd {
                UserCommand::Create { username, name, email, organization, roles, password_stdin, .. } => {
                    let roles =
                        roles.iter().map(|r| crate::users::parse_role(r)).collect::<anyhow::Result<Vec<_>>>()?;
                    let opts = crate::users::CreateUser {
                        username,
                        display_name: name,
                        email,
                        organization_id: organization,
                        roles,
                        password_stdin,
                    };
                    crate::users::create(&db, &loaded.config, opts).await
                }
                UserCommand::ResetPassword { username, .. } => {
                    crate::users::reset_password(&db, &loaded.config, &username).await
                }
                UserCommand::List { .. } => crate::users::list(&db).await,
            };
            db.close().await;
            result
        }
        Command::Audit(AuditCommand::Verify { common }) => {
            let loaded = load(&common, None, Config::default())?;
            crate::telemetry::init(loaded.config.log_format, "warn");
            let db = crate::serve::open_schema(&loaded.config, crate::serve::MigrationPolicy::RequireCurrent).await?;
            let db = crate::audit_chain::for_verification(db, &loaded.config).await?;
            let result = crate::audit_chain::verify(&db, &loaded.config).await;
            db.close().await;
            println!("{}", result?);
            Ok(())
        }
        Command::Reporting(ReportingCommand::RebuildAggregates { as_of, common }) => {
            let loaded = load(&common, None, Config::default())?;
            crate::telemetry::init(loaded.config.log_format, "warn");
            let db = crate::serve::open_database(&loaded.config, crate::serve::MigrationPolicy::RequireCurrent).await?;
            let files = loaded.config.file_store()?;
            let app = tiendo_app::App::new(db.clone(), files, loaded.config.site_settings());
            let day = as_of.unwrap_or_else(|| app.today());
            let session = tiendo_app::Session::cli(tiendo_core::authz::Actor::default());
            let result = tiendo_app::reporting::aggregates::rebuild(&app, &session, day).await;
            db.close().await;
            let rebuilt = result?;
            println!(
                "Đã tính lại số liệu tổng hợp / aggregates rebuilt: {} báo cáo / reports, {} ô / cells",
                rebuilt.reports, rebuilt.cells
            );
            Ok(())
        }
        Command::Search(SearchCommand::Reindex { common }) => {
            let loaded = load(&common, None, Config::default())?;
            crate::telemetry::init(loaded.config.log_format, "warn");
            crate::search::reindex(&loaded.config).await
        }
        Command::Backup { file, common } => {
            let loaded = load(&common, None, Config::default())?;
            crate::telemetry::init(loaded.config.log_format, "warn");
            let written = crate::backup::backup(&loaded.config, &file).await?;
            println!("{}", crate::backup::summary(&written));
            Ok(())
        }
        Command::Restore { file, common } => {
            let loaded = load(&common, None, Config::default())?;
            crate::telemetry::init(loaded.config.log_format, "warn");
            let restored = crate::backup::restore::restore(&loaded.config, &file).await?;
            println!("{}", crate::backup::restore::summary(&restored));
            Ok(())
        }
        Command::Files(FilesCommand::Migrate { common }) => {
            let loaded = load(&common, None, Config::default())?;
            crate::telemetry::init(loaded.config.log_format, "warn");
            crate::files::migrate(&loaded.config).await
        }
        Command::Check { common } => {
            let loaded = load(&common, None, Config::default())?;
            crate::telemetry::init(loaded.config.log_format, "warn");
            crate::check::check(&loaded.config).await
        }
        Command::Config { common } => {
            let loaded = load(&common, None, Config::default())?;
            if let Some(file) = &loaded.file {
                println!("# configuration file: {}", file.display());
            } else {
                println!("# no configuration file (./tiendo.toml does not exist)");
            }
            let lines = loaded.describe();
            let width = lines.iter().map(|(k, v, _)| k.len() + v.len()).max().unwrap_or(0) + 4;
            for (key, value, source) in lines {
                let pair = format!("{key} = {value}");
                println!("{pair:<width$}# {source}");
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_has_examples_in_its_help() {
        /// Checks a command and every command under it; returns how many were checked.
        fn check(cmd: &mut clap::Command, path: &str) -> usize {
            let help = cmd.render_long_help().to_string();
            assert!(help.contains("Examples:"), "`{path} --help` has no examples:\n{help}");
            let mut checked = 1;
            // clap's generated `help` subcommands are not ours.
            for sub in cmd.get_subcommands_mut().filter(|s| s.get_name() != "help") {
                let name = format!("{path} {}", sub.get_name());
                checked += check(sub, &name);
            }
            checked
        }
        let mut cmd = Cli::command();
        cmd.build();
        let checked = check(&mut cmd, "tiendo");
        // tiendo, serve, migrate, demo, export (and its documents), user (create, list, reset-password), …
        assert!(checked >= 10, "only {checked} commands checked");
    }
}
