"""Process entry points that compose several capabilities.

A capability never imports the capabilities that build on it (payments knows
nothing of delivery); a process that needs both loads them here. Nothing in
lokseva imports this package.

- reconcile.py   `python -m lokseva.jobs.reconcile [--every SECONDS]`: the one
                 payment reconciliation, with every fee's owner loaded
"""
