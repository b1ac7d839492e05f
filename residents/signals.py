"""Signals other apps listen to (a lower app cannot import the higher ones).

``person_viewed``: a builder or coordinator opened the page of a person they did not record
(and who is not themselves); the audit app writes it to the access log. Arguments:
``person``, ``user`` and ``role`` (the viewer's role there).

A service in a higher app may call ``audit.access.record`` directly instead.
"""

from django.dispatch import Signal

person_viewed = Signal()

# ``people_merged``: two people became one (the merge action of the builder's day, #20);
# the audit app logs it and moves the dropped person's access-log mentions onto ``keep``.
# Arguments: ``keep`` (the Person that stays), ``drop_id`` (the id of the one that went),
# ``user`` (who merged) and ``role`` (their role there, or "").
people_merged = Signal()
