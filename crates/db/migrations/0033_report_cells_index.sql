-- The cells of given indicators (a scorecard, an indicator's values) read from one index without visiting the
-- table (issue 19's budget). The primary key finds them, but each of its entries sends the read to the row in
-- the table, and the rows of one indicator are scattered over it: an approval writes the cells of every
-- field of one report together. Over ten million values the province's scorecard read 39,000 cells from as
-- many pages (1.2 s on SQLite); this index holds every column the read needs, in the order it asks for them,
-- so the read is one range per indicator (on PostgreSQL an index-only scan).
CREATE INDEX report_aggregates_cells ON report_aggregates
    (indicator_code, map, level, province_code, period_start, period_end, unit_code, period_code, value_sum, value_count);
