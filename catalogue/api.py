"""The open API of the offer: `GET /api/v1/structures` and `GET /api/v1/services`, as
data·inclusion v1 records, paginated and filtered. Anonymous callers get the open records;
an API token (`Authorization: Token <key>`) gives the full ones."""

import math

from django import forms
from django.db.models import Q
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from accounts.models import ApiToken
from catalogue.data_inclusion import service_record, structure_record
from catalogue.models import Service, Structure
from catalogue.referentiels import CATEGORY_SEPARATOR, REFERENTIELS
from config.forms import errors_by_field
from territoires.models import Commune

MAX_SIZE = 1000
MAX_PAGE = 10_000  # 10 million records at most: an offset the databases can take
THEMATIQUES = {value for value, _ in REFERENTIELS["thematiques"]}
CATEGORIES = {value for value, _ in REFERENTIELS["categories"]}


class OpenDataForm(forms.Form):
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    size = forms.IntegerField(required=False, min_value=1, max_value=MAX_SIZE)
    departement = forms.CharField(required=False, max_length=3)
    code_commune = forms.CharField(required=False, max_length=5)
    thematiques = forms.CharField(required=False)
    date_maj_min = forms.DateField(required=False)
    source = forms.CharField(required=False, max_length=100)

    def clean_thematiques(self):
        slugs = [s.strip() for s in self.cleaned_data["thematiques"].split(",") if s.strip()]
        unknown = [s for s in slugs if s not in THEMATIQUES | CATEGORIES]
        if unknown:
            raise forms.ValidationError(f"Thématique inconnue : {', '.join(unknown)}.")
        return slugs


def _token_key(request):
    header = request.headers.get("Authorization", "")
    return header.removeprefix("Token ").strip() if header.startswith("Token ") else ""


def _filters(data, with_thematiques):
    conditions = Q()
    if data["departement"]:
        communes = Commune.objects.filter(departement_id=data["departement"]).values("code_insee")
        conditions &= Q(code_insee__in=communes)
    if data["code_commune"]:
        conditions &= Q(code_insee=data["code_commune"])
    if data["date_maj_min"]:
        conditions &= Q(date_maj__gte=data["date_maj_min"])
    if data["source"]:
        conditions &= Q(source=data["source"])
    if with_thematiques and data["thematiques"]:
        any_of = Q()
        for slug in data["thematiques"]:
            prefix = f'"{slug}{CATEGORY_SEPARATOR}' if slug in CATEGORIES else f'"{slug}"'
            any_of |= Q(thematiques__icontains=prefix)
        conditions &= any_of
    return conditions


def _listing(request, queryset, to_record, with_thematiques=False):
    form = OpenDataForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": errors_by_field(form)}, status=400)
    key = _token_key(request)
    if key and not ApiToken.is_valid(key):
        return JsonResponse(
            {"errors": {"Authorization": ["Jeton inconnu ou révoqué."]}}, status=401
        )
    data = form.cleaned_data
    page, size = data["page"] or 1, data["size"] or 100
    queryset = queryset.filter(_filters(data, with_thematiques)).order_by("pk")
    total = queryset.count()
    public = not key
    items = [to_record(obj, public) for obj in queryset[(page - 1) * size : page * size]]
    return JsonResponse(
        {"items": items, "total": total, "page": page, "size": size,
         "pages": math.ceil(total / size) if total else 0},
        json_dumps_params={"ensure_ascii": False},
    )  # fmt: skip


@require_GET
def structures(request):
    return _listing(
        request,
        Structure.objects.filter(est_publiee=True),
        lambda structure, public: structure_record(structure),
    )


@require_GET
def services(request):
    return _listing(
        request,
        Service.objects.publies().select_related("structure"),
        lambda service, public: service_record(service, public=public),
        with_thematiques=True,
    )
