"""Home delivery of printed certificates by speed post (डाक से घर पर प्रमाण पत्र).

lifecycle.py holds the rules (states, transitions, addresses, tracking numbers)
as plain Python; models.py the tables; service.py the state changes; messaging.py
what the citizen is told at each step.
"""
