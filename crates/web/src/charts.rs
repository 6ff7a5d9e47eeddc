//! What the web pages add to a chart of `tiendo_export::chart`: its description for screen readers in the
//! page's language (the export crate's own description is Vietnamese, for official documents).

use tiendo_export::chart::{Chart, ChartKind};

/// The description of `chart` in the reader's language: its kind, title and number of groups, and that a
/// data table follows (the names themselves are in the table).
pub fn describe(tr: &tiendo_app::Tr, chart: &Chart) -> String {
    let kind = tr.t(match chart.kind {
        ChartKind::Bar => "chart-kind-bar",
        ChartKind::StackedBar => "chart-kind-stacked-bar",
        ChartKind::Line => "chart-kind-line",
        ChartKind::Donut => "chart-kind-donut",
    });
    let count = chart.categories.len().to_string();
    tr.t_with("chart-description", &[("kind", &kind), ("title", &chart.title), ("count", &count)])
}

/// Sets the description of `chart` in the reader's language.
pub fn describe_in_place(tr: &tiendo_app::Tr, chart: &mut Chart) {
    chart.description = describe(tr, chart);
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiendo_core::lang::Lang;
    use tiendo_export::chart::Series;

    #[test]
    fn the_description_is_in_the_readers_language() {
        let chart = Chart::new(
            ChartKind::Donut,
            "Tasks by status",
            vec!["Overdue".to_owned(), "In progress".to_owned()],
            vec![Series { name: "Tasks".to_owned(), values: vec![1.0, 2.0] }],
        );
        let en = describe(&tiendo_app::Tr::new(Lang::En), &chart);
        assert!(en.starts_with("Donut chart"), "{en}");
        assert!(!en.contains("Biểu đồ"), "{en}");
        let vi = describe(&tiendo_app::Tr::new(Lang::Vi), &chart);
        assert!(vi.starts_with("Biểu đồ vành khuyên"), "{vi}");
    }
}
