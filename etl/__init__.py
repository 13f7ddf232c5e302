"""TTĐN plan-tracking ETL: read progress-report spreadsheets and plans into DuckDB.

A plain library: no Streamlit, no printing, no sys.exit. The CLI (``python -m etl``)
and the Streamlit pages sit on top of it.
"""
