-- The report data in PostgreSQL (TTDN_DATABASE_URL; etl/store/postgres.py). Idempotent.
-- The base tables of schema.sql with the same columns; the derived tables are not stored here (each
-- app instance computes them in DuckDB from a replica of these tables). Ids are given by the writer,
-- which holds the writers' advisory lock.

CREATE TABLE IF NOT EXISTS submissions (
    submission_id     integer PRIMARY KEY,
    file_name         text NOT NULL,
    sha256            text NOT NULL UNIQUE,
    archive_path      text,
    file_format       text,
    province          text NOT NULL,
    province_legacy   text NOT NULL,
    reporting_unit    text NOT NULL,
    period_year       integer NOT NULL,
    period_kind       text NOT NULL,
    period_index      integer,
    plan_id           integer,
    loaded_at         timestamp NOT NULL,
    n_rows            integer NOT NULL,
    n_warnings        integer NOT NULL DEFAULT 0,
    superseded_by     integer,
    report_date       date,
    report_number     integer,
    withdrawn_at      timestamp,
    withdrawn_reason  text
);

CREATE TABLE IF NOT EXISTS report_tasks (
    submission_id      integer NOT NULL,
    row_no             integer NOT NULL,
    sheet              text,
    task_code          text,
    stt                text,
    task_title         text NOT NULL,
    section_title      text,
    topic              text,
    lead_units         text[],
    coordinating_units text[],
    due_text           text,
    due_kind           text NOT NULL,
    due_date           date,
    due_date_original  date,
    status_reported    text,
    pct_done           double precision,
    completed_on       date,
    result_text        text,
    difficulties       text,
    proposals          text,
    note               text,
    plan_task_id       integer,
    match_score        double precision,
    status_at_end      text,
    -- the submission's province (row-level security), filled on insert from submissions
    province           text,
    written_version    bigint,               -- data_version of the write that stored it (incremental pulls)
    PRIMARY KEY (submission_id, row_no)
);
CREATE INDEX IF NOT EXISTS report_tasks_written ON report_tasks (written_version);

CREATE TABLE IF NOT EXISTS load_log (
    attempted_at   timestamp NOT NULL,
    file_name      text NOT NULL,
    sha256         text,
    verdict        text NOT NULL,
    submission_id  integer,
    n_rows         integer,
    n_errors       integer,
    message        text,
    loaded_by      text
);

CREATE TABLE IF NOT EXISTS file_columns (
    attempted_at       timestamp NOT NULL,
    sha256             text NOT NULL,
    header_fingerprint text NOT NULL,
    columns            text NOT NULL
);

CREATE TABLE IF NOT EXISTS column_overrides (
    province_legacy    text NOT NULL,
    reporting_unit     text NOT NULL,
    header_fingerprint text NOT NULL,
    col_offset         integer NOT NULL,
    assignment         text NOT NULL,
    header_text        text,
    saved_at           timestamp NOT NULL,
    PRIMARY KEY (province_legacy, reporting_unit, header_fingerprint, col_offset)
);

CREATE TABLE IF NOT EXISTS submission_events (
    event_at       timestamp NOT NULL,
    submission_id  integer NOT NULL,
    action         text NOT NULL,
    other_id       integer,
    reason         text
);

CREATE TABLE IF NOT EXISTS units (
    unit_id        integer PRIMARY KEY,
    canonical_name text NOT NULL,
    province       text NOT NULL,
    kind           text,
    successor_id   integer,
    UNIQUE (canonical_name, province)
);
CREATE TABLE IF NOT EXISTS unit_aliases (
    unit_id integer NOT NULL,
    alias   text NOT NULL,
    PRIMARY KEY (unit_id, alias)
);

-- who added an alias on the Danh mục đơn vị page (aliases from the reference list have no row)
CREATE TABLE IF NOT EXISTS unit_alias_edits (
    unit_id  integer NOT NULL,
    alias    text NOT NULL,
    added_by text NOT NULL,
    added_at timestamp NOT NULL,
    PRIMARY KEY (unit_id, alias)
);

CREATE TABLE IF NOT EXISTS plans (
    plan_id          integer PRIMARY KEY,
    province         text NOT NULL,
    province_legacy  text NOT NULL,
    plan_year        integer NOT NULL,
    title            text,
    plan_number      text,
    issued_on        date,
    report_deadlines text[],
    source_sha256    text,
    imported_at      timestamp NOT NULL,
    UNIQUE (province_legacy, plan_year, plan_number)
);
CREATE TABLE IF NOT EXISTS plan_tasks (
    plan_task_id       integer PRIMARY KEY,
    plan_id            integer NOT NULL,
    task_code          text NOT NULL,
    task_title         text NOT NULL,
    section_title      text,
    topic              text,
    lead_units         text[],
    coordinating_units text[],
    due_text           text,
    due_kind           text NOT NULL,
    due_date           date,
    -- the plan's province (row-level security), filled on insert from plans
    province           text,
    UNIQUE (plan_id, task_code)
);

-- Bumped by every write transaction: an app instance whose replica is older pulls again.
CREATE TABLE IF NOT EXISTS data_version (
    one      boolean PRIMARY KEY DEFAULT TRUE CHECK (one),
    version  bigint NOT NULL
);
INSERT INTO data_version (version) VALUES (0) ON CONFLICT DO NOTHING;

-- Each province's rows of the tables above that do not name their current province carry it in a
-- column ``province`` (row-level security), filled on insert: from their submission (load_log by its id
-- or else the file's hash, file_columns by the file's hash, submission_events), from the name in ``province_names`` of the
-- legacy province they name (units, column_overrides; a name not listed is taken as it is), from their
-- unit (unit_aliases). A row of no loaded file (a refused file) belongs to no province: only
-- national connections read it.
ALTER TABLE load_log ADD COLUMN IF NOT EXISTS province text;
ALTER TABLE file_columns ADD COLUMN IF NOT EXISTS province text;
ALTER TABLE column_overrides ADD COLUMN IF NOT EXISTS province text;
ALTER TABLE submission_events ADD COLUMN IF NOT EXISTS province text;
ALTER TABLE units ADD COLUMN IF NOT EXISTS province_current text;
ALTER TABLE unit_aliases ADD COLUMN IF NOT EXISTS province text;
-- legacy (pre-2025) province → current province, written from data/reference/provinces.csv by
-- etl/store/postgres.py (apply_pg_schema); reference data, readable by everyone
CREATE TABLE IF NOT EXISTS province_names (
    legacy_name text PRIMARY KEY,
    name        text NOT NULL
);

-- Row-level security: a connection with ``SET ttdn.province = '<current province>'`` reads and writes
-- that province's rows only; unset, '' or '*' (national roles, the writer) sees every province.
CREATE OR REPLACE FUNCTION ttdn_sees(row_province text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('ttdn.province', true), '') IN ('', '*')
        OR row_province = current_setting('ttdn.province', true)
$$;

CREATE OR REPLACE FUNCTION ttdn_fill_task_province() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.province := (SELECT province FROM submissions WHERE submission_id = NEW.submission_id);
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION ttdn_fill_plan_task_province() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.province := (SELECT province FROM plans WHERE plan_id = NEW.plan_id);
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION ttdn_current_province(legacy text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT name FROM province_names WHERE legacy_name = legacy), legacy)
$$;
CREATE OR REPLACE FUNCTION ttdn_fill_province_by_submission() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.province := (SELECT province FROM submissions WHERE submission_id = NEW.submission_id);
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION ttdn_fill_load_province() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN  -- a duplicate names no submission, but its hash is the loaded file's
    NEW.province := coalesce((SELECT province FROM submissions WHERE submission_id = NEW.submission_id),
                             (SELECT province FROM submissions WHERE sha256 = NEW.sha256));
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION ttdn_fill_province_by_sha256() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.province := (SELECT province FROM submissions WHERE sha256 = NEW.sha256);
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION ttdn_fill_province_by_legacy() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.province := ttdn_current_province(NEW.province_legacy);
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION ttdn_fill_unit_province() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.province_current := ttdn_current_province(NEW.province);
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION ttdn_fill_alias_province() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.province := (SELECT province_current FROM units WHERE unit_id = NEW.unit_id);
    RETURN NEW;
END $$;
-- Each table's province filled on insert (and when the column it comes from changes): a trigger
-- "<table>_province" per (table, the columns it is derived from, the function deriving it).
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('load_log', 'submission_id, sha256', 'ttdn_fill_load_province'),
        ('submission_events', 'submission_id', 'ttdn_fill_province_by_submission'),
        ('file_columns', 'sha256', 'ttdn_fill_province_by_sha256'),
        ('column_overrides', 'province_legacy', 'ttdn_fill_province_by_legacy'),
        ('units', 'province', 'ttdn_fill_unit_province'),
        ('unit_aliases', 'unit_id', 'ttdn_fill_alias_province'),
        ('report_tasks', 'submission_id', 'ttdn_fill_task_province'),
        ('plan_tasks', 'plan_id', 'ttdn_fill_plan_task_province')) AS v(tab, cols, fn)
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t.tab || '_province', t.tab);
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OF %s ON %I FOR EACH ROW EXECUTE FUNCTION %I()',
                       t.tab || '_province', t.cols, t.tab, t.fn);
    END LOOP;
END $$;

-- Every table of report data: forced row-level security (the owner too), one policy keyed on the
-- connection's province (ttdn_sees). units keeps the legacy name in "province": its current one decides.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('submissions', 'province'), ('report_tasks', 'province'), ('plans', 'province'),
        ('plan_tasks', 'province'), ('load_log', 'province'), ('file_columns', 'province'),
        ('column_overrides', 'province'), ('submission_events', 'province'),
        ('units', 'province_current'), ('unit_aliases', 'province')) AS v(tab, col)
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.tab);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t.tab);
        EXECUTE format('DROP POLICY IF EXISTS by_province ON %I', t.tab);
        EXECUTE format('CREATE POLICY by_province ON %I USING (ttdn_sees(%I)) WITH CHECK (ttdn_sees(%I))',
                       t.tab, t.col, t.col);
    END LOOP;
END $$;

-- The data contract for analysts (docs/schema.md): the views of schema.sql, judged on today's date with
-- a 14-day due-soon window. The macros period_end and status_class are SQL functions here.
CREATE OR REPLACE FUNCTION period_end(y integer, k text, i integer) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE k
        WHEN 'Q' THEN (make_date(y, i * 3, 1) + interval '1 month' - interval '1 day')::date
        WHEN 'H' THEN (make_date(y, i * 6, 1) + interval '1 month' - interval '1 day')::date
        WHEN '9M' THEN make_date(y, 9, 30)
        ELSE make_date(y, 12, 31)
    END
$$;

CREATE OR REPLACE FUNCTION status_class(status text, pct double precision, completed_on date, due_date date,
                                        due_kind text, as_of date) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
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
    END
$$;

CREATE OR REPLACE VIEW submission_info WITH (security_invoker = true) AS
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

CREATE OR REPLACE VIEW all_rows WITH (security_invoker = true) AS
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

CREATE OR REPLACE VIEW no_report_rows WITH (security_invoker = true) AS
    WITH current_submissions AS (SELECT * FROM submission_info WHERE is_current),
    periods AS (
        SELECT DISTINCT plan_id, province, province_legacy, period_year, period_kind, period_index, period_end
        FROM current_submissions WHERE plan_id IS NOT NULL
    ),
    covered AS (
        SELECT DISTINCT plan_task_id, period_kind, period_index
        FROM all_rows WHERE is_current AND plan_task_id IS NOT NULL
    ),
    province_ends AS (
        SELECT province_legacy, period_end,
            lead(period_end) OVER (PARTITION BY province_legacy ORDER BY period_end) AS latest_until,
            lead(period_end) OVER (PARTITION BY province_legacy, period_year ORDER BY period_end)
                AS latest_until_in_year
        FROM (SELECT DISTINCT province_legacy, period_year, period_end FROM current_submissions) ends
    )
    SELECT
        NULL::integer AS submission_id, pr.province, pr.province_legacy,
        coalesce(pt.lead_units[1], 'Chưa rõ đơn vị') AS reporting_unit,
        pr.period_year, pr.period_kind, pr.period_index, pr.period_end,
        pt.plan_id, TRUE AS is_current, NULL::integer AS row_no,
        pt.task_code, pt.task_title, pt.section_title, pt.topic, pt.lead_units, pt.coordinating_units,
        pt.lead_units[1] AS lead_unit, pt.due_text, pt.due_kind, pt.due_date, NULL::date AS due_date_original,
        NULL::text AS status_reported, NULL::double precision AS percent, NULL::date AS completed_on,
        NULL::text AS result_text, NULL::text AS difficulties, NULL::text AS proposals,
        NULL::text AS note, pt.plan_task_id, NULL::double precision AS match_score, NULL::text AS status_at_end,
        pe.latest_until, pe.latest_until_in_year
    FROM plan_tasks pt JOIN periods pr USING (plan_id)
    JOIN province_ends pe USING (province_legacy, period_end)
    WHERE NOT EXISTS (
        SELECT 1 FROM covered c WHERE c.plan_task_id = pt.plan_task_id
          AND c.period_kind = pr.period_kind AND c.period_index IS NOT DISTINCT FROM pr.period_index
    );

CREATE OR REPLACE VIEW v_task_progress_all WITH (security_invoker = true) AS
    SELECT *,
        status_class(status_reported, percent, completed_on, due_date, due_kind, current_date) AS status_class,
        (status_reported IS DISTINCT FROM 'done' AND status_reported IS DISTINCT FROM 'suspended'
            AND due_date IS NOT NULL AND due_date >= current_date AND due_date - current_date <= 14) AS due_soon,
        current_date AS as_of
    FROM all_rows;
CREATE OR REPLACE VIEW v_task_progress WITH (security_invoker = true) AS
    SELECT * FROM v_task_progress_all WHERE is_current;
CREATE OR REPLACE VIEW v_plan_coverage WITH (security_invoker = true) AS
    SELECT * FROM v_task_progress
    UNION ALL
    SELECT *, 'no_report' AS status_class, FALSE AS due_soon, current_date AS as_of FROM no_report_rows;
