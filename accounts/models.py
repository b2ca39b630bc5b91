import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        """Login: the e-mail address whatever its case (they are stored in lower case)."""
        return self.get(email__iexact=username)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: professionals, structure members, coordination, staff.

    Logs in with their e-mail address; there is no username.
    """

    username = None
    email = models.EmailField("adresse e-mail", unique=True)
    proconnect_sub = models.CharField(
        "identifiant ProConnect", max_length=255, unique=True, null=True, blank=True,
        editable=False,
    )  # fmt: skip
    # When the address was last proven to reach this person (invitation accepted, change or
    # verification link opened): only then may ProConnect attach a first login to the account.
    courriel_verifie_le = models.DateTimeField(
        "adresse vérifiée le", null=True, blank=True, editable=False
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_whatever_its_case",
                violation_error_message="Un compte existe déjà avec cette adresse e-mail.",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        """E-mail addresses are stored in lower case (compared so everywhere)."""
        super().clean()
        self.email = self.email.lower()

    @classmethod
    def from_db(cls, *args, **kwargs):
        user = super().from_db(*args, **kwargs)
        user._stored_address = (
            user.__dict__.get("email"),
            user.__dict__.get("courriel_verifie_le"),
        )
        return user

    def save(self, *args, **kwargs):
        """An address changed by any other way than its confirmation link (Wagtail's users
        admin, the shell) is no longer verified."""
        stored_email, stored_verification = getattr(self, "_stored_address", (None, None))
        if (
            stored_email
            and self.email != stored_email
            and (self.courriel_verifie_le == stored_verification)
        ):
            self.courriel_verifie_le = None
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "courriel_verifie_le"}
        super().save(*args, **kwargs)
        self._stored_address = (self.email, self.courriel_verifie_le)


class Coordination(models.Model):
    """The coordination SPIE of a territory (a département or an EPCI): a group of users who
    read everything that concerns the people living there, without acting on it."""

    nom = models.CharField(max_length=150)
    departement = models.ForeignKey(
        "territoires.Departement", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name="département",
    )  # fmt: skip
    epci = models.ForeignKey(
        "territoires.EPCI", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="EPCI",
    )  # fmt: skip
    membres = models.ManyToManyField(User, related_name="coordinations", blank=True)

    class Meta:
        verbose_name = "coordination SPIE"
        verbose_name_plural = "coordinations SPIE"
        ordering = ["nom"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(departement__isnull=False, epci__isnull=True)
                | models.Q(departement__isnull=True, epci__isnull=False),
                name="coordination_un_seul_territoire",
                violation_error_message="Une coordination couvre un département ou un EPCI.",
            )
        ]

    def __str__(self):
        return self.nom


class ApiToken(models.Model):
    """Gives an API client the full records of the open API (contacts included). Only the
    SHA-256 of the key is kept; the key is shown once, when an admin creates it."""

    nom = models.CharField(max_length=150, help_text="À qui ce jeton est délivré.")
    empreinte = models.CharField(max_length=64, unique=True, editable=False)
    cree_le = models.DateTimeField(auto_now_add=True)
    revoque_le = models.DateTimeField("révoqué le", null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"

    def __str__(self):
        return self.nom

    @staticmethod
    def fingerprint(key):
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, nom):
        """Creates a token; returns (token, key). The key is not stored."""
        key = secrets.token_urlsafe(32)
        return cls.objects.create(nom=nom, empreinte=cls.fingerprint(key)), key

    @classmethod
    def is_valid(cls, key):
        return (
            bool(key)
            and cls.objects.filter(empreinte=cls.fingerprint(key), revoque_le=None).exists()
        )
