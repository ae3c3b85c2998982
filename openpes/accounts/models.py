from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openpes.accounts.enums import PUBLIC_ROLES, STAFF_ROLES, Role, Sex


class UserManager(BaseUserManager["User"]):
    def create_user(
        self, email: str | None = None, password: str | None = None, *, phone: str | None = None, **extra: Any
    ) -> User:
        if not email and not phone:
            raise ValueError("A user needs an e-mail address or a phone number.")
        user = self.model(email=self.normalize_email(email).lower() if email else None, phone=phone or None, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str | None = None, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", Role.ADMINISTRATOR)
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in. A user has one role; staff belong to one job centre.

    Jobseekers and employer users sign in with a phone number or an e-mail address; a jobseeker registered
    by a counsellor may have no account at all (their record lives in the jobseekers app).
    """

    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, unique=True, null=True, blank=True)
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.JOBSEEKER)
    centre = models.ForeignKey(
        "centres.JobCentre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("job centre"),
    )
    # Staff person data used by the training programme's disaggregation; never re-typed elsewhere.
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=[("km", "ខ្មែរ"), ("en", "English")], default="km"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the admin site"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False), name="user_has_email_or_phone"
            ),
            models.CheckConstraint(
                condition=Q(role__in=sorted(PUBLIC_ROLES | {Role.ADMINISTRATOR})) | Q(centre__isnull=False),
                name="staff_user_has_centre",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or f"#{self.pk}"

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return str(self)

    @property
    def is_pes_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def province_id(self) -> int | None:
        return self.centre.province_id if self.centre_id and self.centre else None


class ApiToken(models.Model):
    """A bearer token for a partner system acting as a user. Only a SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str, days: int | None = 365) -> tuple[ApiToken, str]:
        """Create a token and return it with its clear value, which is shown once and never stored."""
        clear = secrets.token_urlsafe(32)
        expires = timezone.now() + timedelta(days=days) if days else None
        return cls.objects.create(user=user, name=name, digest=cls.hash(clear), expires_at=expires), clear

    @classmethod
    def user_for(cls, clear: str) -> User | None:
        if not clear or len(clear) > 100:
            return None
        token = cls.objects.select_related("user", "user__centre").filter(digest=cls.hash(clear)).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.expires_at is not None and token.expires_at <= now:
            return None
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user
