"""Public forms of the catalogue (the Wagtail admin's are in `admin_forms`)."""

from django import forms

from catalogue.models import Structure
from config.forms import DsfrForm
from territoires.services import resolve_commune


class StructureCreationForm(DsfrForm, forms.ModelForm):
    """A professional describes a structure missing from the portal; it is published once the
    gestionnaires or the coordination of its territory validate it (`moderation`). No parent
    structure here: only a parent's admins link an antenne to it (issue 17)."""

    commune_texte = forms.CharField(
        label="Commune", max_length=150, help_text="Par exemple « Aubagne » ou « 13400 »."
    )
    message = forms.CharField(
        label="Message à la coordination SPIE",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Votre fonction dans la structure, ce qui aidera à valider votre demande.",
    )

    class Meta:
        model = Structure
        fields = ["nom", "siret", "description", "adresse", "code_postal", "telephone",
                  "courriel", "site_web"]  # fmt: skip
        help_texts = {
            "siret": "14 chiffres, sans espaces.",
            "courriel": "L'adresse publique de la structure.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["siret"].required = True
        self.fields["description"].required = True

    def clean_siret(self):
        siret = self.cleaned_data["siret"]
        known = Structure.objects.filter(siret=siret, est_publiee=True).first()
        if known is not None:
            raise forms.ValidationError(
                f"La structure « {known} » a déjà ce SIRET sur le portail : demandez plutôt à "
                "la rejoindre depuis « Mon espace »."
            )
        return siret

    def clean(self):
        data = super().clean()
        text = data.get("commune_texte", "")
        postal_code = data.get("code_postal", "")
        commune = resolve_commune(f"{text} ({postal_code})" if postal_code else text)
        commune = commune or resolve_commune(text)
        if commune is None:
            self.add_error(
                "commune_texte", "Commune introuvable : vérifiez le nom ou le code postal."
            )
        else:
            self.instance.code_insee, self.instance.commune = commune.code_insee, commune.nom
        return data
