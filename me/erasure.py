"""Erasure (GDPR art. 17): one function, :func:`erase_person`.

What goes, in one transaction:

1. everything that belongs to the person, found by walking ``_meta.related_objects``
   recursively (``me.records``, Django's deletion collector): the profile, gifts, consent
   records, invites, conversations with their follow-ups and introductions, connections,
   memberships of organisations and initiatives, links from outcomes … and every model
   added later that points at a person with ``CASCADE``;
2. the files of all of those (photo and thumbnail), deleted from storage after commit;
3. rows that point at them generically (``content_type`` + ``object_id``: the admin log,
   a search index of that shape) and the audit trail about them;
4. outcomes that mention them stay, anonymised: their links to the person are removed and
   the name is replaced in the text; other text of the neighbourhood that still carries
   the name, email address or phone number is scrubbed the same way;
5. their login: the resident membership goes; an account with no other role or profile is
   removed (so it is logged out everywhere and its username and email are gone).

Finally one audit row records that an erasure happened, with the person's former id and who
did it, and nothing else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models import F, ProtectedError, Q, RestrictedError, TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audit import access
from audit.models import Action, AuditEntry
from audit.trail import suppressed
from jobs.models import Figure
from neighbourhoods import freshness
from neighbourhoods.models import Membership, Role
from residents.models import Person

from .records import (
    collect,
    collector_for,
    linked_outcome_ids,
    mentioning_outcomes,
    person_relations,
    text_fields,
)

ANONYMOUS = _("a resident")
REMOVED = "[…]"
MIN_TERM = 3  # shorter names are not searched for in other text (too many false hits)


class ErasureBlocked(Exception):
    """A record that may not be deleted (``PROTECT``/``RESTRICT``) still points at the person."""

    def __init__(self, kinds: list) -> None:
        super().__init__(", ".join(str(k) for k in kinds))
        self.kinds = kinds


@dataclass
class ErasureReport:
    person_id: int
    objects_deleted: int
    files_deleted: int
    outcomes_anonymised: int
    rows_scrubbed: int
    account: str  # "removed", "kept" (other roles or profiles remain) or "" (none)


def erase_person(person, by_user) -> ErasureReport:
    """Erase a person and everything about them; see the module docstring."""

    files: list[tuple[Storage, str]] = []
    # one touch of the cached lists at the end, not one per deleted or scrubbed row
    with transaction.atomic(), suppressed(), freshness.batch(person.neighbourhood_id):
        person = (
            Person.objects.select_for_update().select_related("neighbourhood").get(pk=person.pk)
        )
        person_id, neighbourhood, user = person.pk, person.neighbourhood, person.user
        # Figures computed from the data (jobs.figures) may quote the person (a suggestion's
        # reasons name gift titles): gone now, computed again by the next refresh.
        Figure.objects.filter(neighbourhood=neighbourhood).delete()
        terms = _terms(person)
        with translation.override(settings.LANGUAGE_CODE):
            anonymous = str(ANONYMOUS)
        outcomes = _anonymise_outcomes(person, anonymous)

        try:
            collector = collector_for(person)
        except (ProtectedError, RestrictedError) as error:
            blocking = (
                getattr(error, "protected_objects", None)
                or getattr(error, "restricted_objects", ())
                or ()
            )
            raise ErasureBlocked(sorted({str(o._meta.verbose_name) for o in blocking})) from error
        deleted: dict[type[models.Model], list] = {
            model: [obj.pk for obj in objs] for model, objs in collector.data.items() if objs
        }
        for model, pks in deleted.items():
            files.extend(_files_of(model, pks))
        collector.delete()

        _delete_trail(person_id, deleted)
        access.forget_person(person_id)
        _delete_generic_rows(deleted)
        scrubbed = _scrub(neighbourhood, terms, anonymous)
        account = _close_account(user, neighbourhood)
        actor = by_user if by_user is not None and by_user.pk != getattr(user, "pk", None) else None
        if actor is not None and not get_user_model().objects.filter(pk=actor.pk).exists():
            actor = None
        AuditEntry.objects.create(
            neighbourhood=neighbourhood,
            actor=actor,
            action=Action.ERASE,
            model_label=Person._meta.label,
            object_id=str(person_id),
            person_id=None,
            changes={},
            note=_note(person_id, actor),
        )
        # The access log: one erasure, one record, no id of whom (they are gone).
        access.record(
            actor,
            access.AccessAction.ERASE,
            neighbourhood,
            1,
            role="" if actor is not None else access.SELF,
        )
        transaction.on_commit(lambda: _delete_files(files))
    return ErasureReport(
        person_id=person_id,
        objects_deleted=sum(len(pks) for pks in deleted.values()),
        files_deleted=len(files),
        outcomes_anonymised=len(outcomes),
        rows_scrubbed=scrubbed,
        account=account,
    )


def _note(person_id: int, actor) -> str:
    when = timezone.now().isoformat(timespec="seconds")
    if actor is None:
        return f"person #{person_id} erased at their own request at {when}"
    return f"person #{person_id} erased by {actor.get_username()} at {when}"


def _terms(person) -> list[str]:
    """The strings that identify the person in free text."""
    terms = []
    for value in (person.name, person.email, person.phone):
        value = (value or "").strip()
        if len(value) >= MIN_TERM and value not in terms:
            terms.append(value)
    return terms


def _replace(text: str, terms: list[str], anonymous: str, *, words: Sequence[str] = ()) -> str:
    for term in terms:
        text = re.sub(re.escape(term), anonymous, text, flags=re.IGNORECASE)
    for word in words:
        text = re.sub(rf"\b{re.escape(word)}\b", anonymous, text, flags=re.IGNORECASE)
    return text


def _anonymise_outcomes(person, anonymous: str) -> list:
    """Outcomes stay: links to the person removed, their name replaced in the text."""
    records = collect(person)
    outcomes = mentioning_outcomes(person, records)
    if not outcomes:
        return []
    Outcome = type(outcomes[0])
    through_records = linked_outcome_ids(person, Outcome, records)
    relations = person_relations(Outcome, type(person))
    name = person.name.strip()
    words = [w for w in re.split(r"\W+", name) if len(w) >= MIN_TERM]
    for outcome in outcomes:
        linked = outcome.pk in through_records
        updates: dict[str, Any] = {}
        for f in relations:
            if f.many_to_many:
                manager = getattr(outcome, f.name)
                if manager.filter(pk=person.pk).exists():
                    manager.remove(person)
                    linked = True
            elif getattr(outcome, f.attname) == person.pk and f.null:
                updates[f.attname] = None
                linked = True
        for f in text_fields(Outcome):
            value = getattr(outcome, f.attname) or ""
            new = _replace(
                value,
                [name] if len(name) >= MIN_TERM else [],
                anonymous,
                words=words if linked else [],
            )
            if new != value:
                updates[f.attname] = new[: f.max_length] if f.max_length else new
        if updates:
            Outcome._default_manager.filter(pk=outcome.pk).update(**updates)
    return outcomes


def _files_of(model, pks) -> list[tuple[Storage, str]]:
    file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    if not file_fields:
        return []
    rows = model._base_manager.filter(pk__in=pks).values_list(*[f.attname for f in file_fields])
    return [
        (f.storage, name) for row in rows for f, name in zip(file_fields, row, strict=True) if name
    ]


def _delete_files(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            continue


def _delete_trail(person_id: int, deleted: dict) -> None:
    AuditEntry.objects.filter(person_id=person_id).delete()
    for model, pks in deleted.items():
        AuditEntry.objects.filter(
            model_label=model._meta.label, object_id__in=[str(pk) for pk in pks]
        ).delete()


def _generic_pairs(model) -> list[tuple[models.Field, models.Field]]:
    """(content type field, object id field) pairs: GenericForeignKeys and the admin log."""
    pairs = []
    for f in model._meta.private_fields:
        if isinstance(f, GenericForeignKey):
            pairs.append((model._meta.get_field(f.ct_field), model._meta.get_field(f.fk_field)))
    if not pairs:
        fields = {f.name: f for f in model._meta.concrete_fields}
        ct = fields.get("content_type")
        oid = fields.get("object_id") or fields.get("object_pk")
        if ct is not None and oid is not None and ct.related_model is ContentType:
            pairs.append((ct, oid))
    return pairs


def _delete_generic_rows(deleted: dict) -> None:
    for model in apps.get_models():
        for ct_field, id_field in _generic_pairs(model):
            for target, pks in deleted.items():
                content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
                ids = (
                    [str(pk) for pk in pks]
                    if isinstance(id_field, models.CharField | TextField)
                    else pks
                )
                model._default_manager.filter(
                    **{ct_field.attname: content_type.pk, f"{id_field.attname}__in": ids}
                ).delete()


def _scoped(model, neighbourhood):
    names = {f.name for f in model._meta.concrete_fields}
    if "neighbourhood" in names:
        return model._default_manager.filter(neighbourhood=neighbourhood)
    path = getattr(model, "neighbourhood_path", None)
    if path:
        return model._default_manager.filter(**{path: neighbourhood})
    return None


def _replace_json(value, terms: list[str], anonymous: str):
    if isinstance(value, str):
        return _replace(value, terms, anonymous)
    if isinstance(value, list):
        return [_replace_json(v, terms, anonymous) for v in value]
    if isinstance(value, dict):
        return {k: _replace_json(v, terms, anonymous) for k, v in value.items()}
    return value


def _scrub(neighbourhood, terms: list[str], anonymous: str) -> int:
    """Replace the person's name, email and phone in every text of the neighbourhood."""
    if not terms:
        return 0
    changed = 0
    for model in apps.get_models():
        scoped = _scoped(model, neighbourhood)
        if scoped is None:
            continue
        texts = [
            f
            for f in text_fields(model)
            if not (model._meta.label == "residents.Person" and f.name == "name")
        ]
        jsons = [f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        condition = Q()
        for f in texts:
            for term in terms:
                condition |= Q(**{f"{f.attname}__icontains": term})
        annotations = {}
        for f in jsons:
            alias = f"_scrub_{f.attname}"
            annotations[alias] = Cast(f.attname, TextField())
            for term in terms:
                condition |= Q(**{f"{alias}__icontains": term})
                escaped = json.dumps(term)[1:-1]
                if escaped != term:
                    condition |= Q(**{f"{alias}__icontains": escaped})
        if not condition:
            continue
        rows = (
            scoped.alias(**annotations).filter(condition)
            if annotations
            else scoped.filter(condition)
        )
        versioned = any(f.name == "version" for f in model._meta.concrete_fields)
        for obj in rows.only(*[f.attname for f in texts + jsons]):
            updates: dict[str, Any] = {}
            for f in texts:
                value = getattr(obj, f.attname) or ""
                new = _replace(value, terms, anonymous)
                if new != value:
                    updates[f.attname] = new[: f.max_length] if f.max_length else new
            for f in jsons:
                value = getattr(obj, f.attname)
                new = _replace_json(value, terms, anonymous)
                if new != value:
                    updates[f.attname] = new
            if updates:
                if versioned:  # a form opened before the erasure must see it is stale
                    updates["version"] = F("version") + 1
                model._default_manager.filter(pk=obj.pk).update(**updates)
                changed += 1
    return changed


def _close_account(user, neighbourhood) -> str:
    if user is None:
        return ""
    Membership.objects.filter(user=user, neighbourhood=neighbourhood, role=Role.RESIDENT).delete()
    if user.is_staff or user.memberships.exists() or user.people.exists():
        return "kept"
    _forget_login_attempts(user.get_username())
    user.delete()
    return "removed"


def _forget_login_attempts(username: str) -> None:
    """django-axes keeps usernames of login attempts; they go with the account."""
    for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model._default_manager.filter(username=username).delete()
