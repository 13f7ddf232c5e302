"""The words of the domain: text folding, deadlines, status, units, topics, periods, provinces."""
