"""What a page and a report draw alike, without Streamlit: charts (plotly), number and date formats,
labels, the Vietnamese strings of the chart toolbar. Below both ``reports/`` and ``ui/``."""
