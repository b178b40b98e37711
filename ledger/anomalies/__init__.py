"""Anomaly flags against false and inflated claims (虚标滥标): pure checks, each returning flags with a code, a
severity, the reason in words and the evidence (the values compared). Flags inform; they never block ingest."""
