"""The staff portal (/portal) for district officers, operators, trainers and
admins: decide applications, answer callback requests, read conversations,
teach the NLU, see figures. Accounts, sessions, CSRF, lockout and the audit log
live here too (auth.py, service.py)."""
