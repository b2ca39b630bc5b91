from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone

from config.forms import DsfrForm


class LoginForm(DsfrForm, AuthenticationForm):
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


class AccountCreationForm(DsfrForm):
    """For a person invited to a structure who has no account yet."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password = forms.CharField(label="Mot de passe", widget=forms.PasswordInput, strip=False,
                               help_text="Au moins 12 caractères.")  # fmt: skip

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        candidate = get_user_model()(email=self.email, first_name=self.data.get("first_name", ""))
        validate_password(password, candidate)
        return password

    def save(self):
        """The account, its address verified: the invitation link was opened from it."""
        return get_user_model().objects.create_user(
            email=self.email,
            courriel_verifie_le=timezone.now(),
            password=self.cleaned_data["password"],
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
        )


class AdresseForm(DsfrForm):
    email = forms.EmailField(label="Nouvelle adresse e-mail", max_length=254)
