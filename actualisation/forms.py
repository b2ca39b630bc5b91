from django import forms

from catalogue.referentiels import REFERENTIELS
from config.forms import DsfrForm
from territoires.models import EPCI, Commune, Departement


class CampagneForm(DsfrForm):
    nom = forms.CharField(label="Nom de la campagne", max_length=150)
    territoire = forms.ChoiceField(label="Territoire")
    thematiques = forms.MultipleChoiceField(
        label="Thématiques (catégories)",
        choices=REFERENTIELS["categories"],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune : tous les services du territoire.",
    )

    def __init__(self, *args, coordinations, **kwargs):
        super().__init__(*args, **kwargs)
        self.coordination_of = {}
        choices = []
        for coordination in coordinations:
            for code, nom in _territories(coordination):
                self.coordination_of.setdefault(code, coordination)
                choices.append((code, nom))
        self.fields["territoire"].choices = choices

    def clean(self):
        data = super().clean()
        data["coordination"] = self.coordination_of.get(data.get("territoire"))
        return data


def _territories(coordination):
    """A département coordination: the département and its EPCI; an EPCI coordination: it."""
    if coordination.epci_id:
        return [(e.code, e.nom) for e in EPCI.objects.filter(pk=coordination.epci_id).only("nom")]
    departement = Departement.objects.only("code", "nom").get(pk=coordination.departement_id)
    codes = Commune.objects.filter(departement=departement).values("epci")
    epcis = EPCI.objects.filter(code__in=codes).only("code", "nom")
    return [(departement.code, f"{departement.nom} ({departement.code})")] + [
        (e.code, e.nom) for e in epcis.order_by("nom")
    ]


class SignalementForm(DsfrForm):
    """« Signaler une erreur » on a service's public page: anyone, no account."""

    details = forms.CharField(
        label="Qu'est-ce qui ne va pas ?",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Par exemple : le téléphone ne répond plus, le service a déménagé, les "
        "horaires ont changé. N'écrivez rien sur une personne accompagnée.",
    )
    courriel = forms.EmailField(
        label="Votre adresse e-mail",
        required=False,
        help_text="Pour être prévenu(e) quand l'erreur sera corrigée. Elle ne sert qu'à cela, "
        "n'est pas transmise à la structure et est effacée dès le signalement traité.",
    )
