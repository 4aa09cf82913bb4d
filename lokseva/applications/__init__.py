"""Applications for Lok Seva services: the lifecycle (state machine), fees and
due dates (rules), reading answers (parsing), the tables (models), queries
(service), multi-step work (flows) and what citizens are told (messaging)."""
