from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalogue.models import Structure
from config.forms import DsfrForm
from fiche_relais.models import (
    Commission,
    Consentement,
    Decision,
    Etape,
    Personne,
    SituationBloquee,
)
from fiche_relais.template import DIAGNOSTIC_ITEMS, DIAGNOSTIC_STATUTS, SECTIONS, empty_content
from prescription import files
from territoires.services import get_commune, resolve_commune


class PersonneForm(DsfrForm, forms.ModelForm):
    commune_texte = forms.CharField(
        label="Commune de résidence", max_length=150,
        help_text="Nom ou code postal, par exemple « Aubagne » ou « 13400 ».",
    )  # fmt: skip
    dispositif = forms.CharField(label="Dispositif de l'étape en cours", max_length=150)
    contrat = forms.ChoiceField(label="Type de contrat", choices=Etape.Contrat.choices)
    debut = forms.DateField(
        label="Entrée dans le dispositif", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Personne
        fields = ["nom", "prenom", "date_naissance", "telephone", "courriel"]
        widgets = {"date_naissance": forms.DateInput(attrs={"type": "date"})}

    def clean_commune_texte(self):
        commune = get_commune(self.data.get("code_commune", "")) or resolve_commune(
            self.cleaned_data["commune_texte"]
        )
        if commune is None:
            raise forms.ValidationError("Commune introuvable : vérifiez le nom ou le code postal.")
        return commune


PROOF_TYPES = {"application/pdf", "image/jpeg", "image/png"}
PROOF_MAX_BYTES = 5 * 2**20
SIGNATURE_PREFIX = "data:image/png;base64,"
SIGNATURE_MAX_CHARS = 300_000


class ConsentementForm(DsfrForm, forms.ModelForm):
    """A scanned proof is a PDF, JPEG or PNG (by its content, not its name) of at most
    `PROOF_MAX_BYTES`: it is shown back to those who read the person's page."""

    class Meta:
        model = Consentement
        fields = ["mode", "portee", "document", "signature"]
        widgets = {"portee": forms.Textarea(attrs={"rows": 2}), "signature": forms.HiddenInput}

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if not document:
            return document
        if document.size > PROOF_MAX_BYTES:
            raise forms.ValidationError(
                f"Le document dépasse {PROOF_MAX_BYTES // 2**20} Mo : numérisez-le en qualité "
                "moindre ou en noir et blanc."
            )
        if files.content_type(document) not in PROOF_TYPES:
            raise forms.ValidationError("Le document doit être un PDF, une image JPEG ou PNG.")
        return document

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        if mode == Consentement.Mode.SCAN and not data.get("document"):
            self.add_error("document", "Joignez le document signé.")
        signature = data.get("signature", "")
        if mode == Consentement.Mode.SIGNATURE and not signature.startswith(SIGNATURE_PREFIX):
            self.add_error("mode", "Faites signer la personne dans le cadre prévu.")
        elif len(signature) > SIGNATURE_MAX_CHARS:
            self.add_error("mode", "Signature trop lourde : effacez-la et recommencez.")
        if mode != Consentement.Mode.SIGNATURE:
            data["signature"] = ""
        return data


class ContenuForm(DsfrForm):
    """Every field of the fiche relais SPIE, and the socle commun de diagnostic grid."""

    def __init__(self, *args, contenu=None, **kwargs):
        contenu = contenu or empty_content()
        initial = {name: contenu.get(name, "") for _, fields in SECTIONS for name, _ in fields}
        for slug, *_ in DIAGNOSTIC_ITEMS:
            item = contenu.get("diagnostic", {}).get(slug, {})
            initial[f"diag_{slug}_statut"] = item.get("statut", "")
            initial[f"diag_{slug}_commentaire"] = item.get("commentaire", "")
        super().__init__(*args, initial=initial, **kwargs)
        for _, fields in SECTIONS:
            for name, label in fields:
                self.fields[name] = forms.CharField(
                    label=label, required=False, max_length=10_000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )  # fmt: skip
        for slug, label, sphere in DIAGNOSTIC_ITEMS:
            self.fields[f"diag_{slug}_statut"] = forms.ChoiceField(
                label=f"{label} ({sphere.lower()})", choices=DIAGNOSTIC_STATUTS, required=False
            )
            self.fields[f"diag_{slug}_commentaire"] = forms.CharField(
                label=f"Commentaire : {label.lower()}", required=False, max_length=2000
            )

    def contenu(self):
        data = self.cleaned_data
        contenu = {name: data[name] for _, fields in SECTIONS for name, _ in fields}
        contenu["diagnostic"] = {
            slug: {
                "statut": data[f"diag_{slug}_statut"],
                "commentaire": data[f"diag_{slug}_commentaire"],
            }
            for slug, *_ in DIAGNOSTIC_ITEMS
        }
        return contenu


class EnvoiForm(DsfrForm):
    """The structure that takes over, and if known the référent in it. The référent is looked
    up among that structure's members only: the answer is the same whether or not the address
    has an account on the portal."""

    structure_destinataire = forms.ModelChoiceField(
        label="Structure qui prend le relais",
        queryset=Structure.objects.filter(est_publiee=True).only("pk", "nom"),
    )
    destinataire = forms.EmailField(
        label="E-mail du prochain référent d'étape", required=False,
        help_text="Un membre de cette structure. Laissé vide : ses administrateurs désigneront "
        "le référent.",
    )  # fmt: skip
    dispositif_propose = forms.CharField(label="Dispositif proposé", max_length=150)
    contrat_propose = forms.ChoiceField(label="Contrat proposé", choices=Etape.Contrat.choices)
    consentement = forms.ModelChoiceField(
        label="Consentement de la personne", queryset=Consentement.objects.none(),
        empty_label="— Recueillez d'abord le consentement —",
    )  # fmt: skip
    rencontre_tripartite = forms.BooleanField(
        label="Fiche rédigée lors d'un entretien tripartite", required=False
    )

    def __init__(self, *args, personne, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consentement"].queryset = personne.consentements.filter(revoque_le=None)

    def clean(self):
        data = super().clean()
        email, structure = data.get("destinataire"), data.get("structure_destinataire")
        if not email or structure is None:
            data["destinataire"] = None
            return data
        data["destinataire"] = (
            get_user_model()
            .objects.filter(email__iexact=email, is_active=True, memberships__structure=structure)
            .first()
        )
        if data["destinataire"] is None:
            self.add_error(
                "destinataire",
                f"Aucun membre de {structure} n'a cette adresse : vérifiez-la, ou laissez-la "
                "vide pour que les administrateurs de la structure désignent le référent.",
            )
        return data


class PriseEnChargeForm(DsfrForm):
    dispositif = forms.CharField(label="Dispositif de la nouvelle étape", max_length=150)
    contrat = forms.ChoiceField(label="Type de contrat", choices=Etape.Contrat.choices)


class SituationForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = SituationBloquee
        fields = ["motif", "situation", "actions_menees", "blocage", "demande"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["situation", "actions_menees", "blocage", "demande"]
        }


class CommissionForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = Commission
        fields = ["coordination", "date", "lieu"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        coordinations = user.coordinations.all()
        self.fields["coordination"].queryset = coordinations
        if len(coordinations) == 1:
            self.fields["coordination"].initial = coordinations[0]


class InscriptionForm(DsfrForm):
    commission = forms.ModelChoiceField(label="Commission SPIE", queryset=Commission.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = Commission.objects.filter(
            coordination__membres=user, date__gte=timezone.localdate()
        ).order_by("date")


class DecisionForm(DsfrForm, forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["solutions", "qui_fait_quoi", "echeance", "offre_manquante", "situation_resolue"]
        widgets = {
            "solutions": forms.Textarea(attrs={"rows": 3}),
            "qui_fait_quoi": forms.Textarea(attrs={"rows": 3}),
            "offre_manquante": forms.Textarea(attrs={"rows": 2}),
            "echeance": forms.DateInput(attrs={"type": "date"}),
        }


class TableauDeBordForm(DsfrForm):
    debut = forms.DateField(label="Du", widget=forms.DateInput(attrs={"type": "date"}))
    fin = forms.DateField(label="Au", widget=forms.DateInput(attrs={"type": "date"}))
    epci = forms.ChoiceField(label="EPCI", required=False)

    def __init__(self, *args, epcis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["epci"].choices = [("", "Tout le territoire"), *epcis]

    def clean(self):
        data = super().clean()
        if data.get("debut") and data.get("fin") and data["debut"] > data["fin"]:
            self.add_error("fin", "La fin de la période précède son début.")
        return data


class AssignationForm(DsfrForm):
    referent = forms.ModelChoiceField(label="Référent qui prendra le relais", queryset=None)

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = get_user_model().objects.filter(
            memberships__structure=structure, is_active=True
        )


class RevocationForm(DsfrForm):
    motif_revocation = forms.CharField(
        label="Pourquoi la personne retire son consentement", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
