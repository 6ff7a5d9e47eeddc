use chrono::{Duration, TimeZone, Utc};

use super::markdown::{plain_text, render_article, render_comment, safe_image, safe_link};
use super::*;
use crate::authz::{Grant, Role, Scope};

fn with_role(role: Role) -> Actor {
    Actor::user(1, vec![Grant { role, scope: Scope::Province }])
}

/// The workflow as a table: (from, action, to) for an editor; anything not listed is refused.
#[test]
fn the_editorial_workflow_is_exactly_this_table() {
    use ArticleAction as A;
    use ArticleState as S;
    let allowed = [
        (S::Draft, A::Submit, S::InReview),
        (S::InReview, A::Return, S::Draft),
        (S::InReview, A::Publish, S::Published),
        (S::Scheduled, A::Unschedule, S::InReview),
        (S::Published, A::Unpublish, S::Unpublished),
        (S::Unpublished, A::Publish, S::Published),
        (S::Unpublished, A::Redraft, S::Draft),
    ];
    let editor = with_role(Role::Editor);
    let now = Utc::now();
    for state in ArticleState::ALL {
        for action in ArticleAction::ALL {
            let expected = allowed.iter().find(|(f, a, _)| *f == state && *a == action).map(|(_, _, t)| *t);
            assert_eq!(transition(&editor, state, action, None, now).ok(), expected, "{state:?} --{action:?}-->");
        }
    }
}

#[test]
fn publishing_at_a_later_time_schedules() {
    let editor = with_role(Role::Editor);
    let now = Utc::now();
    let later = now + Duration::hours(2);
    assert_eq!(
        transition(&editor, ArticleState::InReview, ArticleAction::Publish, Some(later), now),
        Ok(ArticleState::Scheduled)
    );
    assert_eq!(
        transition(&editor, ArticleState::InReview, ArticleAction::Publish, Some(now - Duration::hours(1)), now),
        Ok(ArticleState::Published),
        "a time already past publishes at once"
    );
}

#[test]
fn who_may_move_an_article() {
    let now = Utc::now();
    let leader = with_role(Role::DepartmentLeader);
    let moderator = with_role(Role::Moderator);
    // The leader reviews and publishes but does not write.
    assert!(transition(&leader, ArticleState::InReview, ArticleAction::Publish, None, now).is_ok());
    assert!(transition(&leader, ArticleState::InReview, ArticleAction::Return, None, now).is_ok());
    assert_eq!(
        transition(&leader, ArticleState::Draft, ArticleAction::Submit, None, now),
        Err(TransitionError::Forbidden)
    );
    for action in ArticleAction::ALL {
        for state in ArticleState::ALL {
            assert!(transition(&moderator, state, action, None, now).is_err(), "a moderator may {action:?}");
            assert!(transition(&Actor::public(), state, action, None, now).is_err());
        }
    }
    assert_eq!(available_actions(&with_role(Role::Editor), ArticleState::InReview).len(), 2);
    assert!(available_actions(&Actor::public(), ArticleState::Draft).is_empty());
}

/// The job runner's move: a scheduled article is published once its time has come, and nothing else.
#[test]
fn a_scheduled_article_is_published_when_its_time_comes() {
    let now = Utc::now();
    let past = Some(now - Duration::minutes(1));
    let later = Some(now + Duration::minutes(1));
    for state in ArticleState::ALL {
        let expected = (state == ArticleState::Scheduled).then_some(ArticleState::Published);
        assert_eq!(publish_when_due(state, past, now).ok(), expected, "{state:?}");
        assert_eq!(publish_when_due(state, Some(now), now).ok(), expected, "{state:?} at its exact time");
        assert!(publish_when_due(state, later, now).is_err(), "{state:?} before its time");
        assert!(publish_when_due(state, None, now).is_err(), "{state:?} without a time");
    }
}

#[test]
fn the_publication_time_is_read_as_vietnam_time() {
    let expected = Utc.with_ymd_and_hms(2026, 3, 5, 1, 0, 0).unwrap();
    assert_eq!(parse_publish_at("2026-03-05T08:00"), Some(expected));
    assert_eq!(parse_publish_at(" 05/03/2026 08:00 "), Some(expected));
    assert_eq!(parse_publish_at("ngày mai"), None);
    assert_eq!(parse_publish_at(""), None);
}

/// The moderation workflow as a table: (status, hidden, decision) → the status after it, for a
/// moderator; anything not listed is refused as not from this state.
#[test]
fn the_moderation_workflow_is_exactly_this_table() {
    use CommentStatus as C;
    use ModerationDecision as D;
    let allowed = [
        (C::Pending, false, D::Approve, C::Approved),
        (C::Pending, false, D::Reject, C::Rejected),
        (C::Pending, false, D::Spam, C::Spam),
        (C::Approved, false, D::Reject, C::Rejected),
        (C::Approved, false, D::Spam, C::Spam),
        (C::Approved, true, D::Approve, C::Approved),
        (C::Approved, true, D::Reject, C::Rejected),
        (C::Approved, true, D::Spam, C::Spam),
        (C::Rejected, false, D::Approve, C::Approved),
        (C::Rejected, false, D::Spam, C::Spam),
        (C::Spam, false, D::Approve, C::Approved),
        (C::Spam, false, D::Reject, C::Rejected),
    ];
    let moderator = with_role(Role::Moderator);
    for state in CommentState::ALL {
        for decision in ModerationDecision::ALL {
            let expected = allowed
                .iter()
                .find(|(s, h, d, _)| *s == state.status && *h == state.hidden && *d == decision)
                .map(|(_, _, _, to)| *to);
            let got = comment::transition(&moderator, state, decision);
            assert_eq!(got.ok(), expected, "{state:?} --{decision:?}-->");
            if expected.is_none() {
                assert_eq!(got, Err(TransitionError::InvalidState));
            }
        }
        let buttons: Vec<ModerationDecision> = allowed
            .iter()
            .filter(|(s, h, _, _)| *s == state.status && *h == state.hidden)
            .map(|(_, _, d, _)| *d)
            .collect();
        assert_eq!(comment::available_actions(&moderator, state), buttons, "{state:?}");
    }
}

#[test]
fn only_moderators_decide_on_comments() {
    let pending = CommentState { status: CommentStatus::Pending, hidden: false };
    for role in Role::ALL {
        let actor = with_role(role);
        let expected = if role == Role::Moderator { 3 } else { 0 };
        assert_eq!(comment::available_actions(&actor, pending).len(), expected, "{role:?}");
        if role != Role::Moderator {
            assert_eq!(
                comment::transition(&actor, pending, ModerationDecision::Approve),
                Err(TransitionError::Forbidden),
                "{role:?}"
            );
        }
    }
    assert!(comment::available_actions(&Actor::public(), pending).is_empty());
}

#[test]
fn article_fields_are_checked_and_the_slug_is_folded() {
    let draft = ArticleDraft {
        title: "  Đoàn công tác   làm việc tại thị xã Quảng Yên ".into(),
        tags: "khoa học, Quảng Yên, khoa hoc".into(),
        ..Default::default()
    };
    let fields = draft.validate().unwrap();
    assert_eq!(fields.title, "Đoàn công tác làm việc tại thị xã Quảng Yên");
    assert_eq!(fields.slug, "doan-cong-tac-lam-viec-tai-thi-xa-quang-yen");
    assert_eq!(fields.tags, vec!["khoa học", "Quảng Yên"], "tags equal once folded are one");

    let bad = ArticleDraft { title: " ".into(), slug: "Xin chào!".into(), ..Default::default() };
    let issues = bad.validate().unwrap_err();
    let fields: Vec<_> = issues.iter().map(|i| (i.field, i.code)).collect();
    assert_eq!(fields, vec![("title", "required"), ("slug", "slug_format")]);
    assert!(is_valid_slug("tin-tuc-2020"));
    for bad in ["", "-a", "a-", "a--b", "Ab", "a b", "javascript:alert(1)"] {
        assert!(!is_valid_slug(bad), "{bad}");
    }
}

#[test]
fn comments_close_by_hand_or_after_the_site_limit() {
    let published = Utc.with_ymd_and_hms(2020, 2, 27, 3, 0, 0).unwrap();
    assert!(comments_open(false, Some(published), 30, published + Duration::days(29)));
    assert!(!comments_open(false, Some(published), 30, published + Duration::days(30)));
    assert!(comments_open(false, Some(published), 0, published + Duration::days(3000)), "0 keeps them open");
    assert!(!comments_open(true, Some(published), 0, published));
    assert!(premoderated(None, true));
    assert!(!premoderated(Some(false), true));
    assert!(premoderated(Some(true), false));
}

#[test]
fn a_comment_needs_a_name_and_text_within_the_limit() {
    let ok = CommentDraft { name: " Nguyễn Văn A ".into(), email: "".into(), text: "Rất hay!\r\n".into() };
    let fields = ok.validate(2000).unwrap();
    assert_eq!((fields.name.as_str(), fields.email, fields.text.as_str()), ("Nguyễn Văn A", None, "Rất hay!"));
    let bad = CommentDraft { name: "".into(), email: "không phải thư".into(), text: "x".repeat(11) };
    let codes: Vec<_> = bad.validate(10).unwrap_err().into_iter().map(|i| (i.field, i.code)).collect();
    assert_eq!(codes, vec![("name", "required"), ("email", "email_format"), ("text", "too_long")]);
    assert!(comment::looks_like_email("dan@example.vn"));
    assert!(!comment::looks_like_email("<script>@x.vn"));
}

#[test]
fn the_word_list_matches_whole_words_without_diacritics() {
    let list = WordList::parse("# từ cấm\nlừa đảo\ncờ bạc*\n\n");
    assert_eq!(list.len(), 2);
    assert_eq!(list.first_match(&["Đây là LUA DAO rõ ràng"]).as_deref(), Some("lua dao"));
    assert_eq!(list.first_match(&["trang co bacxyz"]).as_deref(), Some("co bac"), "prefix entry");
    assert_eq!(list.first_match(&["lừa", "đảo"]), None, "a phrase does not span fields");
    assert_eq!(list.first_match(&["khoa học"]), None);
    assert_eq!(list.first_match(&["lừa đảonhé"]), None, "whole words only without *");
}

#[test]
fn where_a_new_comment_goes() {
    use comment::initial_status;
    assert_eq!(initial_status(true, false, 0), CommentStatus::Pending);
    assert_eq!(initial_status(false, false, 0), CommentStatus::Approved);
    assert_eq!(initial_status(false, true, 0), CommentStatus::Pending, "a word-list match waits");
    assert_eq!(initial_status(false, false, 3), CommentStatus::Pending, "many links wait");
    assert!(comment::hidden_by_reports(3, 3));
    assert!(!comment::hidden_by_reports(2, 3));
    assert!(!comment::hidden_by_reports(100, 0));
}

/// Every kind of payload of the issue's list, in Markdown, comes out inert.
#[test]
fn markdown_never_lets_a_script_through() {
    let payloads = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)><circle/></svg>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "[bấm](javascript:alert(1))",
        "[bấm](JaVaScRiPt:alert(1))",
        "[bấm](java\tscript:alert(1))",
        "[bấm](data:text/html;base64,PHNjcmlwdD4=)",
        "[bấm](vbscript:msgbox)",
        "![ảnh](javascript:alert(1))",
        "![ảnh](https://evil.example/x.svg)",
        "![ảnh](/media/1/../../etc/passwd)",
        "[x](\"onmouseover=\"alert(1))",
        "<iframe src=//evil></iframe>",
        "<div style=\"background:url(javascript:alert(1))\">",
        "```\n<script>alert(1)</script>\n```",
        "[x](//evil.example)",
    ];
    for p in payloads {
        let html = render_article(p);
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains("<script"), "{p} → {html}");
        assert!(!lower.contains("<svg"), "{p} → {html}");
        assert!(!lower.contains("<iframe"), "{p} → {html}");
        assert!(!lower.contains("<div style"), "{p} → {html}");
        assert!(!lower.contains("href=\"javascript") && !lower.contains("href=\"data:"), "{p} → {html}");
        assert!(!lower.contains("href=\"vbscript") && !lower.contains("href=\"//"), "{p} → {html}");
        assert!(!lower.contains("<img src=\"x") && !lower.contains("src=\"javascript"), "{p} → {html}");
        assert!(!lower.contains("src=\"https://evil"), "{p} → {html}");
        // An attribute is only ever written inside a tag we wrote: a quote in content is escaped.
        assert!(!html.contains(" onerror=") || html.contains("&lt;img"), "{p} → {html}");
    }
    assert_eq!(render_article("<b>đậm</b>"), "<p>&lt;b&gt;đậm&lt;/b&gt;</p>\n");
}

#[test]
fn markdown_writes_the_elements_editors_need() {
    let md = "# Tiêu đề\n\nĐoạn **đậm** và *nghiêng*, [liên kết](https://quangninh.gov.vn \"QN\") và [nội bộ](/news).\n\n\
              - một\n- hai\n\n3. ba\n\n> trích\n\n![Ảnh đoàn công tác](/media/3/large.jpg \"Chú thích\")\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
    let html = render_article(md);
    assert!(html.starts_with("<h2>Tiêu đề</h2>"), "{html}");
    assert!(html.contains("<strong>đậm</strong>") && html.contains("<em>nghiêng</em>"));
    assert!(
        html.contains("<a href=\"https://quangninh.gov.vn\" title=\"QN\" rel=\"noopener noreferrer\">liên kết</a>")
    );
    assert!(html.contains("<a href=\"/news\">nội bộ</a>"));
    assert!(html.contains("<ul>\n<li>một</li>") && html.contains("<ol start=\"3\">"));
    assert!(html.contains("<blockquote>"));
    assert!(
        html.contains(
            "<img src=\"/media/3/large.jpg\" alt=\"Ảnh đoàn công tác\" title=\"Chú thích\" loading=\"lazy\">"
        )
    );
    assert!(html.contains("<thead><tr><th>a</th><th>b</th></tr></thead>") && html.contains("<td>1</td>"));
    assert_eq!(plain_text(md, 20), "Tiêu đề Đoạn đậm và…");
    assert!(safe_link("mailto:sokhcn@quangninh.gov.vn") && safe_link("#muc-2") && safe_link("tai-lieu.pdf"));
    assert!(!safe_link("javascript:x") && !safe_link(" JAVASCRIPT:x") && !safe_link("//x"));
    assert!(safe_image("/media/12/small.jpg") && !safe_image("/media/12/<x>.jpg"));
}

#[test]
fn comments_are_plain_text_with_nofollow_links() {
    let html = render_comment("Xem https://quangninh.gov.vn/tin.html, rất hay.\n<script>alert(1)</script>\n\nĐoạn hai");
    assert_eq!(
        html,
        "<p>Xem <a href=\"https://quangninh.gov.vn/tin.html\" rel=\"nofollow ugc noopener noreferrer\">\
         https://quangninh.gov.vn/tin.html</a>, rất hay.<br>\n&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>Đoạn hai</p>\n"
    );
    let tricky = render_comment("https://x.vn/\"onmouseover=\"alert(1) javascript:alert(1) http://");
    assert!(!tricky.contains("\"onmouseover"), "{tricky}");
    assert!(!tricky.contains("href=\"javascript"), "{tricky}");
}

#[test]
fn settings_forms_are_checked() {
    let s = PortalSettings::default();
    let mut form = s.moderation_form();
    form.reports_to_hide = "ba".into();
    form.max_comment_length = "10".into();
    let codes: Vec<_> = s.with_moderation(&form).unwrap_err().into_iter().map(|i| i.field).collect();
    assert_eq!(codes, vec!["reports_to_hide", "max_comment_length"]);
    let mut footer = s.footer_form();
    footer.badge_link = "javascript:alert(1)".into();
    footer.licence_line = "Giấy phép số 25/GP-TTĐT".into();
    assert_eq!(s.with_footer(&footer).unwrap_err()[0].field, "badge_link");
    footer.badge_link = "https://tinnhiemmang.vn/danh-ba-tin-nhiem/sokhcn".into();
    assert_eq!(s.with_footer(&footer).unwrap().licence_line, "Giấy phép số 25/GP-TTĐT");
    assert!(!settings::is_web_link("https://x.vn/\"><script>"));
}
