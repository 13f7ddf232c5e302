"""Metamorphic tests of the reader: one report truth, rendered in many layouts, must read the same."""
