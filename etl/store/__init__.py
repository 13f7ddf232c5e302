"""Where reports and plans are kept: the database, the write path, linking rows to plans."""
