"""What happens to a conversation: start, autosave with a version check, quick-add items,
finish (one transaction) and marking introductions as made.

Views call these; they never change conversation rows themselves.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.fields import model_field
from neighbourhoods.versions import UNKNOWN, Change, FieldConflict, who_changed
from residents.consent import record_consent
from residents.models import (
    Gift,
    Person,
    Tag,
    normalise,
)

from .models import (
    Conversation,
    DigestSetting,
    DraftGift,
    FollowUp,
    Introduction,
    IntroductionStatus,
    KnownRelation,
    Status,
    split_tags,
)
from .ties import INTRODUCED, KNEW, make_tie

# The fields the draft page autosaves one by one, with their longest length.
SAVED_FIELDS: tuple[str, ...] = ("cares_about", "ideas", "private_notes", "place", "held_on")


class AlreadyFinished(ValidationError):
    pass


# ---------------------------------------------------------------------------- start


@transaction.atomic
def start_conversation(
    *,
    neighbourhood,
    builder,
    person: Person | None = None,
    first_name: str = "",
    street: str = "",
    consent: dict | None = None,
) -> Conversation:
    """A new draft, with a new person (first name + street) when ``person`` is None.

    ``consent`` (``fields``, ``audience``) records what the person agreed to out loud; a
    person's consented fields become visible to the chosen audience.
    """
    if person is None:
        person = Person(
            neighbourhood=neighbourhood,
            name=first_name.strip(),
            street=street.strip(),
            created_by=builder,
            updated_by=builder,
        )
        if consent:
            visibility = dict(person.visibility)
            for key in consent["fields"]:
                if key in visibility:
                    visibility[key] = consent["audience"]
            person.visibility = visibility
        person.save()
        new_person = True
    else:
        new_person = False
    if consent:
        record_consent(person, consent["fields"], consent["audience"], builder)
    return Conversation.objects.create(
        neighbourhood=neighbourhood,
        person=person,
        builder=builder,
        updated_by=builder,
        started_with_new_person=new_person,
    )


@dataclass
class OfflineGift:
    kind: str
    title: str


@dataclass
class OfflineMeet:
    name: str
    reason: str = ""


@dataclass
class OfflineConversation:
    """What a builder typed on a phone without a connection, sent in one go when it is back."""

    client_token: str
    first_name: str
    street: str
    consent: dict | None
    texts: dict[str, object] = field(default_factory=dict)
    gifts: list[OfflineGift] = field(default_factory=list)
    meet: list[OfflineMeet] = field(default_factory=list)


def start_offline(*, neighbourhood, builder, offline: OfflineConversation, not_found_label: str):
    """Start the draft a phone logged offline, with its texts, gifts and introductions, once.

    Sent again with the same ``client_token`` (the connection dropped before the answer came),
    it returns the conversation made the first time and adds nothing. Someone to meet is found
    by name (ignoring case and accents) among the neighbourhood's people; a name that matches
    no one, or several, goes into the private notes, under ``not_found_label``, for the builder
    to pick on the draft page. Returns ``(conversation, created)``.
    """
    with transaction.atomic():
        found = Conversation.objects.filter(
            builder=builder, client_token=offline.client_token
        ).first()
        if found is not None:
            return found, False
        conversation = start_conversation(
            neighbourhood=neighbourhood,
            builder=builder,
            first_name=offline.first_name,
            street=offline.street,
            consent=offline.consent,
        )
        for name, value in offline.texts.items():
            setattr(conversation, name, value)
        conversation.client_token = offline.client_token
        for position, gift in enumerate(offline.gifts):
            DraftGift.objects.create(
                conversation=conversation,
                kind=gift.kind,
                title=gift.title,
                client_token=f"{offline.client_token[:30]}-g{position}",
            )
        unresolved = []
        people = list(
            Person.objects.in_neighbourhood(neighbourhood)
            .exclude(pk=conversation.person_id)
            .only("pk", "name", "neighbourhood_id")
        )
        for position, meet in enumerate(offline.meet):
            key = " ".join(normalise(meet.name).split())
            matches = [p for p in people if " ".join(normalise(p.name).split()) == key]
            if len(matches) != 1:
                unresolved.append(f"{meet.name}: {meet.reason}" if meet.reason else meet.name)
                continue
            propose_introduction(
                conversation.person,
                to_person=matches[0],
                conversation=conversation,
                reason=meet.reason,
                by=builder,
                client_token=f"{offline.client_token[:30]}-m{position}",
            )
        if unresolved:
            lines = [
                conversation.private_notes.strip(),
                f"{not_found_label} " + "; ".join(unresolved),
            ]
            conversation.private_notes = "\n\n".join(line for line in lines if line)
        conversation.save()
        return conversation, True


# ---------------------------------------------------------------------------- discard


@dataclass
class Discarded:
    name: str
    person_removed: bool
    kept_because: list[str] = field(default_factory=list)  # kinds of records about them


# What a draft brings with its new person: these alone do not keep the person.
_OWN_START = ("residents.Person", "residents.ConsentRecord")


def referring_kinds(person: Person, draft: Conversation | None = None) -> list[str]:
    """The kinds of records (plural names) that refer to the person, found by walking every
    relation (Django's deletion collector): what deleting them would take or unlink. The
    ``draft`` and its own items do not count."""

    def counts(obj) -> bool:
        if draft is None:
            return True
        if isinstance(obj, Conversation):
            return obj.pk != draft.pk
        return getattr(obj, "conversation_id", None) != draft.pk

    collector = Collector(using=router.db_for_write(Person), origin=person)
    collector.collect([person])
    kinds = {
        model
        for model, objs in collector.data.items()
        if model._meta.label not in _OWN_START and any(counts(obj) for obj in objs)
    }
    for (field_, _value), batches in collector.field_updates.items():
        for batch in batches:
            if any(counts(obj) for obj in batch):  # type: ignore[attr-defined]
                kinds.add(field_.model)
    return sorted(str(model._meta.verbose_name_plural) for model in kinds)


@transaction.atomic
def discard(conversation: Conversation) -> Discarded:
    """Delete a draft and everything in it; the person it created goes too when nothing else
    refers to them (otherwise ``kept_because`` says what does)."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    ensure_draft(conversation)
    person = Person.objects.select_for_update().get(pk=conversation.person_id)
    conversation.delete()
    result = Discarded(name=person.name, person_removed=False)
    if conversation.started_with_new_person:
        result.kept_because = referring_kinds(person)
        if not result.kept_because:
            person.delete()
            result.person_removed = True
    return result


# ------------------------------------------------------------------------- autosave


@dataclass
class SaveResult:
    conversation: Conversation
    saved: list[str] = field(default_factory=list)
    conflicts: list[FieldConflict] = field(default_factory=list)


def current_value(conversation: Conversation, name: str) -> str:
    value = getattr(conversation, name)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value or ""


def save_fields(
    conversation_pk: int, changes: dict[str, tuple[object, str | None]], version: int | None, by
) -> SaveResult:
    """Save cleaned values, never overwriting a change the sender has not seen.

    ``changes`` maps a field to ``(new value, base)``: ``base`` is the text the sender
    started from. A field is saved when it is unchanged on the server since that base (or,
    without a base, when ``version`` is still current). Otherwise it is a conflict: nothing
    is written for that field and both texts are returned. Other fields are still saved.
    """
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .get(pk=conversation_pk)
        )
        if conversation.status != Status.DRAFT:
            raise AlreadyFinished(
                _("This conversation has been finished; it can no longer change.")
            )
        result = SaveResult(conversation)
        to_save = {}
        for name, (value, sent_base) in changes.items():
            new = value.isoformat() if isinstance(value, datetime.date) else value
            current = current_value(conversation, name)
            if new == current:
                continue
            base: object = sent_base
            if base is None:  # no base sent: the version tells whether they saw the latest
                base = current if version == conversation.version else UNKNOWN
            if who_changed(new, current, base) is Change.MINE:
                to_save[name] = value
            else:
                label = str(model_field(Conversation, name).verbose_name)
                result.conflicts.append(FieldConflict(name, label, current, str(new)))
        if to_save:
            for name, value in to_save.items():
                setattr(conversation, name, value)
            conversation.version += 1
            conversation.updated_by = by
            conversation.save(update_fields=[*to_save, "version", "updated_by", "updated_at"])
            result.saved = list(to_save)
        return result


# ------------------------------------------------------------------------ quick add


def _existing(queryset, client_token: str):
    return queryset.filter(client_token=client_token).first() if client_token else None


def ensure_draft(conversation: Conversation) -> None:
    if conversation.status != Status.DRAFT:
        raise AlreadyFinished(_("This conversation has been finished; it can no longer change."))


def add_gift(conversation: Conversation, *, client_token: str = "", **data) -> DraftGift:
    ensure_draft(conversation)
    found = _existing(conversation.draft_gifts, client_token)
    if found:
        return found
    return DraftGift.objects.create(conversation=conversation, client_token=client_token, **data)


def _check_target(person: Person, other: Person | None, organisation) -> None:
    target = other or organisation
    if target is None:
        raise ValidationError(_("Choose a person or an organisation from the list."))
    if target.neighbourhood_id != person.neighbourhood_id:
        raise ValidationError(_("That person or organisation is not in this neighbourhood."))
    if other is not None and other.pk == person.pk:
        raise ValidationError(_("%(name)s cannot be linked to themselves.") % {"name": person})


def add_known(
    conversation: Conversation, *, other_person=None, organisation=None, client_token: str = ""
) -> KnownRelation:
    ensure_draft(conversation)
    _check_target(conversation.person, other_person, organisation)
    found = _existing(conversation.known_relations, client_token) or (
        conversation.known_relations.filter(
            other_person=other_person, organisation=organisation
        ).first()
    )
    if found:
        return found
    return KnownRelation.objects.create(
        conversation=conversation,
        other_person=other_person,
        organisation=organisation,
        client_token=client_token,
    )


def propose_introduction(
    person: Person,
    *,
    to_person: Person | None = None,
    to_organisation=None,
    conversation: Conversation | None = None,
    reason: str = "",
    by=None,
    client_token: str = "",
) -> Introduction:
    """``person`` should meet someone: refuses self and other neighbourhoods; one open
    proposal per pair (per conversation for drafts). Also for callers outside this app."""
    _check_target(person, to_person, to_organisation)
    if conversation is not None:
        ensure_draft(conversation)
        scope = conversation.introductions.all()
    else:
        scope = Introduction.objects.open().filter(person=person)
    found = (
        _existing(scope, client_token)
        or scope.filter(
            to_person=to_person, to_organisation=to_organisation, status=IntroductionStatus.OPEN
        ).first()
    )
    if found:
        return found
    return Introduction.objects.create(
        neighbourhood_id=person.neighbourhood_id,
        person=person,
        conversation=conversation,
        to_person=to_person,
        to_organisation=to_organisation,
        reason=reason,
        proposed_by=by,
        client_token=client_token,
    )


@transaction.atomic
def add_follow_up(
    conversation: Conversation | None = None,
    *,
    person: Person | None = None,
    what: str,
    assignee,
    due_on,
    client_token: str = "",
) -> FollowUp:
    """A follow-up for one person, the one action behind both ways of adding one: in a draft
    ``conversation`` (for its person; listed once it is finished), or for ``person`` straight
    from their page (no conversation; on its assignee's list at once). Audited (the trail
    tracks follow-ups); sent twice with the same ``client_token``, it is added once."""
    if conversation is not None:
        ensure_draft(conversation)
        person_id = conversation.person_id
        neighbourhood_id = conversation.neighbourhood_id
        scope = conversation.follow_ups.all()
    elif person is not None:
        person_id = person.pk
        neighbourhood_id = person.neighbourhood_id
        scope = FollowUp.objects.filter(person=person, conversation=None)
    else:
        raise TypeError("add_follow_up needs a conversation or a person")
    if assignee is None:
        raise ValidationError(_("Choose someone of the neighbourhood team."))
    found = _existing(scope, client_token)
    if found:
        return found
    return FollowUp.objects.create(
        neighbourhood_id=neighbourhood_id,
        conversation=conversation,
        person_id=person_id,
        what=what.strip(),
        assignee=assignee,
        due_on=due_on,
        client_token=client_token,
    )


def remove_item(conversation: Conversation, item) -> None:
    ensure_draft(conversation)
    item.delete()


# --------------------------------------------------------------------------- finish


def resolve_tags(neighbourhood, names: list[str]) -> list[Tag]:
    """The neighbourhood's tags of these names; new ones are added to the vocabulary."""
    tags = []
    for name in names:
        tag, _created = Tag.objects.get_or_create(
            neighbourhood=neighbourhood, normalised=normalise(name), defaults={"name": name}
        )
        tags.append(tag)
    return tags


def finish(conversation_pk: int, by, when: datetime.datetime | None = None) -> Conversation:
    """Turn a draft into a logged conversation, all or nothing.

    Draft gifts become the person's gifts (an existing gift with the same title, ignoring
    case and accents, is reused); known relations become connections "knew each other
    already". Introductions stay open; follow-ups now appear on their assignee's list.
    """
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation_pk)
        if conversation.status != Status.DRAFT:
            raise AlreadyFinished(_("This conversation was already finished."))
        if not conversation.has_content():
            raise ValidationError(
                _(
                    "There is nothing to log yet. Write what they care about, add a gift, "
                    "an idea, a relation, an introduction or a follow-up first."
                )
            )
        # Lock the person: two conversations with the same person finish one after the other.
        person = Person.objects.select_for_update().get(pk=conversation.person_id)
        _gifts_from_draft(conversation, person, by)
        for relation in conversation.known_relations.select_related("other_person", "organisation"):
            relation.connection = make_tie(
                person,
                relation.other_person,
                organisation=relation.organisation,
                origin=KNEW,
                conversation=conversation,
                recorded_by=by,
            )
            relation.save(update_fields=["connection"])
        conversation.status = Status.FINISHED
        conversation.finished_at = when or timezone.now()
        conversation.version += 1
        conversation.updated_by = by
        conversation.save()
        return conversation


def gift_key(title: str) -> str:
    """Two gift titles are the same gift when they differ only in case, accents or spaces."""
    return " ".join(normalise(title).split())


def _gifts_from_draft(conversation: Conversation, person: Person, by) -> None:
    existing = {gift_key(gift.title): gift for gift in person.gifts.all()}
    for draft in conversation.draft_gifts.all():
        key = gift_key(draft.title)
        gift = existing.get(key)
        if gift is None:
            gift = Gift.objects.create(
                person=person,
                kind=draft.kind,
                title=draft.title,
                share=draft.share,
                learn=draft.learn,
                created_by=by,
            )
            existing[key] = gift
        elif (draft.share and not gift.share) or (draft.learn and not gift.learn):
            gift.share = gift.share or draft.share
            gift.learn = gift.learn or draft.learn
            gift.save(update_fields=["share", "learn", "updated_at"])
        tags = resolve_tags(conversation.neighbourhood, split_tags(draft.tags))
        if tags:
            gift.tags.add(*tags)
        draft.gift = gift
        draft.save(update_fields=["gift"])


# -------------------------------------------------------------------- introductions


def mark_introduced(
    introduction_pk: int,
    by,
    when: datetime.datetime | None = None,
    on: datetime.date | None = None,
) -> Introduction:
    """Record that the introduction was made, on the day ``on`` (default today): a
    connection with origin "introduced" since that day, linked to the conversation it came
    from (a link, not words: pages say it in the reader's language)."""
    with transaction.atomic():
        introduction = (
            Introduction.objects.select_for_update(of=("self",))
            .select_related("person", "to_person", "to_organisation", "conversation")
            .get(pk=introduction_pk)
        )
        if introduction.conversation is not None and introduction.conversation.is_draft:
            raise ValidationError(_("Finish the conversation first; then mark the introduction."))
        if introduction.status == IntroductionStatus.INTRODUCED:
            return introduction
        when = when or timezone.now()
        day = on or timezone.localdate(when)
        if day != timezone.localdate(when):  # made earlier: at noon of that day
            when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        introduction.connection = make_tie(
            introduction.person,
            introduction.to_person,
            organisation=introduction.to_organisation,
            origin=INTRODUCED,
            since=day,
            conversation=introduction.conversation,
            recorded_by=by,
        )
        introduction.status = IntroductionStatus.INTRODUCED
        introduction.introduced_at = when
        introduction.introduced_by = by
        introduction.save()
        return introduction


def set_follow_up_done(follow_up: FollowUp, done: bool, by) -> FollowUp:
    follow_up.done_at = timezone.now() if done else None
    follow_up.done_by = by if done else None
    follow_up.save(update_fields=["done_at", "done_by"])
    return follow_up


def set_digest(user, *, frequency: str, weekday: int, language: str) -> DigestSetting:
    """The user's choice of follow-up reminders (in the language they chose it in)."""
    setting, _created = DigestSetting.objects.update_or_create(
        user=user, defaults={"frequency": frequency, "weekday": weekday, "language": language}
    )
    return setting
