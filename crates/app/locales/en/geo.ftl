# Administrative units: audit trail summaries of a change of the map.

audit-map-change-recorded = Change of the map from { $date } recorded: { $ending } units end, { $starting } units start
audit-map-change-recorded-basis = Change of the map from { $date } recorded: { $ending } units end, { $starting } units start (under { $basis })
audit-admin-unit-ended = { $unit } no longer in force from { $date }
audit-admin-unit-started = { $unit } in force from { $date }
