"""Signals of jobs (the audit app listens; jobs does not import it).

``file_downloaded``: someone downloaded the file a job made. Arguments: ``job``, ``user``,
``neighbourhood`` (None for an organisation's job), ``role`` (the user's role then; empty:
the audit app works it out), ``operator_id`` (the organisation's, else None), ``what`` (a
fixed description of the file, never user text) and ``records`` (how many records it holds);
``what`` and ``records`` come from the job's handler (``tasks.describe_download``).
"""

from django.dispatch import Signal

file_downloaded = Signal()
