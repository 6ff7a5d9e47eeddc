//! Following successions through time: "what is this old unit today" and "what did this unit come from".
//!
//! The rules live here once, over any [`LineageGraph`]: the in-memory [`super::Gazetteer`] and the database
//! repository (which fetches the part of the graph it needs) give the same answers.

use std::collections::{HashSet, VecDeque};
use std::hash::Hash;

use chrono::NaiveDate;

use super::code::UnitLevel;
use super::unit::{SuccessionKind, Validity};

/// A graph of units linked by successions.
pub trait LineageGraph {
    /// How a unit is named in the graph.
    type Key: Copy + Eq + Hash;

    /// The unit's validity.
    fn validity(&self, unit: Self::Key) -> Validity;
    /// The unit's level.
    fn level(&self, unit: Self::Key) -> UnitLevel;
    /// The unit's successors, each with whether it is the default one.
    fn successors(&self, unit: Self::Key) -> Vec<(Self::Key, bool)>;
    /// The unit's predecessors, each with the kind of the succession.
    fn predecessors(&self, unit: Self::Key) -> Vec<(Self::Key, SuccessionKind)>;
    /// The units whose parent is this unit (any validity).
    fn children(&self, unit: Self::Key) -> Vec<Self::Key>;
}

/// The units an older unit corresponds to on a later day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Successors<K> {
    /// The unit that takes the old unit's records by default: reached by following, at each split, the
    /// default successor. `None` when the unit did not exist yet on the day, or for a district whose
    /// communes went to several units.
    pub default: Option<K>,
    /// Every unit in force on the day that received a part of the old unit, in the order found.
    pub all: Vec<K>,
    /// True when the answer was derived from the unit's children: a district has no successor of its own
    /// (the district level was abolished), so its territory is followed through its communes.
    pub via_children: bool,
}

/// The units, in force on `day`, that `start` became. A unit still in force on `day` is its own answer; a
/// unit that starts after `day` has none.
pub fn successors_on<G: LineageGraph>(graph: &G, start: G::Key, day: NaiveDate) -> Successors<G::Key> {
    let validity = graph.validity(start);
    if validity.contains(day) {
        return Successors { default: Some(start), all: vec![start], via_children: false };
    }
    if validity.from.is_some_and(|from| day < from) {
        return Successors { default: None, all: Vec::new(), via_children: false };
    }
    if graph.successors(start).is_empty() && graph.level(start) == UnitLevel::District {
        return via_children(graph, start, day);
    }
    Successors { default: default_path(graph, start, day), all: reachable(graph, &[start], day), via_children: false }
}

/// Follows default successors until a unit in force on `day`.
fn default_path<G: LineageGraph>(graph: &G, start: G::Key, day: NaiveDate) -> Option<G::Key> {
    let mut current = start;
    let mut seen = HashSet::new();
    while seen.insert(current) {
        if graph.validity(current).contains(day) {
            return Some(current);
        }
        let next = graph.successors(current);
        current = next.iter().find(|(_, is_default)| *is_default).or(next.first()).map(|(k, _)| *k)?;
    }
    None
}

/// Every unit in force on `day` reachable from `starts` through successions.
fn reachable<G: LineageGraph>(graph: &G, starts: &[G::Key], day: NaiveDate) -> Vec<G::Key> {
    let mut found = Vec::new();
    let mut seen: HashSet<G::Key> = starts.iter().copied().collect();
    let mut queue: VecDeque<G::Key> = starts.iter().copied().collect();
    while let Some(unit) = queue.pop_front() {
        let validity = graph.validity(unit);
        if validity.contains(day) {
            found.push(unit);
            continue;
        }
        if validity.from.is_some_and(|from| day < from) {
            continue;
        }
        for (next, _) in graph.successors(unit) {
            if seen.insert(next) {
                queue.push_back(next);
            }
        }
    }
    found
}

fn via_children<G: LineageGraph>(graph: &G, district: G::Key, day: NaiveDate) -> Successors<G::Key> {
    let last_day = graph.validity(district).last_day();
    let children: Vec<G::Key> = graph
        .children(district)
        .into_iter()
        .filter(|c| last_day.is_none_or(|d| graph.validity(*c).contains(d)))
        .collect();
    let all = reachable(graph, &children, day);
    Successors { default: if all.len() == 1 { all.first().copied() } else { None }, all, via_children: true }
}

/// A unit a later unit came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin<K> {
    /// The earlier unit, in force on the day asked.
    pub unit: K,
    /// Whether all of it went into the later unit (false when it was split and only a part did).
    pub whole: bool,
}

/// The units in force on `day` (earlier) that `start` came from, following successions backwards. A unit
/// in force on `day` is its own origin.
pub fn origins_on<G: LineageGraph>(graph: &G, start: G::Key, day: NaiveDate) -> Vec<Origin<G::Key>> {
    let mut found = Vec::new();
    let mut seen = HashSet::from([start]);
    // (unit, whether every step so far took a whole unit)
    let mut queue = VecDeque::from([(start, true)]);
    while let Some((unit, whole)) = queue.pop_front() {
        let validity = graph.validity(unit);
        if validity.contains(day) {
            found.push(Origin { unit, whole });
            continue;
        }
        if validity.to.is_some_and(|to| to <= day) {
            continue;
        }
        for (previous, kind) in graph.predecessors(unit) {
            if seen.insert(previous) {
                queue.push_back((previous, whole && kind != SuccessionKind::Split));
            }
        }
    }
    found
}
