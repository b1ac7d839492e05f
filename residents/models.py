"""People of a neighbourhood, their gifts (head, hands, heart), tags and consent records.

Who may see which field of a person is decided in `residents.disclosure`, nowhere else.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, ClassVar, Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import ChoiceLabels, NeighbourhoodQuerySet, NeighbourhoodScoped

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Audience(models.TextChoices):
    """Who may see a field of a person. Ordered from narrow to wide."""

    BUILDERS = "builders", _("community builders only")
    RESIDENTS = "residents", _("residents of the neighbourhood")
    PUBLIC = "public", _("everyone (public)")


# The fields of a person whose audience the person chooses, with their labels.
PERSON_FIELDS: dict[str, StrOrPromise] = {
    "name": _("name"),
    "street": _("street"),
    "address": _("house number and postcode"),
    "phone": _("phone"),
    "email": _("email"),
    "languages": _("languages"),
    "street_wish": _("what I would like to see happen in my street"),
    "photo": _("photo"),
    "gifts": _("gifts"),
    "ties": _("who I know and the groups I am part of"),
}


def default_visibility() -> dict[str, str]:
    return dict.fromkeys(PERSON_FIELDS, Audience.BUILDERS.value)


def normalise(text: str) -> str:
    """Lower case without accents: "Café" → "cafe". Used for tags and search on SQLite."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


class PersonQuerySet(NeighbourhoodQuerySet["Person"]):
    def visible_to(self, membership) -> Self:
        """People this viewer may see at all (see `residents.disclosure`)."""
        from .visibility import person_q

        return self.filter(person_q(membership))


class Person(NeighbourhoodScoped):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("login"),
        help_text=_("Set when the resident has claimed this profile."),
    )
    name = models.CharField(_("name"), max_length=120)
    street = models.CharField(_("street"), max_length=120)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    languages = models.CharField(
        _("languages spoken"), max_length=200, blank=True, help_text=_("Separate with commas.")
    )
    street_wish = models.TextField(
        _("what I would like to see happen in my street"), max_length=2000, blank=True
    )
    photo = models.ImageField(_("photo"), upload_to="people/", blank=True)
    photo_thumbnail = models.ImageField(upload_to="people/thumbs/", blank=True, editable=False)
    visibility = models.JSONField(_("who sees what"), default=default_visibility)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("recorded on"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # One more on every save: a form that was opened at an older version is stale.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects: ClassVar = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "user"],
                condition=models.Q(user__isnull=False),
                name="one_profile_per_user_per_neighbourhood",
            )
        ]
        indexes = [
            models.Index(fields=["neighbourhood", "street"]),
            models.Index(fields=["neighbourhood", "name", "id"], name="person_nb_name_idx"),
            models.Index(fields=["neighbourhood", "-created_at"], name="person_nb_created_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Every change of a saved person adds one to ``version``, counted by the database.

        The database adds it (``version + 1``), so two saves at once never both write the
        same number; the new number is read back afterwards.
        """
        update_fields = kwargs.get("update_fields")
        if self._state.adding or (update_fields is not None and not update_fields):
            super().save(*args, **kwargs)
            return
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        before = self.version
        self.version = models.F("version") + 1
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.version = before
            raise
        self.refresh_from_db(fields=["version"])

    def get_absolute_url(self) -> str:
        return reverse("residents:person", args=[self.neighbourhood.slug, self.pk])

    @property
    def language_list(self) -> list[str]:
        return [part.strip() for part in self.languages.split(",") if part.strip()]

    def audience_of(self, field: str) -> Audience:
        return Audience(self.visibility.get(field, Audience.BUILDERS))


class TagQuerySet(NeighbourhoodQuerySet["Tag"]):
    def resolve(self, neighbourhood, names: list[str]) -> list[Tag]:
        """The neighbourhood's tags for these names, created when new; one per spelling."""
        wanted: dict[str, str] = {}
        for name in names:
            clean = " ".join(name.split())[: Tag._meta.get_field("name").max_length]
            key = normalise(clean)
            if key and key not in wanted:
                wanted[key] = clean
        existing = {
            t.normalised: t
            for t in self.in_neighbourhood(neighbourhood).filter(normalised__in=wanted)
        }
        tags = []
        for key, clean in wanted.items():
            tag = existing.get(key)
            if tag is None:
                tag, _created = self.model.objects.get_or_create(
                    neighbourhood=neighbourhood, normalised=key, defaults={"name": clean}
                )
            tags.append(tag)
        return tags


class Tag(NeighbourhoodScoped):
    """A neighbourhood's own vocabulary; no two tags differ only in case or accents."""

    name = models.CharField(_("name"), max_length=60)
    normalised = models.CharField(max_length=60, editable=False)

    objects: ClassVar = TagQuerySet.as_manager()

    class Meta:
        ordering = ["normalised"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "normalised"], name="unique_tag_per_neighbourhood"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.normalised = normalise(self.name)
        super().save(*args, **kwargs)


class GiftKind(models.TextChoices):
    HEAD = "head", _("head (knowledge)")
    HANDS = "hands", _("hands (skills)")
    HEART = "heart", _("heart (what I care about)")


class GiftQuerySet(NeighbourhoodQuerySet["Gift"]):
    def visible_to(self, membership) -> Self:
        """Gifts this viewer may see (see `residents.disclosure`)."""
        from .visibility import gift_q

        return self.filter(gift_q(membership))


class Gift(ChoiceLabels, models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="gifts", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=GiftKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="gifts", verbose_name=_("tags"))
    share = models.BooleanField(_("would share or teach"), default=False)
    learn = models.BooleanField(_("wants to learn"), default=False)
    created_at = models.DateTimeField(_("recorded on"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    neighbourhood_path = "person__neighbourhood"
    objects: ClassVar = GiftQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "title", "pk"]
        verbose_name = _("gift")
        verbose_name_plural = _("gifts")
        indexes = [
            models.Index(fields=["kind"]),
            models.Index(fields=["kind", "title", "id"], name="gift_kind_title_idx"),
            models.Index(fields=["title", "id"], name="gift_title_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("residents:gift", args=[self.person.neighbourhood.slug, self.pk])


class ConsentHow(models.TextChoices):
    KITCHEN_TABLE = "kitchen_table", _("at the kitchen table, recorded by a builder")
    ONLINE = "online", _("online, by the resident")
    IMPORT = "import", _("imported from an existing list")


class ConsentRecord(models.Model):
    """What a resident agreed to, for whom, in which words, when and how; never edited."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    fields = models.JSONField(_("what may be recorded"), default=list)
    audience = models.CharField(_("who may see it"), max_length=20, choices=Audience.choices)
    text = models.TextField(_("consent text as read out or shown"))
    text_version = models.CharField(_("text version"), max_length=20)
    how = models.CharField(_("how"), max_length=20, choices=ConsentHow.choices)
    given_at = models.DateTimeField(_("given at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    neighbourhood_path = "person__neighbourhood"
    objects: ClassVar = NeighbourhoodQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_audience_display()} · {self.given_at:%Y-%m-%d}"
