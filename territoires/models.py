"""French administrative geography (COG 2026), loaded from territoires/data by `load_territoires`."""

from django.db import models


class Region(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    contour = models.JSONField("contour (géométrie GeoJSON)")

    class Meta:
        verbose_name = "région"
        ordering = ["code"]

    def __str__(self):
        return self.nom


class Departement(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    contour = models.JSONField("contour (géométrie GeoJSON)")

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class EPCI(models.Model):
    code = models.CharField("SIREN", max_length=9, primary_key=True)
    nom = models.CharField(max_length=200)
    type = models.CharField(max_length=10)
    contour = models.JSONField("contour (géométrie GeoJSON)")

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Commune(models.Model):
    class Type(models.TextChoices):
        COMMUNE = "COM", "commune"
        ARRONDISSEMENT = "ARM", "arrondissement municipal"

    code_insee = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField(max_length=100)
    nom_normalise = models.CharField(max_length=100, db_index=True)
    type = models.CharField(max_length=3, choices=Type)
    commune_parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="arrondissements"
    )
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(
        EPCI, on_delete=models.PROTECT, null=True, blank=True, related_name="communes"
    )
    population = models.PositiveIntegerField()
    latitude = models.FloatField(help_text="Point de la mairie (chef-lieu).")
    longitude = models.FloatField(help_text="Point de la mairie (chef-lieu).")

    class Meta:
        ordering = ["nom"]

    def __str__(self):
        return f"{self.nom} ({self.departement_id})"

    @property
    def region_id(self):
        return self.departement.region_id


class AncienneCommune(models.Model):
    """A commune déléguée, a commune associée or a former code, and the current commune it
    belongs to (territoires/data/anciennes_communes.csv, COG 2026)."""

    class Type(models.TextChoices):
        DELEGUEE = "COMD", "commune déléguée"
        ASSOCIEE = "COMA", "commune associée"
        ANCIEN_CODE = "ANC", "ancien code"

    code_insee = models.CharField("code INSEE", max_length=5, db_index=True)
    nom = models.CharField(max_length=100, blank=True)
    nom_normalise = models.CharField(max_length=100, db_index=True, blank=True)
    type = models.CharField(max_length=4, choices=Type)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "ancienne commune"
        constraints = [
            models.UniqueConstraint(fields=["code_insee", "nom"], name="ancienne_commune_unique")
        ]

    def __str__(self):
        return f"{self.nom or self.code_insee} ({self.commune.nom})"


class CodePostal(models.Model):
    code = models.CharField(max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="codes_postaux")

    class Meta:
        verbose_name = "code postal"
        verbose_name_plural = "codes postaux"
        constraints = [
            models.UniqueConstraint(
                fields=["code", "commune"], name="code_postal_unique_par_commune"
            )
        ]

    def __str__(self):
        return self.code
