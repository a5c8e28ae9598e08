"""The audit log: `from portal.audit import services as audit; audit.record(Action.X, actor=...)`."""
