"""Appeals under the MP Lok Seva Guarantee Act 2010 (अपील): the first appeal to the
first appeal officer (प्रथम अपील अधिकारी) and the second to the second appellate
authority (द्वितीय अपीलीय प्राधिकारी), when a service is late or refused; the
penalty on the designated officer and the compensation (प्रतिकर) to the citizen.

- `rules.py`: the Act's rules as plain Python (who may appeal, until when, by when
  the appeal is decided, the penalty for the days late); no database.
- `limits.yml` and `limits.py`: the appeal officers and the days each has, per
  service and district, as data with its sources and what is unconfirmed.
- `models.py`, `service.py`: the appeals table and its queries.
- `flows.py`: filing and deciding an appeal, the suo-motu list, as the dialogue
  and the portal use them.
- `messaging.py`: what the citizen reads (Hindi first, English).

Facts and their sources: docs/facts/scheme-facts.md section A.
"""
