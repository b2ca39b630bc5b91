from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Structure
from config.dates import local
from config.forms import DateInput, DsfrForm
from config.french import de
from fiche_relais import structures, template
from fiche_relais.models import (
    Commission,
    Consentement,
    Decision,
    Etape,
    Personne,
    SituationBloquee,
)
from fiche_relais.services import pending_fiche
from prescription import files
from territoires.services import get_commune, resolve_commune


class PersonneForm(DsfrForm, forms.ModelForm):
    commune_texte = forms.CharField(
        label="Commune de résidence", max_length=150,
        help_text="Nom ou code postal, par exemple « Aubagne » ou « 13400 ».",
    )  # fmt: skip
    dispositif = forms.CharField(label="Dispositif de l'étape en cours", max_length=150)
    contrat = forms.ChoiceField(label="Type de contrat", choices=Etape.Contrat.choices)
    debut = forms.DateField(label="Entrée dans le dispositif", widget=DateInput())

    class Meta:
        model = Personne
        fields = ["nom", "prenom", "date_naissance", "telephone", "courriel"]
        widgets = {"date_naissance": DateInput()}

    def clean_commune_texte(self):
        commune = get_commune(self.data.get("code_commune", "")) or resolve_commune(
            self.cleaned_data["commune_texte"]
        )
        if commune is None:
            raise forms.ValidationError("Commune introuvable : vérifiez le nom ou le code postal.")
        return commune


PROOF_TYPES = ("application/pdf", "image/jpeg", "image/png")
SIGNATURE_PREFIX = "data:image/png;base64,"
SIGNATURE_MAX_CHARS = 300_000


class ConsentementForm(DsfrForm, forms.ModelForm):
    """A scanned proof is a PDF, JPEG or PNG (by its content, not its name) of at most
    `files.MAX_MB`, stored under a name of our own (the name typed may be of any length): it
    is shown back to those who read the person's page."""

    class Meta:
        model = Consentement
        fields = ["mode", "portee", "document", "signature"]
        widgets = {"portee": forms.Textarea(attrs={"rows": 2}), "signature": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].max_length = None  # the stored name is `files.storage_name`

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            document.name = files.storage_name(files.checked_type(document, PROOF_TYPES))
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


class EtapeFicheForm(DsfrForm):
    """One step of the fiche relais SPIE (`template.STEPS`): its texts, or for the socle step
    each item's status on the scale fitted to it and a comment."""

    def __init__(self, *args, step, contenu, **kwargs):
        self.step = step
        contenu = template.with_current_grid(contenu)
        super().__init__(*args, **kwargs)
        for name, label in template.written_fields(step):
            self.fields[name] = forms.CharField(
                label=label, required=False, max_length=10_000, initial=contenu.get(name, ""),
                widget=forms.Textarea(attrs={"rows": 3}),
            )  # fmt: skip
        if step.slug != template.DIAGNOSTIC_STEP:
            return
        for slug, label, sphere, scale in contenu["grille"]:
            item = contenu["diagnostic"][slug]
            self.fields[f"diag_{slug}_statut"] = forms.ChoiceField(
                label=f"{label} ({sphere.lower()})", required=False, initial=item["statut"],
                choices=[("", "Non renseigné"), *template.SCALES[scale]],
                widget=forms.Select(attrs={"class": "fr-select"}),
            )  # fmt: skip
            self.fields[f"diag_{slug}_commentaire"] = forms.CharField(
                label=f"Commentaire : {label.lower()}", required=False, max_length=2000,
                initial=item["commentaire"],
                widget=forms.TextInput(
                    attrs={"class": "fr-input", "aria-label": f"Commentaire : {label.lower()}"}
                ),
            )  # fmt: skip

    def diagnostic_fields(self):
        """[(sphere, [(item label, statut field, commentaire field), …])] for the socle step."""
        spheres = {}
        for slug, label, sphere, _ in template.current_grid():
            row = (label, self[f"diag_{slug}_statut"], self[f"diag_{slug}_commentaire"])
            spheres.setdefault(sphere, []).append(row)
        return list(spheres.items())

    def contenu(self, previous):
        """`previous` with this step's answers, on today's grid."""
        data = self.cleaned_data
        contenu = template.with_current_grid(previous) | {
            name: data[name] for name, _ in template.written_fields(self.step)
        }
        if self.step.slug == template.DIAGNOSTIC_STEP:
            contenu["diagnostic"] = {
                slug: {
                    "statut": data[f"diag_{slug}_statut"],
                    "commentaire": data[f"diag_{slug}_commentaire"],
                }
                for slug, *_ in contenu["grille"]
            }
        return contenu


class EnvoiForm(DsfrForm):
    """The structure that takes over (chosen in the autocomplete, or typed: name, commune or
    SIRET), and if known the référent in it. The référent is looked up among that structure's
    members only: the answer is the same whether or not the address has an account."""

    destinataire = forms.EmailField(
        label="E-mail du prochain référent d'étape", required=False,
        help_text="Un membre de cette structure. Laissé vide : ses administrateurs désigneront "
        "le référent.",
    )  # fmt: skip
    structure_texte = forms.CharField(
        label="Structure qui prend le relais", required=False, max_length=300,
        help_text="Nom, commune ou SIRET ; les structures du territoire de la personne d'abord.",
    )  # fmt: skip
    structure_destinataire = forms.ModelChoiceField(
        queryset=Structure.objects.filter(est_publiee=True), required=False,
        widget=forms.HiddenInput,
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
    remplacer = forms.BooleanField(label="Remplacer la fiche en attente", required=False)

    def __init__(self, *args, personne, fiche, **kwargs):
        super().__init__(*args, **kwargs)
        self.personne = personne
        self.fields["consentement"].queryset = personne.consentements.filter(revoque_le=None)
        self.fields["structure_texte"].widget.attrs.update({
            "list": "structures-suggestions", "autocomplete": "off",
            "data-structures-url": reverse("fiche_relais:structures", args=[personne.pk]),
            "data-id-target": "id_structure_destinataire",
        })  # fmt: skip
        pending = pending_fiche(personne, exclude=fiche)
        if pending is None:
            del self.fields["remplacer"]
        else:
            self.set_help_text(
                "remplacer",
                f"La fiche envoyée le {local(pending.envoyee_le)} à "
                f"{pending.destinataire or pending.structure_destinataire} attend encore son "
                "relais : elle sera remplacée par celle-ci, et son destinataire prévenu.",
            )

    def clean(self):
        data = super().clean()
        structure = self._structure(data)
        email = data.get("destinataire")
        data["structure_destinataire"], data["destinataire"] = structure, None
        if email and structure is not None:
            data["destinataire"] = (
                get_user_model()
                .objects.filter(
                    email__iexact=email, is_active=True, memberships__structure=structure
                )
                .first()
            )
            if data["destinataire"] is None:
                self.add_error(
                    "destinataire",
                    f"Aucun membre {de(structure)} n'a cette adresse : vérifiez-la, ou laissez-la "
                    "vide pour que les administrateurs de la structure désignent le référent.",
                )
        return data

    def _structure(self, data):
        """The chosen structure; without JavaScript (no chosen id), the typed name, SIRET or
        suggestion is read (and not kept: the service takes the structure). None (with the
        error added) when there is none."""
        structure, text = data.get("structure_destinataire"), data.pop("structure_texte", "")
        if structure is None and text:
            structure, why = structures.resolve(text, self.personne.commune)
            if why:
                self.add_error("structure_texte", why)
        elif structure is None and "structure_destinataire" not in self.errors:
            self.add_error("structure_texte", "Indiquez la structure qui prend le relais.")
        return structure


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
        widgets = {"date": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        coordinations = user.coordinations.all()
        self.fields["coordination"].queryset = coordinations
        if len(coordinations) == 1:
            self.fields["coordination"].initial = coordinations[0]


class InvitationForm(DsfrForm):
    courriels = forms.CharField(
        label="Participants à inviter", max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Adresses e-mail, une par ligne ou séparées par des virgules.",
    )  # fmt: skip

    def clean_courriels(self):
        """[address], lowercased, without duplicates, each checked."""
        found = []
        for text in self.cleaned_data["courriels"].replace(",", "\n").replace(";", "\n").split():
            email = text.strip().lower()
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(f"Adresse invalide : {text}") from None
            if email not in found:
                found.append(email)
        if not found:
            raise forms.ValidationError("Indiquez au moins une adresse.")
        return found


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
            "echeance": DateInput(),
        }


class TableauDeBordForm(DsfrForm):
    debut = forms.DateField(label="Du", widget=DateInput())
    fin = forms.DateField(label="Au", widget=DateInput())
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
