import sys, time
sys.path.insert(0, ".")
from etl.db import Database
from pathlib import Path
from datetime import date
p = Path("/tmp/bench1m.duckdb"); p.unlink(missing_ok=True)
db = Database(p)
t=time.time()
with db.writer() as c:
    c.execute("""
    INSERT INTO submissions (submission_id, file_name, sha256, province, province_legacy, reporting_unit,
        period_year, period_kind, period_index, loaded_at, n_rows)
    SELECT row_number() OVER () , 'f'||p||'_'||u||'_'||y||'_'||q, md5(p||'_'||u||'_'||y||'_'||q),
        'Tỉnh ' || (p % 34), 'Tỉnh cũ ' || p, 'Đơn vị số ' || u, 2016 + y, 'Q', q, now(), 20
    FROM range(63) t1(p), range(20) t2(u), range(10) t3(y), range(1,5) t4(q)
    """)
    c.execute("""
    INSERT INTO report_tasks (submission_id, row_no, task_title, topic, lead_units, due_kind, due_date, status_reported, pct_done, completed_on)
    SELECT s.submission_id, 10 + k, 'Nhiệm vụ số ' || k, 'Chủ đề ' || (k % 12),
        ['Đơn vị số ' || ((k * 7) % 20)], CASE WHEN k % 10 = 0 THEN 'recurring' ELSE 'date' END,
        CASE WHEN k % 10 = 0 THEN NULL ELSE make_date(s.period_year, 1 + (k % 12), 28) END,
        CASE (hash(s.submission_id, k) % 4) WHEN 0 THEN 'done' WHEN 1 THEN 'in_progress' WHEN 2 THEN 'not_started' ELSE NULL END,
        (hash(s.submission_id, k) % 101)::DOUBLE, CASE WHEN hash(s.submission_id, k) % 4 = 0 THEN make_date(s.period_year, 1 + (k % 12), 1 + (k % 28)) END
    FROM submissions s, range(20) t(k)
    """)
print("build", time.time()-t)
conn = db.reader()
print(conn.execute("select count(*) from report_tasks").fetchall(), conn.execute("select count(*) from submissions").fetchall())
from queries.filters import Filters, with_scope
for f in [Filters(as_of=date(2025,12,31)), Filters(as_of=date(2025,12,31), period="2025-Q3"), Filters(as_of=date(2025,12,31), province="Tỉnh 3")]:
    sql, params = with_scope(f, "SELECT status_class, count(*) FROM scope GROUP BY 1")
    for i in range(3):
        t=time.perf_counter(); r = conn.execute(sql, params).fetchall(); print(round((time.perf_counter()-t)*1000,1), len(r))
    sql, params = with_scope(f.without("period"), "SELECT period_year, period_kind, period_index, status_class, count(*) FROM scope GROUP BY ALL")
    t=time.perf_counter(); r = conn.execute(sql.replace("AND (province_legacy, reporting_unit, period_end) IN", "AND TRUE OR (province_legacy, reporting_unit, period_end) IN"), params).fetchall(); print("trend", round((time.perf_counter()-t)*1000,1), len(r))
