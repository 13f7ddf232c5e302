-- The whole schema. Idempotent: run on every writer open. Documented in docs/schema.md.

CREATE SEQUENCE IF NOT EXISTS seq_submission START 1;
CREATE SEQUENCE IF NOT EXISTS seq_plan START 1;
CREATE SEQUENCE IF NOT EXISTS seq_plan_task START 1;
CREATE SEQUENCE IF NOT EXISTS seq_unit START 1;

-- One row per file that was loaded (duplicates and refusals go to load_log only).
CREATE TABLE IF NOT EXISTS submissions (
    submission_id     INTEGER PRIMARY KEY DEFAULT nextval('seq_submission'),
    file_name         VARCHAR NOT NULL,
    sha256            VARCHAR NOT NULL UNIQUE,
    archive_path      VARCHAR,
    file_format       VARCHAR,
    province          VARCHAR NOT NULL,      -- current (post-2025) province
    province_legacy   VARCHAR NOT NULL,      -- province as the file names it
    reporting_unit    VARCHAR NOT NULL,
    period_year       INTEGER NOT NULL,
    period_kind       VARCHAR NOT NULL,      -- Q | H | 9M | Y
    period_index      INTEGER,               -- 1-4 for Q, 1-2 for H, NULL otherwise
    plan_id           INTEGER,
    loaded_at         TIMESTAMP NOT NULL,
    n_rows            INTEGER NOT NULL,
    n_warnings        INTEGER NOT NULL DEFAULT 0,
    superseded_by     INTEGER                -- newer submission of the same unit and period
);

-- One row per task row of a submission.
CREATE TABLE IF NOT EXISTS report_tasks (
    submission_id      INTEGER NOT NULL,
    row_no             INTEGER NOT NULL,      -- Excel row a person sees (CSV record)
    sheet              VARCHAR,
    task_code          VARCHAR,
    stt                VARCHAR,
    task_title         VARCHAR NOT NULL,
    section_title      VARCHAR,
    topic              VARCHAR,
    lead_units         VARCHAR[],
    coordinating_units VARCHAR[],
    due_text           VARCHAR,
    due_kind           VARCHAR NOT NULL,
    due_date           DATE,                  -- extended date when an extension was approved
    due_date_original  DATE,                  -- printed deadline when an extension moved it
    status_reported    VARCHAR,               -- done | in_progress | not_started | suspended
    pct_done           DOUBLE,                -- 0-100
    completed_on       DATE,
    result_text        VARCHAR,
    difficulties       VARCHAR,
    proposals          VARCHAR,
    note               VARCHAR,
    plan_task_id       INTEGER,
    match_score        DOUBLE,
    status_at_end      VARCHAR,               -- status class on the period's last day (set on publish)
    PRIMARY KEY (submission_id, row_no)
);
-- Files written before status_at_end existed get the column here and its values on publish.
ALTER TABLE report_tasks ADD COLUMN IF NOT EXISTS status_at_end VARCHAR;

-- Every attempt: loaded, duplicate, rejected.
CREATE TABLE IF NOT EXISTS load_log (
    attempted_at   TIMESTAMP NOT NULL,
    file_name      VARCHAR NOT NULL,
    sha256         VARCHAR,
    verdict        VARCHAR NOT NULL,
    submission_id  INTEGER,
    n_rows         INTEGER,
    n_errors       INTEGER,
    message        VARCHAR
);
-- Who loaded the file: an account's user name, 'cli:<os user>', or 'demo' (the demo loader).
ALTER TABLE load_log ADD COLUMN IF NOT EXISTS loaded_by VARCHAR;

-- How each column of a file was understood (etl/ingest/column_map.py), one row per attempt whose
-- columns were read (loaded or refused), by the file's SHA-256 (load_log.sha256, submissions.sha256).
-- ``columns`` is a JSON list in column order of {"offset", "letter", "header", "used", "auto", "source"}:
-- used/auto are a report_tasks column, 'mark:<status>' (an x-mark column) or '' (ignored); auto is
-- what the reader made of the header by itself; source is auto | remembered | chosen. One row, not
-- one per column: it is written with every file and must not slow the load down.
CREATE TABLE IF NOT EXISTS file_columns (
    attempted_at       TIMESTAMP NOT NULL,
    sha256             VARCHAR NOT NULL,
    header_fingerprint VARCHAR NOT NULL,      -- the header's shape (folded header texts)
    columns            VARCHAR NOT NULL
);

-- Column corrections a person made on the upload page, per reporting unit and header shape: applied
-- to that unit's next files with the same header, in the app and in the CLI.
CREATE TABLE IF NOT EXISTS column_overrides (
    province_legacy    VARCHAR NOT NULL,
    reporting_unit     VARCHAR NOT NULL,
    header_fingerprint VARCHAR NOT NULL,
    col_offset         INTEGER NOT NULL,
    assignment         VARCHAR NOT NULL,      -- as file_columns.used_as
    header_text        VARCHAR,
    saved_at           TIMESTAMP NOT NULL,
    PRIMARY KEY (province_legacy, reporting_unit, header_fingerprint, col_offset)
);

-- Report versions (issue 14, etl/store/versions.py). Of the reports of one unit and period, the
-- current one is the newest by the report's own date, then its number ("Số: 12/BC-…"), then the load
-- time; a person may make another one current or withdraw one with a reason (withdrawn: never
-- current). Every such change is a row of submission_events, kept forever.
ALTER TABLE submissions ADD COLUMN IF NOT EXISTS report_date DATE;
ALTER TABLE submissions ADD COLUMN IF NOT EXISTS report_number INTEGER;
ALTER TABLE submissions ADD COLUMN IF NOT EXISTS withdrawn_at TIMESTAMP;
ALTER TABLE submissions ADD COLUMN IF NOT EXISTS withdrawn_reason VARCHAR;
CREATE TABLE IF NOT EXISTS submission_events (
    event_at       TIMESTAMP NOT NULL,
    submission_id  INTEGER NOT NULL,
    action         VARCHAR NOT NULL,  -- loaded | loaded_older | superseded | made_current | withdrawn
    other_id       INTEGER,           -- the submission that replaced it, or that it replaced
    reason         VARCHAR
);

-- Unit directory: canonical names per (legacy) province, editable aliases, successor link.
CREATE TABLE IF NOT EXISTS units (
    unit_id        INTEGER PRIMARY KEY DEFAULT nextval('seq_unit'),
    canonical_name VARCHAR NOT NULL,
    province       VARCHAR NOT NULL,          -- province as the unit's documents name it
    kind           VARCHAR,
    successor_id   INTEGER,
    UNIQUE (canonical_name, province)
);
CREATE TABLE IF NOT EXISTS unit_aliases (
    unit_id INTEGER NOT NULL,
    alias   VARCHAR NOT NULL,
    PRIMARY KEY (unit_id, alias)
);

-- Plans (Kế hoạch) and their tasks.
CREATE TABLE IF NOT EXISTS plans (
    plan_id          INTEGER PRIMARY KEY DEFAULT nextval('seq_plan'),
    province         VARCHAR NOT NULL,
    province_legacy  VARCHAR NOT NULL,
    plan_year        INTEGER NOT NULL,
    title            VARCHAR,
    plan_number      VARCHAR,
    issued_on        DATE,
    report_deadlines VARCHAR[],
    source_sha256    VARCHAR,
    imported_at      TIMESTAMP NOT NULL,
    UNIQUE (province_legacy, plan_year, plan_number)
);
CREATE TABLE IF NOT EXISTS plan_tasks (
    plan_task_id       INTEGER PRIMARY KEY DEFAULT nextval('seq_plan_task'),
    plan_id            INTEGER NOT NULL,
    task_code          VARCHAR NOT NULL,
    task_title         VARCHAR NOT NULL,
    section_title      VARCHAR,
    topic              VARCHAR,
    lead_units         VARCHAR[],
    coordinating_units VARCHAR[],
    due_text           VARCHAR,
    due_kind           VARCHAR NOT NULL,
    due_date           DATE,
    UNIQUE (plan_id, task_code)
);

-- Macros and views: recreated on every writer open.
CREATE OR REPLACE MACRO period_end(y, k, i) AS
    CASE k
        WHEN 'Q' THEN last_day(make_date(y, i * 3, 1))
        WHEN 'H' THEN last_day(make_date(y, i * 6, 1))
        WHEN '9M' THEN make_date(y, 9, 30)
        ELSE make_date(y, 12, 31)
    END;

-- The status class of DOMAIN.md for one task row, judged on as_of.
CREATE OR REPLACE MACRO status_class(status, pct, completed_on, due_date, due_kind, as_of) AS
    CASE
        WHEN status = 'suspended' THEN 'suspended'
        WHEN status = 'done' OR (status IS NULL AND pct >= 100) THEN
            CASE
                WHEN completed_on IS NULL THEN 'done_undated'
                WHEN due_date IS NULL OR completed_on <= due_date THEN 'done_on_time'
                ELSE 'done_late'
            END
        WHEN due_date IS NOT NULL AND due_kind NOT IN ('recurring', 'on_demand') AND as_of > due_date
            THEN 'overdue'
        WHEN status = 'in_progress' OR coalesce(pct, 0) > 0 THEN 'in_progress'
        ELSE 'not_started'
    END;

-- Derived tables. Facts every dashboard query would otherwise recompute over all report rows are
-- computed by a *_live view and stored, under the view's name without _live, by every writer just
-- before it publishes (etl/store/db.py DERIVED_TABLES, in this order). Readers only ever open published
-- files, so they always see them up to date; inside a writer they hold the state of its start.
DROP TABLE IF EXISTS no_report_cache;  -- the name of no_report_rows before schema_info existed

-- Every submission with its period's last day, whether it is current (not superseded), and how long
-- a current one counts as its unit's latest report: from period_end until latest_until, the period
-- end of the unit's next report (NULL: its newest); latest_until_in_year is the same within the plan
-- year (when a year is selected). Reports are ordered by (period_end, submission_id): of two reports
-- ending the same day (Quý II and 6 tháng) the later loaded one is the latest.
CREATE OR REPLACE VIEW submission_info_live AS
    WITH s AS (
        SELECT *, period_end(period_year, period_kind, period_index) AS period_end,
            superseded_by IS NULL AND withdrawn_at IS NULL AS is_current
        FROM submissions
    )
    SELECT *,
        CASE WHEN is_current THEN lead(period_end) OVER (PARTITION BY province_legacy, reporting_unit, is_current
                                                         ORDER BY period_end, submission_id) END AS latest_until,
        CASE WHEN is_current THEN lead(period_end) OVER (PARTITION BY province_legacy, reporting_unit, is_current,
                                                         period_year ORDER BY period_end, submission_id) END
            AS latest_until_in_year
    FROM s;
CREATE TABLE IF NOT EXISTS submission_info AS SELECT * FROM submission_info_live;

CREATE OR REPLACE VIEW current_submissions AS SELECT * FROM submission_info WHERE is_current;

-- Every task row of every submission (superseded ones included) with its submission's columns.
CREATE OR REPLACE VIEW all_rows AS
    SELECT
        s.submission_id, s.province, s.province_legacy, s.reporting_unit,
        s.period_year, s.period_kind, s.period_index, s.period_end, s.plan_id, s.is_current,
        t.row_no, t.task_code, t.task_title, t.section_title, t.topic,
        t.lead_units, t.coordinating_units, t.lead_units[1] AS lead_unit,
        t.due_text, t.due_kind, t.due_date, t.due_date_original,
        t.status_reported, t.pct_done AS percent, t.completed_on,
        t.result_text, t.difficulties, t.proposals, t.note,
        t.plan_task_id, t.match_score, t.status_at_end, s.latest_until, s.latest_until_in_year
    FROM report_tasks t JOIN submission_info s USING (submission_id);
CREATE OR REPLACE VIEW current_rows AS SELECT * FROM all_rows WHERE is_current;

-- The rows of each unit's newest report: what the dashboard shows by default (as_of on or after
-- the newest period end, no period or year selected), a few thousand rows out of millions.
-- province_newest: the row is of its province's newest reported period (the default view keeps those).
-- Two columns judge them on any as-of date without the status rules (latest_progress_asof):
-- status_before_due, their status class while their deadline has not passed, and overdue_after, the
-- deadline after which they are overdue (NULL: never, being done, suspended, undated or recurring).
CREATE OR REPLACE VIEW latest_rows_live AS
    SELECT *, CASE WHEN status_before_due IN ('in_progress', 'not_started') AND due_date IS NOT NULL
                        AND due_kind NOT IN ('recurring', 'on_demand') THEN due_date END AS overdue_after
    FROM (
        SELECT *, status_class(status_reported, percent, completed_on, due_date, due_kind, DATE '0001-01-01')
            AS status_before_due,
            -- of its province's newest reported period: the default view once as-of has reached it
            (province_legacy, period_end) IN (
                SELECT (province_legacy, max(period_end)) FROM current_submissions GROUP BY province_legacy
            ) AS province_newest
        FROM current_rows WHERE latest_until IS NULL
    );
CREATE TABLE IF NOT EXISTS latest_rows AS SELECT * FROM latest_rows_live;

-- Plan coverage: one 'no_report' row for each plan task and reported period (a period some unit of
-- the province reported on) that no current submission of that period covers, attributed to the
-- task's first lead unit. It counts as its province's latest from the period's end until the
-- province's next reported period ends (latest_until, latest_until_in_year: as in submission_info).
CREATE OR REPLACE VIEW no_report_rows_live AS
    WITH periods AS (
        SELECT DISTINCT plan_id, province, province_legacy, period_year, period_kind, period_index, period_end
        FROM current_submissions WHERE plan_id IS NOT NULL
    ),
    covered AS (
        SELECT DISTINCT plan_task_id, period_kind, period_index
        FROM current_rows WHERE plan_task_id IS NOT NULL
    ),
    province_ends AS (
        SELECT province_legacy, period_end,
            lead(period_end) OVER (PARTITION BY province_legacy ORDER BY period_end) AS latest_until,
            lead(period_end) OVER (PARTITION BY province_legacy, period_year ORDER BY period_end)
                AS latest_until_in_year
        FROM (SELECT DISTINCT province_legacy, period_year, period_end FROM current_submissions)
    )
    SELECT
        NULL::INTEGER AS submission_id, pr.province, pr.province_legacy,
        coalesce(pt.lead_units[1], 'Chưa rõ đơn vị') AS reporting_unit,
        pr.period_year, pr.period_kind, pr.period_index, pr.period_end,
        pt.plan_id, TRUE AS is_current, NULL::INTEGER AS row_no,
        pt.task_code, pt.task_title, pt.section_title, pt.topic, pt.lead_units, pt.coordinating_units,
        pt.lead_units[1] AS lead_unit, pt.due_text, pt.due_kind, pt.due_date, NULL::DATE AS due_date_original,
        NULL::VARCHAR AS status_reported, NULL::DOUBLE AS percent, NULL::DATE AS completed_on,
        NULL::VARCHAR AS result_text, NULL::VARCHAR AS difficulties, NULL::VARCHAR AS proposals,
        NULL::VARCHAR AS note, pt.plan_task_id, NULL::DOUBLE AS match_score,
        pe.latest_until, pe.latest_until_in_year
    FROM plan_tasks pt JOIN periods pr USING (plan_id)
    JOIN province_ends pe USING (province_legacy, period_end)
    WHERE NOT EXISTS (
        SELECT 1 FROM covered c WHERE c.plan_task_id = pt.plan_task_id
          AND c.period_kind = pr.period_kind AND c.period_index IS NOT DISTINCT FROM pr.period_index
    );
CREATE TABLE IF NOT EXISTS no_report_rows AS SELECT * FROM no_report_rows_live;

-- How many rows of each submission had each status on the period's last day (status_at_end): a
-- trend over many periods reads these few rows instead of every report row.
CREATE OR REPLACE VIEW submission_status_counts_live AS
    SELECT submission_id, status_at_end, count(*)::INTEGER AS n_tasks FROM report_tasks GROUP BY ALL;
CREATE TABLE IF NOT EXISTS submission_status_counts AS SELECT * FROM submission_status_counts_live;

-- The units a filter can choose in each province: reporting units and the lead units of current rows.
CREATE OR REPLACE VIEW unit_names_live AS
    SELECT DISTINCT province_legacy, province, unit FROM (
        SELECT province_legacy, province, reporting_unit AS unit FROM current_submissions
        UNION ALL
        SELECT province_legacy, province, unnest(lead_units) AS unit FROM current_rows
    ) WHERE unit IS NOT NULL AND unit <> '';
CREATE TABLE IF NOT EXISTS unit_names AS SELECT * FROM unit_names_live;

-- The choices of the filters that depend on the data only, in one row: provinces (current and as
-- written) of current submissions, plan years with reports (newest first), the topics of report rows
-- ('Khác' for rows without one) and the newest period end. Each sidebar draw reads this row.
DROP TABLE IF EXISTS topic_names;  -- now a column of filter_choices
CREATE OR REPLACE VIEW filter_choices_live AS
    SELECT
        (SELECT list(DISTINCT province) FROM current_submissions) AS provinces_current,
        (SELECT list(DISTINCT province_legacy) FROM current_submissions) AS provinces_legacy,
        (SELECT list(DISTINCT period_year ORDER BY period_year DESC) FROM submissions) AS years,
        (SELECT list(DISTINCT coalesce(topic, 'Khác')) FROM report_tasks) AS topics,
        (SELECT max(period_end) FROM current_submissions) AS newest_end;
CREATE TABLE IF NOT EXISTS filter_choices AS SELECT * FROM filter_choices_live;

-- The rows of the relation named src (all_rows, current_rows, latest_rows), judged on as_of.
CREATE OR REPLACE MACRO judged_rows(src, as_of, soon_days) AS TABLE
    SELECT *,
        status_class(status_reported, percent, completed_on, due_date, due_kind, as_of) AS status_class,
        (status_reported IS DISTINCT FROM 'done' AND status_reported IS DISTINCT FROM 'suspended'
            AND due_date IS NOT NULL AND due_date >= as_of AND due_date - as_of <= soon_days) AS due_soon,
        CAST(as_of AS DATE) AS as_of
    FROM query_table(src);

-- Every task row of every submission (superseded ones included), judged on as_of.
CREATE OR REPLACE MACRO task_progress_all_asof(as_of, soon_days) AS TABLE
    SELECT * FROM judged_rows('all_rows', as_of, soon_days);
-- Current submissions only: what the dashboard counts.
CREATE OR REPLACE MACRO task_progress_asof(as_of, soon_days) AS TABLE
    SELECT * FROM judged_rows('current_rows', as_of, soon_days);
-- Each unit's newest report only (latest_rows); newest_only := TRUE: of its province's newest period.
CREATE OR REPLACE MACRO latest_progress_asof(as_of, soon_days, newest_only := FALSE) AS TABLE
    SELECT * EXCLUDE (status_before_due, overdue_after, province_newest),
        CASE WHEN as_of > overdue_after THEN 'overdue' ELSE status_before_due END AS status_class,
        (status_reported IS DISTINCT FROM 'done' AND status_reported IS DISTINCT FROM 'suspended'
            AND due_date IS NOT NULL AND due_date >= as_of AND due_date - as_of <= soon_days) AS due_soon,
        CAST(as_of AS DATE) AS as_of
    FROM latest_rows WHERE province_newest OR NOT newest_only;

CREATE OR REPLACE VIEW v_task_progress AS SELECT * FROM task_progress_asof(current_date, 14);
CREATE OR REPLACE VIEW v_task_progress_all AS SELECT * FROM task_progress_all_asof(current_date, 14);

-- The no_report rows alone, judged on as_of (same columns as task_progress_asof).
CREATE OR REPLACE MACRO no_report_asof(as_of, soon_days) AS TABLE
    SELECT *, 'no_report' AS status_class, FALSE AS due_soon, CAST(as_of AS DATE) AS as_of
    FROM no_report_rows;

-- The report rows of task_progress_asof plus the no_report rows.
CREATE OR REPLACE MACRO plan_coverage_asof(as_of, soon_days) AS TABLE
    SELECT * FROM task_progress_asof(as_of, soon_days)
    UNION ALL BY NAME
    SELECT * FROM no_report_asof(as_of, soon_days);

CREATE OR REPLACE VIEW v_plan_coverage AS SELECT * FROM plan_coverage_asof(current_date, 14);

-- Every reported period of every province (a period with a current submission), with what does not
-- depend on the as-of date: the plan's report deadlines and lead units (in plan order) for that year,
-- the units that reported in the year, and (unit, first loaded on) of each report of the period,
-- superseded and withdrawn versions included. The scope ("Kế hoạch 2025 · Quý II/2025 · 3 tỉnh",
-- queries/scope.py) and the reports received (queries/received.py) pick their periods from these
-- few rows instead of every submission.
CREATE OR REPLACE VIEW province_periods_live AS
    WITH periods AS (
        SELECT DISTINCT province_legacy, province, period_year, period_kind, period_index, period_end
        FROM current_submissions
    ),
    plan_units AS (
        SELECT p.province_legacy, p.plan_year AS period_year,
            flatten(list(DISTINCT p.report_deadlines ORDER BY p.report_deadlines)) AS deadlines,
            list(pt.u ORDER BY pt.plan_task_id) FILTER (WHERE pt.u IS NOT NULL) AS units
        FROM plans p
        LEFT JOIN (SELECT plan_id, plan_task_id, unnest(lead_units) AS u FROM plan_tasks) pt USING (plan_id)
        GROUP BY ALL
    ),
    year_units AS (
        SELECT province_legacy, period_year, list(DISTINCT reporting_unit ORDER BY reporting_unit) AS units
        FROM current_submissions GROUP BY ALL
    ),
    sent AS (
        SELECT province_legacy, period_year, period_kind, period_index, list((reporting_unit, first) ORDER BY reporting_unit) AS sent
        FROM (
            SELECT province_legacy, period_year, period_kind, coalesce(period_index, 0) AS period_index,
                reporting_unit, min(loaded_at)::DATE AS first
            FROM submission_info GROUP BY ALL
        ) GROUP BY ALL
    )
    SELECT t.province_legacy, t.province, t.period_year, t.period_kind, t.period_index, t.period_end,
        p.deadlines, p.units AS plan_units, y.units AS year_units, s.sent
    FROM periods t
    LEFT JOIN plan_units p USING (province_legacy, period_year)
    LEFT JOIN year_units y USING (province_legacy, period_year)
    LEFT JOIN sent s ON s.province_legacy = t.province_legacy AND s.period_year = t.period_year
        AND s.period_kind = t.period_kind AND s.period_index = coalesce(t.period_index, 0);
CREATE TABLE IF NOT EXISTS province_periods AS SELECT * FROM province_periods_live;

-- submission_status_counts of the current submissions, summed per province and period: the trend's
-- periods ended by as_of read these few rows (queries/overview.py).
CREATE OR REPLACE VIEW period_status_counts_live AS
    SELECT province_legacy, province, period_year, period_kind, period_index, period_end, c.status_at_end,
        sum(c.n_tasks)::BIGINT AS n_tasks
    FROM submission_status_counts c JOIN current_submissions USING (submission_id)
    GROUP BY ALL;
CREATE TABLE IF NOT EXISTS period_status_counts AS SELECT * FROM period_status_counts_live;

-- The aliases people added on the Danh mục đơn vị page (etl/store/unit_aliases.py): who and when.
-- Only these can be removed there; the aliases seeded from data/reference/units.csv cannot.
CREATE TABLE IF NOT EXISTS unit_alias_edits (
    unit_id  INTEGER NOT NULL,
    alias    VARCHAR NOT NULL,
    added_by VARCHAR NOT NULL,
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (unit_id, alias)
);
