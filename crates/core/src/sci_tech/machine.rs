//! The state machine of an S&T task as data: its states, the transitions between them with who takes
//! each and what it records, the routes each applies to, and the reasons a proposal can be found invalid.
//! The standard machine is `machine.toml`, read and checked once ([`Machine::standard`]); a test walks
//! every route from its draft to its approval.

use std::sync::OnceLock;

use serde::Deserialize;

use super::{Regime, Route};

/// Who takes a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The proposing side (its organisation's accounts, or the individual who wrote it).
    Owner,
    /// The department's staff.
    Officer,
    /// The department's leaders.
    Leader,
    /// The council the proposal sits before.
    Council,
    /// The application itself, as a consequence of another step.
    System,
}

/// Whether a transition records its decision document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentRule {
    /// Not asked.
    #[default]
    None,
    /// Recorded when given.
    Optional,
    /// Required: number and symbol, date, signer.
    Required,
}

/// A state.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateDef {
    /// The stable code, stored and used in the API.
    pub code: String,
    /// Whether the proposing side may change the proposal in this state.
    #[serde(default)]
    pub owner_edits: bool,
    /// Whether the department sees it (it has been sent).
    #[serde(default)]
    pub submitted: bool,
    /// Whether nothing follows (invalid, not recommended, approved, cancelled, …).
    #[serde(default)]
    pub terminal: bool,
    /// Whether it is in the approved list of tasks (the public register).
    #[serde(default)]
    pub listed: bool,
    /// The kind of council it sits before in this state, if any (`identification`, `selection`).
    #[serde(default)]
    pub council: Option<String>,
}

/// A transition.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionDef {
    /// The action's stable code (`submit`, `screen_invalid`, `approve_list`, …).
    pub action: String,
    /// The states it leaves.
    pub from: Vec<String>,
    /// The state it reaches.
    pub to: String,
    /// Who takes it.
    pub by: Side,
    /// Whether it records the decision document.
    #[serde(default)]
    pub document: DocumentRule,
    /// Whether a note is required.
    #[serde(default)]
    pub note: bool,
    /// Whether screening reasons are required.
    #[serde(default)]
    pub reasons: bool,
    /// Whether it decides how the task is carried out (selection or direct assignment).
    #[serde(default)]
    pub mode: bool,
    /// The routes it applies to (codes of [`Route`]).
    pub routes: Vec<String>,
}

impl TransitionDef {
    /// Whether it applies to a route.
    pub fn applies_to(&self, route: Route) -> bool {
        self.routes.iter().any(|r| r == route.code())
    }

    /// Whether it leaves `state`.
    pub fn leaves(&self, state: &str) -> bool {
        self.from.iter().any(|s| s == state)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegimeDef {
    code: String,
    routes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonDef {
    code: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    regimes: Vec<RegimeDef>,
    states: Vec<StateDef>,
    transitions: Vec<TransitionDef>,
    reasons: Vec<ReasonDef>,
}

/// The machine: states, transitions, regimes and screening reasons.
#[derive(Debug, Clone)]
pub struct Machine {
    regimes: Vec<(Regime, Vec<Route>)>,
    states: Vec<StateDef>,
    transitions: Vec<TransitionDef>,
    reasons: Vec<String>,
}

/// The state every proposal starts in.
pub const DRAFT: &str = "draft";

impl Machine {
    /// The standard machine of `machine.toml`.
    ///
    /// # Panics
    /// Never for the file shipped (a test parses it); a broken edit of it fails at the first use.
    pub fn standard() -> &'static Machine {
        static MACHINE: OnceLock<Machine> = OnceLock::new();
        MACHINE.get_or_init(|| Machine::parse(include_str!("machine.toml")).expect("machine.toml is a valid machine"))
    }

    /// Reads and checks a machine: every state named exists, every route is known, no two transitions of a
    /// route leave a state by the same action, and `draft` exists.
    pub fn parse(text: &str) -> Result<Machine, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let known = |s: &str| file.states.iter().any(|d| d.code == s);
        if !known(DRAFT) {
            return Err("no draft state".into());
        }
        let mut regimes = Vec::new();
        for r in &file.regimes {
            let regime = Regime::from_code(&r.code).ok_or_else(|| format!("unknown regime {}", r.code))?;
            let routes = r
                .routes
                .iter()
                .map(|c| Route::from_code(c).ok_or_else(|| format!("unknown route {c}")))
                .collect::<Result<Vec<_>, _>>()?;
            regimes.push((regime, routes));
        }
        for t in &file.transitions {
            for s in t.from.iter().chain(std::iter::once(&t.to)) {
                if !known(s) {
                    return Err(format!("transition {} names the unknown state {s}", t.action));
                }
            }
            for r in &t.routes {
                let route =
                    Route::from_code(r).ok_or_else(|| format!("transition {} names the route {r}", t.action))?;
                for from in &t.from {
                    let same = file
                        .transitions
                        .iter()
                        .filter(|o| o.action == t.action && o.applies_to(route) && o.leaves(from))
                        .count();
                    if same > 1 {
                        return Err(format!("{} leaves {from} twice on route {r}", t.action));
                    }
                }
            }
        }
        Ok(Machine {
            regimes,
            states: file.states,
            transitions: file.transitions,
            reasons: file.reasons.into_iter().map(|r| r.code).collect(),
        })
    }

    /// The routes a regime offers.
    pub fn routes(&self, regime: Regime) -> &[Route] {
        self.regimes.iter().find(|(r, _)| *r == regime).map_or(&[], |(_, routes)| routes.as_slice())
    }

    /// Every state, in the order of the file.
    pub fn states(&self) -> &[StateDef] {
        &self.states
    }

    /// A state by its code.
    pub fn state(&self, code: &str) -> Option<&StateDef> {
        self.states.iter().find(|s| s.code == code)
    }

    /// The transition of `route` that leaves `from` by `action`.
    pub fn find(&self, route: Route, from: &str, action: &str) -> Option<&TransitionDef> {
        self.transitions.iter().find(|t| t.action == action && t.applies_to(route) && t.leaves(from))
    }

    /// The transitions of `route` leaving `from`, in the order of the file.
    pub fn leaving<'a, 'b>(
        &'a self,
        route: Route,
        from: &'b str,
    ) -> impl Iterator<Item = &'a TransitionDef> + use<'a, 'b> {
        self.transitions.iter().filter(move |t| t.applies_to(route) && t.leaves(from))
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

    /// The reasons a proposal can be found invalid.
    pub fn reasons(&self) -> &[String] {
        &self.reasons
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(route: Route, actions: &[&str]) -> String {
        let m = Machine::standard();
        let mut state = DRAFT.to_owned();
        for action in actions {
            let t = m.find(route, &state, action).unwrap_or_else(|| panic!("{route:?}: no {action} from {state}"));
            state = t.to.clone();
        }
        state
    }

    #[test]
    fn the_standard_machine_reads() {
        let m = Machine::standard();
        assert!(m.state("listed").is_some_and(|s| s.listed));
        assert_eq!(m.routes(Regime::Law2013), &[Route::Order, Route::Selection, Route::Direct]);
        assert!(m.routes(Regime::Law2025).contains(&Route::Grant));
        assert!(m.reasons().contains(&"incomplete".to_owned()));
    }

    #[test]
    fn every_route_leads_from_its_draft_to_its_end() {
        assert_eq!(
            walk(
                Route::Order,
                &["submit", "screen_valid", "to_council", "recommend", "approve_list", "announce", "assign"]
            ),
            "assigned"
        );
        assert_eq!(walk(Route::Order, &["submit", "screen_invalid"]), "invalid");
        assert_eq!(walk(Route::Order, &["submit", "screen_valid", "to_council", "not_recommend"]), "not_recommended");
        let stage_b = [
            "submit",
            "open_valid",
            "to_council",
            "select",
            "request_revision",
            "submit_revision",
            "appraise_budget",
            "approve",
        ];
        for route in [Route::Selection, Route::Direct, Route::Grant] {
            assert_eq!(walk(route, &stage_b), "approved", "{route:?}");
        }
        // A grassroots task skips the budget appraisal.
        assert_eq!(
            walk(
                Route::Grassroots,
                &["submit", "open_valid", "to_council", "select", "request_revision", "submit_revision", "approve"]
            ),
            "approved"
        );
        assert_eq!(walk(Route::Selection, &["submit", "open_valid", "to_council", "not_select"]), "not_selected");
    }

    #[test]
    fn a_transition_of_another_route_or_state_is_not_there() {
        let m = Machine::standard();
        assert!(m.find(Route::Order, "submitted", "open_valid").is_none(), "proposals are screened, not opened");
        assert!(m.find(Route::Selection, "submitted", "screen_valid").is_none());
        assert!(m.find(Route::Order, "draft", "approve_list").is_none());
        assert!(m.find(Route::Grassroots, "budget_appraisal", "appraise_budget").is_none());
    }

    #[test]
    fn terminal_states_have_no_way_out_and_the_others_have_one() {
        let m = Machine::standard();
        for state in m.states() {
            let out = Route::ALL.iter().flat_map(|r| m.leaving(*r, &state.code)).count();
            if state.terminal {
                assert_eq!(out, 0, "{} is terminal", state.code);
            } else {
                assert!(out > 0, "{} leads nowhere", state.code);
            }
        }
    }

    #[test]
    fn a_broken_machine_is_refused_with_the_reason() {
        let text = "regimes = []\nreasons = []\n[[states]]\ncode = \"draft\"\n[[transitions]]\naction = \"x\"\nfrom = [\"draft\"]\nto = \"nowhere\"\nby = \"owner\"\nroutes = [\"order\"]\n";
        assert!(Machine::parse(text).unwrap_err().contains("nowhere"));
    }

    #[test]
    fn only_the_listed_states_are_public_and_only_drafts_and_revisions_are_the_owners() {
        let m = Machine::standard();
        let owner: Vec<&str> = m.states().iter().filter(|s| s.owner_edits).map(|s| s.code.as_str()).collect();
        assert_eq!(owner, ["draft", "revising"]);
        assert!(m.states().iter().filter(|s| s.code != DRAFT).all(|s| s.submitted));
    }
}
