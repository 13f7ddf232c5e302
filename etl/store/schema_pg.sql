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
    PRIMARY KEY (submission_id, row_no)
);

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
DROP TRIGGER IF EXISTS report_tasks_province ON report_tasks;
CREATE TRIGGER report_tasks_province BEFORE INSERT OR UPDATE OF submission_id ON report_tasks
    FOR EACH ROW EXECUTE FUNCTION ttdn_fill_task_province();
DROP TRIGGER IF EXISTS plan_tasks_province ON plan_tasks;
CREATE TRIGGER plan_tasks_province BEFORE INSERT OR UPDATE OF plan_id ON plan_tasks
    FOR EACH ROW EXECUTE FUNCTION ttdn_fill_plan_task_province();

ALTER TABLE submissions ENABLE ROW LEVEL SECURITY;
ALTER TABLE submissions FORCE ROW LEVEL SECURITY;
ALTER TABLE report_tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_tasks FORCE ROW LEVEL SECURITY;
ALTER TABLE plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE plans FORCE ROW LEVEL SECURITY;
ALTER TABLE plan_tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE plan_tasks FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS by_province ON submissions;
CREATE POLICY by_province ON submissions USING (ttdn_sees(province)) WITH CHECK (ttdn_sees(province));
DROP POLICY IF EXISTS by_province ON report_tasks;
CREATE POLICY by_province ON report_tasks USING (ttdn_sees(province)) WITH CHECK (ttdn_sees(province));
DROP POLICY IF EXISTS by_province ON plans;
CREATE POLICY by_province ON plans USING (ttdn_sees(province)) WITH CHECK (ttdn_sees(province));
DROP POLICY IF EXISTS by_province ON plan_tasks;
CREATE POLICY by_province ON plan_tasks USING (ttdn_sees(province)) WITH CHECK (ttdn_sees(province));
