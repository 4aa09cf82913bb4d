"""The citizen's data under the DPDP Act 2023 and Rules 2025: the notice before the
first personal question, seeing and erasing what is kept (rights.py), and the
retention periods enforced by a periodic job (retention.py).

Depends on applications and channels; nothing in the domain depends on it.
"""
