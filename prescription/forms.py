import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone

from config.dates import local
from config.forms import DateInput, DateTimeInput, DsfrForm
from prescription import files
from prescription.models import RDV_PAST_TOLERANCE, MotifRefus
from prescription.socle import FREINS
from territoires.services import get_commune, resolve_commune

SENSITIVE_DATA_WARNING = (
    "N'écrivez ni diagnostic médical, ni information sur la vie privée qui ne serait pas utile à "
    "l'orientation : la structure lira ce texte."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploaded = [f for f in (data or []) if f]
        return [super(MultipleFileField, self).clean(f, initial) for f in uploaded]


class PrescriptionForm(DsfrForm):
    nom = forms.CharField(max_length=100)
    prenom = forms.CharField(label="Prénom", max_length=100)
    date_naissance = forms.DateField(label="Date de naissance", required=False, widget=DateInput())
    commune = forms.CharField(
        label="Commune de résidence",
        max_length=150,
        help_text="Nom ou code postal, par exemple « Aubagne » ou « 13400 ».",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "list": "communes-suggerees",
                "data-communes-url": reverse_lazy("territoires:communes"),
                "data-code-target": "id_code_commune",
            }
        ),
    )
    code_commune = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)
    telephone = forms.CharField(label="Téléphone", max_length=20, required=False)
    courriel = forms.EmailField(
        label="Adresse e-mail",
        required=False,
        help_text="La personne y recevra la confirmation puis la réponse de la structure.",
    )
    identifiant_france_travail = forms.CharField(
        label="Identifiant France Travail",
        max_length=20,
        required=False,
        help_text="Communiqué à la structure seulement si elle accepte la prescription.",
    )
    freins = forms.MultipleChoiceField(
        label="Freins identifiés", choices=FREINS, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    motif = forms.CharField(
        label="Motif de l'orientation", widget=forms.Textarea(attrs={"rows": 4}),
        help_text=SENSITIVE_DATA_WARNING, max_length=5000,
    )  # fmt: skip
    attentes = forms.CharField(
        label="Attentes de la personne", widget=forms.Textarea(attrs={"rows": 3}),
        required=False, max_length=5000,
    )  # fmt: skip
    conditions_remplies = forms.BooleanField(
        label="La personne remplit les conditions d'accès de ce service", required=False
    )
    disponibilites = forms.CharField(
        label="Disponibilités", max_length=500, required=False,
        help_text="Par exemple « le matin, sauf le mercredi ».",
    )  # fmt: skip
    pieces_jointes = MultipleFileField(
        label="Pièces jointes", required=False,
        help_text=f"{files.MAX_FILES} fichiers au plus, 5 Mo chacun : {files.ACCEPTED}.",
    )  # fmt: skip
    consentement = forms.BooleanField(
        label="La personne a été informée et accepte la transmission de ces informations à la "
        "structure",
        error_messages={"required": "Sans l'accord de la personne, la prescription ne peut pas "
                        "être envoyée."},
    )  # fmt: skip
    telephone_prescripteur = forms.CharField(
        label="Votre téléphone", max_length=20, required=False,
        help_text="Pour que la structure vous joigne ; à défaut, celui de votre structure.",
    )  # fmt: skip
    confirmer_doublon = forms.BooleanField(
        label="Je confirme cette nouvelle orientation", required=False
    )
    cle_idempotence = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, service, duplicates_finder, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.duplicates_finder = duplicates_finder
        self.duplicates = []
        if service.conditions_acces:
            self.fields["conditions_remplies"].required = True
            self.set_help_text("conditions_remplies", service.conditions_acces)
        else:
            del self.fields["conditions_remplies"]

    def clean_pieces_jointes(self):
        return files.check(self.cleaned_data["pieces_jointes"])

    def clean(self):
        data = super().clean()
        commune = get_commune(data.get("code_commune") or "") or resolve_commune(
            data.get("commune", "")
        )
        if commune is None and data.get("commune"):
            self.add_error("commune", "Commune introuvable : vérifiez le nom ou le code postal.")
        data["commune_obj"] = commune
        if not data.get("telephone") and not data.get("courriel"):
            raise ValidationError("Indiquez un téléphone ou une adresse e-mail pour la personne.")
        if not self.errors and not data.get("confirmer_doublon"):
            self.duplicates = self.duplicates_finder(
                data["nom"], data["prenom"], data.get("date_naissance")
            )
            if self.duplicates:
                raise ValidationError(
                    "Cette personne a déjà une prescription en cours sur un service de la même "
                    "thématique. Cochez « Je confirme cette nouvelle orientation » pour envoyer "
                    "quand même."
                )
        return data

    def prescription_data(self):
        data = self.cleaned_data
        fields = [
            "nom", "prenom", "date_naissance", "telephone", "courriel",
            "identifiant_france_travail", "freins", "motif", "attentes", "disponibilites",
            "telephone_prescripteur",
        ]  # fmt: skip
        values = {name: data[name] for name in fields}
        values["commune"] = data["commune_obj"]
        values["conditions_remplies"] = data.get("conditions_remplies", True)
        return values


class RefusForm(DsfrForm):
    motif_refus = forms.ChoiceField(
        label="Motif du refus", choices=[("", "— Choisissez le motif —"), *MotifRefus.choices]
    )
    motif_refus_precisions = forms.CharField(
        label="Précisions", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    message_prescripteur = forms.CharField(
        label="Message au prescripteur", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    message_personne = forms.CharField(
        label="Message à la personne", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("motif_refus") == MotifRefus.AUTRE and not data.get("motif_refus_precisions"):
            self.add_error("motif_refus_precisions", "Précisez le motif « Autre ».")
        return data


class RendezVousForm(DsfrForm):
    rdv_le = forms.DateTimeField(label="Date et heure", widget=DateTimeInput())
    rdv_lieu = forms.CharField(label="Lieu", max_length=255)
    a_apporter = forms.CharField(
        label="À apporter", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    message_personne = forms.CharField(
        label="Message à la personne", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_rdv_le(self):
        """Not more than RDV_PAST_TOLERANCE in the past (an appointment recorded the day after
        it took place is fine; a date typed in the wrong year is not)."""
        rdv_le = self.cleaned_data["rdv_le"]
        earliest = timezone.now() - RDV_PAST_TOLERANCE
        if rdv_le < earliest:
            raise ValidationError(
                "Ce rendez-vous est passé depuis plus d'un jour : vérifiez la date "
                f"(au plus tôt le {local(earliest, '%d/%m/%Y à %H:%M')})."
            )
        return rdv_le


class MessageForm(DsfrForm):
    message_prescripteur = forms.CharField(
        label="Message au prescripteur", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    message_personne = forms.CharField(
        label="Message à la personne", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnnulationForm(DsfrForm):
    """Cancelling asks for a reason (told to the structure, kept in the log) and a
    confirmation."""

    message = forms.CharField(
        label="Motif de l'annulation", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="La structure le recevra par e-mail.",
    )  # fmt: skip
    confirmer = forms.BooleanField(
        label="Je confirme l'annulation : la structure n'aura plus à répondre",
        error_messages={"required": "Cochez la case pour confirmer l'annulation."},
    )

    def clean(self):
        data = super().clean()
        data.pop("confirmer", None)
        return data


ACTION_FORMS = {
    "refuser": RefusForm, "fixer_rdv": RendezVousForm, "accepter": MessageForm,
    "annuler": AnnulationForm,
}  # fmt: skip
