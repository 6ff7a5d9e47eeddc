//! PostgreSQL's own tools, driven by `backup` and `restore`: `pg_dump` joins the snapshot the backup
//! exported (so the dump and the list of files are the same instant), `pg_restore` loads a dump in one
//! transaction. The password is handed over in `PGPASSWORD`, never on a command line that `ps` shows.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{anyhow, bail};

/// How to install the tools, in every message that says they are missing.
const INSTALL: &str = "install the PostgreSQL client tools of the server's major version or newer (Debian, Ubuntu: \
                       `apt install postgresql-client`; RHEL: `dnf install postgresql`), or put their directory on PATH";

/// A PostgreSQL URL split for libpq: the URL without its password, and the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    url: String,
    password: Option<String>,
}

impl Connection {
    /// Splits `url` (`postgres://user:password@host:port/database?…`).
    pub fn parse(url: &str) -> anyhow::Result<Connection> {
        let mut parsed = url::Url::parse(url).map_err(|e| anyhow!("the database URL cannot be read: {e}"))?;
        let password = parsed
            .password()
            .map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy().into_owned())
            .filter(|p| !p.is_empty());
        parsed.set_password(None).map_err(|()| anyhow!("the database URL has no host"))?;
        Ok(Connection { url: parsed.into(), password })
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.arg(format!("--dbname={}", self.url)).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
        if let Some(password) = &self.password {
            cmd.env("PGPASSWORD", password);
        }
        cmd
    }
}

/// Runs a tool and turns every failure into one message naming it and the way out.
fn run(mut cmd: Command, program: &str) -> anyhow::Result<()> {
    let output = match cmd.output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("{program} was not found: {INSTALL}")
        }
        Err(e) => bail!("cannot run {program}: {e}"),
    };
    if output.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&output.stderr);
    let err = err.trim();
    if err.contains("server version mismatch") {
        bail!("{program} is older than the database server ({err}); {INSTALL}");
    }
    bail!("{program} failed ({}): {err}", output.status)
}

/// Dumps the database as of the exported snapshot `snapshot` to `out` (custom format, compressed, without
/// owners and privileges so that it restores under another role).
pub fn dump(connection: &Connection, snapshot: &str, out: &Path) -> anyhow::Result<()> {
    let mut cmd = connection.command("pg_dump");
    cmd.args(["--format=custom", "--no-owner", "--no-privileges"])
        .arg(format!("--snapshot={snapshot}"))
        .arg(format!("--file={}", out.display()));
    run(cmd, "pg_dump")
}

/// Loads a dump into the (empty) database, in one transaction: all of it or nothing.
pub fn restore(connection: &Connection, dump: &Path) -> anyhow::Result<()> {
    let mut cmd = connection.command("pg_restore");
    cmd.args(["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]).arg(dump);
    run(cmd, "pg_restore")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_for_the_environment() {
        let c = Connection::parse("postgres://tiendo:p%40ss%3Aw@db.internal:5433/tiendo?sslmode=require").unwrap();
        assert_eq!(c.url, "postgres://tiendo@db.internal:5433/tiendo?sslmode=require");
        assert_eq!(c.password.as_deref(), Some("p@ss:w"));
        let none = Connection::parse("postgres://tiendo@localhost/tiendo").unwrap();
        assert_eq!(none, Connection { url: "postgres://tiendo@localhost/tiendo".to_owned(), password: None });
    }

    #[test]
    fn a_missing_tool_names_what_to_install() {
        let err = run(Command::new("tiendo-no-such-pg-tool"), "pg_dump").unwrap_err().to_string();
        assert!(err.starts_with("pg_dump was not found"), "{err}");
        assert!(err.contains("apt install postgresql-client"), "{err}");
    }
}
