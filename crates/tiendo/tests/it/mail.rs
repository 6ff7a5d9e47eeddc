use std::sync::{Arc, Mutex};

use serde_json::json;
use tiendo::jobs::{Outcome, Registry, Runner, SendEmail};
use tiendo::mail::Mailer;
use tiendo_db::jobs::{self as queue, NewJob};
use tiendo_db::testing::TestDb;
use tiendo_db::{Exec, Query};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A minimal SMTP server that accepts one message and records what it received.
pub(crate) async fn fake_smtp() -> (u16, Arc<Mutex<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(String::new()));
    let store = received.clone();
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        write.write_all(b"220 test ESMTP\r\n").await.unwrap();
        let mut in_data = false;
        while let Ok(Some(line)) = lines.next_line().await {
            if in_data {
                if line == "." {
                    in_data = false;
                    write.write_all(b"250 queued\r\n").await.unwrap();
                } else {
                    store.lock().unwrap().push_str(&format!("{line}\n"));
                }
                continue;
            }
            let reply: &[u8] = match line.split_whitespace().next().unwrap_or("").to_uppercase().as_str() {
                "EHLO" | "HELO" => b"250 test\r\n",
                "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                "DATA" => {
                    in_data = true;
                    b"354 go ahead\r\n"
                }
                "QUIT" => {
                    write.write_all(b"221 bye\r\n").await.unwrap();
                    break;
                }
                _ => b"502 not implemented\r\n",
            };
            write.write_all(reply).await.unwrap();
        }
    });
    (port, received)
}

#[tokio::test]
async fn an_email_job_is_delivered_over_smtp_and_its_payload_erased() {
    let (port, received) = fake_smtp().await;
    let t = TestDb::new().await;
    let mailer = Mailer::new(&format!("smtp://127.0.0.1:{port}"), "Tiến Độ <noreply@skhcn.example.vn>").unwrap();
    let runner = Runner::new(crate::job_context(t.db(), Some(mailer)), Registry::new().with(SendEmail));
    let payload = json!({"to": "ha@haan.example.vn", "subject": "Đặt mật khẩu", "body": "Liên kết: https://x/reset-password/abc"});
    let id = queue::enqueue(t.db(), &NewJob::new("send_email", payload)).await.unwrap().unwrap();
    let (_, outcome) = runner.run_one("w").await.unwrap().unwrap();
    assert_eq!(outcome, Outcome::Done);
    let message = received.lock().unwrap().clone();
    assert!(message.contains("ha@haan.example.vn"), "{message}");
    assert!(message.contains("reset-password/abc"), "{message}");
    let (stored,): (String,) =
        t.db().fetch_one(Query::new("SELECT payload FROM jobs WHERE id = $1").bind(id)).await.unwrap();
    assert_eq!(stored, "{}", "the link does not stay in the database");
}

#[tokio::test]
async fn without_smtp_an_email_job_waits_for_a_retry() {
    let t = TestDb::new().await;
    let runner = Runner::new(crate::job_context(t.db(), None), Registry::new().with(SendEmail));
    queue::enqueue(t.db(), &NewJob::new("send_email", json!({"to": "a@b.vn", "subject": "x", "body": "y"})))
        .await
        .unwrap();
    assert_eq!(runner.run_one("w").await.unwrap().unwrap().1, Outcome::Retry);
}

#[test]
fn a_bad_smtp_url_is_named() {
    let err = Mailer::new("http://mail.example.vn", "a@b.vn").unwrap_err().to_string();
    assert!(err.contains("invalid smtp_url"), "{err}");
    let err = Mailer::new("smtp://127.0.0.1:25", "không phải địa chỉ").unwrap_err().to_string();
    assert!(err.contains("invalid mail_from"), "{err}");
}
