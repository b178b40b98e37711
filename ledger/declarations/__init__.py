"""Signed PCF declarations: Tanji extension, field commitments, signed envelopes."""
