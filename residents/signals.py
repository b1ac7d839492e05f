"""Signals other apps listen to (a lower app cannot import the higher ones).

``person_viewed``: a builder or coordinator opened the page of a person they did not record
(and who is not themselves); the audit app writes it to the access log. Arguments:
``person``, ``user`` and ``role`` (the viewer's role there).
"""

from django.dispatch import Signal

person_viewed = Signal()
