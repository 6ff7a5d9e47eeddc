//! The processing of an application as data (`machine.toml`): its states (with whether the enterprise may
//! change the dossier and how the statutory clock stands), the transitions with who takes each and what
//! it records, and what an actor may do ([`Powers`], [`Machine::available`]).

use std::sync::OnceLock;

use serde::Deserialize;

use crate::sci_tech::DocumentRule;

/// Who takes a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The enterprise (its applicant accounts).
    Owner,
    /// The department's staff.
    Officer,
    /// The department's leaders.
    Leader,
}

/// How the statutory clock stands in a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockMode {
    /// Not started (a draft) or stopped (decided, withdrawn).
    Off,
    /// Counting.
    Running,
    /// Paused: supplements requested.
    Paused,
}

/// A state.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateDef {
    /// The stable code.
    pub code: String,
    /// Whether the enterprise may change the dossier.
    #[serde(default)]
    pub owner_edits: bool,
    /// Whether nothing follows.
    #[serde(default)]
    pub terminal: bool,
    /// The clock.
    pub clock: ClockMode,
}

/// A transition.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionDef {
    /// The action's stable code.
    pub action: String,
    /// The states it leaves.
    pub from: Vec<String>,
    /// The state it reaches.
    pub to: String,
    /// Who takes it.
    pub by: Side,
    /// Whether a note is required.
    #[serde(default)]
    pub note: bool,
    /// Whether the decision document is recorded.
    #[serde(default)]
    pub document: DocumentRule,
    /// Whether it issues the certificate.
    #[serde(default)]
    pub certificate: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    states: Vec<StateDef>,
    transitions: Vec<TransitionDef>,
    clock: super::ClockRule,
}

/// The machine.
#[derive(Debug, Clone)]
pub struct Machine {
    states: Vec<StateDef>,
    transitions: Vec<TransitionDef>,
    clock: super::ClockRule,
}

/// The state every application starts in.
pub const DRAFT: &str = "draft";

/// What an actor may do with an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Powers {
    /// Read it.
    pub view: bool,
    /// Act for the enterprise.
    pub owner: bool,
    /// Act as the department's staff.
    pub officer: bool,
    /// Act as the department's leaders.
    pub leader: bool,
    /// Give an opinion in its appraisal (an expert asked, a member of a council it is before).
    pub appraise: bool,
}

impl Powers {
    /// Whether these powers take transitions of `side`.
    pub fn takes(&self, side: Side) -> bool {
        match side {
            Side::Owner => self.owner,
            Side::Officer => self.officer || self.leader,
            Side::Leader => self.leader,
        }
    }
}

impl Machine {
    /// The machine of `machine.toml`.
    ///
    /// # Panics
    /// Never for the file shipped (a test reads it).
    pub fn standard() -> &'static Machine {
        static MACHINE: OnceLock<Machine> = OnceLock::new();
        MACHINE.get_or_init(|| Machine::parse(include_str!("machine.toml")).expect("machine.toml is valid"))
    }

    /// Reads and checks a machine: every state named exists, `draft` exists, no action leaves a state twice.
    pub fn parse(text: &str) -> Result<Machine, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let known = |s: &str| file.states.iter().any(|d| d.code == s);
        if !known(DRAFT) {
            return Err("no draft state".into());
        }
        for t in &file.transitions {
            for s in t.from.iter().chain(std::iter::once(&t.to)) {
                if !known(s) {
                    return Err(format!("transition {} names the unknown state {s}", t.action));
                }
            }
            for from in &t.from {
                if file.transitions.iter().filter(|o| o.action == t.action && o.from.contains(from)).count() > 1 {
                    return Err(format!("{} leaves {from} twice", t.action));
                }
            }
        }
        if file.clock.days == 0 {
            return Err("the clock has no days".into());
        }
        Ok(Machine { states: file.states, transitions: file.transitions, clock: file.clock })
    }

    /// The statutory clock's rule.
    pub fn clock(&self) -> super::ClockRule {
        self.clock
    }

    /// Every state, in the order of the file.
    pub fn states(&self) -> &[StateDef] {
        &self.states
    }

    /// A state by its code.
    pub fn state(&self, code: &str) -> Option<&StateDef> {
        self.states.iter().find(|s| s.code == code)
    }

    /// The transition leaving `from` by `action`.
    pub fn find(&self, from: &str, action: &str) -> Option<&TransitionDef> {
        self.transitions.iter().find(|t| t.action == action && t.from.iter().any(|f| f == from))
    }

    /// The transitions leaving `from` that these powers take, in the order of the file.
    pub fn available(&self, from: &str, powers: &Powers) -> Vec<&TransitionDef> {
        self.transitions.iter().filter(|t| t.from.iter().any(|f| f == from) && powers.takes(t.by)).collect()
    }

    /// Every action code, once each, in the order of the file.
    pub fn actions(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in &self.transitions {
            if !out.contains(&t.action.as_str()) {
                out.push(&t.action);
            }
        }
        out
    }

    /// The states whose clock runs or is paused (the open applications).
    pub fn open_states(&self) -> Vec<&str> {
        self.states.iter().filter(|s| s.clock != ClockMode::Off).map(|s| s.code.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(actions: &[&str]) -> String {
        let m = Machine::standard();
        let mut state = DRAFT.to_owned();
        for a in actions {
            state = m.find(&state, a).unwrap_or_else(|| panic!("no {a} from {state}")).to.clone();
        }
        state
    }

    #[test]
    fn the_machine_leads_from_the_draft_to_a_decision() {
        assert_eq!(
            walk(&["submit", "start_check", "request_supplement", "answer_supplement", "accept", "issue"]),
            "issued"
        );
        assert_eq!(walk(&["submit", "start_check", "refuse"]), "refused");
        assert_eq!(walk(&["submit", "start_check", "accept", "refuse"]), "refused");
        assert_eq!(walk(&["submit", "withdraw"]), "withdrawn");
    }

    #[test]
    fn the_clock_pauses_only_while_supplements_are_awaited() {
        let m = Machine::standard();
        let paused: Vec<&str> =
            m.states().iter().filter(|s| s.clock == ClockMode::Paused).map(|s| s.code.as_str()).collect();
        assert_eq!(paused, ["supplement_requested"]);
        assert_eq!(m.open_states(), ["received", "checking", "supplement_requested", "appraisal"]);
    }

    #[test]
    fn each_side_sees_only_its_steps() {
        let m = Machine::standard();
        let owner = Powers { view: true, owner: true, ..Powers::default() };
        let officer = Powers { view: true, officer: true, ..Powers::default() };
        let leader = Powers { view: true, leader: true, ..Powers::default() };
        let codes = |p: &Powers, s: &str| m.available(s, p).iter().map(|t| t.action.clone()).collect::<Vec<_>>();
        assert_eq!(codes(&owner, "draft"), ["submit"]);
        assert_eq!(codes(&officer, "draft"), Vec::<String>::new());
        assert_eq!(codes(&officer, "appraisal"), ["request_supplement"]);
        assert_eq!(codes(&leader, "appraisal"), ["request_supplement", "issue", "refuse"]);
        assert_eq!(codes(&owner, "supplement_requested"), ["answer_supplement", "withdraw"]);
        assert!(m.find("issued", "issue").is_none(), "nothing leaves a decision");
        assert!(m.find("received", "issue").is_none(), "no certificate without the appraisal");
    }

    #[test]
    fn terminal_states_have_no_way_out_and_the_others_have_one() {
        let m = Machine::standard();
        let all = Powers { view: true, owner: true, officer: true, leader: true, appraise: true };
        for s in m.states() {
            assert_eq!(s.terminal, m.available(&s.code, &all).is_empty(), "{}", s.code);
        }
        assert!(m.state("issued").is_some_and(|s| s.terminal && s.clock == ClockMode::Off));
    }

    #[test]
    fn a_broken_machine_is_refused_with_the_reason() {
        let text = "clock = { days = 15, kind = \"working\", warn_days = 3 }\n[[states]]\ncode = \"draft\"\nclock = \"off\"\n[[transitions]]\naction = \"x\"\nfrom = [\"draft\"]\nto = \"nowhere\"\nby = \"owner\"\n";
        assert!(Machine::parse(text).unwrap_err().contains("nowhere"));
    }
}
