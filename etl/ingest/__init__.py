"""Reading a report file: guards on the raw bytes, readers, header, title rows and task rows."""
