//! The tree of indicators: a parent must exist and must not be the indicator itself or one of its
//! descendants (`indicator_cycle`).

use std::collections::HashMap;

/// Whether giving `id` the parent `parent` would close a cycle, given every indicator's current parent.
/// A new indicator (`id` `None`) cannot close one.
pub fn makes_cycle(parents: &HashMap<i64, Option<i64>>, id: Option<i64>, parent: i64) -> bool {
    let Some(id) = id else { return false };
    let mut at = Some(parent);
    let mut steps = 0;
    while let Some(current) = at {
        if current == id {
            return true;
        }
        steps += 1;
        if steps > parents.len() {
            // An existing cycle (never stored by this code): refuse rather than loop.
            return true;
        }
        at = parents.get(&current).copied().flatten();
    }
    false
}

/// The indicators in tree order (each after its parent, siblings in the given order) with their depth.
/// Indicators whose parent is not in the list are roots.
pub fn ordered<T>(items: &[T], id: impl Fn(&T) -> i64, parent: impl Fn(&T) -> Option<i64>) -> Vec<(usize, usize)> {
    let ids: Vec<i64> = items.iter().map(&id).collect();
    let mut children: HashMap<Option<i64>, Vec<usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let p = parent(item).filter(|p| ids.contains(p));
        children.entry(p).or_default().push(i);
    }
    let mut out = Vec::with_capacity(items.len());
    let mut stack: Vec<(usize, usize)> = children.get(&None).into_iter().flatten().rev().map(|&i| (i, 0)).collect();
    while let Some((i, depth)) = stack.pop() {
        if out.iter().any(|(j, _)| *j == i) {
            continue;
        }
        out.push((i, depth));
        for &c in children.get(&Some(ids[i])).into_iter().flatten().rev() {
            stack.push((c, depth + 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parent_under_the_indicator_closes_a_cycle() {
        // 1 ← 2 ← 3
        let parents = HashMap::from([(1, None), (2, Some(1)), (3, Some(2))]);
        assert!(makes_cycle(&parents, Some(1), 3));
        assert!(makes_cycle(&parents, Some(2), 2), "its own parent");
        assert!(!makes_cycle(&parents, Some(3), 1));
        assert!(!makes_cycle(&parents, None, 3));
    }

    #[test]
    fn tree_order_puts_children_under_their_parent() {
        let items = [(1, None), (2, Some(3)), (3, Some(1)), (4, None), (5, Some(99))];
        let order = ordered(&items, |i| i.0, |i| i.1);
        let ids: Vec<(i64, usize)> = order.iter().map(|(i, d)| (items[*i].0, *d)).collect();
        assert_eq!(ids, [(1, 0), (3, 1), (2, 2), (4, 0), (5, 0)]);
    }
}
