//! Conflicts of interest, computed from history as peer-review systems do: a member is flagged for a
//! proposal when, within the last N years, they belonged to the proposing or the host organisation; when
//! they are on the proposal's team; when they worked on an earlier task of the same proposer; or when they
//! declared a relation. Each flag carries its reason; a flagged member may not score the proposal unless
//! the chair overrides the flag with a reason.

use chrono::{Months, NaiveDate};

/// A member of a council with what their history says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberHistory {
    /// The person of the directory.
    pub person_id: i64,
    /// Their name, folded (no marks, lower case).
    pub name_folded: String,
    /// Their roles in organisations: (organisation, its name, from, until (exclusive)).
    pub affiliations: Vec<(i64, String, Option<NaiveDate>, Option<NaiveDate>)>,
}

/// A person of a team: the person of the directory when known, and the name folded.
pub type TeamPerson = (Option<i64>, String);

/// The parties of a proposal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parties {
    /// The proposing organisation.
    pub proposer_org: Option<i64>,
    /// The host organisation, when the directory knows it.
    pub host_org: Option<i64>,
    /// The team: (person of the directory when known, name folded).
    pub team: Vec<TeamPerson>,
    /// The earlier tasks of the same proposer: (title, their team).
    pub earlier: Vec<(String, Vec<TeamPerson>)>,
}

/// A flag with its reason: a stable code and the message's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// `works_at_proposer`, `works_at_host`, `in_team`, `earlier_task`, `declared`.
    pub code: &'static str,
    /// Arguments of the reason (`org`, `until`, `task`, `text`).
    pub args: Vec<(&'static str, String)>,
}

/// A person's name as typed in a team ("PGS.TS. Nguyễn Văn Khoa"), folded and without the academic
/// titles before it ("nguyen van khoa"), to be compared with a member's folded name. A title is a word
/// ending with a full stop, which a Vietnamese name never has.
pub fn folded_name(typed: &str) -> String {
    let folded = crate::text::fold(typed);
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    while words.len() > 1 && words[0].ends_with('.') {
        words.remove(0);
    }
    words.join(" ")
}

fn same_person(member: &MemberHistory, person: Option<i64>, name: &str) -> bool {
    person == Some(member.person_id) || (person.is_none() && !name.is_empty() && name == member.name_folded)
}

/// The flags of a member for a proposal on `today`, looking `years` back; `declared` is what the member
/// declared about it (a relation they state), if anything.
pub fn flags(
    member: &MemberHistory,
    parties: &Parties,
    declared: Option<&str>,
    today: NaiveDate,
    years: u32,
) -> Vec<Flag> {
    let since = today.checked_sub_months(Months::new(years * 12)).unwrap_or(today);
    let mut out = Vec::new();
    for (org, name, from, until) in &member.affiliations {
        let overlaps = from.is_none_or(|f| f <= today) && until.is_none_or(|u| u > since);
        if !overlaps {
            continue;
        }
        let when = until.map_or_else(String::new, crate::fmt::date);
        for (code, party) in [("works_at_proposer", parties.proposer_org), ("works_at_host", parties.host_org)] {
            if party == Some(*org) && !out.iter().any(|f: &Flag| f.code == code) {
                out.push(Flag { code, args: vec![("org", name.clone()), ("until", when.clone())] });
            }
        }
    }
    if parties.team.iter().any(|(p, n)| same_person(member, *p, n)) {
        out.push(Flag { code: "in_team", args: Vec::new() });
    }
    for (title, team) in &parties.earlier {
        if team.iter().any(|(p, n)| same_person(member, *p, n)) {
            out.push(Flag { code: "earlier_task", args: vec![("task", title.clone())] });
        }
    }
    if let Some(text) = declared {
        out.push(Flag { code: "declared", args: vec![("text", text.to_owned())] });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn member(affiliations: Vec<(i64, &str, Option<NaiveDate>, Option<NaiveDate>)>) -> MemberHistory {
        MemberHistory {
            person_id: 7,
            name_folded: "le minh tuan".into(),
            affiliations: affiliations.into_iter().map(|(o, n, f, u)| (o, n.to_owned(), f, u)).collect(),
        }
    }

    fn codes(flags: &[Flag]) -> Vec<&'static str> {
        flags.iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_member_who_worked_for_the_proposer_within_the_years_is_flagged_with_where_and_until_when() {
        let parties = Parties { proposer_org: Some(30), host_org: Some(40), ..Parties::default() };
        let today = d(2020, 7, 1);
        let left_two_years_ago = member(vec![(30, "Viện Nghiên cứu và Phát triển Vùng", None, Some(d(2018, 6, 30)))]);
        let f = flags(&left_two_years_ago, &parties, None, today, 3);
        assert_eq!(codes(&f), ["works_at_proposer"]);
        assert_eq!(f[0].args, [("org", "Viện Nghiên cứu và Phát triển Vùng".into()), ("until", "30/06/2018".into())]);
        let long_ago = member(vec![(30, "Viện", None, Some(d(2016, 1, 1)))]);
        assert!(flags(&long_ago, &parties, None, today, 3).is_empty(), "four years and a half is beyond three");
        let at_host = member(vec![(40, "Trường Đại học Hạ Long", Some(d(2019, 1, 1)), None)]);
        assert_eq!(codes(&flags(&at_host, &parties, None, today, 3)), ["works_at_host"]);
        let starts_later = member(vec![(30, "Viện", Some(d(2021, 1, 1)), None)]);
        assert!(flags(&starts_later, &parties, None, today, 3).is_empty());
    }

    #[test]
    fn the_team_earlier_tasks_and_declarations_flag_too() {
        let parties = Parties {
            team: vec![(None, "le minh tuan".into())],
            earlier: vec![("Nuôi hàu Thái Bình Dương".into(), vec![(Some(7), "le minh tuan".into())])],
            ..Parties::default()
        };
        let f = flags(&member(Vec::new()), &parties, Some("Con rể của chủ nhiệm"), d(2020, 7, 1), 3);
        assert_eq!(codes(&f), ["in_team", "earlier_task", "declared"]);
        assert_eq!(f[1].args, [("task", "Nuôi hàu Thái Bình Dương".to_owned())]);
        // A name typed with its titles is the member's.
        let titled = Parties { team: vec![(None, folded_name("PGS.TS.  Lê Minh Tuấn"))], ..Parties::default() };
        assert_eq!(codes(&flags(&member(Vec::new()), &titled, None, d(2020, 7, 1), 3)), ["in_team"]);
        assert_eq!(folded_name("ThS. Trần Thị Mai"), "tran thi mai");
        assert_eq!(folded_name("Lê"), "le");
        // Someone of the same name known to be another person is not the member.
        let other = Parties { team: vec![(Some(8), "le minh tuan".into())], ..Parties::default() };
        assert!(flags(&member(Vec::new()), &other, None, d(2020, 7, 1), 3).is_empty());
    }
}
